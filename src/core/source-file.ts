import { readFileSync, statSync } from "node:fs";
import { fileStart } from "./location.js";
import type { ParseProblem } from "./problems.js";

/** Files above this size are not parsed: a deployment config is never this big. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface SourceText {
  /** Relative path from the lint root, forward slashes. */
  file: string;
  /** Decoded text (BOM removed), or undefined when the file could not be used at all. */
  text: string | undefined;
  problems: ParseProblem[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/**
 * Reads one file as text the way our parsers need it: never throws; binary,
 * oversized, unreadable and non-UTF-8 files come back as parse problems.
 */
export function readSourceText(absPath: string, file: string): SourceText {
  const problems: ParseProblem[] = [];
  let bytes: Buffer;
  try {
    const stat = statSync(absPath);
    // Reading a FIFO blocks until a writer comes; a directory cannot be read as text.
    if (!stat.isFile()) return { file, text: undefined, problems: [{ range: fileStart(file), message: "not a regular file; not read" }] };
    const size = stat.size;
    if (size > MAX_FILE_BYTES) {
      return {
        file,
        text: undefined,
        problems: [{ range: fileStart(file), message: `file is ${size} bytes, above the ${MAX_FILE_BYTES}-byte limit; not parsed` }],
      };
    }
    bytes = readFileSync(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { file, text: undefined, problems: [{ range: fileStart(file), message: `cannot read file (${code})` }] };
  }
  if (bytes.includes(0)) {
    return { file, text: undefined, problems: [{ range: fileStart(file), message: "binary file (contains NUL bytes); not parsed" }] };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = latin1.decode(bytes);
    problems.push({ range: fileStart(file), message: "file is not valid UTF-8; read as Latin-1" });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file, text, problems };
}
