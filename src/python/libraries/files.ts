import { osPathNormpath } from "../paths.js";

/** A file as the running container sees it: the repository file it comes from, and its text. */
export interface RuntimeFile {
  file: string; // repo-relative
  text: string;
}

/**
 * What `PythonSourceHost.readRuntimeFile` answers: the file; `{ unknown }` when the path may
 * hold a file whose content is not in the repository (a bind mount of an untracked .env, a
 * volume); undefined when the container has no file there.
 */
export type RuntimeFileResult = RuntimeFile | { unknown: string } | undefined;

export function isRuntimeFile(r: RuntimeFileResult): r is RuntimeFile {
  return r !== undefined && "text" in r;
}

/** The path the OS would open: `..` and `.` collapsed (symlinks are the host's business). */
export function normaliseRuntimePath(p: string): string {
  return osPathNormpath(p);
}
