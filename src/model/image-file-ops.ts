/**
 * What a Dockerfile's RUN instructions do to the files of the image, as far as that is
 * certain: `ln -s`, `cp`, `mv` and `rm` with literal absolute paths in a plain list of
 * commands joined by `&&` or `;`. A command that may write a named file in any other way
 * (a redirection, `sed -i`, `tee`, an `ln`/`cp` with options or words we do not follow…)
 * makes the paths it names under /etc/nginx unknown — the container filesystem then shows
 * no repository file there, so nothing is guessed in. Commands that write no named file (`apt-get`,
 * `pip install`, `chown`…) change nothing here.
 */
import { posix } from "node:path";
import type { LocatedString } from "../core/location.js";
import { isOperatorWord, splitShellWords } from "../parsers/shell-words.js";

export type ImageFileOp =
  | {
      kind: "link" | "copy" | "move";
      /** Absolute container path (a relative symlink target already resolved against the link's directory). */
      source: string;
      destination: string;
      /** The destination names a directory the result goes into (written with a trailing `/`); false with `-T`. */
      intoDirectory: boolean;
      /** `-T`: the destination is the new name even when it is a directory. */
      noTargetDirectory: boolean;
      /** cp -r/-a: directories are copied too. */
      recursive: boolean;
      line: number;
    }
  | { kind: "remove"; paths: string[]; recursive: boolean; line: number }
  /** Paths (maybe with globs or `$`) a command may have written in a way we do not follow. */
  | { kind: "opaque"; paths: string[]; line: number };

/** Commands that may write the files named on their command line. */
const WRITERS = new Set([
  "ln", "cp", "mv", "rm", "install", "sed", "perl", "tee", "envsubst", "rsync", "tar", "unzip", "truncate", "dd", "curl", "wget", "patch", "awk", "gawk", "rmdir",
]);
const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{", "}", "!"]);
const SEQUENCE = new Set(["&&", ";"]);

/** The file operations of the RUN instructions of one stage, in order. */
export function imageFileOps(runs: readonly { text: string; range: { file: string; line: number } }[]): ImageFileOp[] {
  const out: ImageFileOp[] = [];
  for (const run of runs) out.push(...runFileOps(run.text, run.range.file, run.range.line));
  return out;
}

/** The file operations of one RUN command line. */
export function runFileOps(text: string, file: string, line: number): ImageFileOp[] {
  const words = splitShellWords(text, file);
  const segments: { words: LocatedString[]; plain: boolean }[] = [];
  let current: LocatedString[] = [];
  let plain = true;
  const compound = words.some((w) => !isOperatorWord(w) && KEYWORDS.has(w.value));
  for (const w of words) {
    if (isOperatorWord(w) && SEQUENCE.has(w.value)) {
      segments.push({ words: current, plain: plain && !compound });
      current = [];
      plain = true;
      continue;
    }
    if (isOperatorWord(w)) plain = false;
    current.push(w);
  }
  segments.push({ words: current, plain: plain && !compound });

  const ops: ImageFileOp[] = [];
  let cwd: string | undefined = undefined;
  for (const segment of segments) {
    const ws = segment.words;
    if (ws.length === 0) continue;
    const name = ws[0]?.value ?? "";
    if (name === "cd") {
      const dir = ws[1]?.value;
      cwd = segment.plain && ws.length === 2 && dir && dir.startsWith("/") && !hasExpansion(ws[1]!) ? posix.normalize(dir) : undefined;
      continue;
    }
    const op = segment.plain ? parseSimple(ws, cwd, line) : undefined;
    if (op) {
      ops.push(op);
      continue;
    }
    const paths = writtenPaths(ws, cwd);
    if (paths.length > 0) ops.push({ kind: "opaque", paths, line });
  }
  return ops;
}

