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
  /** Directory → the files at any depth below it; built on first use (rules ask per COPY and mount, per project). */
  private filesByDirectory: Map<string, string[]> | undefined;

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

  private filesByName: Map<string, string[]> | undefined;

  /** Files with this base name anywhere in the repository (`manage.py`), in repository order. */
  filesNamed(name: string): readonly string[] {
    if (!this.filesByName) {
      const index = new Map<string, string[]>();
      for (const file of this.files) {
        const base = file.slice(file.lastIndexOf("/") + 1);
        const list = index.get(base);
        if (list) list.push(file);
        else index.set(base, [file]);
      }
      this.filesByName = index;
    }
    return this.filesByName.get(name) ?? [];
  }

  /** Files at any depth below a directory. */
  filesUnder(dir: string): readonly string[] {
    const d = normalizeRepoPath(dir);
    if (d === ".") return this.files;
    if (!this.filesByDirectory) {
      // Scanning every file per call made a repository of many projects quadratic.
      const index = new Map<string, string[]>();
      for (const file of this.files) {
        for (let slash = file.lastIndexOf("/"); slash > 0; slash = file.lastIndexOf("/", slash - 1)) {
          const ancestor = file.slice(0, slash);
          const list = index.get(ancestor);
          if (list) list.push(file);
          else index.set(ancestor, [file]);
        }
      }
      this.filesByDirectory = index;
    }
    return this.filesByDirectory.get(d) ?? [];
  }
}
