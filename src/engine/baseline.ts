import { readFileSync, writeFileSync } from "node:fs";
import { jsonErrorReason } from "../core/json-error.js";
import type { Finding } from "./finding.js";
import { fingerprintFindings } from "./fingerprint.js";

/**
 * Baselines let a project adopt the linter with findings it already has: `--write-baseline FILE`
 * records today's findings by fingerprint (src/engine/fingerprint.ts — stable when lines move),
 * `--baseline FILE` hides exactly those and reports only new ones.
 *
 * The file is JSON meant to be committed and reviewed, so each entry also carries the rule, file
 * and message (messages never hold secret values) — only `fingerprint` is used for matching.
 */
export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  message: string;
}

export interface BaselineFile {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  tool: { name: string; version: string };
  findings: BaselineEntry[];
}

/** A baseline file that cannot be used: the CLI turns it into a usage error (exit 2). */
export class BaselineError extends Error {}

export function baselineOf(findings: readonly Finding[], tool: { name: string; version: string }): BaselineFile {
  const fingerprints = fingerprintFindings(findings);
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    tool,
    findings: findings.map((f, i) => ({ fingerprint: fingerprints[i] as string, rule: f.rule, file: f.range.file, message: f.message })),
  };
}

export function writeBaseline(path: string, baseline: BaselineFile): void {
  try {
    writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new BaselineError(`cannot write baseline '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Reads a baseline written by `--write-baseline`; throws BaselineError saying what is wrong with it. */
export function readBaseline(path: string): BaselineFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new BaselineError(`cannot read baseline '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`baseline '${path}' is not valid JSON (${jsonErrorReason((error as Error).message)}); rewrite it with --write-baseline`);
  }
  const problem = shapeProblem(data);
  if (problem) throw new BaselineError(`baseline '${path}' ${problem}; rewrite it with --write-baseline`);
  return data as BaselineFile;
}

// Hand-checked rather than through ajv: three fields, and the baseline path runs on every CI lint.
function shapeProblem(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "is not a JSON object";
  const record = data as Record<string, unknown>;
  if (record.schemaVersion !== BASELINE_SCHEMA_VERSION) {
    return `has schemaVersion ${JSON.stringify(record.schemaVersion)}, expected ${BASELINE_SCHEMA_VERSION}`;
  }
  if (!Array.isArray(record.findings)) return "has no `findings` array";
  const bad = record.findings.findIndex(
    (entry: unknown) => typeof entry !== "object" || entry === null || typeof (entry as Record<string, unknown>).fingerprint !== "string",
  );
  if (bad >= 0) return `has an entry without a string \`fingerprint\` at findings[${bad}]`;
  return undefined;
}

export interface BaselineResult {
  /** Findings the baseline does not hold: the new ones. */
  findings: Finding[];
  /** How many findings the baseline hid. */
  hidden: number;
  /** Baseline entries no finding matches any more (fixed, or changed beyond recognition). */
  stale: number;
}

export function applyBaseline(findings: readonly Finding[], baseline: BaselineFile): BaselineResult {
  const known = new Set(baseline.findings.map((entry) => entry.fingerprint));
  const fingerprints = fingerprintFindings(findings);
  const kept: Finding[] = [];
  const matched = new Set<string>();
  findings.forEach((finding, i) => {
    const fingerprint = fingerprints[i] as string;
    if (known.has(fingerprint)) matched.add(fingerprint);
    else kept.push(finding);
  });
  return { findings: kept, hidden: findings.length - kept.length, stale: known.size - matched.size };
}
