import type { SourceRange } from "../core/location.js";
import { valueOrigin } from "../python/evaluate.js";
import type { PyValue } from "../python/values.js";
import type { DeploymentModel, DjangoApp } from "./deployment-model.js";
import { ALL_CACHE_KEYS, ALL_DATABASE_KEYS, ALL_DJANGO_SETTING_NAMES, cacheKeys, databaseKeys, djangoSettingNames } from "./django-setting-names.js";

/**
 * Settings Django ignores because they are misspelt: an upper-case module-level name of the
 * production settings, or a key of a DATABASES / CACHES entry, that no Django release reads
 * but that is one or two edits away from a name the pinned release does read. A name the
 * project itself reads anywhere (`settings.X`, `getattr(settings, "X")`, another setting
 * built from it) is a custom setting, not a typo, and is left out.
 */
export interface MisspeltSetting {
  /** `SECURE_HSTS_SECOND`, or `DATABASES['default']['HOTS']`. */
  written: string;
  /** The name or key as written. */
  name: string;
  /** Django's name it is closest to. */
  suggestion: string;
  /** `setting` for a module-level name, `DATABASES` / `CACHES` for a key of one of their entries. */
  where: "setting" | "DATABASES" | "CACHES";
  range: SourceRange;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[i - 1] as number[])[j]! + 1, (d[i] as number[])[j - 1]! + 1, (d[i - 1] as number[])[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[i - 2] as number[])[j - 2]! + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length]!;
}

/** The closest real name within a small distance: one edit (two for names of 12 characters and more); case differences count as one. */
export function closestName(name: string, real: Iterable<string>): string | undefined {
  const limit = name.length >= 12 ? 2 : name.length >= 4 ? 1 : 0;
  let best: { name: string; distance: number } | undefined;
  const upper = name.toUpperCase();
  for (const candidate of real) {
    if (candidate === name) return undefined;
    // Lengths further apart than the limit cannot be within it: skip the distance table (hundreds of names per setting).
    if (Math.abs(candidate.length - name.length) > Math.max(limit, 1)) continue;
    const distance = candidate.toUpperCase() === upper ? 1 : editDistance(name, candidate);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

const UPPER = /^[A-Z][A-Z0-9_]*$/;
const TEXT_FILE = /\.(py|html|txt|jinja2?|j2)$/i;
const MAX_READ_FILES = 20_000;

const TEXTS = new WeakMap<DeploymentModel, { file: string; text: string }[]>();

/** The repository's Python and template texts, read once per model and only when a rule asks. */
function codeTexts(model: DeploymentModel): { file: string; text: string }[] {
  let texts = TEXTS.get(model);
  if (!texts) {
    texts = [];
    for (const file of model.files) {
      if (!TEXT_FILE.test(file)) continue;
      if (texts.length >= MAX_READ_FILES) break;
      const text = model.sourceText(file);
      if (text !== undefined) texts.push({ file, text });
    }
    TEXTS.set(model, texts);
  }
  return texts;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `name` appears anywhere in the repository's code or templates other than where it is
 * defined: a module-level assignment `NAME = …` (`NAME: T = …`) or a dict key `"NAME": …`, and the
 * rest of such a line (`X = os.environ.get("X")` reads the environment, not the setting).
 */
export function projectReads(model: DeploymentModel, name: string): boolean {
  const word = new RegExp(`(?<![A-Za-z0-9_])${escape(name)}(?![A-Za-z0-9_])`);
  const definition = new RegExp(`^\\s*${escape(name)}\\s*(:[^=\\n]*)?=(?!=)|(["'])${escape(name)}\\2\\s*:`);
  for (const { text } of codeTexts(model)) {
    if (!word.test(text)) continue;
    for (const line of text.split(/\r\n|\n|\r/)) {
      if (word.test(line) && !definition.test(line)) return true;
    }
  }
  return false;
}

function entries(value: PyValue): { key: string; keyValue: PyValue; value: PyValue }[] {
  if (value.kind !== "dict") return [];
  return value.entries.flatMap((e) => (e.key.kind === "str" ? [{ key: e.key.value, keyValue: e.key, value: e.value }] : []));
}

/** The misspelt settings of a Django app's production settings (see MisspeltSetting). */
export function misspeltSettings(model: DeploymentModel, app: DjangoApp): MisspeltSetting[] {
  const settings = app.settings;
  if (!settings) return [];
  const version = app.version.version;
  const out: MisspeltSetting[] = [];
  const names = djangoSettingNames(version);
  for (const [name, setting] of settings.values) {
    if (!UPPER.test(name) || ALL_DJANGO_SETTING_NAMES.has(name)) continue;
    const suggestion = closestName(name, names);
    if (suggestion === undefined || projectReads(model, name)) continue;
    out.push({ written: name, name, suggestion, where: "setting", range: setting.range });
  }
  for (const [setting, all, real] of [
    ["DATABASES", ALL_DATABASE_KEYS, databaseKeys(version)],
    ["CACHES", ALL_CACHE_KEYS, cacheKeys(version)],
  ] as const) {
    const value = settings.values.get(setting)?.value;
    if (!value) continue;
    for (const alias of entries(value)) {
      for (const key of entries(alias.value)) {
        if (all.has(key.key)) continue;
        const suggestion = closestName(key.key, real);
        const range = valueOrigin(key.keyValue);
        if (suggestion === undefined || range === undefined || projectReads(model, key.key)) continue;
        out.push({ written: `${setting}['${alias.key}']['${key.key}']`, name: key.key, suggestion, where: setting, range });
      }
    }
  }
  return out;
}
