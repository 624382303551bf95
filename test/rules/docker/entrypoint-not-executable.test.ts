import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { directScripts } from "../../../src/model/script-modes.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "docker/entrypoint-not-executable";

/** [service, script word, container path, repo file, git mode, via, executable?] of each directly executed script. */
function scripts(fixture: string): [string, string, string, string, string, string, boolean][] {
  const { result } = lintRuleFixture(RULE, fixture);
  return result.model.stacks.flatMap((stack) =>
    stack.services.flatMap((service) =>
      directScripts(service, result.model.git.index).map((s): [string, string, string, string, string, string, boolean] => [
        service.name,
        s.word.value,
        s.containerPath,
        s.repoFile,
        s.gitMode,
        s.via.kind,
        !s.notExecutable,
      ]),
    ),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-compose-command", plants: "compose command [\"./start.sh\"], start.sh tracked 100644, no chmod", rows: [[RULE, "docker-compose.yml", 14, 15]] },
      { fixture: "bad-dockerfile-entrypoint", plants: "ENTRYPOINT [\"/entrypoint.sh\"], tracked 100644, no chmod", rows: [[RULE, "Dockerfile", 12, 13]] },
      { fixture: "bad-bind-mount", plants: "RUN chmod +x in the image, but ./app:/app puts the 100644 copy back", rows: [[RULE, "Dockerfile", 12, 6]] },
    ],
    good: ["good", "good-run-chmod", "good-copy-chmod", "good-run-via-sh", "good-bind-mount-executable"],
  },
  () => {
    it("the fixtures' checkouts track the modes the cases need", () => {
      const mode = (fixture: string, file: string): string => {
        const { dir } = lintRuleFixture(RULE, fixture);
        return execFileSync("git", ["ls-files", "-s", "--", file], { cwd: dir }).toString().split(" ")[0] ?? "";
      };
      expect(mode("good", "deploy/start.sh")).toBe("100755");
      expect(mode("good-run-chmod", "deploy/start.sh")).toBe("100644");
      expect(mode("bad-bind-mount", "app/start.sh")).toBe("100644");
      expect(mode("good-bind-mount-executable", "app/start.sh")).toBe("100755");
    });

    it("the model: which scripts run directly, and whether the container sees them executable", () => {
      expect(scripts("good")).toEqual([["web", "/start.sh", "/start.sh", "deploy/start.sh", "100755", "image", true]]);
      expect(scripts("good-run-chmod")).toEqual([["web", "/start.sh", "/start.sh", "deploy/start.sh", "100644", "image", true]]);
      expect(scripts("good-copy-chmod")).toEqual([["web", "/start.sh", "/start.sh", "deploy/start.sh", "100644", "image", true]]);
      expect(scripts("good-run-via-sh")).toEqual([]);
      expect(scripts("bad-compose-command")).toEqual([["web", "./start.sh", "/app/start.sh", "deploy/start.sh", "100644", "image", false]]);
      expect(scripts("bad-bind-mount")).toEqual([["web", "./start.sh", "/app/start.sh", "app/start.sh", "100644", "bind", false]]);
    });

    it("a compose command: names the service, the script, its git mode and the COPY", () => {
      const finding = findingOf(RULE, "bad-compose-command");
      expect(finding.message).toContain("service 'web' executes ./start.sh (compose command)");
      expect(finding.message).toContain("deploy/start.sh");
      expect(finding.message).toContain("100644");
      expect(finding.message).toContain("permission denied");
      expect(finding.message).toContain("git update-index --chmod=+x deploy/start.sh");
      expect(relatedRows(finding)).toEqual([
        ["deploy/start.sh", 1, 1],
        ["Dockerfile", 10, 1],
      ]);
    });

    it("a Dockerfile ENTRYPOINT: names the entrypoint, the COPY, and how to fix it", () => {
      const finding = findingOf(RULE, "bad-dockerfile-entrypoint");
      expect(finding.message).toContain("service 'web' executes /entrypoint.sh (Dockerfile ENTRYPOINT)");
      expect(finding.message).toContain("COPY copies deploy/entrypoint.sh there with git's mode 100644");
      expect(finding.message).toContain("COPY --chmod=755");
      expect(relatedRows(finding)).toEqual([
        ["deploy/entrypoint.sh", 1, 1],
        ["Dockerfile", 10, 1],
      ]);
    });

    it("a bind mount over a fixed image: names the chmod it hides and the mount", () => {
      const finding = findingOf(RULE, "bad-bind-mount");
      expect(finding.message).toContain("(Dockerfile CMD)");
      expect(finding.message).toContain("Dockerfile:10:1");
      expect(finding.message).toContain("bind mount ./app:/app");
      expect(relatedRows(finding)).toEqual([
        ["app/start.sh", 1, 1],
        ["docker-compose.yml", 17, 9],
        ["Dockerfile", 10, 1],
      ]);
    });
  },
);
