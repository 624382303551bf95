import { posix } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import type { Argument, Flag, Instruction, Property } from "dockerfile-ast";
import { LineIndex } from "../core/line-index.js";
import { fileStart } from "../core/location.js";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { scanShellWords } from "./shell-words.js";

/**
 * Dockerfile loader. `dockerfile-ast` gives the structure (instructions, flags, ENV/ARG
 * properties, parser directives, heredocs) with 0-based positions; we turn those into our
 * 1-based ranges and add what the build itself would do and the AST does not: Docker's
 * word processing (quotes, escape character, `$VAR` / `${VAR:-x}` from earlier ARG/ENV),
 * WORKDIR resolution, exec-form JSON, and the checks Docker makes before it builds.
 */

export interface DockerExecCommand {
  form: "exec" | "shell";
  /** exec: the JSON array items; shell: the shell words of the command text, each with its range. */
  argv: LocatedString[];
  /** shell: the command text as `/bin/sh -c` receives it (continuations joined); exec: the items joined by spaces. */
  text: string;
  range: SourceRange;
}

export interface DockerCopy {
  instruction: "COPY" | "ADD";
  /** After ARG/ENV substitution; `<<EOF` for a heredoc source. */
  sources: LocatedString[];
  /** As written apart from ARG/ENV substitution (not resolved against WORKDIR). */
  destination: LocatedString;
  /** Resolved against WORKDIR: absolute, POSIX; trailing slash kept when written. */
  destinationAbs: string;
  fromStage?: string;
  chown?: string;
  chmod?: string;
  range: SourceRange;
}

export interface DockerEnvEntry {
  name: string;
  value: string;
  range: SourceRange;
  /** Variables the value refers to that have no known value; their references stay as written. */
  unresolved?: string[];
}

export interface DockerArgEntry {
  name: string;
  /** The default written in the ARG, after substitution. */
  defaultValue?: string;
  /** What the build uses: a build arg, else this default, else the global ARG's value. */
  value?: string;
  range: SourceRange;
}

export interface DockerStage {
  index: number;
  name?: string;
  /** After substitution of global ARGs. */
  baseImage: LocatedString;
  /** Index of the earlier stage this one is built FROM, when it is one. */
  baseStage?: number;
  /** The FROM instruction. */
  range: SourceRange;
  workdirs: { path: string; range: SourceRange; unresolved?: string[] }[];
  /** "/" when none (or the base stage's). */
  finalWorkdir: string;
  /** ENV of this stage, including what it inherits from a base stage; the last assignment wins. */
  env: Map<string, DockerEnvEntry>;
  args: Map<string, DockerArgEntry>;
  copies: DockerCopy[];
  runs: { text: string; range: SourceRange }[];
  user?: LocatedString;
  cmd?: DockerExecCommand;
  entrypoint?: DockerExecCommand;
  expose: LocatedString[];
  volumes: LocatedString[];
}

export interface Dockerfile {
  file: string;
  stages: DockerStage[];
  problems: ParseProblem[];
}

