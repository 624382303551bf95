/**
 * nginx configuration parser.
 *
 * Written by hand because the npm `nginx-conf` package (and the other JavaScript nginx
 * parsers) keep no line numbers, and every directive and argument here must carry the
 * range it was read from. The tokenizer follows nginx's own `ngx_conf_read_token()`
 * (src/core/ngx_conf_file.c) so that we split, quote and unescape exactly as nginx does,
 * and report syntax errors on the line `nginx -t` reports them.
 *
 * Templates rendered by envsubst (the official image's `/etc/nginx/templates/*.template`,
 * `*.conf.tpl`, ...) are parsed the same way: `${VAR}` is an ordinary part of a token.
 */
import type { SourceRange } from "../core/location.js";
import { LineIndex } from "../core/line-index.js";
import type { ParseProblem } from "../core/problems.js";

export interface NginxArg {
  /** Unquoted, escapes resolved as nginx does (\" \' \\ and \t \r \n); variables like $host or ${APP_HOST} kept verbatim. */
  value: string;
  /** The token exactly as written (with quotes). */
  raw: string;
  quoted: boolean;
  /** Range of the raw token. */
  range: SourceRange;
}

export interface NginxDirective {
  name: string;
  nameRange: SourceRange;
  args: NginxArg[];
  /** From the name to the terminating ';' or the closing '}' of its block (inclusive). */
  range: SourceRange;
  /** Present for block directives (http, server, location, upstream, if, map, types, events, ...). */
  block?: NginxDirective[];
  /**
   * Only on `include` directives, set by expandIncludes (not by the parser): the repository
   * files the include pulls in, in nginx's order. Unset when the target is outside the
   * repository ("external") or the include is malformed; files that would close a loop or
   * go past the depth limit are left out (and reported).
   */
  included?: IncludedNginxFile[];
}

export interface IncludedNginxFile {
  file: string;
  directives: NginxDirective[];
}

export interface NginxConfFile {
  file: string;
  directives: NginxDirective[];
  problems: ParseProblem[];
}

/**
 * Blocks nested deeper than this stop the parse. Real configs nest a handful of levels
 * (http > server > location > location > if); the cap keeps every consumer (walks,
 * include expansion, recursion in rules) safe from pathological input.
 */
export const MAX_NGINX_BLOCK_DEPTH = 100;

/** Problems kept per file: past this, a broken (or non-nginx) file would only bury the first, useful one. */
export const MAX_NGINX_PROBLEMS = 100;

// Character codes the tokenizer switches on.
const Ch = {
  Tab: 9,
  LF: 10,
  CR: 13,
  Space: 32,
  DQuote: 34,
  Hash: 35,
  Dollar: 36,
  SQuote: 39,
  RParen: 41,
  Semicolon: 59,
  Backslash: 92,
  LBrace: 123,
  RBrace: 125,
} as const;

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR;
}

type Token =
  | { kind: "word"; start: number; end: number; quoted: boolean }
  | { kind: ";"; start: number; end: number }
  | { kind: "{"; start: number; end: number }
  | { kind: "}"; start: number; end: number }
  /** `unterminatedQuote`: the file ended inside a quoted string (already reported). */
  | { kind: "eof"; start: number; end: number; unterminatedQuote?: boolean };

