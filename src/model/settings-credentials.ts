import type { SourceRange } from "../core/location.js";
import { valueOrigin, type EnvRead, type SettingValue } from "../python/evaluate.js";
import type { PyValue } from "../python/values.js";
import type { DeploymentModel, DjangoApp } from "./deployment-model.js";
import { isStandInSecret } from "./secret-literals.js";

/**
 * Credentials other than SECRET_KEY written as literals in the settings modules production
 * imports: database passwords, EMAIL_HOST_PASSWORD, JWT signing keys, cloud storage keys —
 * as evaluated values (the literal that made the value) and in commented-out code of those
 * modules (`# 'PASSWORD': 'hunter2',`). Stand-ins (`changeme`, `${DB_PASSWORD}`) and values
 * read from the environment are left out; so are literals in files git does not track.
 */
export interface CredentialLiteral {
  /** How the setting is addressed: `DATABASES['default']['PASSWORD']`, `EMAIL_HOST_PASSWORD`. */
  setting: string;
  /** The credential itself (for masking only: never print it). */
  value: string;
  /** The literal (or, in a comment, the quoted value). */
  range: SourceRange;
  /** The literal is the default of this env read, which nothing provides: production runs with it. */
  defaultOf?: string;
  /** Found in a comment (commented-out code), not in evaluated code. */
  commented?: true;
}

/** Top-level settings whose value is a credential. */
export const CREDENTIAL_SETTINGS: readonly string[] = [
  "EMAIL_HOST_PASSWORD",
  "JWT_SECRET_KEY",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SECRET_KEY",
  "AWS_S3_SECRET_ACCESS_KEY",
  "GS_SECRET_ACCESS_KEY",
  "AZURE_ACCOUNT_KEY",
  "AZURE_CONNECTION_STRING",
];

/** Dict settings with a credential one or two levels down: [setting, key] — `null` for "every entry" (DATABASES aliases). */
const NESTED: readonly { setting: string; alias: boolean; key: string }[] = [
  { setting: "DATABASES", alias: true, key: "PASSWORD" },
  { setting: "SIMPLE_JWT", alias: false, key: "SIGNING_KEY" },
  { setting: "JWT_AUTH", alias: false, key: "JWT_SECRET_KEY" },
];

/** Dict keys that hold a credential, for commented-out code. */
const COMMENT_KEYS = ["PASSWORD", "SIGNING_KEY", "JWT_SECRET_KEY"];

function contains(outer: SourceRange, inner: SourceRange): boolean {
  if (outer.file !== inner.file) return false;
  const starts = outer.line < inner.line || (outer.line === inner.line && outer.column <= inner.column);
  const ends = outer.endLine > inner.endLine || (outer.endLine === inner.endLine && outer.endColumn >= inner.endColumn);
  return starts && ends;
}

function sameRange(a: SourceRange | undefined, b: SourceRange | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
}

/** The secret part of a value: an Azure connection string's AccountKey, else the whole text; undefined when it holds none. */
function secretPart(setting: string, value: string): string | undefined {
  if (setting === "AZURE_CONNECTION_STRING") return /(?:^|;)\s*AccountKey=([^;]+)/i.exec(value)?.[1];
  return value;
}

function dictEntry(value: PyValue, key: string): PyValue | undefined {
  if (value.kind !== "dict") return undefined;
  return value.entries.find((e) => e.key.kind === "str" && e.key.value === key)?.value;
}

function quote(key: string): string {
  return `['${key.replace(/'/g, "\\'")}']`;
}

