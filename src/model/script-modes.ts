import { posix } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { DockerCopy } from "../parsers/dockerfile.js";
import type { GitIndex } from "../parsers/git-index.js";
import { findInvocations } from "../parsers/process-command.js";
import type { ComposeMount } from "./compose-stack.js";
import { normalizeContainerPath } from "./container-filesystem.js";
import type { Service } from "./deployment-model.js";
import { isInsideRepo, normalizeRepoPath } from "./repo-tree.js";

/**
 * Scripts a container executes directly (the first word of compose `entrypoint` / `command` or
 * of the image's ENTRYPOINT / CMD, also behind `exec`, tini, wait-for-it…), and whether the file
 * the container sees there has the executable bit: the mode git tracks, unless the image build
 * fixes it (`COPY --chmod`, a `RUN chmod` after the COPY) and no bind mount brings the
 * repository's copy back. Scripts run through an interpreter (`sh x.sh`, `bash x.sh`, inside
 * `sh -c "…"`) need no executable bit and are not listed.
 */
export interface DirectScript {
  /** The command word that names the script. */
  word: LocatedString;
  /** Where the word comes from: compose `entrypoint` / `command`, or the Dockerfile's ENTRYPOINT / CMD. */
  origin: "compose entrypoint" | "compose command" | "Dockerfile ENTRYPOINT" | "Dockerfile CMD";
  containerPath: string;
  /** The repository file the container sees at containerPath. */
  repoFile: string;
  /** The mode git tracks the file with ("100644", "100755"…). */
  gitMode: string;
  /** How the file gets into the container. */
  via: { kind: "bind"; mount: ComposeMount } | { kind: "image"; copy: DockerCopy };
  /** The image build step that makes the file executable (COPY --chmod or RUN chmod), if any; for a bind mount, the one the mount hides. */
  imageFix: SourceRange | undefined;
  /** The container runs the file without its executable bit: "permission denied". */
  notExecutable: boolean;
}

const SHELL_WORDS = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|z|k)?sh$|^busybox-sh$|^source$|^\.$/;
const DEFAULT_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The scripts a service's container executes directly, with what the container sees. Silent (absent) when anything is unknown. */
export function directScripts(service: Service, index: GitIndex | undefined): DirectScript[] {
  if (!index) return [];
  const out: DirectScript[] = [];
  for (const { words, origin } of commandParts(service)) {
    for (const invocation of findInvocations(words)) {
      if (invocation.kind !== "script" || invocation.conditional) continue;
      const word = invocation.argv[0];
      // Only words of the list itself: a script named inside `sh -c "…"` is a new word.
      if (!word || words[invocation.programIndex] !== word) continue;
      if (afterInterpreter(words, invocation.programIndex)) continue;
      const found = describe(service, word, origin, index);
      if (found) out.push(found);
    }
  }
  return out;
}

/** The entrypoint part and the command part of what the container runs, each with its origin. */
function commandParts(service: Service): { words: LocatedString[]; origin: DirectScript["origin"] }[] {
  const stage = service.image?.stage;
  const compose = service.compose;
  const parts: { words: LocatedString[]; origin: DirectScript["origin"] }[] = [];
  // compose `entrypoint` replaces the image's ENTRYPOINT and resets its CMD (as effectiveCommand does).
  const entrypoint = compose.entrypoint ? compose.entrypoint.argv : (stage?.entrypoint?.argv ?? []);
  if (entrypoint.length > 0) {
    parts.push({ words: entrypoint, origin: compose.entrypoint ? "compose entrypoint" : "Dockerfile ENTRYPOINT" });
    // With an entrypoint, the command is only its arguments: whether it runs them directly is the script's business.
    return parts;
  }
  if (compose.command) parts.push({ words: compose.command.argv, origin: "compose command" });
  else if (!compose.entrypoint && stage?.cmd) parts.push({ words: stage.cmd.argv, origin: "Dockerfile CMD" });
  return parts;
}

