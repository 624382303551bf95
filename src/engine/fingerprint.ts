import { createRequire } from "node:module";
import type { Finding } from "./finding.js";

/**
 * Stable identities for findings, shared by the formats that need one (GitLab Code
 * Quality `fingerprint`, SARIF `partialFingerprints`, baselines). A fingerprint must
 * survive unrelated edits — lines added above a finding, or in the other file a message
 * points at — so it hashes the rule id, the file and the message with every line and
 * column number taken out, plus an occurrence counter that tells apart identical
 * findings in one file (counted in file order).
 */

/**
 * The message without line/column numbers: `compose.yml:12:5` → `compose.yml` for the files the
 * finding names (its own and its related locations: ports such as `web:8000` stay), `line 12` → `line`.
 */
export function messageWithoutLineNumbers(message: string, files: readonly string[] = []): string {
  let text = message;
  // Paths and their base names (messages often say `settings.py:12`), longest first.
  const names = [...new Set(files.flatMap((f) => [f, f.slice(f.lastIndexOf("/") + 1)]))].sort((a, b) => b.length - a.length);
  for (const file of names) {
    if (file === "") continue;
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`(${escaped}):\\d+(?::\\d+)?`, "g"), "$1");
  }
  return text.replace(/\b(lines?|columns?)\s+\d+(?:\s*[-–]\s*\d+)?/gi, "$1");
}

/** The key two findings share when they are "the same problem" apart from where in the file it is. */
function identityKey(finding: Finding): string {
  return `${finding.rule}\0${finding.range.file}\0${messageWithoutLineNumbers(finding.message, [finding.range.file, ...finding.related.map((r) => r.range.file)])}`;
}

/** A hex fingerprint (32 hex digits of SHA-256) for each finding, in input order. */
export function fingerprintFindings(findings: readonly Finding[]): string[] {
  const order = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => a.finding.range.line - b.finding.range.line || a.finding.range.column - b.finding.range.column || a.index - b.index);
  const seen = new Map<string, number>();
  const result: string[] = new Array<string>(findings.length);
  for (const { finding, index } of order) {
    const key = identityKey(finding);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    result[index] = sha256Hex(`${key}\0${occurrence}`).slice(0, 32);
  }
  return result;
}

type Crypto = typeof import("node:crypto");
let crypto: Crypto | undefined;

/** node:crypto loads Node's stream machinery: only the formats and baselines that need fingerprints pay for it. */
function sha256Hex(text: string): string {
  crypto ??= createRequire(import.meta.url)("node:crypto") as Crypto;
  return crypto.createHash("sha256").update(text).digest("hex");
}
