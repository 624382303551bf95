import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
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
export function discoverFiles(rootAbs: string): DiscoveredFiles {
  const files: string[] = [];
  const problems: ParseProblem[] = [];
  const visitedDirs = new Set<string>();

  const walk = (dirAbs: string, dirRel: string, depth: number): void => {
    let real: string;
    try {
      real = realpathSync(dirAbs);
    } catch {
      return;
    }
    if (visitedDirs.has(real)) {
      problems.push({ range: fileStart(dirRel || "."), message: "symlink loop: this directory was already visited; not followed" });
      return;
    }
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
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      const abs = join(dirAbs, entry.name);
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(abs);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          problems.push({
            range: fileStart(rel),
            message: code === "ELOOP" ? "symlink loop; not followed" : "dangling symlink: its target does not exist",
          });
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (isVirtualEnv(abs)) continue;
        walk(abs, rel, depth + 1);
      } else if (isFile) {
        files.push(rel);
      }
    }
  };

  let rootStat;
  try {
    rootStat = lstatSync(rootAbs);
  } catch {
    return { files, problems };
  }
  if (rootStat.isDirectory() || rootStat.isSymbolicLink()) walk(rootAbs, "", 0);
  files.sort();
  return { files, problems };
}

function isVirtualEnv(dirAbs: string): boolean {
  try {
    return statSync(join(dirAbs, "pyvenv.cfg")).isFile();
  } catch {
    return false;
  }
}
