import type { SourceRange } from "../core/location.js";
import type { EnvLookup, EnvRead, EnvState } from "./env-readers.js";
import { libraryAttribute, libraryCall, libraryClassAttribute, libraryModuleAttribute, LIBRARY_MODULES } from "./libraries/dispatch.js";
import type { RuntimeFileResult } from "./libraries/files.js";
import type { LibraryObject } from "./libraries/objects.js";
import type { LibraryOptions } from "./libraries/versions.js";
import { jsonLoads } from "./libraries/casts.js";
import { literalEval } from "./literal-eval.js";
import { iterate, isError, type OpResult } from "./operators.js";
import {
  isAbsolute,
  osPathBasename,
  osPathDirname,
  osPathJoin,
  osPathNormpath,
  osPathSplit,
  osPathSplitext,
  pathName,
  pathParent,
  pathParents,
  pathStem,
  pathSuffix,
  purePath,
  resolveAbsolute,
} from "./paths.js";
import { isPyObject, toPyValue, type PyObject, type Value } from "./runtime.js";
import {
  NONE,
  bool,
  dictGet,
  dictSet,
  firstUnknown,
  float,
  int,
  path,
  pyEquals,
  pyRepr,
  pyStr,
  pyTruthy,
  str,
  unknown,
  type PyDict,
  type PyUnknown,
  type PyValue,
} from "./values.js";

/**
 * The parts of Python's standard library and built-ins that settings modules use to
 * compute values: os.environ / os.getenv, os.path, pathlib, str/list/dict methods and
 * the conversions int(), str(), bool()... Everything else stays unknown.
 */

export interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
  /** Set when a `*args` / `**kwargs` could not be expanded: the call's result is unknown. */
  unexpanded?: PyValue & { kind: "unknown" };
}

export interface CallContext {
  /** The call expression. */
  range: SourceRange;
  /** Looks an environment variable up and records the read. */
  readEnv(name: string, via: string, defaultValue: PyValue | undefined): EnvLookup;
  setEnv(name: string, value: string): void;
  /** Raises a Python exception: throws when a surrounding `try` catches it, else returns unknown(message). */
  raise(type: string, message: string): PyValue;
  // What the env libraries need besides:
  env: EnvState;
  /** Adds a read made by a library call to the statement's reads. */
  recordRead(read: EnvRead): void;
  /** The path, inside the container, of the module file making the call (libraries look for files next to it). */
  callerPath(): string | PyUnknown;
  /** A file as the container sees it (see PythonSourceHost.readRuntimeFile). */
  readRuntimeFile(absolutePath: string): RuntimeFileResult;
  /** The process's working directory inside the container, when known. */
  workingDirectory(): string | undefined;
  libraries: LibraryOptions | undefined;
  /** `decouple.config`: one object per process, which finds its file on first use. */
  decoupleConfig: LibraryObject;
}

type Builtin = Extract<PyObject, { kind: "builtin" }>;

/** Standard-library modules whose members we model; other imports are `external`. */
export const MODELLED_MODULES: ReadonlySet<string> = new Set(["os", "os.path", "posixpath", "pathlib", "json", "ast", "distutils", "distutils.util"]);

const OS_PATH_FUNCTIONS = new Set([
  "join",
  "dirname",
  "basename",
  "abspath",
  "realpath",
  "normpath",
  "split",
  "splitext",
  "isabs",
  "exists",
  "lexists",
  "isfile",
  "isdir",
  "islink",
  "expanduser",
  "expandvars",
]);

const PATH_CLASSES = new Set(["Path", "PurePath", "PosixPath", "PurePosixPath"]);

/** An attribute of a modelled module (`os.environ`, `os.path.join`, `pathlib.Path`). */
export function moduleAttribute(module: string, attr: string): Value {
  const external = (): Value => ({ kind: "external", qualname: `${module}.${attr}` });
  if (LIBRARY_MODULES.has(module)) return libraryModuleAttribute(module, attr);
  switch (module) {
    case "os":
      switch (attr) {
        case "environ":
          return { kind: "environ" };
        case "path":
          return { kind: "module", name: "os.path" };
        case "getenv":
        case "fspath":
          return { kind: "builtin", qualname: `os.${attr}` };
        case "sep":
          return str("/");
        case "pathsep":
          return str(":");
        case "linesep":
          return str("\n");
        case "curdir":
          return str(".");
        case "pardir":
          return str("..");
        case "name":
          return str("posix");
        default:
          return external();
      }
    case "os.path":
    case "posixpath":
      if (OS_PATH_FUNCTIONS.has(attr)) return { kind: "builtin", qualname: `os.path.${attr}` };
      if (attr === "sep") return str("/");
      return external();
    case "pathlib":
      if (PATH_CLASSES.has(attr)) return { kind: "builtin", qualname: `pathlib.${attr}` };
      return external();
    case "json":
      return attr === "loads" ? { kind: "builtin", qualname: "json.loads" } : external();
    case "ast":
      return attr === "literal_eval" ? { kind: "builtin", qualname: "ast.literal_eval" } : external();
    case "distutils":
      return attr === "util" ? { kind: "module", name: "distutils.util" } : external();
    case "distutils.util":
      return attr === "strtobool" ? { kind: "builtin", qualname: "distutils.util.strtobool" } : external();
    default:
      return external();
  }
}

