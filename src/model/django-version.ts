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

/** The oldest release line whose checks and defaults we model (docs/django-versions.md). */
export const OLDEST_DJANGO: DjangoVersion = { major: 1, minor: 11 };

/** Where `v` falls against the modelled lines: a release outside them is checked as the nearest one. */
export function modelledRange(v: DjangoVersion): "older" | "modelled" | "newer" {
  const line = { major: v.major, minor: v.minor };
  if (compareVersions(line, OLDEST_DJANGO) < 0) return "older";
  return compareVersions(line, NEWEST_DJANGO) > 0 ? "newer" : "modelled";
}

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
