import { posix } from "node:path";
import type { DockerCopy } from "../parsers/dockerfile.js";
import type { DockerIgnoreMatcher } from "../parsers/ignore-rules.js";
import type { ComposeMount } from "./compose-stack.js";
import { isInsideRepo, joinRepoPath, normalizeRepoPath, type RepoTree } from "./repo-tree.js";

/** Where a container path's bytes live. Two containers see the same bytes only through equal storage. */
export type Storage =
  | { kind: "bind"; hostPath: string }
  | { kind: "volume"; volume: string; subpath: string }
  | { kind: "anonymous-volume"; service: string; target: string; subpath: string }
  | { kind: "tmpfs"; service: string; target: string; subpath: string }
  | { kind: "image"; service: string; path: string; repoPath: string | undefined };

export interface StorageResolution {
  storage: Storage;
  /** The compose mount that provides the path, if any. */
  mount: ComposeMount | undefined;
  /** The Dockerfile COPY/ADD that put the path into the image, if any. */
  copy: DockerCopy | undefined;
}

export interface ImageContent {
  /** Build context, root-relative. */
  context: string;
  /** COPY/ADD instructions of the final stage, in order. */
  copies: DockerCopy[];
  dockerignore: DockerIgnoreMatcher | undefined;
  /** Directories the stage creates itself (WORKDIR, `RUN mkdir`): a COPY of a file onto one lands inside it. */
  directories?: readonly string[];
}

/**
 * Directories the usual base images already have (nginx, python, debian): `COPY nginx.conf
 * /etc/nginx/conf.d` puts the file into the directory, as Docker does for an existing one.
 */
const BASE_IMAGE_DIRECTORIES = new Set([
  "/etc", "/etc/nginx", "/etc/nginx/conf.d", "/usr/share/nginx/html", "/docker-entrypoint.d", "/usr/local/bin", "/usr/bin",
  "/bin", "/tmp", "/opt", "/srv", "/home", "/var/www", "/var/www/html", "/etc/uwsgi", "/etc/supervisor/conf.d",
]);

/** A compose mount, possibly inherited through `volumes_from` from the service that owns it. */
export type ServiceMount = ComposeMount & { owner?: string };