/** The credentials the settings modules production imports hold as literals (see CredentialLiteral). */
export function credentialLiterals(model: DeploymentModel, app: DjangoApp): CredentialLiteral[] {
  const settings = app.settings;
  const index = model.git.index;
  if (!settings || !index) return [];
  const tracked = (file: string): boolean => file.endsWith(".py") && index.tracked.has(file);
  const out: CredentialLiteral[] = [];
  const seen = new Set<string>();
  // `SIGNING_KEY: SECRET_KEY` hands on SECRET_KEY's value: django/secret-key-in-source reports that literal.
  const secretKey = settings.values.get("SECRET_KEY");
  const secretKeyOrigin = secretKey?.value.kind === "str" ? valueOrigin(secretKey.value) : undefined;

  const consider = (label: string, owner: SettingValue, value: PyValue | undefined, top: string): void => {
    if (value?.kind !== "str") return;
    const secret = secretPart(top, value.value);
    if (secret === undefined || isStandInSecret(secret)) return;
    const origin = valueOrigin(value);
    if (origin === undefined || !tracked(origin.file) || sameRange(origin, secretKeyOrigin)) return;
    const read: EnvRead | undefined = owner.envReads.find((r) => contains(r.range, origin));
    // From the environment (its value is not in the source), or a default production never uses.
    if (read !== undefined && (read.provided || read.unknown !== undefined || !read.hasDefault)) return;
    const key = `${origin.file}:${origin.line}:${origin.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ setting: label, value: secret, range: origin, ...(read ? { defaultOf: read.name } : {}) });
  };

  for (const name of CREDENTIAL_SETTINGS) {
    const owner = settings.values.get(name);
    if (owner) consider(name, owner, owner.value, name);
  }
  for (const { setting, alias, key } of NESTED) {
    const owner = settings.values.get(setting);
    if (!owner) continue;
    if (alias) {
      if (owner.value.kind !== "dict") continue;
      for (const e of owner.value.entries) {
        if (e.key.kind !== "str") continue;
        consider(`${setting}${quote(e.key.value)}${quote(key)}`, owner, dictEntry(e.value, key), setting);
      }
    } else {
      consider(`${setting}${quote(key)}`, owner, dictEntry(owner.value, key), setting);
    }
  }

  for (const { file } of settings.modules) {
    if (!tracked(file)) continue;
    const text = model.sourceText(file);
    if (text === undefined) continue;
    for (const found of commentedCredentials(file, text)) {
      const key = `${found.range.file}:${found.range.line}:${found.range.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(found);
    }
  }
  return out;
}

const STRING = String.raw`(?:"([^"\\\n]*(?:\\.[^"\\\n]*)*)"|'([^'\\\n]*(?:\\.[^'\\\n]*)*)')`;
const ASSIGNED_IN_COMMENT = new RegExp(String.raw`(?:^|[^A-Za-z0-9_.])(${CREDENTIAL_SETTINGS.join("|")})\s*=\s*${STRING}`, "g");
const KEY_IN_COMMENT = new RegExp(String.raw`(["'])(${COMMENT_KEYS.join("|")})\1\s*:\s*${STRING}`, "g");

/**
 * Credentials in commented-out code: full-line `#` comments holding `EMAIL_HOST_PASSWORD = '…'`
 * or a dict entry `'PASSWORD': '…'` (a commented-out DATABASES block). Values as in the code.
 */
export function commentedCredentials(file: string, text: string): CredentialLiteral[] {
  const out: CredentialLiteral[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const hash = /^\s*#/.exec(line);
    if (!hash) return;
    const push = (setting: string, quoted: string, value: string, at: number): void => {
      const secret = secretPart(setting, value);
      if (secret === undefined || isStandInSecret(secret)) return;
      out.push({ setting, value: secret, range: { file, line: i + 1, column: at + 1, endLine: i + 1, endColumn: at + quoted.length + 1 }, commented: true });
    };
    for (const m of line.matchAll(ASSIGNED_IN_COMMENT)) {
      const quoted = (m[0].match(new RegExp(`${STRING}$`)) as RegExpMatchArray)[0];
      const at = (m.index ?? 0) + m[0].length - quoted.length;
      push(m[1] as string, quoted, m[2] ?? m[3] ?? "", at);
    }
    for (const m of line.matchAll(KEY_IN_COMMENT)) {
      const quoted = (m[0].match(new RegExp(`${STRING}$`)) as RegExpMatchArray)[0];
      const at = (m.index ?? 0) + m[0].length - quoted.length;
      push(`'${m[2] as string}'`, quoted, m[3] ?? m[4] ?? "", at);
    }
  });
  return out;
}
