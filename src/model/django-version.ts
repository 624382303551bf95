import type { SourceRange } from "../core/location.js";

/** A Django release line; `patch` when a pin says it. */
export interface DjangoVersion {
  major: number;
  minor: number;
  patch?: number;
}

export type DjangoVersionSource = "cli" | "requirements" | "pyproject" | "pipfile" | "lockfile" | "assumed";

/** Which Django the project runs, and why we think so. */
export interface DjangoVersionChoice {
  version: DjangoVersion;
  source: DjangoVersionSource;
  /** Where the pin was read; undefined for the CLI and for the assumption. */
  range: SourceRange | undefined;
  /** The requirement as written (`Django==4.2.11`, `django = "^5.0"`), for messages. */
  spec: string | undefined;
}

/** The newest Django whose checks and defaults we model: assumed when nothing pins a version. */
export const NEWEST_DJANGO: DjangoVersion = { major: 5, minor: 2 };

export function compareVersions(a: DjangoVersion, b: DjangoVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

/** True when `v` is at least `major.minor`. */
export function atLeast(v: DjangoVersion, major: number, minor: number): boolean {
  return compareVersions(v, { major, minor }) >= 0;
}

export function formatVersion(v: DjangoVersion): string {
  return v.patch === undefined ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}