/** Splits nginx config text into words and the separators `;` `{` `}`, as ngx_conf_read_token does. */
class NginxTokenizer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly report: (start: number, end: number, message: string) => void,
  ) {}

  next(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    for (;;) {
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i < n && text.charCodeAt(i) === Ch.Hash) {
        // A comment starts only where a token could start, and (as in nginx) ends at LF only.
        const lf = text.indexOf("\n", i);
        i = lf === -1 ? n : lf + 1;
        continue;
      }
      break;
    }
    if (i >= n) {
      this.pos = n;
      return { kind: "eof", start: n, end: n };
    }
    const c = text.charCodeAt(i);
    if (c === Ch.Semicolon || c === Ch.LBrace || c === Ch.RBrace) {
      this.pos = i + 1;
      const kind = c === Ch.Semicolon ? ";" : c === Ch.LBrace ? "{" : "}";
      return { kind, start: i, end: i + 1 };
    }
    if (c === Ch.DQuote || c === Ch.SQuote) return this.quoted(i, c);
    return this.unquoted(i);
  }

  /** A quoted word: runs to the matching quote; a backslash protects the next character. */
  private quoted(start: number, quote: number): Token {
    const text = this.text;
    const n = text.length;
    let i = start + 1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === Ch.Backslash) i += 2;
      else if (c === quote) break;
      else i++;
    }
    if (i >= n) {
      this.report(start, start + 1, `unterminated ${quote === Ch.DQuote ? "double" : "single"}-quoted string (unexpected end of file)`);
      this.pos = n;
      return { kind: "eof", start: n, end: n, unterminatedQuote: true };
    }
    const end = i + 1;
    this.pos = end;
    // nginx wants a separator right after the closing quote; ')' is allowed for `if (... "x")`.
    // A '}' is left to the parser, which reports the missing ';' there.
    if (end < n) {
      const after = text.charCodeAt(end);
      if (!isSpace(after) && after !== Ch.Semicolon && after !== Ch.LBrace && after !== Ch.RParen && after !== Ch.RBrace) {
        this.report(end, end + charLength(text, end), `unexpected "${String.fromCodePoint(text.codePointAt(end) ?? after)}" after a quoted string, expecting a space, ";" or "{"`);
      }
    }
    return { kind: "word", start, end, quoted: true };
  }

  /**
   * An unquoted word ends at whitespace, ';' or '{' — but not at '}' and not at '{' right
   * after '$' (so `${VAR}` stays one word, while `^/a{2}` unquoted does not).
   */
  private unquoted(start: number): Token {
    const text = this.text;
    const n = text.length;
    let i = start;
    let variable = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === Ch.LBrace && variable) {
        i++;
        continue;
      }
      variable = false;
      if (c === Ch.Backslash) {
        i += 2;
        continue;
      }
      if (c === Ch.Dollar) {
        variable = true;
        i++;
        continue;
      }
      if (isSpace(c) || c === Ch.Semicolon || c === Ch.LBrace) break;
      i++;
    }
    const end = Math.min(i, n);
    this.pos = end;
    return { kind: "word", start, end, quoted: false };
  }
}

function charLength(text: string, offset: number): number {
  const cp = text.codePointAt(offset);
  return cp !== undefined && cp > 0xffff ? 2 : 1;
}

