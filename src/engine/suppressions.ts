import type { SourceRange } from "../core/location.js";
import type { Finding } from "./finding.js";

/**
 * Inline suppressions: `# django-prod-lint: disable=<rule>[,<rule>…] -- reason` at the end of a line
 * (that line), on a line of its own (the next line that is not itself a directive), and
 * `disable-file=…` (the whole file). Parsed from the texts the lint read; applied to the findings
 * before every other filter; directives that suppress nothing are reported as lint/unused-suppression.
 */

export const UNUSED_SUPPRESSION_RULE = "lint/unused-suppression";
const TAG = "django-prod-lint:";

export interface SuppressionEntry {
  /** As written, trimmed (`deploy`, `deploy/static-alias`, `deploy/`). */
  pattern: string;
  range: SourceRange;
}

export interface Directive {
  kind: "line" | "file";
  /** The line a `line` directive suppresses findings on (its own line, or the next code line). */
  target: number;
  /** The line the directive is written on. */
  line: number;
  entries: SuppressionEntry[];
  reason: string | undefined;
}

/** Something wrong with a directive that is not about its rules: reported at `range`. */
export interface DirectiveProblem {
  range: SourceRange;
  message: string;
}

export interface ParsedDirectives {
  directives: Directive[];
  problems: DirectiveProblem[];
}

/** Files whose syntax knows comments only at the start of a line: a trailing `# …` is part of the value there. */
const LINE_START_COMMENTS: { test: RegExp; kind: string }[] = [
  { test: /(^|\/)(Dockerfile[^/]*|[^/]+\.[Dd]ockerfile)$/, kind: "a Dockerfile" },
  { test: /(^|\/)\.(git|docker)ignore$|\.dockerignore$/, kind: "an ignore file" },
  { test: /\.ini$/, kind: "an ini file" },
  { test: /\.(service|socket|timer|mount|path|target)$/, kind: "a systemd unit" },
];
/** ini and systemd unit files also start comments with `;`. */
const SEMICOLON_COMMENTS = /\.(ini|service|socket|timer|mount|path|target)$/;

interface Located {
  /** Index of the first comment-marker character. */
  markerStart: number;
  /** Index of `django-prod-lint:`. */
  tagStart: number;
}

/** The directive comment on a line: the tag right after a comment marker that starts the line or follows whitespace. */
function locateDirective(line: string, markers: string): Located | undefined {
  for (let tagStart = line.indexOf(TAG); tagStart >= 0; tagStart = line.indexOf(TAG, tagStart + 1)) {
    let end = tagStart;
    while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
    let markerStart = end;
    while (markerStart > 0 && markers.includes(line[markerStart - 1] ?? "")) markerStart--;
    if (markerStart === end) continue;
    if (markerStart === 0 || /\s/.test(line[markerStart - 1] ?? "")) return { markerStart, tagStart };
  }
  return undefined;
}

const KEYWORD = /^(\s*)([A-Za-z][A-Za-z_-]*)(\s*)=/;
const ENTRY_SHAPE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/?$/;