/** `sh -e x.sh`, `. x.sh`: the word before the script (options skipped) is a shell. */
function afterInterpreter(words: LocatedString[], k: number): boolean {
  let p = k - 1;
  while (p >= 0 && /^[-+]/.test(words[p]?.value ?? "") && words[p]?.value !== "--") p--;
  if (p >= 0 && words[p]?.value === "--" && p > 0 && SHELL_WORDS.test(words[p - 1]?.value ?? "")) return true;
  return p >= 0 && SHELL_WORDS.test(words[p]?.value ?? "");
}

function workdirOf(service: Service): string {
  const wd = service.compose.workingDir;
  if (wd && !wd.unresolved?.length) return normalizeContainerPath(wd.value);
  return service.image?.stage.finalWorkdir ?? "/";
}

/** Container paths the word may name: itself (absolute), against the working directory (relative), or PATH (a bare name). */
function candidates(service: Service, word: string): string[] | undefined {
  if (word.includes("$")) return undefined;
  if (word.startsWith("/")) return [normalizeContainerPath(word)];
  if (word.includes("/")) return [normalizeContainerPath(posix.join(workdirOf(service), word))];
  const path = service.environment.values.get("PATH");
  if (path && path.value === undefined) return undefined;
  const dirs = (path?.value ?? "").split(":").filter((d) => d.startsWith("/") && !d.includes("$"));
  if ((path?.value ?? "").split(":").some((d) => d.includes("$"))) return undefined;
  return [...dirs, ...DEFAULT_PATH.filter((d) => !dirs.includes(d))].map((d) => normalizeContainerPath(posix.join(d, word)));
}

function describe(service: Service, word: LocatedString, origin: DirectScript["origin"], index: GitIndex): DirectScript | undefined {
  const paths = candidates(service, word.value);
  if (!paths) return undefined;
  for (const containerPath of paths) {
    const { storage, mount, copy } = service.filesystem.resolve(containerPath);
    let repoFile: string | undefined;
    let via: DirectScript["via"];
    if (storage.kind === "bind" && mount && isInsideRepo(storage.hostPath)) {
      repoFile = normalizeRepoPath(storage.hostPath);
      via = { kind: "bind", mount };
    } else if (storage.kind === "image" && storage.repoPath !== undefined && copy) {
      repoFile = storage.repoPath;
      via = { kind: "image", copy };
    } else {
      // A volume, a file the base image has, a path that is not there: try the next PATH entry only for a bare name.
      if (storage.kind !== "image" || storage.repoPath !== undefined || copy !== undefined) return undefined;
      continue;
    }
    const tracked = index.tracked.get(repoFile);
    // Untracked (or not a regular file: a symlink, a submodule, a directory): unknown.
    if (!tracked || (tracked.mode !== "100644" && tracked.mode !== "100755")) return undefined;
    const imageFix = imageFixFor(service, repoFile, via.kind === "image" ? { containerPath, copy: via.copy } : undefined);
    const fixed = via.kind === "image" && imageFix !== undefined;
    return { word, origin, containerPath, repoFile, gitMode: tracked.mode, via, imageFix, notExecutable: tracked.mode === "100644" && !fixed };
  }
  return undefined;
}

/**
 * The build step that makes the file executable in the image: `COPY --chmod=755`, or a
 * `RUN chmod +x|755 …` after the COPY naming the file, a glob matching it, or (with -R) a parent
 * directory. `copied`: the COPY that puts the file at containerPath; for a bind-mounted file,
 * the image's own copy of it is looked up (that fix is then hidden by the mount).
 */