const BUILTIN_EXCEPTION_PARENTS: Record<string, string | undefined> = {
  BaseException: undefined,
  SystemExit: "BaseException",
  KeyboardInterrupt: "BaseException",
  GeneratorExit: "BaseException",
  Exception: "BaseException",
  ArithmeticError: "Exception",
  ZeroDivisionError: "ArithmeticError",
  OverflowError: "ArithmeticError",
  AssertionError: "Exception",
  AttributeError: "Exception",
  ImportError: "Exception",
  ModuleNotFoundError: "ImportError",
  LookupError: "Exception",
  IndexError: "LookupError",
  KeyError: "LookupError",
  NameError: "Exception",
  OSError: "Exception",
  IOError: "Exception",
  EnvironmentError: "Exception",
  FileNotFoundError: "OSError",
  PermissionError: "OSError",
  RuntimeError: "Exception",
  NotImplementedError: "RuntimeError",
  TypeError: "Exception",
  ValueError: "Exception",
  UnicodeError: "ValueError",
  UnicodeDecodeError: "UnicodeError",
  Warning: "Exception",
  DeprecationWarning: "Warning",
  UserWarning: "Warning",
};

/** Exceptions the modelled libraries raise (json, configparser), by class name. Not built-in names. */
const LIBRARY_EXCEPTION_PARENTS: Record<string, string> = {
  JSONDecodeError: "ValueError",
  ParseError: "ValueError", // dj_database_url.ParseError (3.0+)
  Error: "Exception", // configparser.Error
  ParsingError: "Error",
  MissingSectionHeaderError: "ParsingError",
  DuplicateSectionError: "Error",
  DuplicateOptionError: "Error",
  NoOptionError: "Error",
  InterpolationError: "Error",
  InterpolationSyntaxError: "InterpolationError",
  InterpolationMissingOptionError: "InterpolationError",
  InterpolationDepthError: "InterpolationError",
};

/** The exception class and every class it derives from; unknown classes are taken as Exception subclasses. */
export function exceptionAncestors(name: string): string[] {
  const canonical = name === "IOError" || name === "EnvironmentError" ? "OSError" : name;
  if (!(canonical in BUILTIN_EXCEPTION_PARENTS) && !(canonical in LIBRARY_EXCEPTION_PARENTS)) return [name, "Exception", "BaseException"];
  const out: string[] = [];
  let cur: string | undefined = canonical;
  while (cur !== undefined) {
    out.push(cur);
    cur = BUILTIN_EXCEPTION_PARENTS[cur] ?? LIBRARY_EXCEPTION_PARENTS[cur];
  }
  if (canonical === "OSError") out.push("IOError", "EnvironmentError");
  return out;
}

const MODELLED_BUILTINS = new Set(["str", "int", "float", "bool", "list", "tuple", "dict", "len", "repr", "print", "any", "all"]);

const OTHER_BUILTINS = new Set(
  (
    "abs all any ascii bin breakpoint bytearray bytes callable chr classmethod compile complex delattr dir divmod " +
    "enumerate eval exec filter format frozenset getattr globals hasattr hash help hex id input isinstance " +
    "issubclass iter locals map max memoryview min next object oct open ord pow property range reversed round " +
    "set setattr slice sorted staticmethod sum super type vars zip __import__"
  ).split(" "),
);

/** A name from Python's builtins module, or undefined when Python would raise NameError. */
export function builtinGlobal(name: string): Value | undefined {
  if (MODELLED_BUILTINS.has(name)) return { kind: "builtin", qualname: name };
  if (name in BUILTIN_EXCEPTION_PARENTS) return { kind: "class", name, builtin: true };
  if (OTHER_BUILTINS.has(name)) return { kind: "external", qualname: name };
  return undefined;
}

const STR_METHODS = new Set([
  "lower",
  "upper",
  "strip",
  "lstrip",
  "rstrip",
  "split",
  "rsplit",
  "replace",
  "startswith",
  "endswith",
  "join",
  "format",
  "casefold",
  "find",
  "rfind",
  "count",
  "isdigit",
  "title",
  "capitalize",
  "splitlines",
  "encode",
]);
const LIST_METHODS = new Set(["append", "extend", "insert", "remove", "pop", "clear", "reverse", "sort", "copy", "index", "count"]);
const DICT_METHODS = new Set(["get", "setdefault", "update", "pop", "popitem", "clear", "copy", "keys", "values", "items"]);
const PATH_METHODS = new Set(["resolve", "absolute", "joinpath", "with_name", "with_suffix", "as_posix", "exists", "is_dir", "is_file", "is_symlink", "expanduser", "mkdir", "open", "read_text"]);

