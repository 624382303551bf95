import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseIndexFile } from "./git-index-file.js";

/**
 * Which files git tracks under the lint root, with their modes: what `git ls-files -s` run in
 * the root lists. We read .git/index ourselves (git-index-file.ts) because spawning git twice
 * (rev-parse, ls-files) and loading node:child_process cost more than the rest of a small
 * lint, and no small, well-kept npm package reads the index. Everything unusual goes to the
 * git binary, which stays the reference: a `.git` symlink, a bare or core.worktree repository,
 * config includes or extensions (SHA-256, per-worktree config), a directory owned by another
 * user (safe.directory), discovery across a mount point, a git environment that changes
 * discovery or the index file, no index yet, and an index with a split or sparse part, an
 * unknown version or corrupt content.
 */

export interface GitIndex {
  /** Absolute path of the repository's work tree. */
  repoRoot: string;
  /** Keyed by path relative to the lint root, forward slashes. Mode: "100644" | "100755" | "120000" (or "160000" for a submodule). */
  tracked: Map<string, { mode: string }>;
}

const GIT_TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
const MAX_INDEX_BYTES = MAX_OUTPUT_BYTES;
/** Set by `git -c`, hooks or the user, these change which repository or index git would read. */
const ENV_NEEDING_GIT = ["GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"];

/** Counts spawns of the git binary, so tests can assert that the direct read spawns none. */
export const gitSpawns = { count: 0 };

function git(rootAbs: string, args: string[]): Buffer | undefined {
  // GIT_DIR / GIT_WORK_TREE (set inside git hooks) would point git at another repository
  // than the one that holds the lint root.
  const env = { ...process.env };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  // Loaded here only: the direct read never needs it, and it pulls in net and streams.
  const { execFileSync } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
  gitSpawns.count++;
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

/** The git binary's answer: the reference, and the fallback for everything unusual. */
export function readGitIndexWithGit(rootAbs: string): GitIndex | undefined {
  const top = git(rootAbs, ["rev-parse", "--show-toplevel"]);
  if (top === undefined) return undefined;
  const repoRoot = top.toString("utf8").replace(/\r?\n$/, "");
  if (repoRoot === "") return undefined;
  // Run from the root, ls-files lists only what is under it, relative to it.
  const listing = git(rootAbs, ["ls-files", "-s", "-z"]);
  if (listing === undefined) return undefined;
  return { repoRoot, tracked: parseLsFilesStage(listing.toString("utf8")) };
}

/** undefined when the root is not inside a git work tree or git cannot be run. */
export function readGitIndex(rootAbs: string): GitIndex | undefined {
  const direct = readGitIndexDirect(rootAbs);
  return direct === "ask-git" ? readGitIndexWithGit(rootAbs) : direct;
}

/** The index read from disk; "ask-git" when the case is unusual, undefined when there is no work tree. */
export function readGitIndexDirect(rootAbs: string): GitIndex | undefined | "ask-git" {
  if (ENV_NEEDING_GIT.some((name) => process.env[name] !== undefined && process.env[name] !== "")) return "ask-git";
  let root: string;
  let rootStat: Stats;
  try {
    root = realpathSync(rootAbs);
    rootStat = statSync(root);
  } catch {
    return undefined; // git -C fails on a missing root too
  }
  if (!rootStat.isDirectory()) return undefined;

  const found = findDotGit(root, rootStat);
  if (found === undefined || found === "ask-git") return found;
  const { workTree, gitDir, dotGitStat, workTreeStat } = found;

  let gitDirStat: Stats;
  try {
    gitDirStat = statSync(gitDir);
    if (!gitDirStat.isDirectory() || !lstatSync(join(gitDir, "HEAD"), { throwIfNoEntry: false })) return "ask-git";
  } catch {
    return "ask-git";
  }
  if (!ownedByUs(dotGitStat) || !ownedByUs(workTreeStat) || !ownedByUs(gitDirStat)) return "ask-git";

  const prefix = relative(workTree, root).split(sep).join("/");
  if (prefix === ".git" || prefix.startsWith(".git/")) return "ask-git"; // inside the git directory: no work tree
  if (configNeedsGit(gitDir, prefix !== "")) return "ask-git";

  let buf: Buffer;
  try {
    const indexFile = join(gitDir, "index");
    const size = statSync(indexFile).size;
    if (size > MAX_INDEX_BYTES) return "ask-git";
    buf = readFileSync(indexFile);
  } catch {
    return "ask-git"; // no index yet (fresh `git init`), unreadable
  }
  const tracked = parseIndexFile(buf, prefix === "" ? "" : `${prefix}/`);
  if (tracked === undefined) return "ask-git";
  return { repoRoot: workTree, tracked };
}

interface DotGit {
  workTree: string;
  gitDir: string;
  dotGitStat: Stats;
  workTreeStat: Stats;
}

/** git's discovery: the nearest `.git` from the root upwards, not crossing a mount point. */
function findDotGit(root: string, rootStat: Stats): DotGit | undefined | "ask-git" {
  let dir = root;
  let dirStat = rootStat;
  let crossedMount = false;
  for (;;) {
    const dotGit = join(dir, ".git");
    const dotGitStat = lstatSync(dotGit, { throwIfNoEntry: false });
    if (dotGitStat !== undefined) {
      // Past a mount point git stops unless told otherwise; a symlinked .git is rare: let git judge.
      if (crossedMount || (!dotGitStat.isDirectory() && !dotGitStat.isFile())) return "ask-git";
      const gitDir = dotGitStat.isDirectory() ? dotGit : readGitFile(dotGit);
      if (gitDir === undefined) return "ask-git";
      return { workTree: dir, gitDir, dotGitStat, workTreeStat: dirStat };
    }
    // A directory that is itself a git directory (bare repository, or the root is inside .git).
    if (lstatSync(join(dir, "HEAD"), { throwIfNoEntry: false }) !== undefined) return "ask-git";
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
    try {
      dirStat = statSync(dir);
    } catch {
      return "ask-git";
    }
    if (dirStat.dev !== rootStat.dev) crossedMount = true;
  }
}

/** A `.git` file (linked worktree, submodule): `gitdir: <path>`, relative to the file's folder. */
function readGitFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const match = /^gitdir: (.+?)\r?\n?$/.exec(text);
  if (!match?.[1]) return undefined;
  const target = match[1];
  return isAbsolute(target) ? target : resolve(dirname(file), target);
}