/** Every directive in one file's text, with the problems of malformed ones. Never throws. */
export function parseDirectives(file: string, text: string): ParsedDirectives {
  const out: ParsedDirectives = { directives: [], problems: [] };
  if (!text.includes(TAG)) return out;
  const markers = SEMICOLON_COMMENTS.test(file) ? "#;" : "#";
  const lineStartOnly = LINE_START_COMMENTS.find((k) => k.test.test(file))?.kind;
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const found = lines.map((line) => (line.includes(TAG) ? locateDirective(line, markers) : undefined));
  const ownLine = (i: number): boolean => {
    const at = found[i];
    return at !== undefined && (lines[i] ?? "").slice(0, at.markerStart).trim() === "";
  };
  const range = (line: number, start: number, end: number): SourceRange => ({ file, line: line + 1, column: start + 1, endLine: line + 1, endColumn: end + 1 });

  for (let i = 0; i < lines.length; i++) {
    const at = found[i];
    if (!at) continue;
    const line = lines[i] ?? "";
    const bodyStart = at.tagStart + TAG.length;
    const dashes = line.indexOf("--", bodyStart);
    const bodyEnd = dashes >= 0 ? dashes : line.length;
    const body = line.slice(bodyStart, bodyEnd);
    const reason = dashes >= 0 ? line.slice(dashes + 2).trim() || undefined : undefined;
    const directiveEnd = bodyStart + body.trimEnd().length;
    const whole = range(i, at.tagStart, directiveEnd);
    if (lineStartOnly !== undefined && !ownLine(i)) {
      out.problems.push({
        range: whole,
        message: `a comment starts only at the beginning of a line in ${lineStartOnly}, so this directive is part of the line's value and suppresses nothing; put it on a line of its own above`,
      });
      continue;
    }
    const keyword = KEYWORD.exec(body);
    const kind = keyword?.[2] === "disable" ? "line" : keyword?.[2] === "disable-file" ? "file" : undefined;
    if (!keyword || kind === undefined) {
      const got = body.trim() === "" ? "nothing" : `\`${body.trim()}\``;
      const guess = keyword?.[2] !== undefined ? closest(keyword[2], ["disable", "disable-file"], 3) : undefined;
      out.problems.push({
        range: whole,
        message: `malformed suppression: expected \`django-prod-lint: disable=<rule>[,<rule>…]\` or \`disable-file=<rule>[,…]\` after the tag, got ${got}${guess ? `; did you mean \`${guess}\`?` : ""}`,
      });
      continue;
    }
    const listStart = bodyStart + keyword[0].length;
    const entries: SuppressionEntry[] = [];
    let offset = listStart;
    let malformedEntry = false;
    for (const piece of line.slice(listStart, bodyEnd).split(",")) {
      const pattern = piece.trim();
      const start = offset + (piece.length - piece.trimStart().length);
      offset += piece.length + 1;
      if (pattern === "") continue;
      const entryRange = range(i, start, start + pattern.length);
      if (!ENTRY_SHAPE.test(pattern)) {
        malformedEntry = true;
        out.problems.push({ range: entryRange, message: `malformed rule entry \`${pattern}\`: name rule ids or families separated by commas (\`disable=deploy/static-alias,compose\`)` });
        continue;
      }
      entries.push({ pattern, range: entryRange });
    }
    if (entries.length === 0 && !malformedEntry) {
      out.problems.push({
        range: whole,
        message: `empty rule list: name the rules to suppress, e.g. \`django-prod-lint: ${keyword[2]}=deploy/static-alias -- reason\``,
      });
      continue;
    }
    let target = i;
    if (kind === "line" && ownLine(i)) {
      target = i + 1;
      while (target < lines.length && ownLine(target)) target++;
    }
    out.directives.push({ kind, line: i + 1, target: target + 1, entries, reason });
  }
  return out;
}

/** `deploy`, `deploy/` and `deploy/static-alias` all cover `deploy/static-alias` (as --select does). */
export function patternCovers(pattern: string, ruleId: string): boolean {
  const p = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  return ruleId === p || ruleId.startsWith(`${p}/`);
}

export interface SuppressionContext {
  /** Every known rule id: entries naming none are reported as unknown. */
  ruleIds: readonly string[];
  /** Whether a rule ran to the end: an entry naming a rule that did not run is never "unused". */
  ran: (ruleId: string) => boolean;
}

export interface SuppressionResult {
  /** Findings no directive suppressed. */
  kept: Finding[];
  suppressed: Finding[];
  /** Unused, unknown, duplicate and malformed directive entries: the lint/unused-suppression findings (before selection). */
  problems: DirectiveProblem[];
}

interface EntryState {
  entry: SuppressionEntry;
  directive: Directive;
  /** Rules it names (without lint/unused-suppression for line directives: those cannot suppress it). */
  rules: string[];
  used: boolean;
}

/**
 * Drops the findings the directives suppress and reports the directives' own problems.
 * `files` are the texts to scan (the caller keeps only those containing the tag).
 */
