import type { SourceRange } from "../../core/location.js";
import { PY_SPACE, splitLines, universalNewlines } from "./text.js";

/**
 * A .env file as django-environ's `Env.read_env` reads it. Its line rules changed between
 * releases, and each change changes values:
 * - 0.4.4: `NAME=value` only (no `export`, no spaces around `=`); `'…'` unquoted; `"…"`
 *   unquoted with every `\x` turned into `x` (so `\n` becomes `n`); `#` is part of the value.
 * - 0.4.5: `export NAME=value` too.
 * - 0.8.0: in `"…"`, `\n` `\r` `\t` keep their backslash; the last line for a name wins
 *   (before, the first one did: each line was `setdefault` on its own).
 * - 0.11.x: inline comments are cut: `A=x # c` is `x ` (text before the first `#`), and
 *   `'…'` may be followed by a comment.
 * - 0.12: inline comments are kept again unless `parse_comments=True`.
 */

export interface EnvironEnvEntry {
  name: string;
  value: string;
  /** The line's `NAME=value`. */
  range: SourceRange;
}

export interface EnvironReadRules {
  exportPrefix: boolean;
  keepFormatEscapes: boolean;
  parseComments: boolean;
  lastWins: boolean;
}

const LINE_EXPORT = /^(?:export )?([A-Za-z_0-9]+)=(.*)$/s;
const LINE_PLAIN = /^([A-Za-z_0-9]+)=(.*)$/s;
const SINGLE_QUOTED = /^'(.*)'$/s;
const SINGLE_QUOTED_WITH_COMMENT = new RegExp(`^[${PY_SPACE}]*'(?<!\\\\)(.*)'[${PY_SPACE}]*(#.*[${PY_SPACE}]*)?$`, "s");
const BEFORE_COMMENT = /^(.*?)(#.*)?$/s;
const DOUBLE_QUOTED = /^"(.*)"$/s;

export function parseEnvironEnv(original: string, file: string, rules: EnvironReadRules): EnvironEnvEntry[] {
  const { text, range } = universalNewlines(original, file);
  const byName = new Map<string, EnvironEnvEntry>();
  const entries: EnvironEnvEntry[] = [];
  for (const { line, start } of splitLines(text)) {
    // Python's `.` stops at "\n" only, and splitlines() left none in a line: `s` mode is equivalent.
    const m = (rules.exportPrefix ? LINE_EXPORT : LINE_PLAIN).exec(line);
    if (!m) continue;
    const name = m[1] as string;
    let val = m[2] as string;
    if (rules.parseComments) {
      const quoted = SINGLE_QUOTED_WITH_COMMENT.exec(val);
      if (quoted) val = quoted[1] as string;
      else val = (BEFORE_COMMENT.exec(val) as RegExpExecArray)[1] as string;
    } else {
      const quoted = SINGLE_QUOTED.exec(val);
      if (quoted) val = quoted[1] as string;
    }
    const dq = DOUBLE_QUOTED.exec(val);
    if (dq) {
      val = (dq[1] as string).replace(/\\(.)/gs, (_all, c: string) => (rules.keepFormatEscapes && "rnt".includes(c) ? `\\${c}` : c));
    }
    const entry: EnvironEnvEntry = { name, value: val, range: range(start, start + line.length) };
    if (rules.lastWins) byName.set(name, entry);
    else if (!byName.has(name)) byName.set(name, entry);
    entries.push(entry);
  }
  // Keep file order of the winning entries.
  return entries.filter((e) => byName.get(e.name) === e);
}
