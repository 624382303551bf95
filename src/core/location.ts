/**
 * Source locations shared by every loader, the model, the rules and the formatters.
 * Lines and columns are 1-based; columns count UTF-16 code units (JavaScript string
 * indices + 1), which is also SARIF's default column unit. `endColumn` is exclusive.
 * `file` is relative to the lint root, with forward slashes.
 */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A value read from a file, with the place it was read from. */
export interface Located<T> {
  value: T;
  range: SourceRange;
}

/** A range covering the first line of a file: used when a problem has no better place. */
export function fileStart(file: string): SourceRange {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function located<T>(value: T, range: SourceRange): Located<T> {
  return { value, range };
}

export function formatRange(range: SourceRange): string {
  return `${range.file}:${range.line}:${range.column}`;
}

/**
 * A string read from a file (a compose scalar, a shell word, a Dockerfile argument).
 * `unresolved` lists variables that had no value while the string was interpolated.
 */
export interface LocatedString {
  value: string;
  range: SourceRange;
  unresolved?: string[];
}
