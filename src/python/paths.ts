/**
 * POSIX path semantics of Python's `posixpath` (os.path on Linux, where Django runs in
 * production) and `pathlib.PurePosixPath`. Written by hand rather than with node:path
 * because the two differ from Node in details that matter here: os.path.join keeps
 * `..` and duplicate slashes, pathlib keeps `..` but drops `.`, and both keep a leading `//`.
 */

/** os.path.join: an absolute later part discards everything before it; nothing is normalised. */
export function osPathJoin(first: string, ...rest: string[]): string {
  let result = first;
  for (const part of rest) {
    if (part.startsWith("/")) result = part;
    else if (result === "" || result.endsWith("/")) result += part;
    else result += "/" + part;
  }
  return result;
}

/** os.path.split: (head, tail); the head loses trailing slashes unless it is all slashes. */
export function osPathSplit(p: string): [string, string] {
  const i = p.lastIndexOf("/") + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head !== "" && head !== "/".repeat(head.length)) head = head.replace(/\/+$/, "");
  return [head, tail];
}

export function osPathDirname(p: string): string {
  return osPathSplit(p)[0];
}

export function osPathBasename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** os.path.splitext: the extension starts at the last dot of the last component, leading dots excluded. */
export function osPathSplitext(p: string): [string, string] {
  const sep = p.lastIndexOf("/");
  const dot = p.lastIndexOf(".");
  if (dot > sep) {
    let i = sep + 1;
    while (i < dot) {
      if (p[i] !== ".") return [p.slice(0, dot), p.slice(dot)];
      i++;
    }
  }
  return [p, ""];
}

export function isAbsolute(p: string): boolean {
  return p.startsWith("/");
}

/** os.path.normpath: collapses `.`, `..` and duplicate slashes; exactly two leading slashes are kept. */
export function osPathNormpath(p: string): string {
  if (p === "") return ".";
  let initial = p.startsWith("/") ? 1 : 0;
  if (initial === 1 && p.startsWith("//") && !p.startsWith("///")) initial = 2;
  const parts: string[] = [];
  for (const comp of p.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (initial === 0 && parts.length === 0) || (parts.length > 0 && parts[parts.length - 1] === "..")) parts.push(comp);
    else if (parts.length > 0) parts.pop();
  }
  const joined = parts.join("/");
  const result = "/".repeat(initial) + joined;
  return result === "" ? "." : result;
}

/** The text of PurePosixPath(*parts): joined like pathlib, `.` and empty components dropped, `..` kept. */
export function purePath(...parts: string[]): string {
  let root = "";
  let segments: string[] = [];
  for (const part of parts) {
    if (part.startsWith("/")) {
      // pathlib keeps exactly two leading slashes (POSIX leaves `//` implementation-defined).
      root = part.startsWith("//") && !part.startsWith("///") ? "//" : "/";
      segments = [];
    }
    for (const seg of part.split("/")) if (seg !== "" && seg !== ".") segments.push(seg);
  }
  const body = segments.join("/");
  if (root === "" && body === "") return ".";
  return root + body;
}

/** Path.parent: the logical parent; the root and "." are their own parents. */
export function pathParent(p: string): string {
  const { root, segments } = splitPure(p);
  if (segments.length === 0) return root === "" ? "." : root;
  const rest = segments.slice(0, -1).join("/");
  return root === "" && rest === "" ? "." : root + rest;
}

/** Path.parents as a list, nearest first. */
export function pathParents(p: string): string[] {
  const out: string[] = [];
  let cur = p;
  for (;;) {
    const parent = pathParent(cur);
    if (parent === cur) break;
    out.push(parent);
    cur = parent;
  }
  return out;
}

export function pathName(p: string): string {
  const { segments } = splitPure(p);
  return segments[segments.length - 1] ?? "";
}

export function pathSuffix(p: string): string {
  const name = pathName(p);
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot) : "";
}

export function pathStem(p: string): string {
  const name = pathName(p);
  const suffix = pathSuffix(p);
  return suffix === "" ? name : name.slice(0, -suffix.length);
}

/**
 * Path.resolve() of an absolute path: `..` collapsed against its parent. We cannot see
 * the container's symlinks, so the path is taken as already canonical.
 */
export function resolveAbsolute(p: string): string {
  const { root, segments } = splitPure(p);
  const out: string[] = [];
  for (const seg of segments) {
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return (root === "//" ? "//" : "/") + out.join("/");
}

function splitPure(p: string): { root: string; segments: string[] } {
  const normal = purePath(p);
  const root = normal.startsWith("//") ? "//" : normal.startsWith("/") ? "/" : "";
  const body = normal.slice(root.length);
  return { root, segments: body === "" || body === "." ? [] : body.split("/") };
}
