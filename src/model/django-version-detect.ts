import {
  parseRequirementsDocument,
  requirementsFileKind,
  type ConstraintSyntax,
  type RequirementPin,
  type RequirementsDocument,
  type RequirementsFileKind,
} from "../parsers/python-requirements.js";
import { compareVersions, NEWEST_DJANGO, type DjangoVersion, type DjangoVersionChoice, type DjangoVersionSource } from "./django-version.js";
import { isInsideRepo, normalizeRepoPath, type RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

export interface DetectOptions {
  /**
   * Folders to prefer (the Django service's build context): a pin there wins over any pin
   * elsewhere, whatever its strength.
   */
  preferDirs?: string[];
  /** The repository's dependency files, when the caller has loaded them already (loadRequirementDocuments). */
  documents?: readonly RequirementsDocument[];
}

/**
 * The Django version a project pins (requirements*.txt and their `-r` includes,
 * pyproject.toml, Pipfile, Pipfile.lock, poetry.lock, uv.lock), or the newest we model when
 * nothing pins it. `--django-version` wins. Among several pins: one in a preferred folder,
 * then one outside docs/test/dev files, then a lock file over an exact pin over a range,
 * then a production-named file, then the shallowest path.
 */
export function detectDjangoVersion(repo: RepoTree, cache: SourceCache, cliOverride?: DjangoVersion, options: DetectOptions = {}): DjangoVersionChoice {
  if (cliOverride) return { version: cliOverride, source: "cli", range: undefined, spec: undefined };
  const candidates = djangoPins(options.documents ?? loadRequirementDocuments(repo, cache));
  const preferDirs = (options.preferDirs ?? []).map(normalizeRepoPath);
  // One linear pass per service: a repository of many projects asks once per Django service.
  // A pin in a preferred folder beats every other (rank() adds 16 to the rest), so look there first.
  const preferred = preferDirs.length === 0 ? candidates : candidates.filter((c) => inPreferredDir(c.doc.file, preferDirs));
  let best: Candidate | undefined;
  let bestRank = Infinity;
  for (const candidate of preferred.length > 0 ? preferred : candidates) {
    const r = rank(candidate, preferDirs);
    if (r < bestRank || (r === bestRank && best !== undefined && compareRest(candidate, best) < 0)) {
      best = candidate;
      bestRank = r;
    }
  }
  if (!best) return { version: NEWEST_DJANGO, source: "assumed", range: undefined, spec: undefined };
  return { version: best.version, source: SOURCE_OF[best.doc.kind], range: best.pin.range, spec: best.pin.spec };
}

const pinsOfDocuments = new WeakMap<readonly RequirementsDocument[], Candidate[]>();

/** Every Django pin of the dependency files with its meaning, worked out once per document list. */
function djangoPins(documents: readonly RequirementsDocument[]): Candidate[] {
  let candidates = pinsOfDocuments.get(documents);
  if (candidates) return candidates;
  candidates = [];
  for (const doc of documents) {
    for (const pin of doc.pins) {
      if (pin.name !== "django") continue;
      const meaning = interpretConstraint(pin.constraint, pin.syntax);
      if (meaning) candidates.push({ doc, pin, ...meaning, fileRank: fileRank(doc.file), depth: doc.file.split("/").length });
    }
  }
  pinsOfDocuments.set(documents, candidates);
  return candidates;
}

interface Candidate {
  doc: RequirementsDocument;
  pin: RequirementPin;
  version: DjangoVersion;
  exact: boolean;
  /** The part of the rank that depends on the file name only. */
  fileRank: number;
  /** Path segments of the file: shallower wins a tie. */
  depth: number;
}

const SOURCE_OF: Record<RequirementsFileKind, DjangoVersionSource> = {
  requirements: "requirements",
  pyproject: "pyproject",
  pipfile: "pipfile",
  "pipfile-lock": "lockfile",
  "poetry-lock": "lockfile",
  "uv-lock": "lockfile",
};

// Files for documentation, tests, linting or local development pin what those need.
const SIDE_FILE = /(^|[/_.-])(docs?|tests?|testing|dev|develop|development|local|lint|ci|tox)([/_.-]|$)/i;
const PRODUCTION_FILE = /(^|[/_.-])(prod|production|deploy|deployment|release)([/_.-]|$)/i;

/** Lower is better: preferred folder, then not a side file, then locked > exact > range, then a production name. */
function rank(c: Candidate, preferDirs: string[]): number {
  const file = c.doc.file;
  const preferred = inPreferredDir(file, preferDirs);
  const strength = c.pin.syntax === "locked" ? 0 : c.exact ? 1 : 2;
  return (preferDirs.length > 0 && !preferred ? 16 : 0) + c.fileRank + strength * 2;
}

function inPreferredDir(file: string, preferDirs: readonly string[]): boolean {
  return preferDirs.some((dir) => dir === "." || file.startsWith(`${dir}/`));
}

function fileRank(file: string): number {
  return (SIDE_FILE.test(file) ? 8 : 0) + (PRODUCTION_FILE.test(file) ? 0 : 1);
}

function compareRest(a: Candidate, b: Candidate): number {
  return (
    a.depth - b.depth ||
    a.doc.file.localeCompare(b.doc.file) ||
    a.pin.range.line - b.pin.range.line
  );
}

/** Every dependency file by name, plus what requirements files include with `-r` / `-c`. */
export function loadRequirementDocuments(repo: RepoTree, cache: SourceCache): RequirementsDocument[] {
  const docs: RequirementsDocument[] = [];
  const seen = new Set<string>();
  const queue: { file: string; kind: RequirementsFileKind }[] = [];
  for (const file of repo.files) {
    const kind = requirementsFileKind(file);
    if (kind) queue.push({ file, kind });
  }
  while (queue.length > 0) {
    const { file, kind } = queue.shift() as { file: string; kind: RequirementsFileKind };
    if (seen.has(file)) continue;
    seen.add(file);
    const doc = cache.parse(`python-requirements`, file, (text) => parseRequirementsDocument(kind, text, file), () => ({
      file,
      kind,
      pins: [],
      includes: [],
      problems: [],
    }));
    docs.push(doc);
    for (const include of doc.includes) {
      // Includes that leave the root or are not in the checkout are not ours to read.
      if (isInsideRepo(include.path) && repo.isFile(include.path)) queue.push({ file: include.path, kind: "requirements" });
    }
  }
  return docs;
}

// ---------------------------------------------------------------------------------------
// Version constraints

/** Django's release lines, oldest first: an upper bound alone means the newest line below it. */
const RELEASE_LINES: DjangoVersion[] = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((minor) => ({ major: 1, minor })),
  ...[0, 1, 2].map((minor) => ({ major: 2, minor })),
  ...[0, 1, 2].map((minor) => ({ major: 3, minor })),
  ...[0, 1, 2].map((minor) => ({ major: 4, minor })),
  ...[0, 1, 2].map((minor) => ({ major: 5, minor })),
].filter((v) => compareVersions(v, NEWEST_DJANGO) <= 0);

