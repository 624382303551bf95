import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { join, sep } from "node:path";
import { fileStart } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";

/** Directories that never hold deployment files but can hold thousands of others. */
const SKIPPED_DIRS = new Set([
  ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache",
  ".pytest_cache", ".ruff_cache", "site-packages", ".idea", ".vscode", "bower_components",
]);

export const MAX_DIRECTORY_DEPTH = 40;
export const MAX_FILES = 200_000;

export interface DiscoveredFiles {
  /** Every regular file under the root (lint-root-relative, forward slashes), sorted. */
  files: string[];
  problems: ParseProblem[];
}

/**
 * Lists the files under the root as the repository holds them: follows symlinks that
 * stay meaningful, reports symlink loops and dangling links instead of hanging on them.
 */
export function discoverFiles(rootAbs: string, maxFiles: number = MAX_FILES): DiscoveredFiles {
  const files: string[] = [];
  const problems: ParseProblem[] = [];
  const visitedDirs = new Set<string>();
  let truncated = false;

  // Real paths of the directories on the current path: a symlink back into one of them is a loop.
  const ancestors: string[] = [];

  const walk = (dirAbs: string, dirRel: string, depth: number): void => {
    let real: string;
    try {
      real = realpathSync(dirAbs);
    } catch {
      return;
    }
    if (ancestors.includes(real)) {
      problems.push({ range: fileStart(dirRel || "."), message: "symlink loop: this directory links back to one that contains it; not followed" });
      return;
    }
    // A second link to a directory already linted (locale aliases, shared config) adds nothing.
    if (visitedDirs.has(real)) return;
    visitedDirs.add(real);
    if (depth > MAX_DIRECTORY_DEPTH) {
      problems.push({ range: fileStart(dirRel), message: `directory nesting deeper than ${MAX_DIRECTORY_DEPTH}; not followed` });
      return;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      problems.push({ range: fileStart(dirRel || "."), message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? "error"})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ancestors.push(real);
    for (const entry of entries) {
      const abs = join(dirAbs, entry.name);
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (files.length >= maxFiles) {
        // Said once, at the first entry left out: the lint covers only the files listed so far.
        if (!truncated) problems.push({ range: fileStart(rel), message: `more than ${maxFiles} files under the root (the file count limit); this and later files are not linted` });
        truncated = true;
        break;
      }
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let linkedDirInsideRoot = false;
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(abs);
          isDir = target.isDirectory();
          isFile = target.isFile();
          if (isDir) linkedDirInsideRoot = isInside(realpathSync(abs), rootReal);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ELOOP") problems.push({ range: fileStart(rel), message: "symlink loop; not followed" });
          else if (isDeploymentFileName(entry.name)) problems.push({ range: fileStart(rel), message: "dangling symlink: its target does not exist" });
          continue;
        }
      }
      if (isDir && isComposeFileName(entry.name)) {
        problems.push({ range: fileStart(rel), message: "a directory, not a file: docker compose cannot read it; not linted" });
        continue;
      }
      if (!isDir && !isFile) {
        // A FIFO, socket or device: reading it could block forever, and no deployment file is one.
        if (isDeploymentFileName(entry.name)) problems.push({ range: fileStart(rel), message: "not a regular file (a FIFO, socket or device); not read" });
        continue;
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (linkedDirInsideRoot) {
          // The directory is linted under its real name; a link back into an ancestor is a loop.
          if (ancestors.includes(realpathSync(abs))) problems.push({ range: fileStart(rel), message: "symlink loop: this link points back to a directory that contains it; not followed" });
          continue;
        }
        if (isVirtualEnv(abs)) continue;
        walk(abs, rel, depth + 1);
      } else if (isFile) {
        files.push(rel);
      }
    }
    ancestors.pop();
  };

  let rootStat;
  let rootReal: string;
  try {
    rootStat = lstatSync(rootAbs);
    rootReal = realpathSync(rootAbs);
  } catch {
    return { files, problems };
  }
  if (rootStat.isDirectory() || rootStat.isSymbolicLink()) walk(rootAbs, "", 0);
  files.sort();
  return { files, problems };
}

/** Names of deployment files: a dangling link by such a name hides one (a dangling template or locale link does not matter). */
function isDeploymentFileName(name: string): boolean {
  return /^((docker-)?compose[^/]*\.ya?ml|Dockerfile.*|.*\.[Dd]ockerfile|\.env.*|.*\.env|.*\.conf|.*\.ini|\.(git|docker)ignore|manage\.py|settings\.py)$/.test(name);
}

/** docker compose's default file names: a directory by such a name hides the stack's file. */
function isComposeFileName(name: string): boolean {
  return /^(docker-)?compose(\.override)?\.ya?ml$/.test(name);
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function isVirtualEnv(dirAbs: string): boolean {
  try {
    return statSync(join(dirAbs, "pyvenv.cfg")).isFile();
  } catch {
    return false;
  }
}