function imageFixFor(service: Service, repoFile: string, copied: { containerPath: string; copy: DockerCopy } | undefined): SourceRange | undefined {
  const stage = service.image?.stage;
  if (!stage) return undefined;
  let target = copied;
  if (!target) {
    const copy = service.filesystem.copyOf(repoFile);
    if (!copy) return undefined;
    // Where the image puts it: the COPY's destination (a file) or the destination directory plus its path below the source.
    const path = imageContainerPath(service, repoFile, copy);
    if (!path) return undefined;
    target = { containerPath: path, copy };
  }
  if (target.copy.chmod !== undefined && grantsExecute(target.copy.chmod)) return target.copy.range;
  for (const run of stage.runs) {
    if (run.range.line < target.copy.range.line) continue;
    if (chmodCovers(run.text, target.containerPath, stage.finalWorkdir)) return run.range;
  }
  return undefined;
}

/** The container path a COPY puts a repository file at, in the image (ignoring mounts). */
function imageContainerPath(service: Service, repoFile: string, copy: DockerCopy): string | undefined {
  const context = service.image?.context ?? ".";
  const dest = copy.destinationAbs;
  for (const source of copy.sources) {
    const sourceRepo = normalizeRepoPath(posix.join(context, source.value));
    if (sourceRepo === repoFile) {
      const intoDir = dest.endsWith("/") || copy.sources.length > 1;
      return normalizeContainerPath(intoDir ? posix.join(dest, posix.basename(repoFile)) : dest);
    }
    const prefix = sourceRepo === "." ? "" : `${sourceRepo}/`;
    if (repoFile.startsWith(prefix)) return normalizeContainerPath(posix.join(dest, repoFile.slice(prefix.length)));
  }
  return undefined;
}

/** An octal or symbolic chmod mode that gives someone the execute bit (`755`, `+x`, `u+rwx`, `a=rx`). */
export function grantsExecute(mode: string): boolean {
  // A mode from a build arg or variable: unknown, so taken as fixing it.
  if (mode.includes("$")) return true;
  if (/^[0-7]{3,4}$/.test(mode)) return /[1357]/.test(mode.slice(-3));
  return mode.split(",").some((clause) => /^[ugoa]*[+=][rwxXst]*x/.test(clause));
}

/** Does some `chmod` in a RUN text make containerPath executable? Unknown arguments (`$VAR`, `{}`) count as fixing it. */
export function chmodCovers(text: string, containerPath: string, workdir: string): boolean {
  for (const m of text.matchAll(/\bchmod\b([^;&|\n]*)/g)) {
    const words = (m[1] ?? "").split(/[\s,"'[\]]+/).filter((w) => w !== "" && w !== "\\");
    let recursive = false;
    let mode: string | undefined;
    const files: string[] = [];
    for (const w of words) {
      if (/^-[A-Za-z]+$/.test(w) || w.startsWith("--")) {
        if (/R/.test(w) || w === "--recursive") recursive = true;
        continue;
      }
      if (mode === undefined) mode = w;
      else files.push(w);
    }
    if (mode === undefined || !grantsExecute(mode)) continue;
    // `… | xargs chmod +x`: the files come from elsewhere; unknown, so taken as fixing it.
    if (files.length === 0) return true;
    for (const file of files) {
      if (file.includes("$") || file.includes("{}") || file.includes("`")) return true;
      // Relative arguments: the RUN's working directory may be any WORKDIR of the stage; a basename match is enough.
      if (!file.startsWith("/")) {
        if (globMatch(posix.basename(file), posix.basename(containerPath)) || (recursive && (file === "." || file === "./"))) return true;
        if (globMatch(normalizeContainerPath(posix.join(workdir, file)), containerPath)) return true;
        continue;
      }
      const abs = normalizeContainerPath(file);
      if (globMatch(abs, containerPath)) return true;
      if (recursive && (abs === "/" || containerPath.startsWith(`${abs}/`))) return true;
    }
  }
  return false;
}

function globMatch(pattern: string, path: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === path;
  const re = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  try {
    return new RegExp(`^${re}$`).test(path);
  } catch {
    return true;
  }
}
