import { posix } from "node:path";

/** Normalises a root-relative path: forward slashes, no `./`, no trailing slash, "." for the root. */
export function normalizeRepoPath(path: string): string {
  const n = posix.normalize(path.replace(/\\/g, "/"));
  const trimmed = n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
  return trimmed === "" ? "." : trimmed;
}

export function joinRepoPath(base: string, rest: string): string {
  return normalizeRepoPath(posix.join(base, rest));
}

/** True when the path stays inside the lint root. */
export function isInsideRepo(path: string): boolean {
  return !path.startsWith("../") && path !== ".." && !path.startsWith("/");
}

/** The repository's files and directories, for existence checks and directory listings. */
export class RepoTree {
  private readonly fileSet: Set<string>;
  private readonly dirSet = new Set<string>(["."]);

  constructor(readonly files: readonly string[]) {
    this.fileSet = new Set(files);
    for (const file of files) {
      let slash = file.lastIndexOf("/");
      while (slash > 0) {
        const dir = file.slice(0, slash);
        if (this.dirSet.has(dir)) break;
        this.dirSet.add(dir);
        slash = dir.lastIndexOf("/");
      }
    }
  }

  isFile(path: string): boolean {
    return this.fileSet.has(normalizeRepoPath(path));
  }

  isDirectory(path: string): boolean {
    return this.dirSet.has(normalizeRepoPath(path));
  }

  exists(path: string): boolean {
    return this.isFile(path) || this.isDirectory(path);
  }

  /** Files at any depth below a directory. */
  filesUnder(dir: string): string[] {
    const d = normalizeRepoPath(dir);
    if (d === ".") return [...this.files];
    const prefix = `${d}/`;
    return this.files.filter((f) => f.startsWith(prefix));
  }
}
