import { parsePython, type PyNode } from "./parse.js";
import { decodeStringNode } from "./strings.js";
import { NONE, bool, dictSet, float, int, str, unknown, type PyDict, type PyValue } from "./values.js";

/**
 * `ast.literal_eval(text)` (settings write `DEBUG = ast.literal_eval(os.environ["DEBUG"])`):
 * the text is parsed with the same tree-sitter grammar and only literal displays are
 * evaluated — strings, numbers, True/False/None, tuples, lists, dicts, unary signs.
 * Anything else is the ValueError / SyntaxError Python raises.
 */
export function literalEval(text: string): PyValue | { error: string; message: string } {
  const source = text.replace(/^[ \t]+/, "");
  const parsed = parsePython(source, "<literal_eval>");
  const root = parsed.tree.rootNode;
  const statements = root.namedChildren.filter((c) => c.type !== "comment");
  const only = statements[0];
  if (root.hasError || statements.length !== 1 || only?.type !== "expression_statement" || only.namedChildren.length !== 1) {
    return { error: "SyntaxError", message: "SyntaxError: invalid syntax (in ast.literal_eval)" };
  }
  const malformed = { error: "ValueError", message: "ValueError: malformed node or string" };
  const walk = (node: PyNode, depth: number): PyValue | typeof malformed => {
    if (depth > 200) return malformed;
    switch (node.type) {
      case "string":
      case "concatenated_string": {
        let out = "";
        for (const part of node.type === "string" ? [node] : node.namedChildren) {
          const d = decodeStringNode(part, source);
          if (!d.ok) return unknown(d.reason);
          if (d.bytes) return unknown("bytes literals are not modelled");
          for (const p of d.parts) {
            if (p.kind !== "text") return malformed; // an f-string is not a literal
            out += p.value;
          }
        }
        return str(out);
      }
      case "integer": {
        const t = source.slice(node.startIndex, node.endIndex).replace(/_/g, "");
        if (/[jJ]$/.test(t)) return unknown("complex numbers are not modelled");
        const n = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : /^0[oO]/.test(t) ? parseInt(t.slice(2), 8) : /^0[bB]/.test(t) ? parseInt(t.slice(2), 2) : Number(t);
        return Number.isSafeInteger(n) ? int(n) : unknown("integer is too large to model exactly");
      }
      case "float": {
        const t = source.slice(node.startIndex, node.endIndex).replace(/_/g, "");
        return /[jJ]$/.test(t) ? unknown("complex numbers are not modelled") : float(Number(t));
      }
      case "true":
        return bool(true);
      case "false":
        return bool(false);
      case "none":
        return NONE;
      case "parenthesized_expression": {
        const inner = node.namedChildren.find((c) => c.type !== "comment");
        return inner ? walk(inner, depth + 1) : malformed;
      }
      case "unary_operator": {
        const op = node.childForFieldName("operator")?.type;
        const arg = node.childForFieldName("argument");
        if (!arg || (op !== "-" && op !== "+")) return malformed;
        const v = walk(arg, depth + 1);
        if ("error" in v || v.kind === "unknown") return v;
        if (v.kind === "int" || v.kind === "float") return op === "-" ? { kind: v.kind, value: -v.value } : v;
        return malformed;
      }
      case "list":
      case "tuple": {
        const items: PyValue[] = [];
        for (const c of node.namedChildren.filter((x) => x.type !== "comment")) {
          const v = walk(c, depth + 1);
          if ("error" in v) return v;
          items.push(v);
        }
        return { kind: node.type, items };
      }
      case "dictionary": {
        const d: PyDict = { kind: "dict", entries: [] };
        for (const c of node.namedChildren.filter((x) => x.type !== "comment")) {
          if (c.type !== "pair") return malformed;
          const k = c.childForFieldName("key");
          const v = c.childForFieldName("value");
          if (!k || !v) return malformed;
          const key = walk(k, depth + 1);
          const value = walk(v, depth + 1);
          if ("error" in key) return key;
          if ("error" in value) return value;
          if (key.kind === "unknown") return key;
          dictSet(d, key, value);
        }
        return d;
      }
      case "set":
        return unknown("set values are not modelled");
      default:
        return malformed;
    }
  };
  return walk(only.namedChildren[0] as PyNode, 0);
}
