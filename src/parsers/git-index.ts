import { execFileSync } from "node:child_process";

/**
 * Which files git tracks under the lint root, with their modes. Read through the git
 * binary (`ls-files -s -z`): parsing .git/index ourselves would mean handling index
 * versions, split indexes and worktrees for no gain.
 */

export interface GitIndex {
  /** Absolute path of the repository's work tree. */
  repoRoot: string;
  /** Keyed by path relative to the lint root, forward slashes. Mode: "100644" | "100755" | "120000" (or "160000" for a submodule). */
  tracked: Map<string, { mode: string }>;
}

const GIT_TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

function git(rootAbs: string, args: string[]): Buffer | undefined {
  // GIT_DIR / GIT_WORK_TREE (set inside git hooks) would point git at another repository
  // than the one that holds the lint root.
  const env = { ...process.env };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  try {
    return execFileSync("git", ["-C", rootAbs, ...args], {
      env,
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      stdio: ["ignore", "pipe", "ignore"],
      windowsHide: true,
    });
  } catch {
    // ENOENT (no git), exit 128 (not a work tree, unsafe directory), timeout: no index.
    return undefined;
  }
}

/** Parses `git ls-files -s -z`: `<mode> SP <object> SP <stage> TAB <path> NUL`, paths unquoted. */
export function parseLsFilesStage(output: string): Map<string, { mode: string }> {
  const tracked = new Map<string, { mode: string }>();
  for (const record of output.split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const mode = record.slice(0, record.indexOf(" "));
    const path = record.slice(tab + 1);
    if (!/^[0-7]{6}$/.test(mode) || path === "") continue;
    // A conflicted path has up to three stages; any one says that it is tracked.
    if (!tracked.has(path)) tracked.set(path, { mode });
  }
  return tracked;
}

/** undefined when the root is not inside a git work tree or git cannot be run. */
export function readGitIndex(rootAbs: string): GitIndex | undefined {
  const top = git(rootAbs, ["rev-parse", "--show-toplevel"]);
  if (top === undefined) return undefined;
  const repoRoot = top.toString("utf8").replace(/\r?\n$/, "");
  if (repoRoot === "") return undefined;
  // Run from the root, ls-files lists only what is under it, relative to it.
  const listing = git(rootAbs, ["ls-files", "-s", "-z"]);
  if (listing === undefined) return undefined;
  return { repoRoot, tracked: parseLsFilesStage(listing.toString("utf8")) };
}