const INSTRUCTIONS = new Set([
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
  "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]);

// ---------------------------------------------------------------------------------------
// Logical text: an instruction with its line continuations removed, each character
// remembering its offset in the file so that words found in it keep exact ranges.

interface Logical {
  text: string;
  /** at[i] is the file offset of text[i]; at[text.length] is the end offset. */
  at: number[];
}

/** Docker joins `<escape>[ \t]*<newline>` lines and drops the blank and comment lines that follow. */
function logicalText(src: string, start: number, end: number, escape: string): Logical {
  let text = "";
  const at: number[] = [];
  let i = start;
  while (i < end) {
    const ch = src[i]!;
    if (ch === escape) {
      let j = i + 1;
      while (j < end && (src[j] === " " || src[j] === "\t")) j++;
      if (j < end && (src[j] === "\n" || src[j] === "\r")) {
        j += src[j] === "\r" && src[j + 1] === "\n" ? 2 : 1;
        // Skip comment and empty lines inside the continued instruction.
        for (;;) {
          const lineEnd = nextLineBreak(src, j, end);
          const line = src.slice(j, lineEnd);
          if (lineEnd < end && (line.trim() === "" || line.trimStart().startsWith("#"))) {
            j = lineEnd + (src[lineEnd] === "\r" && src[lineEnd + 1] === "\n" ? 2 : 1);
          } else break;
        }
        i = j;
        continue;
      }
    }
    text += ch;
    at.push(i);
    i++;
  }
  at.push(Math.min(i, end));
  return { text, at };
}

function nextLineBreak(src: string, from: number, end: number): number {
  let k = from;
  while (k < end && src[k] !== "\n" && src[k] !== "\r") k++;
  return k;
}

function sliceLogical(lg: Logical, start: number, end: number): Logical {
  return { text: lg.text.slice(start, end), at: lg.at.slice(start, end + 1) };
}

// ---------------------------------------------------------------------------------------
// Docker's word processing (BuildKit's shell lexer, the parts a Dockerfile uses).

interface VarValue {
  value: string;
  unresolved: string[];
}
type Lookup = (name: string) => VarValue | undefined;

interface Expanded {
  value: string;
  unresolved: string[];
  /** The quote character left open, if any. */
  unterminated?: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Processes one word as Docker does for ENV, ARG, WORKDIR, COPY, USER, EXPOSE, VOLUME and
 * FROM: removes quotes and escape characters and substitutes variables. A variable with
 * no known value keeps its reference as written and is listed in `unresolved`.
 */
function expandWord(s: string, escape: string, lookup: Lookup): Expanded {
  const unresolved: string[] = [];
  let out = "";
  let unterminated: string | undefined;
  let i = 0;
  const note = (names: string[]): void => {
    for (const n of names) if (!unresolved.includes(n)) unresolved.push(n);
  };
  const dollar = (): void => {
    const r = expandDollar(s, i, escape, lookup);
    out += r.value;
    note(r.unresolved);
    i = r.end;
  };
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === escape) {
      if (i + 1 < s.length) out += s[i + 1];
      i += 2;
    } else if (ch === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) {
        unterminated = "'";
        out += s.slice(i + 1);
        break;
      }
      out += s.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const c = s[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "$") {
          dollar();
          continue;
        }
        if (c === escape && i + 1 < s.length && (s[i + 1] === '"' || s[i + 1] === "$" || s[i + 1] === escape)) {
          out += s[i + 1];
          i += 2;
          continue;
        }
        out += c;
        i++;
      }
      if (!closed) unterminated = '"';
    } else if (ch === "$") {
      dollar();
    } else {
      out += ch;
      i++;
    }
  }
  return unterminated ? { value: out, unresolved, unterminated } : { value: out, unresolved };
}

/** `$NAME`, `${NAME}` and `${NAME<op>word}` starting at s[start] === "$". */
function expandDollar(s: string, start: number, escape: string, lookup: Lookup): { value: string; unresolved: string[]; end: number } {
  const next = s[start + 1];
  if (next !== undefined && NAME_START.test(next)) {
    let j = start + 1;
    while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
    const name = s.slice(start + 1, j);
    const known = lookup(name);
    return known
      ? { value: known.value, unresolved: known.unresolved, end: j }
      : { value: s.slice(start, j), unresolved: [name], end: j };
  }
  if (next !== "{") return { value: "$", unresolved: [], end: start + 1 };

  // Find the matching "}", allowing nested ${...} in the modifier word.
  let depth = 1;
  let j = start + 2;
  while (j < s.length && depth > 0) {
    if (s[j] === escape) j++;
    else if (s[j] === "$" && s[j + 1] === "{") {
      depth++;
      j++;
    } else if (s[j] === "}") depth--;
    j++;
  }
  const written = s.slice(start, j);
  if (depth > 0) return { value: written, unresolved: [], end: j };
  const inner = s.slice(start + 2, j - 1);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
  if (!m) return { value: written, unresolved: [], end: j };
  const name = m[1]!;
  const op = m[2];
  const known = lookup(name);
  if (op === undefined) {
    return known ? { value: known.value, unresolved: known.unresolved, end: j } : { value: written, unresolved: [name], end: j };
  }
  const word = (): Expanded => expandWord(m[3] ?? "", escape, lookup);
  const set = known !== undefined && (op.startsWith(":") ? known.value !== "" : true);
  switch (op.replace(":", "")) {
    case "-": {
      if (set) return { value: known!.value, unresolved: known!.unresolved, end: j };
      const w = word();
      // Unknown (an ARG without a value, or an image variable): the default is what a
      // build without --build-arg uses, but we cannot be sure of it.
      return { value: w.value, unresolved: known === undefined ? [name, ...w.unresolved] : w.unresolved, end: j };
    }
    case "+": {
      if (set) {
        const w = word();
        return { value: w.value, unresolved: w.unresolved, end: j };
      }
      return known !== undefined ? { value: "", unresolved: [], end: j } : { value: written, unresolved: [name], end: j };
    }
    default: // "?": an error when unset; keep it as written
      return set ? { value: known!.value, unresolved: known!.unresolved, end: j } : { value: written, unresolved: [name], end: j };
  }
}