interface ParsedVersion {
  /** Numeric release parts (`4.2.11` → [4, 2, 11]), up to the first wildcard. */
  parts: number[];
  wildcard: boolean;
}

function parseVersion(text: string): ParsedVersion | undefined {
  const m = /^v?(\d+)((?:\.\d+)*)(\.\*)?/.exec(text.trim());
  if (!m) return undefined;
  const parts = [Number(m[1]), ...(m[2] ? m[2].slice(1).split(".").map(Number) : [])];
  return { parts, wildcard: m[3] !== undefined };
}

/** The release line of a version (no patch): what a range's lowest bound means. */
function line(v: ParsedVersion): DjangoVersion {
  return { major: v.parts[0] ?? 0, minor: v.parts[1] ?? 0 };
}

function exactVersion(v: ParsedVersion): DjangoVersion {
  return v.parts[2] === undefined ? line(v) : { ...line(v), patch: v.parts[2] };
}

interface Clause {
  op: string;
  version: ParsedVersion;
}

const CLAUSE = /(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*(\*|v?\d[0-9A-Za-z.*+!_-]*)/g;

function clauses(text: string): Clause[] | undefined {
  const out: Clause[] = [];
  const source = text.replace(/,/g, " ");
  CLAUSE.lastIndex = 0;
  let consumed = "";
  for (let m = CLAUSE.exec(source); m; m = CLAUSE.exec(source)) {
    consumed += m[0];
    if (m[2] === "*") continue; // any version
    const version = parseVersion(m[2] as string);
    if (!version) return undefined;
    out.push({ op: m[1] ?? "", version });
  }
  // Anything left over (`latest`, `>=foo`) is a constraint we cannot read.
  if (consumed.replace(/\s+/g, "") !== source.replace(/\s+/g, "")) return undefined;
  return out;
}

/**
 * What a pin means for the Django version: the exact version for `==` and locks; for a
 * range, the lowest release line it allows (`>=4.2,<5` → 4.2, `~=4.2.0` → 4.2, poetry
 * `^4.2` → 4.2); for an upper bound alone, the newest release line below it (what pip
 * would install: `<5` → 4.2). Undefined when any version goes or the text is unreadable.
 */
export function interpretConstraint(constraint: string, syntax: ConstraintSyntax): { version: DjangoVersion; exact: boolean } | undefined {
  if (syntax === "locked") {
    const v = parseVersion(constraint.replace(/^={2,3}/, ""));
    return v ? { version: exactVersion(v), exact: true } : undefined;
  }
  // poetry's `||` alternatives: the lowest of the alternatives' lowest versions.
  const alternatives = syntax === "poetry" ? constraint.split("||") : [constraint];
  const results = alternatives.map((alt) => interpretConjunction(alt, syntax));
  if (results.some((r) => r === undefined)) return undefined;
  const sorted = (results as { version: DjangoVersion; exact: boolean }[]).sort((a, b) => compareVersions(a.version, b.version));
  const first = sorted[0];
  return first && results.length > 1 ? { version: first.version, exact: false } : first;
}

function interpretConjunction(text: string, syntax: ConstraintSyntax): { version: DjangoVersion; exact: boolean } | undefined {
  const parsed = clauses(text);
  if (!parsed || parsed.length === 0) return undefined;
  let lower: DjangoVersion | undefined;
  const uppers: { bound: DjangoVersion; inclusive: boolean }[] = [];
  for (const { op, version } of parsed) {
    // A bare version is exact in poetry (`4.2.1` is `==4.2.1`); PEP 440 requires an operator.
    const exact = (op === "==" || op === "===" || (op === "" && syntax === "poetry") || op === "=") && !version.wildcard;
    if (exact && parsed.length === 1) return { version: exactVersion(version), exact: true };
    switch (op) {
      case "<":
        uppers.push({ bound: exactVersion(version), inclusive: false });
        break;
      case "<=":
        uppers.push({ bound: exactVersion(version), inclusive: true });
        break;
      case "!=":
        break;
      default: {
        // >=, >, ~=, ~, ^, == with a wildcard, a bare version among others: the release line.
        const candidate = line(version);
        if (!lower || compareVersions(candidate, lower) > 0) lower = candidate;
      }
    }
  }
  if (lower) return { version: lower, exact: false };
  if (uppers.length === 0) return undefined; // only exclusions (`!=4.0`): any other version goes
  const allowed = RELEASE_LINES.filter((v) => uppers.every((u) => (u.inclusive ? compareVersions(v, u.bound) <= 0 : compareVersions(v, u.bound) < 0)));
  const newest = allowed[allowed.length - 1];
  return newest ? { version: newest, exact: false } : undefined;
}

/** `--django-version` text: `4.2` or `4.2.11`; undefined when it is not a version. */
export function parseDjangoVersionOption(text: string): DjangoVersion | undefined {
  const m = /^([1-9]\d*)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const version: DjangoVersion = { major: Number(m[1]), minor: Number(m[2]) };
  return m[3] === undefined ? version : { ...version, patch: Number(m[3]) };
}