/** Normalises an absolute container path (no trailing slash, "/" for the root). */
export function normalizeContainerPath(path: string): string {
  const n = posix.normalize(path.startsWith("/") ? path : `/${path}`);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** `rest` of `path` below `dir`, or undefined when `path` is not `dir` or below it. */
function below(path: string, dir: string): string | undefined {
  if (path === dir) return "";
  if (dir === "/") return path.slice(1);
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
}

/**
 * One service's filesystem as its container sees it: compose mounts over the image's
 * COPY/ADD layers over whatever else the base image holds.
 */
export class ContainerFilesystem {
  /** Mounts sorted longest target first, so the most specific mount wins. */
  private readonly mounts: ServiceMount[];
  /** copiedFiles per COPY, and the container paths of each repo file it copies: path queries ask for the same COPY many times. */
  private readonly copied = new Map<DockerCopy, [string, string][]>();
  private readonly copiedByRepoFile = new Map<DockerCopy, Map<string, string[]>>();

  constructor(
    readonly service: string,
    mounts: readonly ServiceMount[],
    private readonly image: ImageContent | undefined,
    private readonly repo: RepoTree,
  ) {
    this.mounts = [...mounts].sort((a, b) => normalizeContainerPath(b.target).length - normalizeContainerPath(a.target).length);
  }

  resolve(containerPath: string): StorageResolution {
    const path = normalizeContainerPath(containerPath);
    for (const mount of this.mounts) {
      const rest = below(path, normalizeContainerPath(mount.target));
      if (rest === undefined) continue;
      const target = normalizeContainerPath(mount.target);
      switch (mount.type) {
        case "bind":
          return { storage: { kind: "bind", hostPath: joinRepoPath(mount.source ?? ".", rest) }, mount, copy: undefined };
        case "volume":
          return {
            storage: mount.source
              ? { kind: "volume", volume: mount.source, subpath: rest }
              : { kind: "anonymous-volume", service: mount.owner ?? this.service, target, subpath: rest },
            mount,
            copy: undefined,
          };
        case "tmpfs":
          return { storage: { kind: "tmpfs", service: this.service, target, subpath: rest }, mount, copy: undefined };
      }
    }
    const copied = this.fromImage(path);
    return {
      storage: { kind: "image", service: this.service, path, repoPath: copied?.repoPath },
      mount: undefined,
      copy: copied?.copy,
    };
  }

  /** The repository file or directory a container path shows, through a bind mount or a COPY. */
  repoPath(containerPath: string): string | undefined {
    const { storage } = this.resolve(containerPath);
    if (storage.kind === "bind") return isInsideRepo(storage.hostPath) && this.repo.exists(storage.hostPath) ? storage.hostPath : undefined;
    if (storage.kind === "image") return storage.repoPath;
    return undefined;
  }

  /** Repository files visible at or below a container directory, with their container paths. */
  listFiles(containerDir: string): { containerPath: string; repoFile: string }[] {
    const dir = normalizeContainerPath(containerDir);
    const found = new Map<string, string>();
    // Image layers first, then mounts over them (a mount hides what the image has there).
    if (this.image) {
      for (const copy of this.image.copies) {
        if (copy.fromStage !== undefined) continue;
        for (const [containerPath, repoFile] of this.copiedFiles(copy)) {
          if (below(containerPath, dir) !== undefined) found.set(containerPath, repoFile);
        }
      }
    }
    for (const mount of [...this.mounts].reverse()) {
      const target = normalizeContainerPath(mount.target);
      const hidden = below(target, dir) !== undefined || below(dir, target) !== undefined;
      if (!hidden) continue;
      for (const key of [...found.keys()]) if (below(key, target) !== undefined) found.delete(key);
      if (mount.type !== "bind" || !mount.source || !isInsideRepo(normalizeRepoPath(mount.source))) continue;
      const source = normalizeRepoPath(mount.source);
      if (this.repo.isFile(source)) {
        if (below(target, dir) !== undefined) found.set(target, source);
        continue;
      }
      for (const file of this.repo.filesUnder(source)) {
        const rel = source === "." ? file : file.slice(source.length + 1);
        const containerPath = posix.join(target, rel);
        if (below(containerPath, dir) !== undefined) found.set(containerPath, file);
      }
    }
    return [...found.entries()]
      .map(([containerPath, repoFile]) => ({ containerPath, repoFile }))
      .sort((a, b) => (a.containerPath < b.containerPath ? -1 : a.containerPath > b.containerPath ? 1 : 0));
  }

  /**
   * The COPY/ADD of the final stage that puts a build-context file into the image — whether or
   * not the checkout has the file (a git-ignored `.env` exists on the build machine) — unless
   * .dockerignore excludes it. Glob sources are not judged. `viaDirectoryOnly`: only a COPY of a
   * folder that sweeps the file along, not one that names it.
   */
  copyOf(repoFile: string, options: { viaDirectoryOnly?: boolean } = {}): DockerCopy | undefined {
    if (!this.image) return undefined;
    const file = normalizeRepoPath(repoFile);
    for (const copy of this.image.copies) {
      if (copy.fromStage !== undefined) continue;
      for (const source of copy.sources) {
        if (/[*?[]/.test(source.value) || source.value.startsWith("<<")) continue;
        const sourceRepo = joinRepoPath(this.image.context, source.value);
        const named = sourceRepo === file && !options.viaDirectoryOnly;
        const inside = named || (this.repo.isDirectory(sourceRepo) && (sourceRepo === "." || below(file, sourceRepo) !== undefined));
        if (inside && !this.isDockerIgnored(file)) return copy;
      }
    }
    return undefined;
  }

  /** The container path where a repository file appears (bind mounts first, then COPY), if anywhere. */
  runtimePath(repoFile: string): string | undefined {
    const file = normalizeRepoPath(repoFile);
    if (!this.reachableRoots().some((root) => root === "." || file === root || file.startsWith(`${root}/`))) return undefined;
    for (const mount of this.mounts) {
      if (mount.type !== "bind" || !mount.source) continue;
      const source = normalizeRepoPath(mount.source);
      const rest = source === "." ? file : below(file, source);
      if (rest === undefined) continue;
      const candidate = posix.join(normalizeContainerPath(mount.target), rest);
      // Only if no more specific mount hides it.
      const { storage } = this.resolve(candidate);
      if (storage.kind === "bind" && storage.hostPath === file) return candidate;
    }
    if (this.image) {
      for (const copy of [...this.image.copies].reverse()) {
        if (copy.fromStage !== undefined) continue;
        for (const containerPath of this.containerPathsOfCopiedFile(copy, file)) {
          if (this.resolve(containerPath).storage.kind === "image") return containerPath;
        }
      }
    }
    return undefined;
  }

  /** Which repository file the image's layers put at a container path. */
  private fromImage(path: string): { repoPath: string | undefined; copy: DockerCopy } | undefined {
    if (!this.image) return undefined;
    for (const copy of [...this.image.copies].reverse()) {
      const dest = normalizeContainerPath(copy.destinationAbs);
      if (copy.fromStage !== undefined) {
        // Built by another stage (collectstatic in a builder, say): in the image, not in the repository.
        if (below(path, dest) !== undefined) return { repoPath: undefined, copy };
        continue;
      }
      const destIsDir = this.copiesIntoDirectory(copy);
      for (const source of copy.sources) {
        const sourceRepo = joinRepoPath(this.image.context, source.value);
        if (/[*?[]/.test(source.value)) continue;
        if (this.repo.isDirectory(sourceRepo)) {
          // COPY dir/ /dest/ copies the directory's contents into /dest.
          const rest = below(path, dest);
          if (rest === undefined) continue;
          const repoPath = joinRepoPath(sourceRepo, rest);
          if (rest === "" || (this.repo.exists(repoPath) && !this.isDockerIgnored(repoPath))) return { repoPath, copy };
        } else if (this.repo.isFile(sourceRepo)) {
          const target = destIsDir ? posix.join(dest, posix.basename(sourceRepo)) : dest;
          if (target === path && !this.isDockerIgnored(sourceRepo)) return { repoPath: sourceRepo, copy };
        }
      }
    }
    return undefined;
  }

  /** Docker copies into the destination when it ends in `/`, when there are several sources, or when it already is a directory. */
  private copiesIntoDirectory(copy: DockerCopy): boolean {
    if (copy.destinationAbs.endsWith("/") || copy.sources.length > 1) return true;
    const dest = normalizeContainerPath(copy.destinationAbs);
    return BASE_IMAGE_DIRECTORIES.has(dest) || (this.image?.directories ?? []).some((d) => normalizeContainerPath(d) === dest);
  }

  private isDockerIgnored(repoPath: string): boolean {
    if (!this.image?.dockerignore) return false;
    const context = normalizeRepoPath(this.image.context);
    const inContext = context === "." ? repoPath : below(repoPath, context);
    return inContext !== undefined && inContext !== "" && this.image.dockerignore.check(inContext).ignored;
  }

  private roots: string[] | undefined;

  /** Repository paths a bind mount or a COPY source takes files from: nothing outside them is in the container (a fast path for asking about every manage.py of a big repository). */
  private reachableRoots(): string[] {
    if (!this.roots) {
      const roots: string[] = [];
      for (const mount of this.mounts) if (mount.type === "bind" && mount.source) roots.push(normalizeRepoPath(mount.source));
      for (const copy of this.image?.copies ?? []) {
        if (copy.fromStage !== undefined || !this.image) continue;
        for (const source of copy.sources) roots.push(joinRepoPath(this.image.context, source.value));
      }
      this.roots = roots;
    }
    return this.roots;
  }

  private containerPathsOfCopiedFile(copy: DockerCopy, repoFile: string): readonly string[] {
    let index = this.copiedByRepoFile.get(copy);
    if (!index) {
      index = new Map();
      for (const [containerPath, file] of this.copiedFiles(copy)) {
        const paths = index.get(file);
        if (paths) paths.push(containerPath);
        else index.set(file, [containerPath]);
      }
      this.copiedByRepoFile.set(copy, index);
    }
    return index.get(repoFile) ?? [];
  }

  /** Container path → repo file for every repository file one COPY puts into the image. */
  private copiedFiles(copy: DockerCopy): [string, string][] {
    if (!this.image) return [];
    const cached = this.copied.get(copy);
    if (cached) return cached;
    const out: [string, string][] = [];
    this.copied.set(copy, out);
    const dest = normalizeContainerPath(copy.destinationAbs);
    const destIsDir = this.copiesIntoDirectory(copy);
    for (const source of copy.sources) {
      if (/[*?[]/.test(source.value)) continue;
      const sourceRepo = joinRepoPath(this.image.context, source.value);
      if (this.repo.isDirectory(sourceRepo)) {
        for (const file of this.repo.filesUnder(sourceRepo)) {
          if (this.isDockerIgnored(file)) continue;
          const rel = sourceRepo === "." ? file : file.slice(sourceRepo.length + 1);
          out.push([posix.join(dest, rel), file]);
        }
      } else if (this.repo.isFile(sourceRepo) && !this.isDockerIgnored(sourceRepo)) {
        out.push([destIsDir ? posix.join(dest, posix.basename(sourceRepo)) : dest, sourceRepo]);
      }
    }
    return out;
  }
}

export function sameStorage(a: Storage, b: Storage): boolean {
  switch (a.kind) {
    case "bind":
      return b.kind === "bind" && a.hostPath === b.hostPath;
    case "volume":
      return b.kind === "volume" && a.volume === b.volume && a.subpath === b.subpath;
    case "anonymous-volume":
    case "tmpfs":
      return b.kind === a.kind && a.service === b.service && a.target === b.target && a.subpath === b.subpath;
    case "image":
      return b.kind === "image" && a.service === b.service && a.path === b.path;
  }
}

/** Human description for messages: where the bytes at a container path live. */
export function describeStorage(s: Storage): string {
  switch (s.kind) {
    case "bind":
      return s.hostPath === "." ? "the repository root (bind mount)" : `./${s.hostPath} (bind mount)`;
    case "volume":
      return `named volume '${s.volume}'${s.subpath ? ` at ${s.subpath}` : ""}`;
    case "anonymous-volume":
      return `an anonymous volume of service '${s.service}'`;
    case "tmpfs":
      return `a tmpfs of service '${s.service}'`;
    case "image":
      return `the image filesystem of service '${s.service}'`;
  }
}
