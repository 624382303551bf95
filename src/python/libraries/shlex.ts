/**
 * python-decouple's Csv splits with `shlex.shlex(value, posix=True)` whose `whitespace` is
 * the delimiter and `whitespace_split=True`. That tokenizer has quirks a plain split does
 * not: quotes group (`"a,b",c` is two items), a backslash escapes, and `#` starts a comment
 * that ends the value. This is CPython's `shlex.read_token` for exactly that configuration.
 */

export type ShlexResult = { tokens: string[] } | { error: string };

const QUOTES = "'\"";
const ESCAPE = "\\";
const ESCAPED_QUOTES = '"';
const COMMENTERS = "#";

export function shlexSplitPosix(input: string, whitespace: string): ShlexResult {
  const tokens: string[] = [];
  let pos = 0;
  const read = (): string => (pos < input.length ? (input[pos++] as string) : "");
  const skipLine = (): void => {
    const nl = input.indexOf("\n", pos);
    pos = nl < 0 ? input.length : nl + 1;
  };
  let state: string | null = " ";
  for (;;) {
    if (state === null) break;
    let token = "";
    let quoted = false;
    let escapedState = " ";
    for (;;) {
      const c = read();
      if (state === null) break;
      if (state === " ") {
        if (c === "") {
          state = null;
          break;
        } else if (whitespace.includes(c)) {
          if (token || quoted) break;
          continue;
        } else if (COMMENTERS.includes(c)) {
          skipLine();
        } else if (ESCAPE.includes(c)) {
          escapedState = "a";
          state = c;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else {
          // word characters, and with whitespace_split anything else, start a word
          token = c;
          state = "a";
        }
      } else if (QUOTES.includes(state)) {
        quoted = true;
        if (c === "") return { error: "ValueError: No closing quotation" };
        if (c === state) state = "a";
        else if (ESCAPE.includes(c) && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = c;
        } else token += c;
      } else if (ESCAPE.includes(state)) {
        if (c === "") return { error: "ValueError: No escaped character" };
        // In quotes only the quote itself or the escape character may be escaped.
        if (QUOTES.includes(escapedState) && c !== state && c !== escapedState) token += state;
        token += c;
        state = escapedState;
      } else {
        // state "a": inside a word
        if (c === "") {
          state = null;
          break;
        } else if (whitespace.includes(c)) {
          state = " ";
          if (token || quoted) break;
          continue;
        } else if (COMMENTERS.includes(c)) {
          skipLine();
          state = " ";
          if (token || quoted) break;
          continue;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else if (ESCAPE.includes(c)) {
          escapedState = "a";
          state = c;
        } else token += c;
      }
    }
    // posix: an empty unquoted token is the end of input
    if (!quoted && token === "") {
      if (state === null) break;
      continue;
    }
    tokens.push(token);
  }
  return { tokens };
}
