import type { CallArgs, CallContext } from "../builtins.js";
import { isPyObject, type PyObject, type Value } from "../runtime.js";
import { unknown } from "../values.js";
import { decoupleCall, decoupleCastObject, decoupleClassAttribute, decoupleModuleAttribute, decoupleObjectAttribute } from "./decouple.js";
import { callEnvObject, callEnvironPath, environCall, environClassAttribute, environModuleAttribute, environObjectAttribute, environPathOperator, setEnvironAttribute } from "./django-environ.js";
import { djDatabaseUrlCall, djDatabaseUrlModuleAttribute } from "./dj-database-url.js";
import { dotenvCall, dotenvModuleAttribute } from "./python-dotenv.js";

/**
 * The env libraries settings modules use, modelled instead of left external:
 * django-environ (`environ`), python-decouple (`decouple`), python-dotenv (`dotenv`),
 * dj-database-url (`dj_database_url`).
 * A repository module of the same name shadows them (the evaluator checks that first).
 */
export const LIBRARY_MODULES: ReadonlySet<string> = new Set(["environ", "decouple", "dotenv", "dj_database_url"]);

type Library = Extract<PyObject, { kind: "library" }>;
type Builtin = Extract<PyObject, { kind: "builtin" }>;

export function libraryModuleAttribute(module: string, attr: string): Value {
  switch (module) {
    case "environ":
      return environModuleAttribute(attr);
    case "decouple":
      return decoupleModuleAttribute(attr);
    case "dj_database_url":
      return djDatabaseUrlModuleAttribute(attr);
    default:
      return dotenvModuleAttribute(attr);
  }
}

/** An attribute of a library class or function (`environ.Env.read_env`). */
export function libraryClassAttribute(qualname: string, attr: string): Value | undefined {
  return environClassAttribute(qualname, attr) ?? decoupleClassAttribute(qualname, attr);
}

export function libraryAttribute(obj: Library, attr: string): Value {
  const t = obj.object.type;
  if (t.startsWith("environ.") || t === "urllib.ParseResult") return environObjectAttribute(obj, attr);
  return decoupleObjectAttribute(obj, attr);
}

/** `obj.attr = value` on a library object; false when the evaluator should ignore it. */
export function setLibraryAttribute(obj: Library, attr: string, value: Value): boolean {
  return setEnvironAttribute(obj.object, attr, value);
}

/** A library function or bound method called. */
export function libraryCall(fn: Builtin, args: CallArgs, ctx: CallContext): Value {
  const module = fn.qualname.split(".")[0];
  if (module === "environ") return environCall(fn.qualname, fn.self, args, ctx);
  if (module === "decouple") return decoupleCall(fn.qualname, fn.self, args, ctx);
  if (module === "dj_database_url") return djDatabaseUrlCall(fn.qualname, args, ctx);
  return dotenvCall(fn.qualname, args, ctx);
}

/** A library object called: `env("X")`, `config("X")`, `root("static")`, `Csv()(value)`. */
export function callLibraryObject(obj: Library, args: CallArgs, ctx: CallContext): Value {
  if (args.unexpanded) return args.unexpanded;
  const o = obj.object;
  switch (o.type) {
    case "environ.Env":
      return callEnvObject(o, args, ctx);
    case "environ.Path":
      return callEnvironPath(o, args, ctx);
    case "decouple.AutoConfig":
    case "decouple.Config":
      return decoupleCall(`${o.type}.get`, obj, args, ctx);
    case "decouple.Csv":
    case "decouple.Choices": {
      const v = args.positional[0];
      if (v === undefined || isPyObject(v)) return unknown(`${o.type}() of this argument is not evaluated`);
      return decoupleCastObject(obj, v, ctx) ?? unknown(`${o.type}() is not evaluated`);
    }
    default:
      return unknown(`calling a ${o.type} object is not evaluated`);
  }
}

/** Operators on library objects (`environ.Path(__file__) - 3`); undefined when not one of them. */
export function libraryOperator(op: string, a: Value, b: Value | undefined, ctx: CallContext): Value | undefined {
  return environPathOperator(op, a, b, ctx);
}
