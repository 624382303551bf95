import type { SourceRange } from "../../core/location.js";
import { pyStrip, universalNewlines } from "./text.js";

/**
 * A .env file as python-decouple's RepositoryEnv reads it (3.6 – 3.8, unchanged): each
 * line stripped; blank lines, `#` lines and lines without `=` skipped; name and value split
 * at the first `=` and stripped; one pair of matching outer quotes removed. No escapes, no
 * `export`, no inline comments (`A=x # c` is `x # c`), no expansion — simpler than
 * python-dotenv and compose, so it has its own reader. The last line for a name wins.
 */

export interface DecoupleEnvEntry {
  name: string;
  value: string;
  /** The stripped line. */
  range: SourceRange;
}

export function parseDecoupleEnv(original: string, file: string): DecoupleEnvEntry[] {
  const { text, range } = universalNewlines(original, file);
  const entries: DecoupleEnvEntry[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl + 1;
    const raw = text.slice(start, end);
    const line = pyStrip(raw);
    const eq = line.text.indexOf("=");
    if (line.text !== "" && !line.text.startsWith("#") && eq >= 0) {
      const name = pyStrip(line.text.slice(0, eq)).text;
      let value = pyStrip(line.text.slice(eq + 1)).text;
      if (value.length >= 2 && ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')))) {
        value = value.slice(1, -1);
      }
      entries.push({ name, value, range: range(start + line.start, start + line.end) });
    }
    start = end;
  }
  return entries;
}
