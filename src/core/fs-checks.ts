import { statSync } from "node:fs";

/** True when the path names a regular file (following symlinks); never throws. */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