// ---------------------------------------------------------------------------------------

interface Context {
  src: string;
  file: string;
  index: LineIndex;
  escape: string;
  problems: ParseProblem[];
}

type Pos = { line: number; character: number };

function offsetOf(ctx: Context, p: Pos): number {
  return ctx.index.lineStart(p.line + 1) + p.character;
}

function rangeOf(ctx: Context, r: { start: Pos; end: Pos }): SourceRange {
  return ctx.index.range(ctx.file, offsetOf(ctx, r.start), offsetOf(ctx, r.end));
}

/** Range of logical characters [s, e): ends right after the last character, not after a continuation. */
function logicalRange(ctx: Context, lg: Logical, s: number, e: number): SourceRange {
  const start = lg.at[s] ?? lg.at[lg.at.length - 1] ?? 0;
  const end = e > s ? (lg.at[e - 1] ?? start) + 1 : start;
  return ctx.index.range(ctx.file, start, end);
}

function problem(ctx: Context, range: SourceRange, message: string): void {
  ctx.problems.push({ range, message });
}

/** The logical text of a range of the file (an argument, a property value). */
function logicalOf(ctx: Context, r: { start: Pos; end: Pos }): Logical {
  return logicalText(ctx.src, offsetOf(ctx, r.start), offsetOf(ctx, r.end), ctx.escape);
}

function located(ctx: Context, lg: Logical, lookup: Lookup, what: string): LocatedString {
  const x = expandWord(lg.text, ctx.escape, lookup);
  const range = logicalRange(ctx, lg, 0, lg.text.length);
  if (x.unterminated) problem(ctx, range, `${what}: unterminated ${x.unterminated} quote`);
  return x.unresolved.length > 0 ? { value: x.value, range, unresolved: x.unresolved } : { value: x.value, range };
}

/** The arguments after the flags, as one logical text running to the end of the instruction. */
function argumentsText(ctx: Context, ins: Instruction, args: Argument[]): Logical | undefined {
  const first = args[0];
  if (!first) return undefined;
  const lg = logicalText(ctx.src, offsetOf(ctx, first.getRange().start), offsetOf(ctx, ins.getRange().end), ctx.escape);
  const trailing = lg.text.length - lg.text.trimEnd().length;
  return sliceLogical(lg, 0, lg.text.length - trailing);
}

/**
 * Docker's exec form: the arguments parse as a JSON array of strings. The string tokens,
 * in order, are the items; each is located from its token in the text. (Not from
 * dockerfile-ast's getJSONStrings(): its values lose the spaces inside a string.)
 */
