import type { SourceRange } from "../core/location.js";
import { callBuiltin, moduleAttribute, valueAttribute, type CallArgs, type CallContext } from "./builtins.js";
import { EnvState, type EnvLookup, type EnvRead, type SettingsEnvironment } from "./env-readers.js";
import { newDecoupleConfig } from "./libraries/decouple.js";
import { callLibraryObject, libraryOperator } from "./libraries/dispatch.js";
import type { RuntimeFileResult } from "./libraries/files.js";
import type { LibraryObject } from "./libraries/objects.js";
import type { LibraryOptions } from "./libraries/versions.js";
import { isTooLarge, valueTooLarge } from "./value-size.js";
import { binaryOp, compare, getItem, isError, iterate, sliceOf, type OpResult } from "./operators.js";
import { nodeRange, nodeText, type ParsedPython, type PyNode } from "./parse.js";
import { describeObject, isPyObject, rememberOrigin, rememberRawItems, toPyValue, type PyObject, type Value } from "./runtime.js";
import { decodeStringNode } from "./strings.js";
import { NONE, bool, dictSet, firstUnknown, float, int, pyRepr, pyStr, pyTruthy, str, unknown, type PyDict, type PyUnknown, type PyValue } from "./values.js";

/** Deeper expressions are not evaluated: the JS stack must survive anything a file holds. */
export const MAX_EXPRESSION_DEPTH = 500;

/**
 * Evaluation of Python expressions to values. The statement interpreter (evaluate.ts)
 * extends this class and supplies names, bindings, exceptions and the step budget.
 */
export abstract class ExpressionEvaluator {
  protected depth = 0;
  /** One "nested too deeply" problem per statement is enough. */
  protected depthReported = false;
  private sizeReported = false;
  /** Env reads made by the statement being evaluated (plus those of enclosing conditions). */
  protected stmtReads = new Set<EnvRead>();
  /** The env read made last (to mark it fatal when the missing variable raises). */
  protected lastEnvRead: EnvRead | undefined;
  protected readonly envState: EnvState;
  /** Names bound by the comprehensions being evaluated, innermost last. */
  protected readonly localScopes: Map<string, Value>[] = [];
  /** `decouple.config`: one per process, it finds its file on its first call. */
  private readonly decoupleConfig: LibraryObject = newDecoupleConfig();

  constructor(
    env: SettingsEnvironment,
    protected readonly libraries: LibraryOptions | undefined,
  ) {
    this.envState = new EnvState(env);
  }

  /** The container path of the module being evaluated (env libraries look for files next to it). */
  protected abstract callerPath(): string | PyUnknown;
  protected abstract readRuntimeFile(absolutePath: string): RuntimeFileResult;
  protected abstract workingDirectory(): string | undefined;