/** The value nginx stores for a word: \" \' \\ lose the backslash, \t \r \n become control characters, any other backslash stays. */
export function unescapeNginxWord(content: string): string {
  if (!content.includes("\\")) return content;
  let out = "";
  let i = 0;
  while (i < content.length) {
    const c = content[i]!;
    if (c === "\\" && i + 1 < content.length) {
      const e = content[i + 1]!;
      if (e === '"' || e === "'" || e === "\\") {
        out += e;
        i += 2;
        continue;
      }
      if (e === "t" || e === "r" || e === "n") {
        out += e === "t" ? "\t" : e === "r" ? "\r" : "\n";
        i += 2;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** One block being filled while parsing; the top frame holds the file's directives. */
interface OpenBlock {
  directives: NginxDirective[];
  /** The block directive, or undefined for the file level and for a stray nameless `{`. */
  owner?: NginxDirective;
  /** Offset of the `{`, for "unexpected end of file" reports. */
  braceStart: number;
}

export function parseNginxConf(text: string, file: string): NginxConfFile {
  const lines = new LineIndex(text);
  const problems: ParseProblem[] = [];
  let dropped = 0;
  const report = (start: number, end: number, message: string): void => {
    if (problems.length < MAX_NGINX_PROBLEMS) problems.push({ range: lines.range(file, start, end), message });
    else dropped++;
  };
  const tokenizer = new NginxTokenizer(text, report);
  const root: NginxDirective[] = [];
  const stack: OpenBlock[] = [{ directives: root, braceStart: -1 }];
  let pending: Array<Token & { kind: "word" }> = [];

  const current = (): OpenBlock => stack[stack.length - 1]!;
  const argOf = (t: Token & { kind: "word" }): NginxArg => {
    const raw = text.slice(t.start, t.end);
    const content = t.quoted ? raw.slice(1, -1) : raw;
    return { value: unescapeNginxWord(content), raw, quoted: t.quoted, range: lines.range(file, t.start, t.end) };
  };
  /** Builds the directive from the pending words; `end` is the offset after its last character. */
  const makeDirective = (end: number): NginxDirective => {
    const [first, ...rest] = pending;
    const name = argOf(first!);
    pending = [];
    return {
      name: name.value,
      nameRange: name.range,
      args: rest.map(argOf),
      range: lines.range(file, first!.start, end),
    };
  };
  const nameOfPending = (): string => argOf(pending[0]!).value;
  // Block ranges are fixed when the block closes; remember where each block directive starts.
  const blockStart = new Map<NginxDirective, number>();

  for (;;) {
    const tok = tokenizer.next();
    if (tok.kind === "word") {
      pending.push(tok);
      continue;
    }
    if (tok.kind === ";") {
      if (pending.length === 0) {
        report(tok.start, tok.end, `unexpected ";"`);
        continue;
      }
      current().directives.push(makeDirective(tok.end));
      continue;
    }
    if (tok.kind === "{") {
      if (stack.length > MAX_NGINX_BLOCK_DEPTH) {
        report(tok.start, tok.end, `blocks nested more than ${MAX_NGINX_BLOCK_DEPTH} levels deep; the rest of the file is not parsed`);
        closeAllAt(tok.start);
        break;
      }
      if (pending.length === 0) {
        // nginx rejects a block without a name; parse it anyway to keep the braces balanced, then drop it.
        report(tok.start, tok.end, `unexpected "{"`);
        stack.push({ directives: [], braceStart: tok.start });
        continue;
      }
      const startOffset = pending[0]!.start;
      const directive = makeDirective(tok.end);
      directive.block = [];
      blockStart.set(directive, startOffset);
      current().directives.push(directive);
      stack.push({ directives: directive.block, owner: directive, braceStart: tok.start });
      continue;
    }
    if (tok.kind === "}") {
      if (pending.length > 0) {
        // Same place as nginx's `unexpected "}"`; keep the directive, it only lacks its ';'.
        report(tok.start, tok.end, `unexpected "}": directive "${nameOfPending()}" is not terminated by ";"`);
        const last = pending[pending.length - 1]!;
        current().directives.push(makeDirective(last.end));
        if (stack.length === 1) continue; // already reported: one problem per '}'
      }
      if (stack.length === 1) {
        report(tok.start, tok.end, `unexpected "}"`);
        continue;
      }
      const closed = stack.pop()!;
      if (closed.owner) closed.owner.range = lines.range(file, blockStart.get(closed.owner) ?? tok.start, tok.end);
      continue;
    }
    // End of file.
    if (pending.length > 0) {
      const last = pending[pending.length - 1]!;
      if (!tok.unterminatedQuote) report(pending[0]!.start, last.end, `unexpected end of file: directive "${nameOfPending()}" is not terminated by ";"`);
      current().directives.push(makeDirective(last.end));
    }
    for (let depth = 1; depth < stack.length; depth++) {
      const open = stack[depth]!;
      report(open.braceStart, open.braceStart + 1, `unexpected end of file, expecting "}"`);
    }
    closeAllAt(text.length);
    break;
  }

  /** Ends every open block at `end` (end of file, or where parsing stopped). */
  function closeAllAt(end: number): void {
    for (let depth = stack.length - 1; depth >= 1; depth--) {
      const owner = stack[depth]!.owner;
      if (owner) owner.range = lines.range(file, blockStart.get(owner) ?? end, end);
    }
    stack.length = 1;
  }

  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  if (dropped > 0) {
    const last = problems[problems.length - 1]!.range;
    problems.push({ range: { ...last }, message: `${dropped} more problem${dropped === 1 ? "" : "s"} in this file not reported` });
  }
  return { file, directives: root, problems };
}

/**
 * Depth-first, pre-order walk over directives, descending into blocks and into the files
 * an `include` pulled in (after visiting the include itself). `ancestors` are the enclosing
 * block directives, outermost first (an include directive is not an ancestor: a `location`
 * from an included file has the including `server` as its parent, as nginx sees it); the
 * array is a fresh copy per block, safe to keep. `file` is the file the directive is
 * written in. The `file` parameter names the file of the top-level `directives`; omit it to
 * use their `range.file`.
 */
export function walkNginx(
  directives: NginxDirective[],
  visit: (d: NginxDirective, ancestors: NginxDirective[], file: string) => void,
  file?: string,
): void {
  walkList(directives, [], file, visit);
}

function walkList(
  directives: NginxDirective[],
  ancestors: NginxDirective[],
  file: string | undefined,
  visit: (d: NginxDirective, ancestors: NginxDirective[], file: string) => void,
): void {
  for (const d of directives) {
    visit(d, ancestors, file ?? d.range.file);
    if (d.block) walkList(d.block, [...ancestors, d], file, visit);
    for (const inc of d.included ?? []) walkList(inc.directives, ancestors, inc.file, visit);
  }
}