export function applySuppressions(findings: readonly Finding[], files: readonly { file: string; text: string }[], context: SuppressionContext): SuppressionResult {
  const problems: DirectiveProblem[] = [];
  const byFile = new Map<string, EntryState[]>();
  for (const { file, text } of files) {
    const parsed = parseDirectives(file, text);
    problems.push(...parsed.problems);
    const states: EntryState[] = [];
    for (const directive of parsed.directives) states.push(...checkEntries(directive, context, problems));
    if (states.length > 0) byFile.set(file, states);
  }

  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of findings) {
    const states = byFile.get(finding.range.file) ?? [];
    const matching = states.filter((s) => appliesTo(s, finding.rule, finding.range.line));
    for (const s of matching) s.used = true;
    (matching.length > 0 ? suppressed : kept).push(finding);
  }

  for (const states of byFile.values()) {
    for (const s of states) {
      if (s.used || s.rules.length === 0 || !s.rules.every(context.ran)) continue;
      const { directive, entry } = s;
      const others = directive.entries.length > 1;
      problems.push({
        range: entry.range,
        message:
          directive.kind === "file"
            ? `\`${entry.pattern}\` is disabled for this file but reported nothing in it; remove ${others ? "it from the directive" : "the directive"}`
            : `\`${entry.pattern}\` is suppressed here but reported nothing on line ${directive.target}; remove ${others ? "it from the directive" : "the directive"}`,
      });
    }
  }

  // lint/unused-suppression findings obey only `disable-file=lint/unused-suppression` (or `lint`) of their file.
  const keptProblems = problems.filter(
    (p) => !(byFile.get(p.range.file) ?? []).some((s) => s.directive.kind === "file" && s.rules.includes(UNUSED_SUPPRESSION_RULE)),
  );
  return { kept, suppressed, problems: keptProblems };
}

function appliesTo(state: EntryState, rule: string, line: number): boolean {
  if (state.directive.kind === "line" && state.directive.target !== line) return false;
  return rule !== UNUSED_SUPPRESSION_RULE && state.rules.includes(rule);
}

/** Resolves a directive's entries to rules; reports unknown and duplicate ones (which then suppress nothing). */
function checkEntries(directive: Directive, context: SuppressionContext, problems: DirectiveProblem[]): EntryState[] {
  const states: EntryState[] = [];
  directive.entries.forEach((entry, index) => {
    const named = context.ruleIds.filter((id) => patternCovers(entry.pattern, id));
    if (named.length === 0) {
      const guess = closest(entry.pattern.replace(/\/$/, ""), [...context.ruleIds, ...families(context.ruleIds)], Math.max(2, Math.floor(entry.pattern.length / 4)));
      problems.push({ range: entry.range, message: `unknown rule \`${entry.pattern}\`; ${guess ? `did you mean \`${guess}\`?` : "see --list-rules for the rule ids and families"}` });
      return;
    }
    const normal = (p: string) => p.replace(/\/$/, "");
    const twin = directive.entries.slice(0, index).find((e) => normal(e.pattern) === normal(entry.pattern));
    if (twin) {
      problems.push({ range: entry.range, message: `\`${entry.pattern}\` is listed twice in this directive; remove one` });
      return;
    }
    const wider = directive.entries.find((e) => normal(e.pattern) !== normal(entry.pattern) && patternCovers(e.pattern, normal(entry.pattern)));
    if (wider) {
      problems.push({ range: entry.range, message: `\`${entry.pattern}\` is already covered by \`${wider.pattern}\` in this directive; remove it` });
      return;
    }
    if (directive.kind === "line" && named.every((id) => id === UNUSED_SUPPRESSION_RULE)) {
      problems.push({
        range: entry.range,
        message: `\`${entry.pattern}\` findings can only be disabled for a whole file: use \`disable-file=${UNUSED_SUPPRESSION_RULE}\`, or remove the directive they report`,
      });
      return;
    }
    const rules = directive.kind === "line" ? named.filter((id) => id !== UNUSED_SUPPRESSION_RULE) : named;
    // A file-wide lint/unused-suppression entry silences reports about itself: it is never "unused".
    states.push({ entry, directive, rules, used: directive.kind === "file" && rules.every((id) => id === UNUSED_SUPPRESSION_RULE) });
  });
  return states;
}

function families(ruleIds: readonly string[]): string[] {
  return [...new Set(ruleIds.map((id) => id.split("/")[0] ?? id))];
}

/** The candidate nearest to `word` within `maxDistance` edits, for "did you mean". */
function closest(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