/** Methods that change their receiver in place: a statement calling one updates the setting it is called on. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  "append",
  "extend",
  "insert",
  "remove",
  "pop",
  "update",
  "setdefault",
  "clear",
  "add",
  "discard",
  "popitem",
  "sort",
  "reverse",
]);

/** `obj.attr` for values other than modules (those go through `moduleAttribute`). */
export function valueAttribute(obj: Value, attr: string): Value {
  const bound = (qualname: string): Value => ({ kind: "builtin", qualname, self: obj });
  switch (obj.kind) {
    case "unknown":
      return obj;
    case "environ":
      if (attr === "get" || attr === "setdefault") return bound(`os.environ.${attr}`);
      return unknown(`os.environ.${attr} is not evaluated`);
    case "str":
      if (STR_METHODS.has(attr)) return bound(`str.${attr}`);
      break;
    case "list":
      if (LIST_METHODS.has(attr)) return bound(`list.${attr}`);
      break;
    case "dict":
      if (DICT_METHODS.has(attr)) return bound(`dict.${attr}`);
      break;
    case "path":
      switch (attr) {
        case "parent":
          return path(pathParent(obj.value));
        case "parents":
          return { kind: "tuple", items: pathParents(obj.value).map(path) };
        case "name":
          return str(pathName(obj.value));
        case "stem":
          return str(pathStem(obj.value));
        case "suffix":
          return str(pathSuffix(obj.value));
        case "anchor":
          return str(obj.value.startsWith("//") ? "//" : obj.value.startsWith("/") ? "/" : "");
        case "parts":
          return { kind: "tuple", items: pathParts(obj.value).map(str) };
        default:
          if (PATH_METHODS.has(attr)) return bound(`Path.${attr}`);
      }
      break;
    case "builtin": {
      if (obj.qualname.startsWith("pathlib.") && (attr === "cwd" || attr === "home")) return { kind: "builtin", qualname: `Path.${attr}` };
      // `str.upper` unbound: called with the string first (a common cast=).
      if (obj.qualname === "str" && obj.self === undefined && STR_METHODS.has(attr)) return { kind: "builtin", qualname: `str.${attr}` };
      const member = libraryClassAttribute(obj.qualname, attr);
      if (member) return member;
      return unknown(`${obj.qualname}.${attr} is not evaluated`);
    }
    case "library":
      return libraryAttribute(obj, attr);
    default:
      break;
  }
  return unknown(`attribute ${attr} of ${isPyObject(obj) ? obj.kind : typeLabel(obj)} is not evaluated`);
}

function typeLabel(v: PyValue): string {
  return v.kind === "path" ? "PosixPath" : v.kind === "none" ? "None" : v.kind;
}

function pathParts(p: string): string[] {
  const normal = purePath(p);
  const root = normal.startsWith("//") ? "//" : normal.startsWith("/") ? "/" : "";
  const body = normal.slice(root.length);
  const segs = body === "" || body === "." ? [] : body.split("/");
  return root === "" ? segs : [root, ...segs];
}

/** Calls a modelled built-in. Arguments are evaluator values; the result never raises in JS. */
export function callBuiltin(fn: Builtin, args: CallArgs, ctx: CallContext): Value {
  if (args.unexpanded) return args.unexpanded;
  const result = fn.qualname.includes(".") && LIBRARY_MODULES.has(fn.qualname.split(".")[0] as string) ? libraryCall(fn, args, ctx) : dispatch(fn, args, ctx);
  if (result !== undefined && "error" in result) return ctx.raise(result.error, result.message);
  return result ?? unknown(`${displayName(fn)}() with these arguments is not evaluated`);
}

function displayName(fn: Builtin): string {
  return fn.qualname;
}

type Result = Value | { error: string; message: string } | undefined;

function dispatch(fn: Builtin, args: CallArgs, ctx: CallContext): Result {
  const q = fn.qualname;
  if (q.startsWith("os.path.")) return osPathCall(q.slice("os.path.".length), args);
  if (q.startsWith("pathlib.")) return pathConstructor(args);
  if (q.startsWith("Path.")) return pathMethod(q.slice(5), fn.self as PyValue | undefined, args);
  if (q.startsWith("str.")) {
    if (fn.self !== undefined) return strMethod(q.slice(4), fn.self as PyValue & { kind: "str" }, args);
    const [self, ...rest] = args.positional;
    if (self === undefined) return { error: "TypeError", message: `TypeError: unbound method str.${q.slice(4)}() needs an argument` };
    if (self.kind === "unknown") return self;
    if (self.kind !== "str") return { error: "TypeError", message: `TypeError: descriptor '${q.slice(4)}' for 'str' objects doesn't apply to a '${isPyObject(self) ? self.kind : typeLabel(self)}' object` };
    return strMethod(q.slice(4), self, { ...args, positional: rest });
  }
  if (q.startsWith("list.")) return listMethod(q.slice(5), fn.self as PyValue & { kind: "list" }, args);
  if (q.startsWith("dict.")) return dictMethod(q.slice(5), fn.self as PyDict, args);
  switch (q) {
    case "os.getenv":
      return envGet("os.getenv", arg(args, 0, "key"), arg(args, 1, "default"), ctx);
    case "os.environ.get":
      return envGet("os.environ.get", arg(args, 0, "key"), arg(args, 1, "default"), ctx);
    case "os.environ.setdefault":
      return envSetdefault(arg(args, 0, "key"), arg(args, 1, "value"), ctx);
    case "json.loads": {
      const text = toPyValue(arg(args, 0, "s") ?? unknown("json.loads() without an argument"));
      if (text.kind === "unknown") return text;
      if (text.kind !== "str") return { error: "TypeError", message: `TypeError: the JSON object must be str, bytes or bytearray, not ${typeLabel(text)}` };
      const parsed = jsonLoads(text.value);
      return "error" in parsed ? { error: "JSONDecodeError", message: `JSONDecodeError: ${parsed.error}` } : parsed.value;
    }
    case "ast.literal_eval": {
      const text = toPyValue(arg(args, 0, "node_or_string") ?? unknown("literal_eval() without an argument"));
      if (text.kind === "unknown") return text;
      if (text.kind !== "str") return { error: "ValueError", message: "ValueError: malformed node or string" };
      return literalEval(text.value);
    }
    case "distutils.util.strtobool": {
      // 1 / 0 (ints, not bools), ValueError otherwise: distutils' own table.
      const v = toPyValue(arg(args, 0, "val") ?? unknown("strtobool() without an argument"));
      if (v.kind === "unknown") return v;
      if (v.kind !== "str") return { error: "AttributeError", message: `AttributeError: '${typeLabel(v)}' object has no attribute 'lower'` };
      const lower = v.value.toLowerCase();
      if (["y", "yes", "t", "true", "on", "1"].includes(lower)) return int(1);
      if (["n", "no", "f", "false", "off", "0"].includes(lower)) return int(0);
      return { error: "ValueError", message: `ValueError: invalid truth value ${pyRepr(str(lower))}` };
    }
    case "os.fspath": {
      const p = fsPath(arg(args, 0, "path"));
      return typeof p === "string" ? str(p) : p;
    }
    default:
      return builtinFunction(q, args);
  }
}

