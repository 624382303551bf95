import { join } from "node:path";
import type { ParseProblem } from "../core/problems.js";
import { readSourceText, type SourceText } from "../core/source-file.js";

/**
 * Reads each repository file once and parses it once per file kind; collects each
 * file's problems exactly once, however many stacks or services use the file.
 */
export class SourceCache {
  private readonly texts = new Map<string, SourceText>();
  private readonly parsed = new Map<string, unknown>();
  private readonly reported = new Set<string>();
  private readonly problemIds = new Set<string>();
  readonly problems: ParseProblem[] = [];

  constructor(readonly rootAbs: string) {}

  /** The decoded text of a root-relative file (problems recorded once). */
  text(file: string): SourceText {
    let source = this.texts.get(file);
    if (!source) {
      source = readSourceText(join(this.rootAbs, file), file);
      this.texts.set(file, source);
      this.record(`text:${file}`, source.problems);
    }
    return source;
  }

  /** Every text read so far (unreadable files left out), for inline suppressions. */
  readTexts(): { file: string; text: string }[] {
    return [...this.texts.values()].flatMap((s) => (s.text === undefined ? [] : [{ file: s.file, text: s.text }]));
  }

  /** A file's text without recording problems: the copy read earlier, else read now (findings on files the loaders never read). */
  peek(file: string): string | undefined {
    const known = this.texts.get(file);
    if (known) return known.text;
    if (file.startsWith("../") || file.startsWith("/")) return undefined;
    return readSourceText(join(this.rootAbs, file), file).text;
  }

  /** Parses a file with `parse` once per `kind`, recording the parse's problems once. */
  parse<T extends { problems: ParseProblem[] }>(kind: string, file: string, parse: (text: string) => T, empty: () => T): T {
    const key = `${kind}:${file}`;
    const cached = this.parsed.get(key) as T | undefined;
    if (cached) return cached;
    const source = this.text(file);
    const result = source.text === undefined ? empty() : parse(source.text);
    this.parsed.set(key, result);
    this.record(key, result.problems);
    return result;
  }

  /** Records problems found later (include loops, evaluation limits) once per key. */
  record(key: string, problems: readonly ParseProblem[]): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    for (const p of problems) {
      const id = `${p.range.file}\0${p.range.line}\0${p.range.column}\0${p.message}`;
      if (this.problemIds.has(id)) continue;
      this.problemIds.add(id);
      this.problems.push(p);
    }
  }
}