  /** A name bound by an enclosing comprehension. */
  protected lookupLocal(name: string): Value | undefined {
    for (let i = this.localScopes.length - 1; i >= 0; i--) {
      const v = this.localScopes[i]?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The parsed file whose nodes are being evaluated. */
  protected abstract source(): ParsedPython;
  /** The statement being evaluated (an assignment expression binds in its name). */
  protected abstract currentStatement(): PyNode | undefined;
  protected abstract lookupName(name: string): Value;
  protected abstract bind(name: string, value: Value, range: SourceRange, stmt: PyNode): void;
  /** Python raises `type`: throws when a surrounding try catches it, else returns unknown(message). */
  protected abstract raise(type: string, message: string): PyValue;
  /** Counts one step of the budget (throws when it is spent). */
  protected abstract step(): void;
  protected abstract problem(range: SourceRange, message: string): void;
  /** A repository module already imported under this dotted name. */
  protected abstract repoSubmodule(dotted: string): Value | undefined;

  protected opResult(r: OpResult): Value {
    return isError(r) ? this.raise(r.error, r.message) : r;
  }

  protected range(node: PyNode): SourceRange {
    return nodeRange(this.source(), node);
  }

  protected text(node: PyNode): string {
    return nodeText(this.source(), node);
  }

  protected at(node: PyNode): string {
    const r = this.range(node);
    return `${r.file}:${r.line}`;
  }

  protected evalExpr(node: PyNode): Value {
    this.step();
    if (this.depth >= MAX_EXPRESSION_DEPTH) {
      if (!this.depthReported) {
        this.depthReported = true;
        this.problem(this.range(node), `expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is not evaluated`);
      }
      return unknown(`expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep is not evaluated`);
    }
    this.depth++;
    try {
      const value = this.evalNode(node);
      if (isTooLarge(value)) return this.tooLarge(node);
      rememberOrigin(value, this.source(), node.startIndex, node.endIndex);
      return value;
    } finally {
      this.depth--;
    }
  }

  /** A value above MAX_VALUE_SIZE becomes unknown, with one problem where it was first built. */
  private tooLarge(node: PyNode): Value {
    const value = valueTooLarge();
    if (!this.sizeReported) {
      this.sizeReported = true;
      this.problem(this.range(node), (value as { reason: string }).reason);
    }
    return value;
  }

  protected evalNode(node: PyNode): Value {
    switch (node.type) {
      case "identifier":
        return this.lookupName(this.text(node));
      case "string":
        return this.evalStrings([node]);
      case "concatenated_string":
        return this.evalStrings(node.namedChildren);
      case "integer":
        return this.parseInteger(this.text(node));
      case "float": {
        const t = this.text(node).replace(/_/g, "");
        if (/[jJ]$/.test(t)) return unknown("complex numbers are not modelled");
        return float(Number(t));
      }
      case "true":
        return bool(true);
      case "false":
        return bool(false);
      case "none":
        return NONE;
      case "list":
        return this.evalSequence(node, "list");
      case "tuple":
      case "expression_list":
      case "pattern_list":
        return this.evalSequence(node, "tuple");
      case "set": {
        this.evalSequence(node, "list");
        return unknown("set values are not modelled");
      }
      case "dictionary":
        return this.evalDict(node);
      case "parenthesized_expression": {
        const inner = node.namedChildren.find((c) => c.type !== "comment");
        return inner ? this.evalExpr(inner) : unknown("empty parentheses");
      }
      case "unary_operator": {
        const op = node.childForFieldName("operator");
        const arg = node.childForFieldName("argument");
        if (!op || !arg) return unknown("malformed expression");
        const v = this.evalExpr(arg);
        if (v.kind === "library") return libraryOperator(op.type, v, undefined, this.callContext(node)) ?? toPyValue(v);
        if (isPyObject(v)) return toPyValue(v);
        const r = this.unary(op.type, v);
        return r;
      }
      case "not_operator": {
        const arg = node.childForFieldName("argument");
        const v = arg ? toPyValue(this.evalExpr(arg)) : unknown("malformed expression");
        const t = pyTruthy(v);
        return t === undefined ? (firstUnknown(v) ?? unknown("truth value is unknown")) : bool(!t);
      }
      case "binary_operator":
        return this.evalBinary(node);
      case "boolean_operator":
        return this.evalBoolean(node);
      case "comparison_operator":
        return this.evalComparison(node);
      case "conditional_expression": {
        const [body, cond, alt] = node.namedChildren.filter((c) => c.type !== "comment");
        if (!body || !cond || !alt) return unknown("malformed conditional expression");
        const c = toPyValue(this.evalExpr(cond));
        const t = pyTruthy(c);
        if (t === undefined) return unknown(`condition is unknown: ${(firstUnknown(c) ?? unknown("?")).reason}`);
        return this.evalExpr(t ? body : alt);
      }
      case "attribute": {
        const obj = node.childForFieldName("object");
        const attr = node.childForFieldName("attribute");
        if (!obj || !attr) return unknown("malformed attribute access");
        return this.getAttr(this.evalExpr(obj), this.text(attr), node);
      }
      case "subscript":
        return this.evalSubscript(node);
      case "call":
        return this.evalCall(node);
      case "named_expression": {
        const nameNode = node.childForFieldName("name");
        const valueNode = node.childForFieldName("value");
        if (!nameNode || !valueNode) return unknown("malformed assignment expression");
        const v = this.evalExpr(valueNode);
        this.bind(this.text(nameNode), v, this.range(nameNode), this.currentStatement() ?? node);
        return v;
      }
      case "list_comprehension":
        return this.evalComprehension(node, "list");
      case "dictionary_comprehension":
        return this.evalComprehension(node, "dict");
      case "set_comprehension":
      case "generator_expression": {
        // The first iterable is evaluated before the loop runs: its env reads are real.
        const first = node.namedChildren.find((c) => c.type === "for_in_clause")?.childForFieldName("right");
        if (first) this.evalExpr(first);
        return unknown(node.type === "set_comprehension" ? "set values are not modelled" : "generator objects are not modelled");
      }
      case "lambda":
        return unknown("lambda is not evaluated");
      case "ERROR":
        return unknown(`Python syntax error at ${this.at(node)}`);
      default:
        return unknown(`${node.type.replace(/_/g, " ")} is not evaluated`);
    }
  }

  protected parseInteger(text: string): PyValue {
    let t = text.replace(/_/g, "");
    if (/[jJ]$/.test(t)) return unknown("complex numbers are not modelled");
    t = t.replace(/[lL]$/, ""); // Python 2 long literal
    let n: number;
    if (/^0[xX]/.test(t)) n = parseInt(t.slice(2), 16);
    else if (/^0[oO]/.test(t)) n = parseInt(t.slice(2), 8);
    else if (/^0[bB]/.test(t)) n = parseInt(t.slice(2), 2);
    else n = Number(t);
    if (!Number.isSafeInteger(n)) return unknown(`integer ${text} is too large to model exactly`);
    return int(n);
  }

  protected unary(op: string, v: PyValue): Value {
    if (v.kind === "unknown") return v;
    const n = v.kind === "int" || v.kind === "float" ? v.value : v.kind === "bool" ? Number(v.value) : undefined;
    if (n === undefined) return this.raise("TypeError", `TypeError: bad operand type for unary ${op}: '${v.kind}'`);
    if (op === "-") return v.kind === "float" ? float(-n) : int(-n);
    if (op === "+") return v.kind === "float" ? float(n) : int(n);
    if (op === "~" && v.kind !== "float") return int(-n - 1);
    return this.raise("TypeError", `TypeError: bad operand type for unary ${op}: '${v.kind}'`);
  }

  protected evalStrings(nodes: PyNode[]): Value {
    const parsed = this.source();
    let out = "";
    let result: PyValue | undefined;
    for (const node of nodes) {
      if (node.type !== "string") continue;
      const decoded = decodeStringNode(node, parsed.text);
      if (!decoded.ok) {
        result ??= unknown(decoded.reason);
        continue;
      }
      if (decoded.bytes) result ??= unknown("bytes literals are not modelled");
      for (const part of decoded.parts) {
        if (part.kind === "text") {
          out += part.value;
          continue;
        }
        const v = part.expression ? toPyValue(this.evalExpr(part.expression)) : unknown("empty f-string expression");
        if (part.hasFormatSpec || part.debug) result ??= unknown("f-string format specifications are not evaluated");
        const u = firstUnknown(v);
        if (u) result ??= u;
        else out += part.conversion === "r" || part.conversion === "a" ? pyRepr(v) : pyStr(v);
      }
    }
    return result ?? str(out);
  }

  protected evalSequence(node: PyNode, kind: "list" | "tuple"): PyValue {
    const items: PyValue[] = [];
    const raw: Value[] = [];
    let plain = true;
    for (const c of node.namedChildren) {
      if (c.type === "comment") continue;
      if (c.type === "list_splat") {
        const inner = c.namedChildren[0];
        const v = inner ? toPyValue(this.evalExpr(inner)) : unknown("malformed *expression");
        const expanded = iterate(v);
        if (Array.isArray(expanded)) items.push(...expanded);
        else if ("error" in expanded) items.push(this.raise(expanded.error, expanded.message));
        else items.push(unknown(`unpacked from an unknown value: ${expanded.reason}`));
        plain = false;
        continue;
      }
      const v = this.evalExpr(c);
      raw.push(v);
      items.push(toPyValue(v));
    }
    const seq: PyValue = { kind, items };
    if (plain) rememberRawItems(seq, raw);
    return seq;
  }

  protected evalDict(node: PyNode): PyValue {
    const d: PyDict = { kind: "dict", entries: [] };
    let result: PyValue | undefined;
    for (const c of node.namedChildren) {
      if (c.type === "pair") {
        const k = c.childForFieldName("key");
        const v = c.childForFieldName("value");
        const key = k ? toPyValue(this.evalExpr(k)) : unknown("missing key");
        const value = v ? toPyValue(this.evalExpr(v)) : unknown("missing value");
        if (key.kind === "unknown") result ??= unknown(`dict key is unknown: ${key.reason}`);
        else dictSet(d, key, value);
      } else if (c.type === "dictionary_splat") {
        const inner = c.namedChildren[0];
        const v = inner ? toPyValue(this.evalExpr(inner)) : unknown("malformed **expression");
        if (v.kind === "dict") for (const e of v.entries) dictSet(d, e.key, e.value);
        else result ??= unknown(`dict unpacks an unknown mapping: ${v.kind === "unknown" ? v.reason : v.kind}`);
      }
    }
    return result ?? d;
  }

  protected evalBinary(node: PyNode): Value {
    const l = node.childForFieldName("left");
    const r = node.childForFieldName("right");
    const op = node.childForFieldName("operator");
    if (!l || !r || !op) return unknown("malformed expression");
    const a = this.evalExpr(l);
    const b = this.evalExpr(r);
    if (a.kind === "library") {
      const v = libraryOperator(op.type, a, b, this.callContext(node));
      if (v !== undefined) return v;
    }
    if (isPyObject(a) || isPyObject(b)) {
      const obj = (isPyObject(a) ? a : b) as PyObject;
      return unknown(`operator ${op.type} on ${describeObject(obj)} is not evaluated`);
    }
    return this.opResult(binaryOp(op.type, a, b));
  }

  protected evalBoolean(node: PyNode): Value {
    const l = node.childForFieldName("left");
    const r = node.childForFieldName("right");
    const op = node.childForFieldName("operator");
    if (!l || !r || !op) return unknown("malformed expression");
    const a = this.evalExpr(l);
    const t = pyTruthy(toPyValue(a));
    if (t === undefined) return firstUnknown(toPyValue(a)) ?? unknown("truth value is unknown");
    // Python returns the deciding operand itself, not a bool.
    if (op.type === "and") return t ? this.evalExpr(r) : a;
    return t ? a : this.evalExpr(r);
  }

  protected evalComparison(node: PyNode): Value {
    const operands = node.namedChildren.filter((c) => c.type !== "comment");
    const ops = node.childrenForFieldName("operators").map((o) => o.type);
    const first = operands[0];
    if (!first || ops.length !== operands.length - 1) return unknown("malformed comparison");
    let left = this.evalExpr(first);
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as string;
      const rightNode = operands[i + 1] as PyNode;
      // `x in {"a", "b"}`: membership in a set display is membership in its items (sets are not modelled otherwise).
      const right = (op === "in" || op === "not in") && rightNode.type === "set" ? this.evalSequence(rightNode, "tuple") : this.evalExpr(rightNode);
      let r: boolean | undefined | { error: string; message: string };
      if ((op === "in" || op === "not in") && right.kind === "environ") {
        const found = this.envContains(left, node);
        if (typeof found === "object") return found;
        r = found !== undefined && op === "not in" ? !found : found;
      } else if (isPyObject(left) || isPyObject(right)) {
        // A module or function is never None; nothing else about them is comparable here.
        const other = isPyObject(left) ? right : left;
        r = (op === "is" || op === "is not") && other.kind === "none" ? op === "is not" : undefined;
      } else r = compare(op, left, right);
      if (typeof r === "object") return this.raise(r.error, r.message);
      if (r === undefined) {
        const u = firstUnknown(toPyValue(left)) ?? firstUnknown(toPyValue(right));
        return u ?? unknown(`comparison ${op} is not evaluated`);
      }
      if (!r) return bool(false);
      left = right;
    }
    return bool(true);
  }

  /** `'NAME' in os.environ`: an env read whose absence the code handles. */
  protected envContains(key: Value, node: PyNode): boolean | PyUnknown | undefined {
    if (key.kind !== "str") return undefined;
    const found = this.readEnv(key.value, "in os.environ", this.range(node), NONE, true);
    return found.kind === "unknown" ? unknown(found.reason) : found.kind === "set";
  }

  protected readEnv(name: string, via: string, range: SourceRange, defaultValue: PyValue | undefined, presenceOnly = false): EnvLookup {
    const { read, found } = this.envState.read(name, via, range, defaultValue);
    this.lastEnvRead = read;
    if (presenceOnly) {
      // A presence test copes with a missing variable, like a default would; there is no default value.
      read.hasDefault = true;
      delete read.defaultValue;
    }
    this.stmtReads.add(read);
    return found;
  }

  protected getAttr(obj: Value, attr: string, node: PyNode): Value {
    switch (obj.kind) {
      case "module":
        return moduleAttribute(obj.name, attr);
      case "repo-module": {
        const b = obj.namespace.get(attr);
        if (b) {
          for (const r of b.envReads) this.stmtReads.add(r);
          return b.value;
        }
        const sub = this.repoSubmodule(`${obj.dotted}.${attr}`);
        if (sub) return sub;
        return this.raise("AttributeError", `AttributeError: module '${obj.dotted}' has no attribute '${attr}' (at ${this.at(node)})`);
      }
      case "external":
        return { kind: "external", qualname: `${obj.qualname}.${attr}` };
      case "function":
      case "class":
        return unknown(`${describeObject(obj)}.${attr} is not evaluated`);
      default:
        return valueAttribute(obj, attr);
    }
  }

  /** The key of `x[key]`, "slice" for `x[a:b]`. */
  protected subscriptKey(node: PyNode): Value | "slice" {
    const subs = node.childrenForFieldName("subscript");
    if (subs.length === 1 && subs[0]?.type === "slice") return "slice";
    if (subs.length === 1) return this.evalExpr(subs[0] as PyNode);
    return { kind: "tuple", items: subs.map((s) => toPyValue(this.evalExpr(s))) };
  }

  protected evalSubscript(node: PyNode): Value {
    const objNode = node.childForFieldName("value");
    if (!objNode) return unknown("malformed subscript");
    const obj = this.evalExpr(objNode);
    const subs = node.childrenForFieldName("subscript");
    const only = subs[0];
    if (subs.length === 1 && only?.type === "slice") {
      const parts: PyValue[] = [NONE, NONE, NONE];
      let slot = 0;
      for (const c of only.children) {
        if (c.type === ":") slot++;
        else if (c.isNamed && c.type !== "comment" && slot < 3) parts[slot] = toPyValue(this.evalExpr(c));
      }
      if (isPyObject(obj)) return unknown(`slicing ${describeObject(obj)} is not evaluated`);
      return this.opResult(sliceOf(obj, parts[0] as PyValue, parts[1] as PyValue, parts[2] as PyValue));
    }
    const key = this.subscriptKey(node) as Value;
    return this.getItemOf(obj, key, node);
  }

  protected getItemOf(obj: Value, key: Value, node: PyNode): Value {
    if (obj.kind === "environ") {
      if (key.kind !== "str") return key.kind === "unknown" ? key : unknown("environment variable name is not a string");
      const found = this.readEnv(key.value, "os.environ[]", this.range(node), undefined);
      const read = this.lastEnvRead;
      if (found.kind === "set") return str(found.value);
      if (found.kind === "unknown") return unknown(found.reason);
      const message = `KeyError: ${key.value} is not set`;
      // raise() returns only when no surrounding try catches it.
      const result = this.raise("KeyError", message);
      if (read) read.fatal = message;
      return result;
    }
    if (isPyObject(obj)) return unknown(`subscript of ${describeObject(obj)} is not evaluated`);
    return this.opResult(getItem(obj, toPyValue(key)));
  }

  protected evalCall(node: PyNode): Value {
    const fnNode = node.childForFieldName("function");
    const argsNode = node.childForFieldName("arguments");
    if (!fnNode || !argsNode) return unknown("malformed call");
    const fn = this.evalExpr(fnNode);
    if (argsNode.type === "generator_expression") {
      // Built-ins that only iterate their argument see the generator's items as a list.
      if (fn.kind === "builtin" && GENERATOR_CONSUMERS.has(fn.qualname)) {
        const items = this.evalComprehension(argsNode, "list");
        if (items.kind === "unknown") return items;
        return callBuiltin(fn, { positional: [items], keywords: new Map() }, this.callContext(node));
      }
      this.evalExpr(argsNode);
      return unknown(`call to ${this.calleeText(fnNode)}() with a generator is not evaluated`);
    }
    const args = this.evalArgs(argsNode);
    switch (fn.kind) {
      case "builtin":
        if (fn.qualname === "bool" && fn.self === undefined) this.noteBoolOfEnv(argsNode, args);
        return callBuiltin(fn, args, this.callContext(node));
      case "library":
        return callLibraryObject(fn, args, this.callContext(node));
      case "external":
        return unknown(`call to ${fn.qualname}() is not evaluated`);
      case "function":
      case "class":
        return unknown(`call to ${fn.name}() is not evaluated`);
      case "unknown":
        if (fn.reason.startsWith("NameError") || fn.reason.startsWith("name ")) return fn;
        return unknown(`call to ${this.calleeText(fnNode)}() is not evaluated`);
      default:
        return this.raise("TypeError", `TypeError: ${isPyObject(fn) ? describeObject(fn) : `'${fn.kind}' object`} is not callable`);
    }
  }

  /** `bool(os.environ.get(…))`: the env read that is bool()'s only argument keeps the text it gave. */
  private noteBoolOfEnv(argsNode: PyNode, args: CallArgs): void {
    const argNodes = argsNode.namedChildren.filter((c) => c.type !== "comment");
    const only = argNodes[0];
    const value = args.positional[0];
    const read = this.lastEnvRead;
    if (argNodes.length !== 1 || !only || only.type === "keyword_argument" || value?.kind !== "str" || !read) return;
    const r = this.range(only);
    if (read.range.file === r.file && read.range.line === r.line && read.range.column === r.column && read.range.endLine === r.endLine && read.range.endColumn === r.endColumn) {
      read.boolOf = value.value;
    }
  }

  protected calleeText(fnNode: PyNode): string {
    const t = this.text(fnNode).replace(/\s+/g, "");
    return t.length > 60 ? `${t.slice(0, 60)}…` : t;
  }

  protected evalArgs(argsNode: PyNode): CallArgs {
    const args: CallArgs = { positional: [], keywords: new Map() };
    for (const c of argsNode.namedChildren) {
      if (c.type === "comment") continue;
      if (c.type === "keyword_argument") {
        const name = c.childForFieldName("name");
        const value = c.childForFieldName("value");
        if (name && value) args.keywords.set(this.text(name), this.evalExpr(value));
      } else if (c.type === "list_splat") {
        const inner = c.namedChildren[0];
        const v = inner ? toPyValue(this.evalExpr(inner)) : unknown("malformed *args");
        const items = iterate(v);
        if (Array.isArray(items)) args.positional.push(...items);
        else args.unexpanded ??= unknown(`*args of an unknown value: ${"reason" in items ? items.reason : items.message}`);
      } else if (c.type === "dictionary_splat") {
        const inner = c.namedChildren[0];
        const v = inner ? toPyValue(this.evalExpr(inner)) : unknown("malformed **kwargs");
        if (v.kind === "dict" && v.entries.every((e) => e.key.kind === "str")) {
          for (const e of v.entries) args.keywords.set((e.key as { value: string }).value, e.value);
        } else args.unexpanded ??= unknown(`**kwargs of an unknown value: ${v.kind === "unknown" ? v.reason : v.kind}`);
      } else {
        args.positional.push(this.evalExpr(c));
      }
    }
    return args;
  }

  protected callContext(node: PyNode): CallContext {
    const range = this.range(node);
    return {
      range,
      readEnv: (name, via, defaultValue) => this.readEnv(name, via, range, defaultValue),
      setEnv: (name, value) => this.envState.set(name, value),
      raise: (type, message) => this.raise(type, message),
      env: this.envState,
      recordRead: (read) => this.stmtReads.add(read),
      callerPath: () => this.callerPath(),
      readRuntimeFile: (p) => this.readRuntimeFile(p),
      workingDirectory: () => this.workingDirectory(),
      libraries: this.libraries,
      decoupleConfig: this.decoupleConfig,
    };
  }

  // ---------------------------------------------------------------- comprehensions

  /**
   * `[expr for x in xs if cond]` and `{k: v for …}` over known iterables, as Python runs
   * them: the first iterable in the enclosing scope, loop names in the comprehension's own
   * scope (they do not leak). An unknown iterable or condition makes the result unknown.
   */
  protected evalComprehension(node: PyNode, kind: "list" | "dict"): PyValue {
    const named = node.namedChildren.filter((c) => c.type !== "comment");
    const body = named[0];
    const clauses = named.slice(1).filter((c) => c.type === "for_in_clause" || c.type === "if_clause");
    if (!body) return unknown("malformed comprehension");
    const items: PyValue[] = [];
    const d: PyDict = { kind: "dict", entries: [] };
    const scope = new Map<string, Value>();
    const run = (i: number): PyUnknown | undefined => {
      const clause = clauses[i];
      if (clause === undefined) {
        if (kind === "dict") {
          const k = body.childForFieldName("key");
          const v = body.childForFieldName("value");
          if (!k || !v) return unknown("malformed dict comprehension");
          const key = toPyValue(this.evalExpr(k));
          const value = toPyValue(this.evalExpr(v));
          if (key.kind === "unknown") return unknown(`dict key is unknown: ${key.reason}`);
          dictSet(d, key, value);
        } else items.push(toPyValue(this.evalExpr(body)));
        return undefined;
      }
      if (clause.type === "if_clause") {
        const cond = clause.namedChildren.find((c) => c.type !== "comment");
        const c = cond ? toPyValue(this.evalExpr(cond)) : unknown("malformed if clause");
        const t = pyTruthy(c);
        if (t === undefined) return unknown(`comprehension condition is unknown: ${(firstUnknown(c) ?? unknown("?")).reason}`);
        return t ? run(i + 1) : undefined;
      }
      const left = clause.childForFieldName("left");
      const rights = clause.childrenForFieldName("right");
      if (!left || rights.length === 0) return unknown("malformed for clause");
      const iterable = rights.length === 1 ? toPyValue(this.evalExpr(rights[0] as PyNode)) : { kind: "tuple" as const, items: rights.map((r) => toPyValue(this.evalExpr(r))) };
      const seq = iterate(iterable);
      if (!Array.isArray(seq)) {
        if ("error" in seq) return this.raise(seq.error, seq.message) as PyUnknown;
        return unknown(`comprehension over an unknown value: ${seq.reason}`);
      }
      for (const item of seq) {
        const bound = this.bindTarget(left, item, scope);
        if (bound !== undefined) return bound;
        const stop = run(i + 1);
        if (stop !== undefined) return stop;
      }
      return undefined;
    };
    this.localScopes.push(scope);
    let stopped: PyUnknown | undefined;
    try {
      stopped = run(0);
    } finally {
      this.localScopes.pop();
    }
    if (stopped !== undefined) return stopped;
    return kind === "dict" ? d : { kind: "list", items };
  }

  /** Binds a comprehension target (`x`, `k, v`, `(a, (b, c))`) in its scope; an unknown when it cannot. */
  private bindTarget(target: PyNode, value: PyValue, scope: Map<string, Value>): PyUnknown | undefined {
    if (target.type === "identifier") {
      scope.set(this.text(target), value);
      return undefined;
    }
    if (target.type === "parenthesized_expression") {
      const inner = target.namedChildren.find((c) => c.type !== "comment");
      return inner ? this.bindTarget(inner, value, scope) : unknown("malformed target");
    }
    if (["pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list"].includes(target.type)) {
      const subs = target.namedChildren.filter((c) => c.type !== "comment");
      if (subs.some((c) => c.type === "list_splat_pattern" || c.type === "list_splat")) return unknown("starred targets in comprehensions are not evaluated");
      const items = iterate(value);
      if (!Array.isArray(items)) return "error" in items ? (this.raise(items.error, items.message) as PyUnknown) : unknown(`unpacking an unknown value: ${items.reason}`);
      if (items.length !== subs.length) {
        const message = items.length > subs.length ? `ValueError: too many values to unpack (expected ${subs.length})` : `ValueError: not enough values to unpack (expected ${subs.length}, got ${items.length})`;
        return this.raise("ValueError", message) as PyUnknown;
      }
      for (let i = 0; i < subs.length; i++) {
        const r = this.bindTarget(subs[i] as PyNode, items[i] as PyValue, scope);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    return unknown(`comprehension target ${target.type.replace(/_/g, " ")} is not evaluated`);
  }
}

/** Built-ins that only iterate a generator argument once (so a list of its items gives the same result). */
const GENERATOR_CONSUMERS = new Set(["any", "all", "list", "tuple", "dict", "str.join", "list.extend"]);