function arg(args: CallArgs, index: number, name: string): Value | undefined {
  return args.positional[index] ?? args.keywords.get(name);
}

/** The value of an env read: the variable when set, else the default (None without one); unknown stays unknown. */
function envGet(via: string, key: Value | undefined, dflt: Value | undefined, ctx: CallContext): Result {
  const name = envName(key);
  if (typeof name !== "string") return name;
  const defaultValue = dflt === undefined ? undefined : toPyValue(dflt);
  const found = ctx.readEnv(name, via, defaultValue);
  if (found.kind === "set") return str(found.value);
  if (found.kind === "unknown") return unknown(found.reason);
  return defaultValue ?? NONE;
}

function envSetdefault(key: Value | undefined, dflt: Value | undefined, ctx: CallContext): Result {
  const name = envName(key);
  if (typeof name !== "string") return name;
  const defaultValue = dflt === undefined ? undefined : toPyValue(dflt);
  const found = ctx.readEnv(name, "os.environ.setdefault", defaultValue);
  if (found.kind === "set") return str(found.value);
  if (found.kind === "unknown") return unknown(found.reason); // set or not, the variable is no better known now
  if (defaultValue === undefined) return { error: "TypeError", message: "TypeError: setdefault() missing the value argument" };
  if (defaultValue.kind === "str") ctx.setEnv(name, defaultValue.value);
  else if (defaultValue.kind !== "unknown") return { error: "TypeError", message: `TypeError: str expected, not ${typeLabel(defaultValue)}` };
  return defaultValue;
}

function envName(key: Value | undefined): string | PyValue {
  if (key === undefined) return unknown("environment variable name is missing");
  if (key.kind === "str") return key.value;
  if (key.kind === "unknown") return unknown(`environment variable name is unknown: ${key.reason}`);
  return unknown("environment variable name is not a string");
}

/** os.fspath(): the text of a str or Path; unknown for anything else. */
export function fsPath(v: Value | undefined): string | PyValue {
  if (v === undefined) return unknown("missing path argument");
  if (v.kind === "library" && v.object.type === "environ.Path") return v.object.root;
  if (v.kind === "str" || v.kind === "path") return v.value;
  if (v.kind === "unknown") return v;
  return unknown(`expected a str or Path, got ${isPyObject(v) ? v.kind : typeLabel(v)}`);
}

function osPathCall(name: string, args: CallArgs): Result {
  const parts: string[] = [];
  for (const a of args.positional) {
    const p = fsPath(a);
    if (typeof p !== "string") return p;
    parts.push(p);
  }
  const first = parts[0];
  if (first === undefined) return unknown(`os.path.${name}() without arguments`);
  switch (name) {
    case "join":
      return str(osPathJoin(first, ...parts.slice(1)));
    case "dirname":
      return str(osPathDirname(first));
    case "basename":
      return str(osPathBasename(first));
    case "normpath":
      return str(osPathNormpath(first));
    case "abspath":
    case "realpath":
      // realpath would also follow symlinks inside the container, which we cannot see.
      if (!isAbsolute(first)) return unknown(`os.path.${name}(${pyRepr(str(first))}) depends on the working directory`);
      return str(osPathNormpath(first));
    case "split":
      return { kind: "tuple", items: osPathSplit(first).map(str) };
    case "splitext":
      return { kind: "tuple", items: osPathSplitext(first).map(str) };
    case "isabs":
      return bool(isAbsolute(first));
    case "expanduser":
      return first.startsWith("~") ? unknown("os.path.expanduser() depends on the user's home directory") : str(first);
    case "expandvars":
      return first.includes("$") ? unknown("os.path.expandvars() is not evaluated") : str(first);
    default:
      return unknown(`os.path.${name}() checks the filesystem at run time`);
  }
}

