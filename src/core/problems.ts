import type { SourceRange } from "./location.js";

/**
 * A file that could not be read or parsed (fully). Loaders return these instead of
 * throwing; the engine turns each into a `parse/problem` finding so the rest of the
 * lint goes on.
 */
export interface ParseProblem {
  range: SourceRange;
  message: string;
}

export function parseProblem(range: SourceRange, message: string): ParseProblem {
  return { range, message };
}
