import { createRequire } from "node:module";
import type Parser from "tree-sitter";
import { LineIndex } from "../core/line-index.js";
import type { SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";

export type PyTree = Parser.Tree;
export type PyNode = Parser.SyntaxNode;

export interface ParsedPython {
  file: string;
  tree: PyTree;
  text: string;
  problems: ParseProblem[];
}

let parser: Parser | undefined;

/**
 * tree-sitter is a native addon: load it on first use, synchronously, so that lint runs
 * on repositories without Python settings never pay for it.
 */
function pythonParser(): Parser {
  if (parser === undefined) {
    const require = createRequire(import.meta.url);
    const ParserClass = require("tree-sitter") as typeof Parser;
    const language = require("tree-sitter-python") as Parser.Language;
    skipTypedNodeClasses(ParserClass, language);
    const p = new ParserClass();
    p.setLanguage(language);
    parser = p;
  }
  return parser;
}

/**
 * setLanguage builds a SyntaxNode subclass with typed field getters (`nameNode`…) for each of the
 * grammar's node types, unless the language already has `nodeSubclasses`: ~5 ms of a ~120 ms
 * lint, for getters we never use (we ask `childForFieldName`). Every node type id (a 16-bit
 * symbol) maps to the plain SyntaxNode instead.
 */
function skipTypedNodeClasses(ParserClass: typeof Parser, language: Parser.Language): void {
  const holder = language as unknown as { nodeSubclasses?: unknown[] };
  const plain = (ParserClass as unknown as { SyntaxNode?: unknown }).SyntaxNode;
  if (holder.nodeSubclasses !== undefined || typeof plain !== "function") return;
  holder.nodeSubclasses = new Array<unknown>(65536).fill(plain);
}

/** Parses one Python file; syntax errors come back as problems, the tree keeps everything else. */
export function parsePython(text: string, file: string): ParsedPython {
  const tree = pythonParser().parse(text);
  const parsed: ParsedPython = { file, tree, text, problems: [] };
  parsed.problems = syntaxProblems(parsed);
  return parsed;
}

const lineIndexes = new WeakMap<ParsedPython, LineIndex>();

/** The LineIndex of a parsed file (built once; tree-sitter offsets are UTF-16 code units, like ours). */
export function lineIndexOf(parsed: ParsedPython): LineIndex {
  let index = lineIndexes.get(parsed);
  if (index === undefined) {
    index = new LineIndex(parsed.text);
    lineIndexes.set(parsed, index);
  }
  return index;
}

export function nodeRange(parsed: ParsedPython, node: PyNode): SourceRange {
  return lineIndexOf(parsed).range(parsed.file, node.startIndex, node.endIndex);
}

export function nodeText(parsed: ParsedPython, node: PyNode): string {
  return parsed.text.slice(node.startIndex, node.endIndex);
}

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/**
 * One problem per outermost ERROR node and per MISSING token. We only descend into
 * subtrees that contain an error, with an explicit stack (deep expressions are legal).
 */
function syntaxProblems(parsed: ParsedPython): ParseProblem[] {
  const problems: ParseProblem[] = [];
  const root = parsed.tree.rootNode;
  if (!root.hasError) return problems;
  const stack: PyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as PyNode;
    if (node.isMissing) {
      problems.push({ range: nodeRange(parsed, node), message: `Python syntax error: missing "${node.type}"` });
      continue;
    }
    if (node.type === "ERROR") {
      problems.push(describeError(parsed, node));
      continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i] as PyNode;
      if (child.hasError || child.isMissing) stack.push(child);
    }
  }
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  return problems;
}

/** Says what is known about an ERROR node, the way CPython would phrase the common cases. */
function describeError(parsed: ParsedPython, node: PyNode): ParseProblem {
  const open: PyNode[] = [];
  for (const child of node.children) {
    if (child.type === "string_start") {
      return { range: nodeRange(parsed, child), message: "Python syntax error: unterminated string literal" };
    }
    if (child.type in CLOSERS) open.push(child);
    else if (open.length > 0 && CLOSERS[open[open.length - 1]!.type] === child.type) open.pop();
  }
  const unclosed = open[0];
  if (unclosed !== undefined) {
    return { range: nodeRange(parsed, unclosed), message: `Python syntax error: '${unclosed.type}' was never closed` };
  }
  const firstLine = nodeText(parsed, node).split(/\r\n|\r|\n/)[0] ?? "";
  const snippet = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
  return { range: nodeRange(parsed, node), message: `Python syntax error: invalid syntax near "${snippet}"` };
}