function pathConstructor(args: CallArgs): Result {
  const parts: string[] = [];
  for (const a of args.positional) {
    const p = fsPath(a);
    if (typeof p !== "string") return p;
    parts.push(p);
  }
  return path(purePath(...parts));
}

function pathMethod(name: string, self: PyValue | undefined, args: CallArgs): Result {
  if (name === "cwd" || name === "home") return unknown(`Path.${name}() depends on the running process`);
  if (self?.kind !== "path") return undefined;
  const p = self.value;
  switch (name) {
    case "resolve":
      if (!isAbsolute(p)) return unknown(`Path.resolve() of the relative path ${pyRepr(str(p))} depends on the working directory`);
      return path(resolveAbsolute(p));
    case "absolute":
      if (!isAbsolute(p)) return unknown(`Path.absolute() of the relative path ${pyRepr(str(p))} depends on the working directory`);
      return self;
    case "joinpath": {
      const parts: string[] = [p];
      for (const a of args.positional) {
        const s = fsPath(a);
        if (typeof s !== "string") return s;
        parts.push(s);
      }
      return path(purePath(...parts));
    }
    case "as_posix":
      return str(p);
    case "with_name": {
      const n = args.positional[0];
      if (n?.kind !== "str") return n?.kind === "unknown" ? n : undefined;
      const parent = pathParent(p);
      return path(purePath(parent, n.value));
    }
    case "with_suffix": {
      const s = args.positional[0];
      if (s?.kind !== "str") return s?.kind === "unknown" ? s : undefined;
      const stem = pathStem(p);
      return path(purePath(pathParent(p), stem + s.value));
    }
    case "expanduser":
      return p.startsWith("~") ? unknown("Path.expanduser() depends on the user's home directory") : self;
    default:
      return unknown(`Path.${name}() touches the filesystem at run time`);
  }
}

const PY_WHITESPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_WS = new RegExp(`^[${PY_WHITESPACE}]+`);
const TRAILING_WS = new RegExp(`[${PY_WHITESPACE}]+$`);
const WS_CHAR = new RegExp(`[${PY_WHITESPACE}]`);

function stripChars(s: string, chars: Value | undefined, left: boolean, right: boolean): Result {
  if (chars === undefined || chars.kind === "none") {
    let out = s;
    if (left) out = out.replace(LEADING_WS, "");
    if (right) out = out.replace(TRAILING_WS, "");
    return str(out);
  }
  if (chars.kind === "unknown") return chars;
  if (chars.kind !== "str") return { error: "TypeError", message: "TypeError: strip arg must be None or str" };
  const set = new Set(Array.from(chars.value));
  const cps = Array.from(s);
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a] as string)) a++;
  if (right) while (b > a && set.has(cps[b - 1] as string)) b--;
  return str(cps.slice(a, b).join(""));
}

/** str.split / str.rsplit with Python's rules for sep=None (runs of whitespace) and maxsplit. */
function splitString(s: string, sep: Value | undefined, maxsplitV: Value | undefined, fromRight: boolean): Result {
  let maxsplit = -1;
  if (maxsplitV !== undefined) {
    if (maxsplitV.kind === "unknown") return maxsplitV;
    if (maxsplitV.kind !== "int") return { error: "TypeError", message: "TypeError: maxsplit must be an integer" };
    maxsplit = maxsplitV.value;
  }
  if (sep === undefined || sep.kind === "none") {
    if (maxsplit < 0) return { kind: "list", items: s.split(new RegExp(`[${PY_WHITESPACE}]+`)).filter((w) => w !== "").map(str) };
    // With a limit, the unsplit remainder keeps its whitespace: find it by scanning.
    return { kind: "list", items: splitWhitespaceLimited(s, maxsplit, fromRight).map(str) };
  }
  if (sep.kind === "unknown") return sep;
  if (sep.kind !== "str") return { error: "TypeError", message: "TypeError: must be str or None" };
  if (sep.value === "") return { error: "ValueError", message: "ValueError: empty separator" };
  const pieces = s.split(sep.value);
  if (maxsplit < 0 || pieces.length <= maxsplit + 1) return { kind: "list", items: pieces.map(str) };
  if (fromRight) {
    const head = pieces.slice(0, pieces.length - maxsplit).join(sep.value);
    return { kind: "list", items: [head, ...pieces.slice(pieces.length - maxsplit)].map(str) };
  }
  const tail = pieces.slice(maxsplit).join(sep.value);
  return { kind: "list", items: [...pieces.slice(0, maxsplit), tail].map(str) };
}

function splitWhitespaceLimited(s: string, maxsplit: number, fromRight: boolean): string[] {
  if (fromRight) {
    const reversed = splitWhitespaceLimited(Array.from(s).reverse().join(""), maxsplit, false);
    return reversed.map((w) => Array.from(w).reverse().join("")).reverse();
  }
  const out: string[] = [];
  let i = 0;
  const cps = Array.from(s);
  while (i < cps.length) {
    while (i < cps.length && WS_CHAR.test(cps[i] as string)) i++;
    if (i >= cps.length) break;
    if (out.length === maxsplit) {
      out.push(cps.slice(i).join(""));
      break;
    }
    let j = i;
    while (j < cps.length && !WS_CHAR.test(cps[j] as string)) j++;
    out.push(cps.slice(i, j).join(""));
    i = j;
  }
  return out;
}

