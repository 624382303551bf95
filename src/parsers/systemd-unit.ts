/**
 * systemd unit files (`gunicorn.service`): the [Service] keys a Django deployment on a
 * host uses — ExecStart, WorkingDirectory, Environment, EnvironmentFile, User. Written by
 * hand because no maintained npm parser keeps line numbers; the format is small
 * (systemd.syntax(7): `[Section]`, `Key=Value`, `#`/`;` comments, `\` line continuations).
 */
import type { LocatedString, SourceRange } from "../core/location.js";
import { LineIndex } from "../core/line-index.js";
import type { ParseProblem } from "../core/problems.js";
import { scanShellWords } from "./shell-words.js";

export interface SystemdEntry {
  section: string;
  key: string;
  /** The value with continuations joined; `range` covers it in the file. */
  value: LocatedString;
}

export interface SystemdUnit {
  file: string;
  entries: SystemdEntry[];
  /** ExecStart's command line, split like systemd does (shell-like quoting), prefixes (`-@:+!`) dropped. */
  execStart: LocatedString[] | undefined;
  workingDirectory: LocatedString | undefined;
  /** `Environment="A=1" B=2`, each assignment located. */
  environment: { name: string; value: string; range: SourceRange }[];
  /** `EnvironmentFile=-/srv/app/.env`: `optional` for the `-` prefix. */
  environmentFiles: { path: LocatedString; optional: boolean }[];
  problems: ParseProblem[];
}

export function parseSystemdUnit(text: string, file: string): SystemdUnit {
  const index = new LineIndex(text);
  const problems: ParseProblem[] = [];
  const entries: SystemdEntry[] = [];
  let section = "";
  for (let line = 1; line <= index.lineCount; line++) {
    const raw = index.lineText(line);
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (trimmed.startsWith("[")) {
      const close = trimmed.indexOf("]");
      if (close < 0) problems.push({ range: lineRange(file, line, raw), message: `systemd unit: unterminated section header '${trimmed}'` });
      else section = trimmed.slice(1, close);
      continue;
    }
    const eq = raw.indexOf("=");
    if (eq < 0) {
      problems.push({ range: lineRange(file, line, raw), message: `systemd unit: expected 'Key=Value', found '${trimmed}'` });
      continue;
    }
    const key = raw.slice(0, eq).trim();
    let startOffset = index.lineStart(line) + eq + 1;
    while (text[startOffset] === " " || text[startOffset] === "\t") startOffset++;
    // A trailing backslash continues the value on the next line (joined with a space).
    let endLine = line;
    let value = raw.slice(eq + 1).trim();
    while (value.endsWith("\\") && endLine < index.lineCount) {
      endLine++;
      value = `${value.slice(0, -1)} ${index.lineText(endLine).trim()}`;
    }
    const endText = index.lineText(endLine);
    const start = index.position(startOffset);
    entries.push({
      section,
      key,
      value: { value, range: { file, line: start.line, column: start.column, endLine, endColumn: endText.trimEnd().length + 1 } },
    });
    line = endLine;
  }

  const service = entries.filter((e) => e.section === "Service");
  const last = (key: string) => service.filter((e) => e.key === key).at(-1);
  const exec = last("ExecStart");
  let execStart: LocatedString[] | undefined;
  if (exec && exec.value.value !== "") {
    // Continuation lines were joined above; word positions are only exact on one-line values.
    const oneLine = exec.value.range.line === exec.value.range.endLine;
    const offset = index.lineStart(exec.value.range.line) + exec.value.range.column - 1;
    const scanned = oneLine ? scanShellWords(exec.value.value, file, offset, index) : { words: wholeRange(exec.value), problems: [] };
    problems.push(...scanned.problems);
    execStart = scanned.words.map((w, i) => (i === 0 ? { ...w, value: w.value.replace(/^[-@:+!]+/, "") } : w));
  }
  const environment: SystemdUnit["environment"] = [];
  for (const entry of service.filter((e) => e.key === "Environment")) {
    const offset = index.lineStart(entry.value.range.line) + entry.value.range.column - 1;
    for (const word of scanShellWords(entry.value.value, file, offset, index).words) {
      const eq = word.value.indexOf("=");
      if (eq > 0) environment.push({ name: word.value.slice(0, eq), value: word.value.slice(eq + 1), range: word.range });
    }
  }
  const environmentFiles = service
    .filter((e) => e.key === "EnvironmentFile" && e.value.value !== "")
    .map((e) => ({ path: { value: e.value.value.replace(/^-/, ""), range: e.value.range }, optional: e.value.value.startsWith("-") }));
  const wd = last("WorkingDirectory");
  return {
    file,
    entries,
    execStart,
    workingDirectory: wd ? { value: wd.value.value.replace(/^-/, ""), range: wd.value.range } : undefined,
    environment,
    environmentFiles,
    problems,
  };
}

function lineRange(file: string, line: number, raw: string): SourceRange {
  return { file, line, column: 1, endLine: line, endColumn: raw.length + 1 };
}

function wholeRange(value: LocatedString): LocatedString[] {
  return value.value.split(/\s+/).filter((w) => w !== "").map((w) => ({ value: w, range: value.range }));
}
