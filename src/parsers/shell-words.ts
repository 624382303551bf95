/**
 * POSIX shell word splitting and simple-command splitting, with the source position of
 * every word (and of every character in it, so that `sh -c "…"` strings and `--opt=value`
 * words can be cut again with exact ranges).
 *
 * Written by hand: packages such as `shell-quote` or `shlex` return bare strings and keep
 * no positions, and the linter must point at the exact word of a command line.
 *
 * Nothing is expanded or executed: `$VAR`, `${VAR:-x}`, `$(cmd)` and backticks stay
 * verbatim in the word's value and are listed in `unresolved`.
 */
import { LineIndex } from "../core/line-index.js";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";

interface Pos {
  line: number;
  column: number;
}

/** Where the characters of a shell source come from. */
interface SourceMap {
  file: string;
  /** Position of the character at index i of the lexed text. */
  at(i: number): Pos;
  /** When set, positions inside the text are unknowable: every token gets this range. */
  coarse?: SourceRange;
}

/** What the lexer knew about a word it produced (a LocatedString stays a plain value). */
interface WordOrigin {
  /** Source position of each character of the value; absent when only the whole range is known. */
  positions?: Pos[];
  /** Some part of the word was quoted or escaped: it is never a keyword or an operator. */
  quoted: boolean;
  operator: boolean;
}

const origins = new WeakMap<LocatedString, WordOrigin>();

export interface ShellCommand {
  /** Line of the command's first word. */
  line: number;
  words: LocatedString[];
  /** Inside an if/loop body, a case arm or a function: it runs only when that branch is taken. */
  conditional: boolean;
}

type TokenKind = "word" | "op" | "newline";

interface Token {
  kind: TokenKind;
  word: LocatedString;
  quoted: boolean;
  /** Index in the caller's word list (simpleCommands only). */
  index: number;
}

// Longest first, so that `&&` wins over `&`.
const OPERATORS = [
  ";;&", "<<<", "<<-", "&>>",
  ";;", ";&", "&&", "||", "|&", "&>", ">>", "<<", ">&", "<&", "<>", ">|",
  "&", "|", ";", "<", ">", "(", ")",
];
const OPERATOR_SET = new Set(OPERATORS);
const OPERATOR_START = new Set(["&", "|", ";", "<", ">", "(", ")"]);
const BLANKS = new Set([" ", "\t", "\r"]);
const SEPARATORS = new Set([";", "&", "&&", "||", "|", "|&"]);
const CASE_BREAKS = new Set([";;", ";&", ";;&"]);

function isRedirection(op: string): boolean {
  return /^\d*(<|>|&>)/.test(op);
}