function strMethod(name: string, self: PyValue & { kind: "str" }, args: CallArgs): Result {
  const s = self.value;
  const a0 = args.positional[0];
  const a1 = args.positional[1];
  for (const a of args.positional) if (a.kind === "unknown") return a;
  switch (name) {
    case "lower":
    case "casefold":
      return str(s.toLowerCase());
    case "upper":
      return str(s.toUpperCase());
    case "strip":
      return stripChars(s, a0, true, true);
    case "lstrip":
      return stripChars(s, a0, true, false);
    case "rstrip":
      return stripChars(s, a0, false, true);
    case "split":
    case "rsplit":
      return splitString(s, a0 ?? args.keywords.get("sep"), a1 ?? args.keywords.get("maxsplit"), name === "rsplit");
    case "replace": {
      if (a0?.kind !== "str" || a1?.kind !== "str" || a0.value === "") return undefined;
      const count = args.positional[2] ?? args.keywords.get("count");
      if (count !== undefined && count.kind !== "int") return undefined;
      const pieces = s.split(a0.value);
      const n = count === undefined || count.value < 0 ? pieces.length - 1 : Math.min(count.value, pieces.length - 1);
      return str(pieces.slice(0, n + 1).join(a1.value) + (n + 1 < pieces.length ? a0.value + pieces.slice(n + 1).join(a0.value) : ""));
    }
    case "startswith":
    case "endswith": {
      const test = (p: string) => (name === "startswith" ? s.startsWith(p) : s.endsWith(p));
      if (a0?.kind === "str") return bool(test(a0.value));
      if (a0?.kind === "tuple") {
        const u = firstUnknown(a0);
        if (u) return u;
        if (a0.items.every((x) => x.kind === "str")) return bool(a0.items.some((x) => test((x as { value: string }).value)));
      }
      return undefined;
    }
    case "join": {
      if (a0 === undefined || isPyObject(a0)) return undefined;
      const items = iterate(a0);
      if (!Array.isArray(items)) return items;
      const texts: string[] = [];
      for (const item of items) {
        if (item.kind === "unknown") return item;
        if (item.kind !== "str") return { error: "TypeError", message: `TypeError: sequence item: expected str instance, ${typeLabel(item)} found` };
        texts.push(item.value);
      }
      return str(texts.join(s));
    }
    case "format":
      return formatString(s, args);
    case "find":
    case "rfind":
    case "count": {
      if (a0?.kind !== "str" || args.positional.length > 1) return undefined;
      // Python counts code points; JS indexes UTF-16 units: convert the index back.
      if (name === "count") return int(a0.value === "" ? Array.from(s).length + 1 : s.split(a0.value).length - 1);
      const at = name === "find" ? s.indexOf(a0.value) : s.lastIndexOf(a0.value);
      return int(at < 0 ? -1 : Array.from(s.slice(0, at)).length);
    }
    case "isdigit":
      return bool(s.length > 0 && /^\p{Nd}+$/u.test(s));
    default:
      return unknown(`str.${name}() is not evaluated`);
  }
}

/** str.format with plain `{}`, `{0}` and `{name}` fields; format specs and conversions stay unknown. */
function formatString(template: string, args: CallArgs): Result {
  let out = "";
  let auto = 0;
  let numbering: "auto" | "manual" | undefined;
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if ((ch === "{" || ch === "}") && template[i + 1] === ch) {
      out += ch;
      i += 2;
      continue;
    }
    if (ch === "}") return { error: "ValueError", message: "ValueError: Single '}' encountered in format string" };
    if (ch !== "{") {
      out += ch;
      i++;
      continue;
    }
    const close = template.indexOf("}", i);
    if (close < 0) return { error: "ValueError", message: "ValueError: Single '{' encountered in format string" };
    const field = template.slice(i + 1, close);
    if (!/^\w*$/.test(field)) return unknown("str.format() with format specifications is not evaluated");
    let value: Value | undefined;
    if (field === "" || /^\d+$/.test(field)) {
      const mode = field === "" ? "auto" : "manual";
      if (numbering !== undefined && numbering !== mode) {
        return { error: "ValueError", message: "ValueError: cannot switch between automatic and manual field numbering" };
      }
      numbering = mode;
      value = args.positional[field === "" ? auto++ : Number(field)];
    } else value = args.keywords.get(field);
    if (value === undefined) return { error: "IndexError", message: `IndexError: Replacement index ${field || auto - 1} out of range` };
    const v = toPyValue(value);
    const u = firstUnknown(v);
    if (u) return u;
    out += pyStr(v);
    i = close + 1;
  }
  return str(out);
}

