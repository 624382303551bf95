import type { SourceRange } from "../../core/location.js";
import { isSecretName, maskSecret, maskUrlCredentials } from "../../core/secrets.js";
import type { DeploymentModel } from "../../model/deployment-model.js";
import { isEnvFileName } from "../../model/env-files.js";

/**
 * The lines a finding points at, for the page: ±2 lines of context. Never from a file that
 * holds secrets as its purpose (env files, key material, files named like secrets), and in
 * every other file a line that names a secret or carries URL credentials shows no value.
 * When in doubt, no snippet.
 */

export interface SnippetLine {
  number: number;
  text: string;
  /** Inside the finding's range. */
  marked: boolean;
}

const CONTEXT = 2;
const MAX_MARKED = 8;
const MAX_LINE_CHARS = 200;
const LOOK_BACK = 40;
/** Paths whose very name says they hold a secret or a key. */
const SECRET_PATH = /secret|passw|passwd|token|credential|private|\.(pem|key|p12|pfx|pk8|ppk|jks|keystore|crt|cer)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)|(^|\/)\.?(htpasswd|netrc|pgpass|npmrc|pypirc)$/i;

/** Decides per file once: the set of files no snippet may come from. */
export class SnippetSource {
  private readonly forbidden: Set<string>;
  private readonly texts = new Map<string, string[] | undefined>();

  constructor(private readonly model: DeploymentModel) {
    this.forbidden = new Set([...model.envFiles.map((e) => e.file), ...model.keyMaterial().map((k) => k.file)]);
  }

  allowed(file: string): boolean {
    return !this.forbidden.has(file) && !isEnvFileName(file) && !SECRET_PATH.test(file);
  }

  snippet(range: SourceRange): SnippetLine[] | undefined {
    if (!this.allowed(range.file)) return undefined;
    const lines = this.lines(range.file);
    if (!lines) return undefined;
    const first = Math.max(1, range.line - CONTEXT);
    const lastMarked = Math.min(Math.max(range.endLine, range.line), range.line + MAX_MARKED - 1);
    const last = Math.min(lines.length, lastMarked + CONTEXT);
    if (first > lines.length) return undefined;
    // Lines above the snippet may open a multi-line secret value (`KEYS = [`) that runs into it.
    const masked = maskSnippetLines(lines.slice(Math.max(0, first - 1 - LOOK_BACK), last)).slice(-(last - first + 1));
    return masked.map((text, i) => {
      const number = first + i;
      return { number, text: clipLine(text), marked: number >= range.line && number <= lastMarked };
    });
  }

  private lines(file: string): string[] | undefined {
    if (!this.texts.has(file)) {
      const text = this.model.sourceText(file);
      // Binary content is no snippet.
      this.texts.set(file, text === undefined || text.includes("\u0000") || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? undefined : text.split(/\r?\n/));
    }
    return this.texts.get(file);
  }
}

function clipLine(line: string): string {
  return line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS)}…`;
}

/** A word that names a secret: SECRET_KEY, "PASSWORD", --requirepass, masterauth. */
const WORD = /[A-Za-z_][A-Za-z0-9_-]*/g;

function isSecretWord(word: string): boolean {
  const normalized = word.replace(/-/g, "_");
  return isSecretName(normalized) || /(pass|auth)$/i.test(normalized) || /authori[sz]ation|bearer|cookie|api_?key|signature|credential/i.test(normalized);
}

/** A long opaque token (mixed case and digits, no path): masked wherever it stands, whatever names it. */
const OPAQUE_TOKEN = /[A-Za-z0-9+/=_~%-]{20,}/g;

function maskOpaqueTokens(line: string): string {
  return line.replace(OPAQUE_TOKEN, (token) =>
    token.startsWith("/") || !/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token) ? token : maskSecret(token),
  );
}

function bracketBalance(text: string): number {
  let balance = 0;
  for (const c of text) {
    if (c === "[" || c === "(" || c === "{") balance++;
    else if (c === "]" || c === ")" || c === "}") balance--;
  }
  return balance;
}

/**
 * Masks a run of lines in order: each line as maskSnippetLine does, and the continuation lines
 * of a secret whose value spans lines (`KEYS = [` … `]`, a triple-quoted string, a YAML block
 * or a key whose value is on the next, more indented lines) entirely.
 */
export function maskSnippetLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let open: { kind: "brackets"; depth: number } | { kind: "quotes"; quote: string } | { kind: "indent"; indent: number } | undefined;
  for (const line of lines) {
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    if (open?.kind === "indent" && line.trim() !== "" && indent.length <= open.indent) open = undefined;
    if (open) {
      out.push(line.trim() === "" ? line : `${indent}…(masked)`);
      if (open.kind === "brackets") {
        open.depth += bracketBalance(line);
        if (open.depth <= 0) open = undefined;
      } else if (open.kind === "quotes" && line.includes(open.quote)) open = undefined;
      continue;
    }
    out.push(maskSnippetLine(line));
    const secret = secretWordAt(line);
    if (secret === undefined) continue;
    const rest = line.slice(secret).trim();
    const triple = /"""|\'\'\'/.exec(rest)?.[0];
    const balance = bracketBalance(rest);
    if (triple !== undefined && rest.split(triple).length === 2) open = { kind: "quotes", quote: triple };
    else if (balance > 0) open = { kind: "brackets", depth: balance };
    else if (/^["'\]]*\s*[:=]?\s*([|>][-+]?|\\)?\s*$/.test(rest)) open = { kind: "indent", indent: indent.length };
  }
  return out;
}

/** The index just after the first secret-naming word of the line, if any. */
function secretWordAt(line: string): number | undefined {
  for (const match of line.matchAll(WORD)) if (isSecretWord(match[0])) return (match.index ?? 0) + match[0].length;
  return undefined;
}

/**
 * Everything after the first secret-naming word is masked (whatever the syntax: `KEY=v`,
 * `"PASSWORD": "v"`, `ENV KEY v`, `--requirepass v`); URL passwords are masked anywhere.
 */
export function maskSnippetLine(line: string): string {
  const masked = maskOpaqueTokens(maskUrlCredentials(line));
  for (const match of masked.matchAll(WORD)) {
    if (!isSecretWord(match[0])) continue;
    const end = (match.index ?? 0) + match[0].length;
    const head = masked.slice(0, end);
    const rest = masked.slice(end);
    const separator = /^[\s"'\]:=)]*/.exec(rest)?.[0] ?? "";
    const value = rest.slice(separator.length).trimEnd();
    if (value !== "") return `${head}${separator}${maskSecret(value)}`;
    // The name comes last (`"Zk…" # SECRET_KEY`, a YAML key whose value is on the next line): mask the line's text.
    const indent = /^\s*/.exec(masked)?.[0] ?? "";
    return /[=:]/.test(separator) && masked.slice(0, match.index).replace(/["'\s-]/g, "") === "" ? masked : `${indent}${maskSecret(masked.trim())}`;
  }
  return masked;
}
