import { parsePython, type ParsedPython } from "../python/parse.js";
import type { SourceCache } from "./source-cache.js";

/** A Python file, parsed once per lint and its syntax problems recorded once. */
export function loadPython(cache: SourceCache, file: string): ParsedPython {
  return cache.parse("python", file, (text) => parsePython(text, file), () => ({ file, tree: undefined, text: "", problems: [] }) as unknown as ParsedPython);
}