function listMethod(name: string, self: PyValue & { kind: "list" }, args: CallArgs): Result {
  const a0 = args.positional[0];
  const a1 = args.positional[1];
  switch (name) {
    case "append":
      if (a0 === undefined) return undefined;
      self.items.push(toPyValue(a0));
      return NONE;
    case "extend": {
      if (a0 === undefined || isPyObject(a0)) return undefined;
      const items = iterate(a0);
      if (!Array.isArray(items)) {
        if (isError(items as OpResult)) return items as { error: string; message: string };
        // The list is still a list, but we no longer know what is in it.
        self.items.push(unknown(`extended with an unknown value: ${(items as { reason: string }).reason}`));
        return NONE;
      }
      self.items.push(...items);
      return NONE;
    }
    case "insert": {
      if (a0 === undefined || a1 === undefined) return undefined;
      if (a0.kind === "unknown") {
        self.items.push(unknown(`inserted at an unknown position: ${a0.reason}`));
        return NONE;
      }
      if (a0.kind !== "int" && a0.kind !== "bool") return { error: "TypeError", message: "TypeError: list indices must be integers" };
      const n = a0.kind === "bool" ? Number(a0.value) : a0.value;
      const len = self.items.length;
      const at = n < 0 ? Math.max(0, len + n) : Math.min(n, len);
      self.items.splice(at, 0, toPyValue(a1));
      return NONE;
    }
    case "remove": {
      if (a0 === undefined) return undefined;
      const x = toPyValue(a0);
      for (let i = 0; i < self.items.length; i++) {
        const eq = pyEquals(self.items[i] as PyValue, x);
        if (eq === undefined) return unknown("cannot tell which item list.remove() removes");
        if (eq) {
          self.items.splice(i, 1);
          return NONE;
        }
      }
      return { error: "ValueError", message: "ValueError: list.remove(x): x not in list" };
    }
    case "pop": {
      const at = a0 === undefined ? -1 : a0.kind === "int" ? a0.value : undefined;
      if (at === undefined) return a0?.kind === "unknown" ? a0 : { error: "TypeError", message: "TypeError: list indices must be integers" };
      const i = at < 0 ? self.items.length + at : at;
      if (i < 0 || i >= self.items.length) return { error: "IndexError", message: "IndexError: pop index out of range" };
      return self.items.splice(i, 1)[0] as PyValue;
    }
    case "clear":
      self.items.length = 0;
      return NONE;
    case "reverse":
      self.items.reverse();
      return NONE;
    case "sort": {
      if (args.positional.length > 0 || args.keywords.size > 0) return unknown("list.sort() with arguments is not evaluated");
      const u = firstUnknown(self);
      if (u) return u;
      if (self.items.every((x) => x.kind === "str")) self.items.sort((x, y) => ((x as { value: string }).value < (y as { value: string }).value ? -1 : 1));
      else if (self.items.every((x) => x.kind === "int" || x.kind === "float")) self.items.sort((x, y) => (x as { value: number }).value - (y as { value: number }).value);
      else return unknown("list.sort() of mixed items is not evaluated");
      return NONE;
    }
    case "copy":
      return { kind: "list", items: [...self.items] };
    default:
      return unknown(`list.${name}() is not evaluated`);
  }
}

function dictMethod(name: string, self: PyDict, args: CallArgs): Result {
  const a0 = args.positional[0];
  const a1 = args.positional[1];
  switch (name) {
    case "get":
    case "setdefault": {
      if (a0 === undefined) return undefined;
      const key = toPyValue(a0);
      if (key.kind === "unknown") return key;
      const got = dictGet(self, key);
      if (got === "unknown") return unknown(`cannot tell whether key ${pyRepr(key)} is in the dict`);
      if (got !== undefined) return got;
      const dflt = a1 === undefined ? NONE : toPyValue(a1);
      if (name === "setdefault") dictSet(self, key, dflt);
      return dflt;
    }
    case "update": {
      if (a0 !== undefined) {
        const other = toPyValue(a0);
        if (other.kind !== "dict") return unknown(`dict.update() with ${other.kind === "unknown" ? `an unknown value: ${other.reason}` : typeLabel(other)} is not evaluated`);
        for (const e of other.entries) dictSet(self, e.key, e.value);
      }
      for (const [k, v] of args.keywords) dictSet(self, str(k), toPyValue(v));
      return NONE;
    }
    case "pop": {
      if (a0 === undefined) return undefined;
      const key = toPyValue(a0);
      if (key.kind === "unknown") return key;
      const at = self.entries.findIndex((e) => pyEquals(e.key, key) === true);
      if (at >= 0) return (self.entries.splice(at, 1)[0] as { value: PyValue }).value;
      if (self.entries.some((e) => pyEquals(e.key, key) === undefined)) return unknown(`cannot tell whether key ${pyRepr(key)} is in the dict`);
      return a1 === undefined ? { error: "KeyError", message: `KeyError: ${pyRepr(key)}` } : toPyValue(a1);
    }
    case "popitem": {
      const last = self.entries.pop();
      if (!last) return { error: "KeyError", message: "KeyError: 'popitem(): dictionary is empty'" };
      return { kind: "tuple", items: [last.key, last.value] };
    }
    case "clear":
      self.entries.length = 0;
      return NONE;
    case "copy":
      return { kind: "dict", entries: self.entries.map((e) => ({ ...e })) };
    case "keys":
      return { kind: "list", items: self.entries.map((e) => e.key) };
    case "values":
      return { kind: "list", items: self.entries.map((e) => e.value) };
    case "items":
      return { kind: "list", items: self.entries.map((e) => ({ kind: "tuple", items: [e.key, e.value] }) as PyValue) };
    default:
      return unknown(`dict.${name}() is not evaluated`);
  }
}