function execForm(ctx: Context, lg: Logical): LocatedString[] | undefined {
  if (!lg.text.startsWith("[")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(lg.text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) return undefined;
  const items: LocatedString[] = [];
  for (const m of lg.text.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
    const start = m.index ?? 0;
    items.push({ value: JSON.parse(m[0]) as string, range: logicalRange(ctx, lg, start, start + m[0].length) });
  }
  return items.length === parsed.length ? items : undefined;
}

function looksLikeJson(lg: Logical): boolean {
  return lg.text.startsWith("[");
}

function command(ctx: Context, ins: Instruction, keyword: string): DockerExecCommand | undefined {
  const lg = argumentsText(ctx, ins, ins.getArguments());
  const range = rangeOf(ctx, ins.getRange());
  if (!lg) return undefined;
  const exec = execForm(ctx, lg);
  if (exec) return { form: "exec", argv: exec, text: exec.map((a) => a.value).join(" "), range };
  if (looksLikeJson(lg)) {
    problem(ctx, logicalRange(ctx, lg, 0, lg.text.length), `${keyword} looks like exec form but is not a JSON array of strings; Docker runs it with /bin/sh -c`);
  }
  const { words, problems } = shellFormWords(ctx, lg);
  for (const p of problems) problem(ctx, p.range, `${keyword}: ${p.message}`);
  return { form: "shell", argv: words, text: lg.text, range };
}

/**
 * The shell words of a shell-form command, split by shell-words.ts (quotes, operators,
 * unresolved `$VAR`s; nothing expanded: the container's shell does that at run time).
 * With the default escape character the file text itself is lexed, so every word keeps
 * exact character positions; a backtick escape (or a continuation with blanks after the
 * backslash, which the shell would not join) is lexed from the joined text and mapped back.
 */
function shellFormWords(ctx: Context, lg: Logical): { words: LocatedString[]; problems: ParseProblem[] } {
  const start = lg.at[0] ?? 0;
  const end = (lg.at[lg.text.length - 1] ?? start) + 1;
  const raw = ctx.src.slice(start, end);
  if (ctx.escape === "\\" && !/\\[ \t]+(\r\n|\n|\r)/.test(raw)) return scanShellWords(raw, ctx.file, start, ctx.index);
  const scanned = scanShellWords(lg.text, ctx.file, 0);
  const remap = (r: SourceRange): SourceRange =>
    r.line === 1 && r.endLine === 1 ? logicalRange(ctx, lg, r.column - 1, r.endColumn - 1) : logicalRange(ctx, lg, 0, lg.text.length);
  return {
    words: scanned.words.map((w) => ({ ...w, range: remap(w.range) })),
    problems: scanned.problems.map((p) => ({ ...p, range: remap(p.range) })),
  };
}

const HEREDOC = /^<<(-?)(["']?)([A-Za-z_][\w.-]*)\2/;

/** A `<<EOF` heredoc must end with a line holding only its delimiter. */
function checkHeredocs(ctx: Context, ins: Instruction, args: Argument[]): boolean {
  const firstLine = args[0]?.getRange().start.line;
  const heredocs = args
    .filter((a) => a.getRange().start.line === firstLine)
    .map((a) => ({ arg: a, m: HEREDOC.exec(a.getValue()) }))
    .filter((h) => h.m !== null);
  if (heredocs.length === 0) return false;
  const endLine = ins.getRange().end.line;
  const lines: string[] = [];
  for (let l = (firstLine ?? 0) + 1; l <= endLine; l++) lines.push(ctx.index.lineText(l + 1));
  for (const { arg, m } of heredocs) {
    const strip = m![1] === "-";
    const name = m![3]!;
    if (!lines.some((l) => (strip ? l.replace(/^\t+/, "") : l) === name)) {
      problem(ctx, rangeOf(ctx, arg.getRange()), `heredoc <<${name} is not terminated by a line "${name}"`);
    }
  }
  return true;
}

function resolveDestination(dest: string, workdir: string): string {
  const abs = dest.startsWith("/") ? posix.normalize(dest) : posix.join(workdir, dest);
  // BuildKit treats `.` (and a trailing `/`) as a directory: `COPY requirements.txt .` lands in WORKDIR.
  const isDirectory = dest.endsWith("/") || dest === "." || dest.endsWith("/.");
  return isDirectory && !abs.endsWith("/") ? `${abs}/` : abs;
}

/** What the build knows while it walks the instructions. */
interface BuildState {
  ctx: Context;
  buildArgs: Map<string, string> | undefined;
  stages: DockerStage[];
  /** ARGs before the first FROM: visible to FROM lines and to stage ARGs that redeclare them. */
  globalArgs: Map<string, VarValue | undefined>;
  sawFrom: boolean;
  /** The current stage and its variables; undefined before the first FROM or after a broken one. */
  stage: DockerStage | undefined;
  envVars: Map<string, VarValue>;
  argVars: Map<string, VarValue | undefined>;
}

// ENV always wins over an ARG of the same name, whatever their order.
function stageLookup(st: BuildState): Lookup {
  return (name) => st.envVars.get(name) ?? st.argVars.get(name);
}

function globalLookup(st: BuildState): Lookup {
  return (name) => st.globalArgs.get(name);
}

export function parseDockerfile(text: string, file: string, buildArgs?: Map<string, string>): Dockerfile {
  const index = new LineIndex(text);
  const problems: ParseProblem[] = [];
  let ast: ReturnType<typeof DockerfileParser.parse>;
  try {
    ast = DockerfileParser.parse(text);
  } catch (error) {
    // dockerfile-ast is tolerant; this guards the "never throw" contract all the same.
    problems.push({ range: fileStart(file), message: `cannot parse Dockerfile: ${(error as Error).message}` });
    return { file, stages: [], problems };
  }
  const ctx: Context = { src: text, file, index, escape: ast.getEscapeCharacter(), problems };

  for (const d of ast.getDirectives()) {
    if (d.getName().toLowerCase() === "escape" && d.getValue() !== "\\" && d.getValue() !== "`") {
      problem(ctx, rangeOf(ctx, d.getValueRange()), `invalid escape directive "${d.getValue()}": must be \\ or \``);
    }
  }

  const st: BuildState = {
    ctx,
    buildArgs,
    stages: [],
    globalArgs: new Map(),
    sawFrom: false,
    stage: undefined,
    envVars: new Map(),
    argVars: new Map(),
  };
  for (const ins of ast.getInstructions()) applyInstruction(st, ins);

  if (!st.sawFrom) problems.push({ range: fileStart(file), message: "no FROM instruction: not a buildable Dockerfile" });
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  return { file, stages: st.stages, problems };
}

function applyInstruction(st: BuildState, ins: Instruction): void {
  const { ctx } = st;
  const keyword = ins.getKeyword();
  const range = rangeOf(ctx, ins.getRange());
  if (!INSTRUCTIONS.has(keyword)) {
    problem(ctx, rangeOf(ctx, ins.getInstructionRange()), `unknown instruction "${ins.getInstruction()}"`);
    return;
  }
  const args = ins.getArguments();
  if (keyword === "FROM") return startStage(st, ins, range);
  if (args.length === 0) return problem(ctx, range, `${keyword} has no arguments`);
  if (keyword === "ARG") return declareArgs(st, ins);

  const stage = st.stage;
  if (!stage) {
    // After a FROM without an image the stage is already reported; before any FROM it is not.
    if (!st.sawFrom) problem(ctx, rangeOf(ctx, ins.getInstructionRange()), `${keyword} before the first FROM`);
    return;
  }
  const lookup = stageLookup(st);
  switch (keyword) {
    case "ENV":
      return setEnv(st, stage, ins);
    case "WORKDIR": {
      const x = located(ctx, argumentsText(ctx, ins, args)!, lookup, "WORKDIR");
      stage.finalWorkdir = posix.resolve(stage.finalWorkdir, x.value);
      stage.workdirs.push({ path: stage.finalWorkdir, range, ...(x.unresolved ? { unresolved: x.unresolved } : {}) });
      return;
    }
    case "COPY":
    case "ADD":
      return addCopy(st, stage, ins, keyword, range);
    case "RUN": {
      const heredoc = checkHeredocs(ctx, ins, args);
      const start = offsetOf(ctx, args[0]!.getRange().start);
      // A heredoc body is a script: it keeps its lines as written.
      const runText = heredoc ? ctx.src.slice(start, offsetOf(ctx, ins.getRange().end)) : argumentsText(ctx, ins, args)!.text;
      stage.runs.push({ text: runText, range });
      return;
    }
    case "CMD":
      stage.cmd = command(ctx, ins, keyword);
      return;
    case "ENTRYPOINT":
      stage.entrypoint = command(ctx, ins, keyword);
      return;
    case "USER":
      stage.user = located(ctx, argumentsText(ctx, ins, args)!, lookup, "USER");
      return;
    case "EXPOSE":
      for (const a of args) stage.expose.push(located(ctx, logicalOf(ctx, a.getRange()), lookup, "EXPOSE"));
      return;
    case "VOLUME": {
      const exec = execForm(ctx, argumentsText(ctx, ins, args)!);
      if (exec) for (const it of exec) stage.volumes.push({ ...it, ...expandJsonItem(it.value, ctx.escape, lookup) });
      else for (const a of args) stage.volumes.push(located(ctx, logicalOf(ctx, a.getRange()), lookup, "VOLUME"));
      return;
    }
    default:
      // HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, SHELL, STOPSIGNAL: not part of the model (yet).
      return;
  }
}

/** FROM: a new stage; one built FROM an earlier stage starts with its ENV and WORKDIR. */
function startStage(st: BuildState, ins: Instruction, range: SourceRange): void {
  const { ctx } = st;
  st.sawFrom = true;
  const from = ins as unknown as { getImageRange(): { start: Pos; end: Pos } | null; getBuildStage(): string | null };
  const imageRange = from.getImageRange();
  if (!imageRange) {
    problem(ctx, range, "FROM has no image");
    st.stage = undefined;
    return;
  }
  const baseImage = located(ctx, logicalOf(ctx, imageRange), globalLookup(st), "FROM");
  const name = from.getBuildStage() ?? undefined;
  const base = st.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === baseImage.value.toLowerCase());
  const stage: DockerStage = {
    index: st.stages.length,
    ...(name !== undefined ? { name } : {}),
    baseImage,
    ...(base ? { baseStage: base.index } : {}),
    range,
    workdirs: [],
    finalWorkdir: base ? base.finalWorkdir : "/",
    env: new Map(base ? [...base.env].map(([k, v]) => [k, { ...v }]) : []),
    args: new Map(),
    copies: [],
    runs: [],
    expose: [],
    volumes: [],
  };
  st.stages.push(stage);
  st.stage = stage;
  st.envVars = new Map([...stage.env].map(([k, v]) => [k, { value: v.value, unresolved: v.unresolved ?? [] }]));
  st.argVars = new Map();
}

/** ARG: a build arg wins over the written default; a stage ARG without one takes the global ARG's value. */
function declareArgs(st: BuildState, ins: Instruction): void {
  const { ctx, stage } = st;
  const props = (ins as unknown as { getProperties(): Property[] }).getProperties();
  const lookup = stage ? stageLookup(st) : globalLookup(st);
  const declared: { effective: VarValue | undefined; entry: DockerArgEntry }[] = [];
  for (const p of props) {
    const name = p.getName();
    const valueRange = p.getValueRange();
    const written = valueRange ? expandWord(logicalOf(ctx, valueRange).text, ctx.escape, lookup) : undefined;
    if (written?.unterminated) problem(ctx, rangeOf(ctx, valueRange!), `ARG ${name}: unterminated ${written.unterminated} quote`);
    const fromBuild = st.buildArgs?.get(name);
    const inherited = stage && !written ? st.globalArgs.get(name) : undefined;
    const effective: VarValue | undefined =
      fromBuild !== undefined ? { value: fromBuild, unresolved: [] } : written ? { value: written.value, unresolved: written.unresolved } : inherited;
    declared.push({
      effective,
      entry: {
        name,
        ...(written ? { defaultValue: written.value } : {}),
        ...(effective ? { value: effective.value } : {}),
        range: rangeOf(ctx, p.getRange()),
      },
    });
  }
  for (const { effective, entry } of declared) {
    if (stage) {
      st.argVars.set(entry.name, effective);
      stage.args.set(entry.name, entry);
    } else st.globalArgs.set(entry.name, effective);
  }
}

/** ENV, both `ENV A=b C=d` and legacy `ENV A b c`. */
function setEnv(st: BuildState, stage: DockerStage, ins: Instruction): void {
  const { ctx } = st;
  const props = (ins as unknown as { getProperties(): Property[] }).getProperties();
  // All values of one ENV see the variables as they were before it (Docker's rule).
  const lookup = stageLookup(st);
  const assigned: DockerEnvEntry[] = [];
  for (const p of props) {
    const name = p.getName();
    const valueRange = p.getValueRange();
    if (!valueRange) {
      problem(ctx, rangeOf(ctx, p.getRange()), `ENV ${name} has no value`);
      continue;
    }
    const x = expandWord(logicalOf(ctx, valueRange).text, ctx.escape, lookup);
    if (x.unterminated) problem(ctx, rangeOf(ctx, valueRange), `ENV ${name}: unterminated ${x.unterminated} quote`);
    const entry: DockerEnvEntry = { name, value: x.value, range: rangeOf(ctx, p.getRange()) };
    if (x.unresolved.length > 0) entry.unresolved = x.unresolved;
    assigned.push(entry);
  }
  for (const e of assigned) {
    stage.env.delete(e.name); // re-insert so the map's order follows the file
    stage.env.set(e.name, e);
    st.envVars.set(e.name, { value: e.value, unresolved: e.unresolved ?? [] });
  }
}

/** COPY / ADD: shell or JSON form, flags, a heredoc source; the destination resolved against WORKDIR. */
function addCopy(st: BuildState, stage: DockerStage, ins: Instruction, keyword: "COPY" | "ADD", range: SourceRange): void {
  const { ctx } = st;
  const lookup = stageLookup(st);
  const args = ins.getArguments();
  const heredoc = checkHeredocs(ctx, ins, args);
  const lg = argumentsText(ctx, ins, args)!;
  const exec = heredoc ? undefined : execForm(ctx, lg);
  let items: LocatedString[];
  if (exec) items = exec.map((it) => ({ ...it, ...expandJsonItem(it.value, ctx.escape, lookup) }));
  else {
    if (looksLikeJson(lg) && !heredoc) {
      problem(ctx, logicalRange(ctx, lg, 0, lg.text.length), `${keyword} looks like JSON form but is not a JSON array of strings`);
    }
    // With a heredoc, the words after the first line are its body, not paths.
    const firstLine = args[0]!.getRange().start.line;
    const words = heredoc ? args.filter((a) => a.getRange().start.line === firstLine) : args;
    items = words.map((a) => located(ctx, logicalOf(ctx, a.getRange()), lookup, keyword));
  }
  if (items.length < 2) {
    problem(ctx, range, `${keyword} needs at least one source and a destination`);
    return;
  }
  const destination = items[items.length - 1]!;
  const flags = (ins as unknown as { getFlags(): Flag[] }).getFlags();
  const flagText = (name: string): string | undefined => {
    const v = flags.find((f) => f.getName().toLowerCase() === name)?.getValue();
    return v === null || v === undefined ? undefined : expandWord(v, ctx.escape, lookup).value;
  };
  const fromStage = flagText("from");
  const chown = flagText("chown");
  const chmod = flagText("chmod");
  stage.copies.push({
    instruction: keyword,
    sources: items.slice(0, -1),
    destination,
    destinationAbs: resolveDestination(destination.value, stage.finalWorkdir),
    ...(fromStage !== undefined ? { fromStage } : {}),
    ...(chown !== undefined ? { chown } : {}),
    ...(chmod !== undefined ? { chmod } : {}),
    range,
  });
}

/** Exec-form items are JSON strings: Docker substitutes variables in them (COPY, VOLUME) but no quotes remain. */
function expandJsonItem(value: string, escape: string, lookup: Lookup): { value: string; unresolved?: string[] } {
  // Quote characters inside a JSON item are literal, so only `$` references are processed.
  let out = "";
  const unresolved: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === "$") {
      const r = expandDollar(value, i, escape, lookup);
      out += r.value;
      for (const n of r.unresolved) if (!unresolved.includes(n)) unresolved.push(n);
      i = r.end;
    } else {
      out += value[i];
      i++;
    }
  }
  return unresolved.length > 0 ? { value: out, unresolved } : { value: out };
}
