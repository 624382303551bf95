import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { fileStart, formatRange } from "../../src/core/location.js";
import { productionStacks } from "../../src/model/queries.js";
import { directScripts } from "../../src/model/script-modes.js";

export default defineRule({
  id: "docker/entrypoint-not-executable",
  django: null,
  severity: "error",
  summary: "A script the container executes directly has no executable bit in git, and nothing in the image build adds it",
  why:
    "A container whose entrypoint or command is a script path (`/entrypoint.sh`, `./start.sh`, exec form or shell form) " +
    "needs that file to be executable. Git records only the mode it was committed with: a script committed as 100644 " +
    "(written on Windows, or never `chmod +x`ed) arrives without the bit on every Linux build host and CI runner, and " +
    "the container dies at once with `exec /entrypoint.sh: permission denied`. A `RUN chmod +x` in the Dockerfile fixes " +
    "the image's copy only: a bind mount of the source (`.:/app`) puts the repository's non-executable copy back over it.",
  fix:
    "Commit the executable bit (`git update-index --chmod=+x start.sh`, or `chmod +x` and commit), or make the image " +
    "set it (`COPY --chmod=755 start.sh /start.sh`, or `RUN chmod +x /start.sh` after the COPY) and do not bind-mount " +
    "the file over the image's copy; or run it through its interpreter (`command: sh ./start.sh`).",
  examples: [
    {
      file: "Dockerfile",
      bad: "# git ls-files -s docker/entrypoint.sh → 100644\nCOPY docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
      good: "COPY --chmod=755 docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      const seen = new Set<string>();
      for (const service of stack.services) {
        for (const script of directScripts(service, model.git.index)) {
          if (!script.notExecutable) continue;
          const key = formatRange(script.word.range);
          if (seen.has(key)) continue;
          seen.add(key);
          const related: RelatedLocation[] = [{ range: fileStart(script.repoFile), message: `git tracks ${script.repoFile} with mode ${script.gitMode} (not executable)` }];
          let how: string;
          let fix: string;
          if (script.via.kind === "bind") {
            const mount = script.via.mount;
            const source = mount.source === undefined ? "?" : mount.source === "." || mount.source.startsWith("/") || mount.source.startsWith(".") ? mount.source : `./${mount.source}`;
            related.push({ range: mount.range, message: `the bind mount ${source}:${mount.target} puts the repository's copy at ${script.containerPath}` });
            if (script.imageFix) {
              related.push({ range: script.imageFix, message: `this makes the image's copy executable, but the bind mount hides it` });
              how = `the image makes its copy executable (${formatRange(script.imageFix)}), but the bind mount ${source}:${mount.target} puts the repository's non-executable ${script.repoFile} back over it`;
            } else {
              how = `the bind mount ${source}:${mount.target} shows the repository's ${script.repoFile}, which git tracks as ${script.gitMode}`;
            }
            fix = `commit the executable bit (git update-index --chmod=+x ${script.repoFile}) or run it with sh`;
          } else {
            const copy = script.via.copy;
            related.push({ range: copy.range, message: `${copy.instruction} puts ${script.repoFile} at ${script.containerPath} with the mode git gives it` });
            how = `${copy.instruction} copies ${script.repoFile} there with git's mode ${script.gitMode}, and no COPY --chmod or RUN chmod makes it executable`;
            fix = `commit the executable bit (git update-index --chmod=+x ${script.repoFile}), use COPY --chmod=755, or RUN chmod +x ${script.containerPath}`;
          }
          report({
            stack: stack.id,
            message: `service '${service.name}' executes ${script.word.value} (${script.origin}) directly, but it is not executable in the container: ${how}; the container dies with "permission denied" — ${fix}`,
            range: script.word.range,
            related,
          });
        }
      }
    }
  },
});