/** Parses int() input the way Python does for base 10 (whitespace, sign, digit underscores). */
function parseIntText(s: string): number | undefined {
  const t = s.replace(LEADING_WS, "").replace(TRAILING_WS, "");
  if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) return undefined;
  const n = Number(t.replace(/_/g, ""));
  return n;
}

function parseFloatText(s: string): number | undefined {
  const t = s.replace(LEADING_WS, "").replace(TRAILING_WS, "").toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+(?:_\d+)*)?$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ""));
}

function builtinFunction(name: string, args: CallArgs): Result {
  const raw = args.positional[0];
  const a0 = raw === undefined ? undefined : toPyValue(raw);
  if (a0 !== undefined && !["print", "list", "tuple", "len", "any", "all"].includes(name)) {
    const u = firstUnknown(a0);
    if (u && name !== "bool") return u;
  }
  switch (name) {
    case "str":
      return str(a0 === undefined ? "" : pyStr(a0));
    case "repr":
      return a0 === undefined ? undefined : str(pyRepr(a0));
    case "bool": {
      if (a0 === undefined) return bool(false);
      const t = pyTruthy(a0);
      return t === undefined ? firstUnknown(a0) : bool(t);
    }
    case "int": {
      if (a0 === undefined) return int(0);
      if (args.positional.length > 1 || args.keywords.has("base")) return unknown("int() with a base is not evaluated");
      if (a0.kind === "int") return a0;
      if (a0.kind === "bool") return int(a0.value ? 1 : 0);
      if (a0.kind === "float") {
        if (!Number.isFinite(a0.value)) return { error: "ValueError", message: "ValueError: cannot convert float to integer" };
        const n = Math.trunc(a0.value);
        return Number.isSafeInteger(n) ? int(n) : unknown("integer is too large to model exactly");
      }
      if (a0.kind === "str") {
        const n = parseIntText(a0.value);
        if (n === undefined) return { error: "ValueError", message: `ValueError: invalid literal for int() with base 10: ${pyRepr(a0)}` };
        return Number.isSafeInteger(n) ? int(n) : unknown("integer is too large to model exactly");
      }
      return { error: "TypeError", message: `TypeError: int() argument must be a string or a number, not '${typeLabel(a0)}'` };
    }
    case "float": {
      if (a0 === undefined) return float(0);
      if (a0.kind === "float") return a0;
      if (a0.kind === "int" || a0.kind === "bool") return float(a0.kind === "bool" ? Number(a0.value) : a0.value);
      if (a0.kind === "str") {
        const n = parseFloatText(a0.value);
        if (n === undefined) return { error: "ValueError", message: `ValueError: could not convert string to float: ${pyRepr(a0)}` };
        return float(n);
      }
      return { error: "TypeError", message: `TypeError: float() argument must be a string or a number, not '${typeLabel(a0)}'` };
    }
    case "list":
    case "tuple": {
      if (a0 === undefined) return { kind: name, items: [] };
      const items = iterate(a0);
      if (!Array.isArray(items)) return items;
      return { kind: name, items: [...items] };
    }
    case "dict": {
      const d: PyDict = { kind: "dict", entries: [] };
      if (a0 !== undefined) {
        if (a0.kind === "dict") for (const e of a0.entries) dictSet(d, e.key, e.value);
        else {
          const items = iterate(a0);
          if (!Array.isArray(items)) return items;
          for (const item of items) {
            if ((item.kind !== "tuple" && item.kind !== "list") || item.items.length !== 2) {
              return item.kind === "unknown" ? item : { error: "ValueError", message: "ValueError: dictionary update sequence element has the wrong length" };
            }
            dictSet(d, item.items[0] as PyValue, item.items[1] as PyValue);
          }
        }
      }
      for (const [k, v] of args.keywords) dictSet(d, str(k), toPyValue(v));
      return d;
    }
    case "len": {
      if (a0 === undefined) return undefined;
      if (a0.kind === "str") return int(Array.from(a0.value).length);
      if (a0.kind === "list" || a0.kind === "tuple") return int(a0.items.length);
      if (a0.kind === "dict") return int(a0.entries.length);
      if (a0.kind === "unknown") return a0;
      return { error: "TypeError", message: `TypeError: object of type '${typeLabel(a0)}' has no len()` };
    }
    case "any":
    case "all": {
      if (a0 === undefined) return { error: "TypeError", message: `TypeError: ${name}() takes exactly one argument (0 given)` };
      const items = iterate(a0);
      if (!Array.isArray(items)) return items;
      // A known item that decides the answer decides it, whatever the unknown ones hold.
      let undecided: PyUnknown | undefined;
      for (const item of items) {
        const t = pyTruthy(item);
        if (t === undefined) undecided ??= firstUnknown(item) ?? unknown("truth value is unknown");
        else if (t === (name === "any")) return bool(t);
      }
      return undecided ?? bool(name === "all");
    }
    case "print":
      return NONE;
    default:
      return undefined;
  }
}

/** Calls a built-in function by name (`int`, `str`, `bool`…) on one value, as a library's cast does. */
export function callBuiltinFunction(name: string, value: PyValue, ctx: CallContext): Value {
  return callBuiltin({ kind: "builtin", qualname: name }, { positional: [value], keywords: new Map() }, ctx);
}