function copyRange(r: SourceRange): SourceRange {
  return { file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

function spanRange(map: SourceMap, first: number, last: number): SourceRange {
  if (map.coarse) return copyRange(map.coarse);
  const s = map.at(first);
  if (last < first) return { file: map.file, line: s.line, column: s.column, endLine: s.line, endColumn: s.column };
  const e = map.at(last);
  return { file: map.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column + 1 };
}

function pushUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

class ShellLexer {
  readonly tokens: Token[] = [];
  readonly problems: ParseProblem[] = [];
  private i = 0;
  private readonly n: number;
  private pendingHeredocs: { delimiter: string; stripTabs: boolean; from: number }[] = [];
  private expectHeredocDelimiter: { stripTabs: boolean } | undefined;

  // The word being built.
  private value = "";
  private positions: Pos[] = [];
  private unresolved: string[] = [];
  private quoted = false;
  private first = 0;
  private last = -1;

  constructor(
    private readonly text: string,
    private readonly map: SourceMap,
    /** Script mode emits newline tokens; word mode treats newlines as blanks. */
    private readonly script: boolean,
  ) {
    this.n = text.length;
  }

  run(): this {
    const t = this.text;
    while (this.i < this.n) {
      const c = t.charAt(this.i);
      if (BLANKS.has(c)) {
        this.i++;
      } else if (c === "\\" && this.isContinuation(this.i)) {
        this.i += this.continuationLength(this.i);
      } else if (c === "\n") {
        if (this.script) this.emit("newline", "\n", this.i, this.i, false);
        this.i++;
        this.skipHeredocBodies();
      } else if (c === "#") {
        while (this.i < this.n && t.charAt(this.i) !== "\n") this.i++;
      } else if (OPERATOR_START.has(c)) {
        this.readOperator(this.i, "");
      } else {
        this.readWord();
      }
    }
    if (this.pendingHeredocs.length > 0) this.skipHeredocBodies();
    return this;
  }

  private isContinuation(i: number): boolean {
    const next = this.text.charAt(i + 1);
    return next === "\n" || (next === "\r" && this.text.charAt(i + 2) === "\n");
  }

  private continuationLength(i: number): number {
    return this.text.charAt(i + 1) === "\n" ? 2 : 3;
  }

  private problem(from: number, to: number, message: string): void {
    this.problems.push({ range: spanRange(this.map, from, Math.max(from, to - 1)), message });
  }

  private emit(kind: TokenKind, value: string, first: number, last: number, quoted: boolean, positions?: Pos[], unresolved?: string[]): void {
    const word: LocatedString = { value, range: spanRange(this.map, first, last) };
    if (unresolved && unresolved.length > 0) word.unresolved = unresolved;
    origins.set(word, { positions: this.map.coarse ? undefined : positions, quoted, operator: kind === "op" });
    this.tokens.push({ kind, word, quoted, index: -1 });
  }

  private readOperator(start: number, ioNumber: string): void {
    const t = this.text;
    const at = start + ioNumber.length;
    const op = OPERATORS.find((o) => t.startsWith(o, at)) ?? t.charAt(at);
    const value = ioNumber + op;
    const end = at + op.length;
    const positions = this.map.coarse ? undefined : Array.from(value, (_, k) => this.map.at(start + k));
    this.emit("op", value, start, end - 1, false, positions);
    this.i = end;
    if (op === "<<" || op === "<<-") this.expectHeredocDelimiter = { stripTabs: op === "<<-" };
  }

  private add(ch: string, source: number): void {
    this.value += ch;
    if (!this.map.coarse) this.positions.push(this.map.at(source));
  }

  /** Copies text[from, to) verbatim into the word (expansions are kept as written). */
  private addVerbatim(from: number, to: number): void {
    for (let k = from; k < to; k++) this.add(this.text.charAt(k), k);
  }

  private readWord(): void {
    const t = this.text;
    this.value = "";
    this.positions = [];
    this.unresolved = [];
    this.quoted = false;
    this.first = this.i;
    this.last = this.i;
    while (this.i < this.n) {
      const c = t.charAt(this.i);
      if (BLANKS.has(c) || c === "\n") break;
      if (OPERATOR_START.has(c)) {
        // `2>&1`: digits right before a redirection are its file descriptor, not a word.
        if (!this.quoted && /^\d+$/.test(this.value) && (c === "<" || c === ">")) {
          this.readOperator(this.first, this.value);
          return;
        }
        break;
      }
      if (c === "\\") {
        if (this.isContinuation(this.i)) {
          this.i += this.continuationLength(this.i);
          continue;
        }
        this.quoted = true;
        if (this.i + 1 < this.n) {
          this.add(t.charAt(this.i + 1), this.i + 1);
          this.last = this.i + 1;
          this.i += 2;
        } else {
          this.add("\\", this.i);
          this.last = this.i;
          this.i++;
        }
      } else if (c === "'") {
        this.quoted = true;
        this.readSingleQuoted();
      } else if (c === '"') {
        this.quoted = true;
        this.readDoubleQuoted();
      } else if (c === "$" && t.charAt(this.i + 1) === "'") {
        this.quoted = true;
        this.readAnsiQuoted();
      } else if (c === "$") {
        this.readDollar();
      } else if (c === "`") {
        this.readBackquoted();
      } else {
        this.add(c, this.i);
        this.last = this.i;
        this.i++;
      }
    }
    this.emit("word", this.value, this.first, this.last, this.quoted, this.positions, this.unresolved);
    if (this.expectHeredocDelimiter) {
      this.pendingHeredocs.push({ delimiter: this.value, stripTabs: this.expectHeredocDelimiter.stripTabs, from: this.first });
      this.expectHeredocDelimiter = undefined;
    }
  }

  private readSingleQuoted(): void {
    const t = this.text;
    const open = this.i;
    const close = t.indexOf("'", open + 1);
    const end = close < 0 ? this.n : close;
    this.addVerbatim(open + 1, end);
    if (close < 0) {
      this.problem(open, this.n, "unterminated single quote: the word runs to the end of the text");
      this.last = this.n - 1;
      this.i = this.n;
    } else {
      this.last = close;
      this.i = close + 1;
    }
  }

  private readDoubleQuoted(): void {
    const t = this.text;
    const open = this.i;
    this.i++;
    while (this.i < this.n) {
      const c = t.charAt(this.i);
      if (c === '"') {
        this.last = this.i;
        this.i++;
        return;
      }
      if (c === "\\") {
        const next = t.charAt(this.i + 1);
        if (this.isContinuation(this.i)) {
          this.i += this.continuationLength(this.i);
        } else if (next === "$" || next === "`" || next === '"' || next === "\\") {
          this.add(next, this.i + 1);
          this.i += 2;
        } else {
          // Inside double quotes a backslash before any other character is kept.
          this.add("\\", this.i);
          this.i++;
        }
      } else if (c === "$") {
        this.readDollar();
      } else if (c === "`") {
        this.readBackquoted();
      } else {
        this.add(c, this.i);
        this.i++;
      }
    }
    this.problem(open, this.n, "unterminated double quote: the word runs to the end of the text");
    this.last = this.n - 1;
  }

  private readAnsiQuoted(): void {
    // bash's $'…': the usual C escapes; the character maps to its backslash.
    const t = this.text;
    const open = this.i;
    this.i += 2;
    const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", e: "\x1b", f: "\f", v: "\v", "?": "?" };
    while (this.i < this.n) {
      const c = t.charAt(this.i);
      if (c === "'") {
        this.last = this.i;
        this.i++;
        return;
      }
      if (c === "\\" && this.i + 1 < this.n) {
        const e = escapes[t.charAt(this.i + 1)];
        if (e !== undefined) {
          this.add(e, this.i);
          this.i += 2;
          continue;
        }
      }
      this.add(c, this.i);
      this.i++;
    }
    this.problem(open, this.n, "unterminated $'…' quote: the word runs to the end of the text");
    this.last = this.n - 1;
  }

  /** `$NAME`, `${…}`, `$(…)`, `$((…))`: kept verbatim, recorded as unresolved. */
  private readDollar(): void {
    const t = this.text;
    const start = this.i;
    const next = t.charAt(start + 1);
    if (next === "{") {
      const close = this.findClose(start + 2, "{", "}");
      const end = close < 0 ? this.n : close + 1;
      this.addVerbatim(start, end);
      const name = /^[#!]?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])/.exec(t.slice(start + 2, end));
      pushUnique(this.unresolved, name?.[1] ?? t.slice(start, end));
      if (close < 0) this.problem(start, this.n, "unterminated ${…}: the word runs to the end of the text");
      this.last = end - 1;
      this.i = end;
    } else if (next === "(") {
      const close = this.findClose(start + 2, "(", ")");
      const end = close < 0 ? this.n : close + 1;
      this.addVerbatim(start, end);
      pushUnique(this.unresolved, t.slice(start, end));
      if (close < 0) this.problem(start, this.n, "unterminated $(…): the word runs to the end of the text");
      this.last = end - 1;
      this.i = end;
    } else {
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(t.slice(start + 1, start + 256));
      if (m?.[1]) {
        const end = start + 1 + m[1].length;
        this.addVerbatim(start, end);
        pushUnique(this.unresolved, m[1]);
        this.last = end - 1;
        this.i = end;
      } else {
        this.add("$", start);
        this.last = start;
        this.i++;
      }
    }
  }

  private readBackquoted(): void {
    const t = this.text;
    const start = this.i;
    let k = start + 1;
    while (k < this.n && t.charAt(k) !== "`") k += t.charAt(k) === "\\" ? 2 : 1;
    const end = Math.min(k + 1, this.n);
    this.addVerbatim(start, end);
    pushUnique(this.unresolved, t.slice(start, end));
    if (k >= this.n) this.problem(start, this.n, "unterminated backquote: the word runs to the end of the text");
    this.last = end - 1;
    this.i = end;
  }

  /** Index of the bracket closing one opened just before `from`, skipping quotes; -1 if none. */
  private findClose(from: number, open: string, close: string): number {
    const t = this.text;
    let depth = 0;
    let k = from;
    while (k < this.n) {
      const c = t.charAt(k);
      if (c === "\\") {
        k += 2;
        continue;
      }
      if (c === "'") {
        const q = t.indexOf("'", k + 1);
        if (q < 0) return -1;
        k = q + 1;
        continue;
      }
      if (c === '"') {
        k++;
        while (k < this.n && t.charAt(k) !== '"') k += t.charAt(k) === "\\" ? 2 : 1;
        k++;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        if (depth === 0) return k;
        depth--;
      }
      k++;
    }
    return -1;
  }

  private skipHeredocBodies(): void {
    const t = this.text;
    for (const doc of this.pendingHeredocs) {
      let found = false;
      while (this.i < this.n) {
        const nl = t.indexOf("\n", this.i);
        const lineEnd = nl < 0 ? this.n : nl;
        let line = t.slice(this.i, lineEnd).replace(/\r$/, "");
        if (doc.stripTabs) line = line.replace(/^\t+/, "");
        this.i = nl < 0 ? this.n : nl + 1;
        if (line === doc.delimiter) {
          found = true;
          break;
        }
      }
      if (!found) this.problem(doc.from, doc.from + Math.max(1, doc.delimiter.length), `here-document delimited by '${doc.delimiter}' has no end line`);
    }
    this.pendingHeredocs = [];
  }
}

function textMap(text: string, file: string, startOffset: number, index: LineIndex | undefined): SourceMap {
  if (index) return { file, at: (i) => index.position(startOffset + i) };
  // Without the file's index, the text is taken to start at column startOffset + 1 of line 1.
  const own = new LineIndex(text);
  return {
    file,
    at: (i) => {
      const p = own.position(i);
      return p.line === 1 ? { line: 1, column: p.column + startOffset } : p;
    },
  };
}

/**
 * Splits one command line into words the way a POSIX shell tokenizes it: quotes and
 * backslashes removed, operators (`&&`, `;`, `|`, `>`…) as words of their own, `#`
 * comments dropped, `\`-newline continuations joined, newlines treated as blanks.
 * `text` is cut from a file at `startOffset`, and `index` is that file's LineIndex;
 * without `index`, `text` is taken as starting at line 1, column `startOffset + 1`.
 */
export function splitShellWords(text: string, file: string, startOffset = 0, index?: LineIndex): LocatedString[] {
  return scanShellWords(text, file, startOffset, index).words;
}

/** splitShellWords, with the problems found (unterminated quotes…). */
export function scanShellWords(text: string, file: string, startOffset = 0, index?: LineIndex): { words: LocatedString[]; problems: ParseProblem[] } {
  const lexer = new ShellLexer(text, textMap(text, file, startOffset, index), false).run();
  return { words: lexer.tokens.filter((t) => t.kind !== "newline").map((t) => t.word), problems: lexer.problems };
}

/**
 * The simple commands of a shell script, one per list element (split on newlines, `;`,
 * `&&`, `||`, `|`, `&`), in order. Keywords (`if … then … fi`, loops, `case`), function
 * headers, subshell parentheses, redirections and here-document bodies are left out, so
 * `if [ -f x ]; then exec uwsgi --ini a.ini; fi` yields `[ -f x ]` and `exec uwsgi --ini a.ini`.
 */
export function splitShellScript(text: string, file: string): ShellCommand[] {
  return parseShellScript(text, file).commands;
}

/** splitShellScript, with the problems found. */
export function parseShellScript(text: string, file: string): { commands: ShellCommand[]; problems: ParseProblem[] } {
  const lexer = new ShellLexer(text, textMap(text, file, 0, new LineIndex(text)), true).run();
  return { commands: toShellCommands(commandsFromTokens(lexer.tokens)), problems: lexer.problems };
}

function toShellCommands(commands: CommandTokens[]): ShellCommand[] {
  return commands.map((c) => ({ line: c.line, words: c.tokens.map((t) => t.word), conditional: c.conditional }));
}

/**
 * Lexes a word's value as a script of its own (the string of `sh -c "…"`), with ranges
 * inside the word's source when its characters can be traced, else the whole word's range.
 */
export function splitWordAsScript(word: LocatedString): { commands: ShellCommand[]; problems: ParseProblem[] } {
  const positions = charPositions(word);
  const map: SourceMap = positions
    ? { file: word.range.file, at: (i) => positions[Math.min(i, positions.length - 1)] ?? { line: word.range.line, column: word.range.column } }
    : { file: word.range.file, at: () => ({ line: word.range.line, column: word.range.column }), coarse: word.range };
  const lexer = new ShellLexer(word.value, map, true).run();
  return { commands: toShellCommands(commandsFromTokens(lexer.tokens)), problems: lexer.problems };
}

/**
 * Cuts a word list (from splitShellWords, a compose `command:` list, a Dockerfile CMD)
 * into simple commands at operator words, dropping redirections and shell keywords.
 * `indices` gives each kept word's index in the input list.
 */
export function simpleCommands(words: LocatedString[]): { words: LocatedString[]; indices: number[]; conditional: boolean }[] {
  const tokens: Token[] = words.map((word, index) => {
    const origin = origins.get(word);
    const kind: TokenKind = origin ? (origin.operator ? "op" : "word") : OPERATOR_SET.has(word.value) || isRedirection(word.value) ? "op" : "word";
    return { kind, word, quoted: origin?.quoted ?? false, index };
  });
  return commandsFromTokens(tokens).map((c) => ({ words: c.tokens.map((t) => t.word), indices: c.tokens.map((t) => t.index), conditional: c.conditional }));
}

/** True when the word is an unquoted shell operator (`&&`, `|`, `>`…). */
export function isOperatorWord(word: LocatedString): boolean {
  const origin = origins.get(word);
  return origin ? origin.operator : OPERATOR_SET.has(word.value);
}

/** True when any part of the word was quoted or backslash-escaped in its source (only known for words this module made). */
export function isQuotedWord(word: LocatedString): boolean {
  return origins.get(word)?.quoted ?? false;
}

/** An open compound command; `conditional` when what runs inside may not run (if/loop bodies, case arms, functions). */
interface Block {
  kind: "if" | "loop" | "for" | "case" | "function" | "group";
  conditional: boolean;
  /** case only: `a|b)` patterns are expected next. */
  patterns?: boolean;
}

interface CommandTokens {
  line: number;
  tokens: Token[];
  conditional: boolean;
}

function commandsFromTokens(tokens: Token[]): CommandTokens[] {
  const out: CommandTokens[] = [];
  let cur: Token[] = [];
  const blocks: Block[] = [];
  let skipToSeparator = false;
  let skipCaseHeader = 0;
  let functionHeader = false;
  const top = (): Block | undefined => blocks[blocks.length - 1];
  const close = (...kinds: Block["kind"][]): void => {
    for (let b = blocks.length - 1; b >= 0; b--) {
      if (kinds.includes((blocks[b] as Block).kind)) {
        blocks.length = b;
        return;
      }
    }
  };
  const flush = (): void => {
    const first = cur[0];
    if (first) out.push({ line: first.word.range.line, tokens: cur, conditional: blocks.some((b) => b.conditional) });
    cur = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (!tok) continue;
    const v = tok.word.value;
    const block = top();
    const inPatterns = block?.kind === "case" && block.patterns === true;
    if (tok.kind === "newline" || (tok.kind === "op" && (SEPARATORS.has(v) || CASE_BREAKS.has(v)))) {
      if (inPatterns && tok.kind === "op" && v === "|") continue;
      flush();
      skipToSeparator = false;
      if (tok.kind === "op" && CASE_BREAKS.has(v) && block?.kind === "case") block.patterns = true;
      continue;
    }
    if (skipCaseHeader > 0) {
      // `case WORD in`: the subject, then `in`.
      skipCaseHeader = tok.kind === "word" && v === "in" && skipCaseHeader === 1 ? 0 : skipCaseHeader - 1;
      if (skipCaseHeader === 0) blocks.push({ kind: "case", conditional: true, patterns: true });
      continue;
    }
    if (inPatterns) {
      if (tok.kind === "word" && !tok.quoted && v === "esac") close("case");
      else if (tok.kind === "op" && v === ")") block.patterns = false;
      continue;
    }
    if (skipToSeparator) {
      if (tok.kind === "word" && !tok.quoted && v === "do") skipToSeparator = false;
      continue;
    }
    if (tok.kind === "op") {
      if (isRedirection(v)) {
        // The target is the next word unless it is written in the same word (`2>&1`, `>/dev/null`).
        const next = tokens[k + 1];
        if (/^\d*[<>&|-]+$/.test(v) && next && next.kind === "word") k++;
        continue;
      }
      if (v === "(" && cur.length === 1 && tokens[k + 1]?.word.value === ")") {
        // `name() {`: a function header, not a command.
        cur = [];
        k++;
        functionHeader = true;
        continue;
      }
      // Subshell parentheses and anything else: a command boundary.
      flush();
      continue;
    }
    if (cur.length === 0 && !tok.quoted) {
      switch (v) {
        case "if":
        case "while":
        case "until":
          // The condition always runs; the body only when it holds.
          blocks.push({ kind: v === "if" ? "if" : "loop", conditional: false });
          continue;
        case "then":
        case "do":
        case "else":
        case "elif": {
          const b = top();
          if (b) b.conditional = true;
          continue;
        }
        case "fi":
          close("if");
          continue;
        case "done":
          close("loop", "for");
          continue;
        case "esac":
          close("case");
          continue;
        case "{":
          blocks.push({ kind: functionHeader ? "function" : "group", conditional: functionHeader });
          functionHeader = false;
          continue;
        case "}":
          close("function", "group");
          continue;
        case "!":
        case "time":
          continue;
        case "for":
        case "select":
          blocks.push({ kind: "for", conditional: true });
          skipToSeparator = true;
          continue;
        case "case":
          skipCaseHeader = 2;
          continue;
        case "function":
          // `function name {` / `function name() {`
          k++;
          if (tokens[k + 1]?.word.value === "(" && tokens[k + 2]?.word.value === ")") k += 2;
          functionHeader = true;
          continue;
      }
    }
    functionHeader = false;
    cur.push(tok);
  }
  flush();
  return out;
}

/**
 * Source position of each character of a word's value: exact for words this module made;
 * for other words, inferred when the range is one line whose width is the value's length
 * (unquoted) or the length plus two (quoted without escapes); else undefined.
 */
function charPositions(word: LocatedString): Pos[] | undefined {
  const origin = origins.get(word);
  if (origin) return origin.positions;
  const r = word.range;
  const len = word.value.length;
  if (r.line !== r.endLine || word.value.includes("\n")) return undefined;
  const width = r.endColumn - r.column;
  const shift = width === len ? 0 : width === len + 2 ? 1 : -1;
  if (shift < 0) return undefined;
  return Array.from({ length: len }, (_, k) => ({ line: r.line, column: r.column + shift + k }));
}

/** Range of the characters [start, end) of a word's value; the whole word's range when unknowable. */
export function wordCharRange(word: LocatedString, start: number, end: number): SourceRange {
  const positions = charPositions(word);
  if (!positions) return copyRange(word.range);
  const file = word.range.file;
  if (end <= start) {
    const p = positions[start] ?? positions[start - 1];
    if (!p) return { file, line: word.range.line, column: word.range.column, endLine: word.range.line, endColumn: word.range.column };
    const column = positions[start] ? p.column : p.column + 1;
    return { file, line: p.line, column, endLine: p.line, endColumn: column };
  }
  const s = positions[start];
  const e = positions[Math.min(end, positions.length) - 1];
  if (!s || !e) return copyRange(word.range);
  return { file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column + 1 };
}

/** The part [start, end) of a word's value as a word of its own (`--bind=x` → `x`). */
export function sliceWord(word: LocatedString, start: number, end: number = word.value.length): LocatedString {
  const value = word.value.slice(start, end);
  const out: LocatedString = { value, range: wordCharRange(word, start, end) };
  const unresolved = (word.unresolved ?? []).filter((u) => (u.startsWith("$") || u.startsWith("`") ? value.includes(u) : value.includes(`$${u}`) || value.includes(`\${${u}`) || value.includes(`\${#${u}`) || value.includes(`\${!${u}`)));
  if (unresolved.length > 0) out.unresolved = unresolved;
  const origin = origins.get(word);
  const positions = charPositions(word);
  origins.set(out, { positions: positions?.slice(start, end), quoted: origin?.quoted ?? false, operator: false });
  return out;
}

/**
 * True when a word is nothing but one unquoted expansion left unresolved (`$ARGS`, `${OPTS}`,
 * `$@`): it may become any number of words at run time, so parsers skip it. Words from other
 * loaders are taken as unquoted.
 */
export function isBareExpansion(word: LocatedString): boolean {
  if (origins.get(word)?.quoted) return false; // "$APP" is exactly one word
  return (word.unresolved?.length ?? 0) > 0 && /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[@*0-9])$/.test(word.value);
}
