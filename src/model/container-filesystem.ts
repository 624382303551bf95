import { posix } from "node:path";
import type { DockerCopy } from "../parsers/dockerfile.js";
import type { DockerIgnoreMatcher } from "../parsers/ignore-rules.js";
import picomatch from "picomatch";
import type { ComposeMount } from "./compose-stack.js";
import type { ImageFileOp } from "./image-file-ops.js";
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
  /** What the stage's RUN instructions do to files (`ln -s`, `cp`, `mv`, `rm`, or writes we do not follow), in order. */
  fileOps?: readonly ImageFileOp[];
}

/** A COPY/ADD or a RUN file operation, in Dockerfile order. */
type ImageEvent = { copy: DockerCopy; op?: undefined } | { op: ImageFileOp; copy?: undefined };

/**
 * Debian's nginx package has these directories, the official nginx image does not: whether
 * `ln -s x /etc/nginx/sites-enabled` links into it or creates a file of that name is unknown.
 */
const MAYBE_DIRECTORIES = new Set(["/etc/nginx/sites-enabled", "/etc/nginx/sites-available"]);

/** Links followed through links at most this deep (a loop gives nothing). */
const MAX_LINK_DEPTH = 8;

/** True when `path` is `pattern` or below it; a pattern with `$` or a glob covers what its literal directory holds. */
function covers(pattern: string, path: string, recursive: boolean): boolean {
  const special = pattern.search(/[*?[$`]/);
  if (special === -1) {
    const p = normalizeContainerPath(pattern);
    return path === p || (recursive && below(path, p) !== undefined);
  }
  if (pattern.includes("$") || pattern.includes("`")) {
    const dir = normalizeContainerPath(pattern.slice(0, special).replace(/\/[^/]*$/, "") || "/");
    return below(path, dir) !== undefined;
  }
  const matches = globMatcher(normalizeContainerPath(pattern));
  // A glob picomatch refuses (over its 65,536-character limit, say) may match anything: unknown, so covered.
  if (matches === undefined) return true;
  if (matches(path)) return true;
  if (!recursive) return false;
  const dirs = path.split("/");
  for (let i = dirs.length - 1; i > 1; i--) if (matches(dirs.slice(0, i).join("/"))) return true;
  return false;
}

/** picomatch's matcher for a glob, compiled once; undefined when picomatch cannot compile it. */
function globMatcher(glob: string): ((path: string) => boolean) | undefined {
  if (globMatchers.has(glob)) return globMatchers.get(glob);
  let matcher: ((path: string) => boolean) | undefined;
  try {
    matcher = picomatch(glob, { dot: true });
  } catch {
    matcher = undefined;
  }
  if (globMatchers.size >= 1000) globMatchers.clear();
  globMatchers.set(glob, matcher);
  return matcher;
}

const globMatchers = new Map<string, ((path: string) => boolean) | undefined>();

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
  /** COPY/ADD and RUN file operations of the image, in Dockerfile order. */
  private readonly events: ImageEvent[];
  private linkDepth = 0;

  constructor(
    readonly service: string,
    mounts: readonly ServiceMount[],
    private readonly image: ImageContent | undefined,
    private readonly repo: RepoTree,
  ) {
    this.mounts = [...mounts].sort((a, b) => normalizeContainerPath(b.target).length - normalizeContainerPath(a.target).length);
    const events: (ImageEvent & { line: number; order: number })[] = [
      ...(image?.copies ?? []).map((copy, order) => ({ copy, line: copy.range.line, order })),
      ...(image?.fileOps ?? []).map((op, order) => ({ op, line: op.line, order: order + 0.5 })),
    ];
    this.events = events.sort((a, b) => a.line - b.line || a.order - b.order).map((e) => (e.copy ? { copy: e.copy } : { op: e.op as ImageFileOp }));
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
    const copied = this.linkDepth < MAX_LINK_DEPTH ? this.fromImage(path) : undefined;
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
    if (this.image && this.events.some((e) => e.op !== undefined)) {
      for (const [containerPath, repoFile] of this.imageFiles()) if (below(containerPath, dir) !== undefined) found.set(containerPath, repoFile);
    } else if (this.image) {
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

  /**
   * Which repository file the image's layers put at a container path, walking the COPY/ADD
   * instructions and RUN file operations before event `before` from the last one back.
   * `repoPath` undefined: the path holds something not from the repository, nothing, or
   * something unknown.
   */
  private fromImage(path: string, before: number = this.events.length): { repoPath: string | undefined; copy: DockerCopy | undefined } | undefined {
    if (!this.image) return undefined;
    for (let i = before - 1; i >= 0; i--) {
      const event = this.events[i] as ImageEvent;
      if (event.op) {
        const hit = this.opEffect(event.op, i, path);
        if (hit !== "untouched") return hit;
        continue;
      }
      const copy = event.copy;
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

  /** What RUN file operation number `index` put at `path`, or "untouched". */
  private opEffect(op: ImageFileOp, index: number, path: string): { repoPath: string | undefined; copy: DockerCopy | undefined } | "untouched" {
    const nothing = { repoPath: undefined, copy: undefined };
    switch (op.kind) {
      case "remove":
        return op.paths.some((p) => covers(p, path, op.recursive)) ? nothing : "untouched";
      case "opaque":
        return op.paths.some((p) => covers(p, path, true)) ? nothing : "untouched";
      default: {
        const source = normalizeContainerPath(op.source);
        if (op.kind === "move" && below(path, source) !== undefined) return nothing;
        const target = this.opTarget(op, index);
        if (target === "unknown") {
          const destination = normalizeContainerPath(op.destination);
          return below(path, destination) !== undefined ? nothing : "untouched";
        }
        const rest = below(path, target);
        if (rest === undefined) return "untouched";
        const from = rest === "" ? source : posix.join(source, rest);
        if (op.kind === "link") {
          // A symbolic link is followed when nginx opens it: through the container as it runs, mounts included.
          if (this.linkDepth >= MAX_LINK_DEPTH) return nothing;
          this.linkDepth++;
          try {
            const repoPath = this.repoPath(from);
            return { repoPath: repoPath !== undefined && this.repo.isFile(repoPath) ? repoPath : undefined, copy: undefined };
          } finally {
            this.linkDepth--;
          }
        }
        if (rest !== "" && !op.recursive) return nothing;
        return this.fromImage(from, index) ?? nothing;
      }
    }
  }

  /** Where a link/copy/move puts its source: into the destination directory or at the destination; "unknown" when that cannot be told. */
  private opTarget(op: Extract<ImageFileOp, { source: string }>, index: number): string | "unknown" {
    const destination = normalizeContainerPath(op.destination);
    const into = posix.join(destination, posix.basename(normalizeContainerPath(op.source)));
    if (op.noTargetDirectory) return destination;
    if (op.intoDirectory) return into;
    if (this.isImageDirectory(destination, index)) return into;
    if (MAYBE_DIRECTORIES.has(destination)) return "unknown";
    return destination;
  }

  /** True when the image certainly has a directory at `path` before event `index`. */
  private isImageDirectory(path: string, index: number): boolean {
    if (BASE_IMAGE_DIRECTORIES.has(path) || (this.image?.directories ?? []).some((d) => normalizeContainerPath(d) === path)) return true;
    for (let i = 0; i < index; i++) {
      const copy = this.events[i]?.copy;
      if (!copy || copy.fromStage !== undefined) continue;
      if (this.copiedFiles(copy).some(([containerPath]) => below(containerPath, path) !== undefined && containerPath !== path)) return true;
    }
    return false;
  }

  /** Container path → repo file of every repository file in the image, RUN file operations applied in order (symbolic links followed). */
  private imageFilesCache: Map<string, string> | undefined;
  private imageFiles(): Map<string, string> {
    if (this.imageFilesCache) return this.imageFilesCache;
    const files = new Map<string, string | { link: string }>();
    this.events.forEach((event, index) => {
      if (event.copy) {
        if (event.copy.fromStage !== undefined) return;
        for (const [containerPath, repoFile] of this.copiedFiles(event.copy)) files.set(containerPath, repoFile);
        return;
      }
      const op = event.op;
      if (op.kind === "remove" || op.kind === "opaque") {
        const recursive = op.kind === "opaque" || op.recursive;
        for (const key of [...files.keys()]) if (op.paths.some((p) => covers(p, key, recursive))) files.delete(key);
        return;
      }
      const source = normalizeContainerPath(op.source);
      const target = this.opTarget(op, index);
      if (target === "unknown") {
        const destination = normalizeContainerPath(op.destination);
        for (const key of [...files.keys()]) if (below(key, destination) !== undefined) files.delete(key);
        if (op.kind === "move") for (const key of [...files.keys()]) if (below(key, source) !== undefined) files.delete(key);
        return;
      }
      for (const key of [...files.keys()]) if (below(key, target) !== undefined) files.delete(key);
      if (op.kind === "link") {
        files.set(target, { link: source });
        return;
      }
      const moved: [string, string | { link: string }][] = [];
      for (const [key, value] of files) {
        const rest = below(key, source);
        if (rest === undefined || (rest !== "" && !op.recursive)) continue;
        moved.push([rest === "" ? target : posix.join(target, rest), value]);
        if (op.kind === "move") files.delete(key);
      }
      for (const [key, value] of moved) files.set(key, value);
    });
    const out = new Map<string, string>();
    for (const [key, value] of files) {
      if (typeof value === "string") {
        out.set(key, value);
        continue;
      }
      // Cached before links are followed: a link into the image asks fromImage, never this map.
      const repoPath = this.repoPath(value.link);
      if (repoPath !== undefined && this.repo.isFile(repoPath)) out.set(key, repoPath);
    }
    this.imageFilesCache = out;
    return out;
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