/** git refuses a repository another user owns unless safe.directory says otherwise: let git decide. */
function ownedByUs(stat: Stats): boolean {
  const uid = process.getuid?.();
  return uid === undefined || stat.uid === uid;
}

/**
 * A cheap text check of the repository's config for what would move the work tree or change how
 * the index is read. A linked worktree's config is its common directory's (`commondir`).
 */
function configNeedsGit(gitDir: string, inSubfolder: boolean): boolean {
  let configDir = gitDir;
  try {
    const common = readFileSync(join(gitDir, "commondir"), "utf8").replace(/\r?\n$/, "");
    configDir = isAbsolute(common) ? common : resolve(gitDir, common);
  } catch {
    // Not a linked worktree.
  }
  let text: string;
  try {
    text = readFileSync(join(configDir, "config"), "utf8");
  } catch {
    return true; // git needs a config to accept the repository
  }
  if (/^\s*\[\s*(include|includeif|extensions)\b/im.test(text)) return true;
  if (/^\s*worktree\s*=/im.test(text)) return true;
  if (isTrue(text, "bare")) return true;
  // Case-insensitive file systems: git matches the root's prefix ignoring case.
  return inSubfolder && isTrue(text, "ignorecase");
}

/** Whether any `<key>` line in the config has a true value (a bare key means true). */
function isTrue(config: string, key: string): boolean {
  const pattern = new RegExp(`^\\s*${key}\\s*(?:=\\s*([^\\s;#]*)|(?=[;#]|$))`, "gim");
  for (const match of config.matchAll(pattern)) {
    const value = (match[1] ?? "true").toLowerCase();
    if (!["false", "no", "off", "0"].includes(value)) return true;
  }
  return false;
}