function hasExpansion(word: LocatedString): boolean {
  return (word.unresolved?.length ?? 0) > 0 || /[$`]/.test(word.value);
}

function absolute(word: LocatedString, cwd: string | undefined): string | undefined {
  if (hasExpansion(word) || word.value === "") return undefined;
  if (word.value.startsWith("/")) return word.value;
  return cwd === undefined ? undefined : posix.join(cwd, word.value);
}

/** Paths a command we do not follow may write: redirection targets, and every path word of a writing command. */
function writtenPaths(words: readonly LocatedString[], cwd: string | undefined): string[] {
  const out: string[] = [];
  // A word in command position (first, or after an operator or a keyword) that names a writing command.
  const writer = words.some((w, i) => {
    const previous = words[i - 1];
    const commandPosition = previous === undefined || (isOperatorWord(previous) && !/^[<>&]*[<>]$|^&>>?$/.test(previous.value)) || KEYWORDS.has(previous.value) || previous.value === "sudo";
    return commandPosition && !isOperatorWord(w) && WRITERS.has(posix.basename(w.value));
  });
  words.forEach((w, i) => {
    if (isOperatorWord(w)) return;
    const previous = words[i - 1];
    const redirected = previous !== undefined && isOperatorWord(previous) && /^(>|>>|>\||&>|&>>|<>)$/.test(previous.value);
    if (!redirected && !writer) return;
    if (w.value.startsWith("-")) return;
    // A path with `$` or a glob covers what its literal directory prefix holds.
    const value = w.value.startsWith("/") ? w.value : cwd !== undefined && (redirected || w.value.includes("/")) ? posix.join(cwd, w.value) : undefined;
    if (value !== undefined) out.push(value);
  });
  // Only the files nginx reads: elsewhere (a `sed -i` that strips CRLF from an entrypoint…) the image's content stays as COPY put it, as before.
  return [...new Set(out.filter((p) => p === "/etc/nginx" || p.startsWith("/etc/nginx/")))];
}

/** `ln`/`cp`/`mv`/`rm` with short flags we understand and literal absolute paths. */
function parseSimple(words: readonly LocatedString[], cwd: string | undefined, line: number): ImageFileOp | undefined {
  const name = words[0]?.value;
  const flags = new Set<string>();
  const args: LocatedString[] = [];
  let endOfFlags = false;
  for (const w of words.slice(1)) {
    if (!endOfFlags && w.value === "--") endOfFlags = true;
    else if (!endOfFlags && w.value.startsWith("-") && w.value.length > 1) {
      if (w.value.startsWith("--")) return undefined;
      for (const c of w.value.slice(1)) flags.add(c);
    } else args.push(w);
  }
  const allowed = name === "ln" ? "sfnvT" : name === "cp" ? "rRafpvLPdT" : name === "mv" ? "fvT" : name === "rm" ? "rRfv" : undefined;
  if (allowed === undefined || [...flags].some((f) => !allowed.includes(f))) return undefined;
  if (name === "rm") {
    const paths = args.map((a) => absolute(a, cwd));
    if (paths.length === 0 || paths.some((p) => p === undefined)) return undefined;
    return { kind: "remove", paths: paths as string[], recursive: flags.has("r") || flags.has("R"), line };
  }
  if (args.length !== 2) return undefined;
  const [sourceWord, destinationWord] = args as [LocatedString, LocatedString];
  if (/[*?[]/.test(sourceWord.value) || /[*?[]/.test(destinationWord.value)) return undefined;
  const destination = absolute(destinationWord, cwd);
  if (destination === undefined) return undefined;
  const symbolic = name === "ln" && flags.has("s");
  let source: string | undefined;
  if (symbolic) {
    // A relative symlink target is read from the directory the link sits in; which one that is depends on -T and the destination.
    if (hasExpansion(sourceWord)) return undefined;
    if (sourceWord.value.startsWith("/")) source = sourceWord.value;
    else if (destinationWord.value.endsWith("/")) source = posix.join(destination, sourceWord.value);
    else if (flags.has("T")) source = posix.join(posix.dirname(destination), sourceWord.value);
    else return undefined;
  } else source = absolute(sourceWord, cwd);
  if (source === undefined) return undefined;
  return {
    kind: name === "ln" ? (symbolic ? "link" : "copy") : name === "cp" ? "copy" : "move",
    source: posix.normalize(source),
    destination: posix.normalize(destination),
    intoDirectory: destinationWord.value.endsWith("/") && !flags.has("T"),
    noTargetDirectory: flags.has("T"),
    recursive: name !== "cp" || flags.has("r") || flags.has("R") || flags.has("a"),
    line,
  };
}
