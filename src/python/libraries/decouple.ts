import type { SourceRange } from "../../core/location.js";
import { fsPath, type CallArgs, type CallContext } from "../builtins.js";
import type { EnvLookup } from "../env-readers.js";
import { parseDecoupleEnv } from "../env-files/decouple-env.js";
import { iniGet, parseIni } from "../env-files/configparser.js";
import { isAbsolute, osPathDirname, osPathJoin, osPathNormpath } from "../paths.js";
import { toPyValue, type Value } from "../runtime.js";
import { NONE, bool, firstUnknown, pyEquals, pyRepr, pyStr, str, unknown, type PyValue } from "../values.js";
import { applyCast } from "./casts.js";
import { isRuntimeFile, type RuntimeFileResult } from "./files.js";
import { libraryValue, type DecoupleRepository, type LibraryObject } from "./objects.js";
import { shlexSplitPosix } from "./shlex.js";
import { atLeastVersion } from "./versions.js";

/**
 * python-decouple (`from decouple import config, Csv, Choices`), 3.6 (Debian) to 3.8, read
 * from its source. `config(name, default=…, cast=…)` takes os.environ first, then its
 * repository: the first `settings.ini` or `.env` found from the directory of the module
 * that makes the FIRST call upwards (the root directory itself is never searched). The
 * repository's values never enter os.environ. A missing name without a default raises
 * UndefinedValueError; the default is cast like a found value.
 */

type AutoConfig = Extract<LibraryObject, { type: "decouple.AutoConfig" }>;

const TRUE_VALUES = new Set(["y", "yes", "t", "true", "on", "1"]);
const FALSE_VALUES = new Set(["n", "no", "f", "false", "off", "0"]);
const WHITESPACE = " \t\n\r\x0b\x0c"; // string.whitespace

export function newDecoupleConfig(): LibraryObject {
  return { type: "decouple.AutoConfig", searchPath: undefined };
}

export function decoupleModuleAttribute(attr: string): Value {
  switch (attr) {
    case "config":
    case "AutoConfig":
    case "Config":
    case "RepositoryEnv":
    case "RepositoryIni":
    case "RepositoryEmpty":
    case "Csv":
    case "Choices":
    case "strtobool":
      return { kind: "builtin", qualname: `decouple.${attr}` };
    case "UndefinedValueError":
      return { kind: "class", name: "UndefinedValueError", builtin: true };
    default:
      return { kind: "external", qualname: `decouple.${attr}` };
  }
}

export function decoupleClassAttribute(qualname: string, attr: string): Value | undefined {
  if (qualname === "decouple.config" && attr === "get") return { kind: "builtin", qualname: "decouple.config.get" };
  return undefined;
}

export function decoupleObjectAttribute(self: Value & { kind: "library" }, attr: string): Value {
  const t = self.object.type;
  if ((t === "decouple.AutoConfig" || t === "decouple.Config") && attr === "get") return { kind: "builtin", qualname: `${t}.get`, self };
  return unknown(`${t}.${attr} is not evaluated`);
}

export function decoupleCall(qualname: string, self: Value | undefined, args: CallArgs, ctx: CallContext): Value {
  const arg = (i: number, name: string): Value | undefined => args.positional[i] ?? args.keywords.get(name);
  switch (qualname) {
    case "decouple.config":
    case "decouple.config.get":
      return configGet(ctx.decoupleConfig, args, ctx);
    case "decouple.AutoConfig.get":
    case "decouple.Config.get":
      return self?.kind === "library" ? configGet(self.object, args, ctx) : unknown(`${qualname}() is not evaluated`);
    case "decouple.AutoConfig": {
      const search = arg(0, "search_path");
      if (search === undefined || search.kind === "none") return libraryValue({ type: "decouple.AutoConfig", searchPath: undefined });
      const p = fsPath(search);
      if (typeof p !== "string") return libraryValue({ type: "decouple.AutoConfig", searchPath: undefined, repository: { kind: "unknown", reason: `AutoConfig(search_path=…) with an unknown path: ${describe(p)}` } });
      return libraryValue({ type: "decouple.AutoConfig", searchPath: p });
    }
    case "decouple.Config": {
      const repo = arg(0, "repository");
      if (repo?.kind === "library" && repo.object.type === "decouple.Repository") return libraryValue({ type: "decouple.Config", repository: repo.object.repository });
      return libraryValue({ type: "decouple.Config", repository: { kind: "unknown", reason: "Config() with a repository that is not evaluated" } });
    }
    case "decouple.RepositoryEmpty":
      return libraryValue({ type: "decouple.Repository", repository: { kind: "empty" } });
    case "decouple.RepositoryEnv":
    case "decouple.RepositoryIni": {
      const source = arg(0, "source");
      const p = source === undefined ? unknown("no source") : fsPath(source);
      if (typeof p !== "string") return libraryValue({ type: "decouple.Repository", repository: { kind: "unknown", reason: `${qualname}() with an unknown path: ${describe(p)}` } });
      const abs = absolute(p, ctx);
      if (abs === undefined) return libraryValue({ type: "decouple.Repository", repository: { kind: "unknown", reason: `${qualname}(${pyRepr(str(p))}) is relative to the working directory, which is unknown` } });
      const found = ctx.readRuntimeFile(abs);
      // The constructor opens the file: a missing one raises.
      if (found === undefined) return ctx.raise("FileNotFoundError", `FileNotFoundError: [Errno 2] No such file or directory: ${pyRepr(str(p))}`);
      const repository = loadRepository(qualname === "decouple.RepositoryEnv" ? ".env" : "settings.ini", found);
      if (repository.kind === "error") return raiseMessage(repository.message, ctx);
      return libraryValue({ type: "decouple.Repository", repository });
    }
    case "decouple.Csv": {
      const cast = arg(0, "cast") ?? { kind: "builtin", qualname: "str" };
      const delimiter = toPyValue(arg(1, "delimiter") ?? str(","));
      const strip = toPyValue(arg(2, "strip") ?? str(WHITESPACE));
      const postProcess = arg(3, "post_process") ?? { kind: "builtin", qualname: "list" };
      if (delimiter.kind !== "str" || strip.kind !== "str") return unknown("Csv() with a delimiter or strip that is not a known string");
      return libraryValue({ type: "decouple.Csv", cast, delimiter: delimiter.value, strip: strip.value, postProcess });
    }
    case "decouple.Choices": {
      const flat = toPyValue(arg(0, "flat") ?? NONE);
      const cast = arg(1, "cast") ?? { kind: "builtin", qualname: "str" };
      const choices = toPyValue(arg(2, "choices") ?? NONE);
      const valid: PyValue[] = [];
      if (flat.kind === "list" || flat.kind === "tuple") valid.push(...flat.items);
      else if (flat.kind !== "none") return unknown("Choices(flat=…) that is not a known list");
      if (choices.kind === "list" || choices.kind === "tuple") {
        for (const c of choices.items) {
          if ((c.kind !== "list" && c.kind !== "tuple") || c.items.length !== 2) return unknown("Choices(choices=…) that is not a known list of pairs");
          valid.push(c.items[0] as PyValue);
        }
      } else if (choices.kind !== "none") return unknown("Choices(choices=…) that is not a known list");
      return libraryValue({ type: "decouple.Choices", valid, cast });
    }
    case "decouple.strtobool": {
      const v = toPyValue(arg(0, "value") ?? NONE);
      if (v.kind === "bool" && atLeastVersion(ctx.libraries, "python-decouple", "3.7")) return v;
      if (v.kind !== "str") return v.kind === "unknown" ? v : ctx.raise("AttributeError", `AttributeError: '${v.kind}' object has no attribute 'lower'`);
      return strtobool(v.value, ctx);
    }
    default:
      return unknown(`${qualname}() is not evaluated`);
  }
}

/** Raises the exception a message like "DuplicateOptionError: …" names. */
function raiseMessage(message: string, ctx: CallContext): PyValue {
  return ctx.raise(message.slice(0, message.indexOf(":")), message);
}

function describe(v: PyValue): string {
  return v.kind === "unknown" ? v.reason : pyRepr(v);
}

function absolute(p: string, ctx: CallContext): string | undefined {
  if (isAbsolute(p)) return osPathNormpath(p);
  const cwd = ctx.workingDirectory();
  return cwd === undefined ? undefined : osPathNormpath(osPathJoin(cwd, p));
}

function loadRepository(kind: ".env" | "settings.ini", found: RuntimeFileResult): DecoupleRepository {
  if (found === undefined) return { kind: "empty" };
  if (!isRuntimeFile(found)) return { kind: "unknown", reason: found.unknown };
  if (kind === ".env") {
    const entries = new Map(parseDecoupleEnv(found.text, found.file).map((e) => [e.name, e] as const));
    return { kind: "env", file: found.file, entries };
  }
  const ini = parseIni(found.text, found.file);
  if (!ini.ok) return { kind: "error", message: `${ini.error} in ${found.file}` };
  return { kind: "ini", file: found.file, ini };
}

/** AutoConfig._find_file: settings.ini, then .env, in each directory from `start` up (the root is not searched). */
function findRepository(start: string, ctx: CallContext): DecoupleRepository {
  let dir = osPathNormpath(start);
  for (let guard = 0; guard < 256; guard++) {
    for (const name of ["settings.ini", ".env"] as const) {
      const found = ctx.readRuntimeFile(osPathJoin(dir, name));
      if (found !== undefined) return loadRepository(name, found);
    }
    const parent = osPathDirname(dir);
    if (!parent || parent === "/" || parent === dir) break;
    dir = parent;
  }
  return { kind: "empty" };
}

function repositoryOf(config: LibraryObject, ctx: CallContext): DecoupleRepository {
  if (config.type === "decouple.Config" || config.type === "decouple.Repository") return config.repository;
  if (config.type !== "decouple.AutoConfig") return { kind: "unknown", reason: `${config.type} is not a config` };
  const auto: AutoConfig = config;
  if (auto.repository === undefined) {
    // Loaded once, by the first call, from the caller's directory (or search_path).
    let start = auto.searchPath;
    if (start === undefined) {
      const caller = ctx.callerPath();
      if (typeof caller !== "string") {
        auto.repository = { kind: "unknown", reason: `python-decouple looks for settings.ini / .env next to the calling module: ${caller.reason}` };
        return auto.repository;
      }
      start = osPathDirname(caller);
    }
    const abs = absolute(start, ctx);
    auto.repository = abs === undefined ? { kind: "unknown", reason: `AutoConfig(search_path=${pyRepr(str(start))}) is relative to the working directory, which is unknown` } : findRepository(abs, ctx);
  }
  return auto.repository;
}

/** Config.get(option, default=undefined, cast=undefined). */
function configGet(config: LibraryObject, args: CallArgs, ctx: CallContext): Value {
  const option = toPyValue(args.positional[0] ?? args.keywords.get("option") ?? unknown("config() without a name"));
  const dflt = args.positional[1] ?? args.keywords.get("default");
  const cast = args.positional[2] ?? args.keywords.get("cast");
  if (option.kind === "unknown") return unknown(`config name is unknown: ${option.reason}`);
  if (option.kind !== "str") return unknown("config name is not a string");
  const name = option.value;
  const repository = repositoryOf(config, ctx);
  if (repository.kind === "error") return raiseMessage(repository.message, ctx);
  let found: EnvLookup = ctx.env.lookup(name);
  if (found.kind === "absent") found = repositoryLookup(repository, name, ctx);
  const defaultPy = dflt === undefined ? undefined : toPyValue(dflt);
  const read = ctx.env.record(name, "decouple.config", ctx.range, defaultPy, found);
  ctx.recordRead(read);
  let value: Value;
  if (found.kind === "unknown") return unknown(found.reason);
  if (found.kind === "set") value = str(found.value);
  else if (dflt === undefined) {
    const message = `UndefinedValueError: ${name} not found. Declare it as envvar or define a default value.`;
    // raise() returns only when no surrounding try catches it.
    const result = ctx.raise("UndefinedValueError", message);
    read.fatal = message;
    return result;
  }
  else value = dflt;
  if (cast === undefined) return value;
  const v = toPyValue(value);
  if (cast.kind === "builtin" && cast.qualname === "bool" && cast.self === undefined) return castBoolean(v, ctx);
  return applyCast(cast, v, ctx);
}

function repositoryLookup(repository: DecoupleRepository, name: string, ctx: CallContext): EnvLookup {
  switch (repository.kind) {
    case "empty":
      return { kind: "absent" };
    case "unknown":
      return { kind: "unknown", reason: repository.reason };
    case "env": {
      const entry = repository.entries.get(name);
      return entry === undefined ? { kind: "absent" } : { kind: "set", value: entry.value, source: { file: repository.file, range: entry.range } };
    }
    case "ini": {
      const got = iniGet(repository.ini, "settings", name);
      if (got.kind === "missing") return { kind: "absent" };
      if (got.kind === "error") {
        raiseMessage(got.message, ctx);
        return { kind: "unknown", reason: got.message };
      }
      return { kind: "set", value: got.value, source: { file: repository.file, range: got.option.range as SourceRange } };
    }
    case "error":
      return { kind: "unknown", reason: repository.message };
  }
}

/** Config._cast_boolean: str(value); '' is False; else strtobool. */
function castBoolean(v: PyValue, ctx: CallContext): Value {
  const u = firstUnknown(v);
  if (u) return u;
  const text = pyStr(v);
  if (text === "") return bool(false);
  return strtobool(text, ctx);
}

function strtobool(value: string, ctx: CallContext): Value {
  const lower = value.toLowerCase();
  if (TRUE_VALUES.has(lower)) return bool(true);
  if (FALSE_VALUES.has(lower)) return bool(false);
  return ctx.raise("ValueError", `ValueError: Invalid truth value: ${lower}`);
}

/** Csv and Choices objects used as a cast: `cast(value)`. Undefined for other objects. */
export function decoupleCastObject(cast: Value & { kind: "library" }, value: PyValue, ctx: CallContext): Value | undefined {
  const o = cast.object;
  if (o.type === "decouple.Csv") {
    if (value.kind === "none") {
      if (!atLeastVersion(ctx.libraries, "python-decouple", "3.7")) return unknown("Csv() of None reads standard input before python-decouple 3.7");
      const post = o.postProcess;
      if (post.kind === "builtin" && (post.qualname === "list" || post.qualname === "tuple")) return { kind: post.qualname, items: [] };
      return unknown("Csv(post_process=…) with a function is not evaluated");
    }
    if (value.kind !== "str") return ctx.raise("AttributeError", `AttributeError: '${value.kind}' object has no attribute 'read'`);
    const split = shlexSplitPosix(value.value, o.delimiter);
    if ("error" in split) return ctx.raise("ValueError", split.error);
    const items: PyValue[] = [];
    for (const token of split.tokens) items.push(toPyValue(applyCast(o.cast, str(stripSet(token, o.strip)), ctx)));
    const post = o.postProcess;
    if (post.kind === "builtin" && (post.qualname === "list" || post.qualname === "tuple")) return { kind: post.qualname, items };
    return unknown(`Csv(post_process=…) with ${post.kind === "builtin" ? post.qualname : "a function"} is not evaluated`);
  }
  if (o.type === "decouple.Choices") {
    const transformed = applyCast(o.cast, value, ctx);
    const t = toPyValue(transformed);
    if (t.kind === "unknown") return t;
    let uncertain = false;
    for (const v of o.valid) {
      const eq = pyEquals(v, t);
      if (eq === true) return transformed;
      if (eq === undefined) uncertain = true;
    }
    if (uncertain) return unknown("cannot tell whether the value is one of the choices");
    return ctx.raise("ValueError", `ValueError: Value not in list: ${pyRepr(value)}; valid values are ${pyRepr({ kind: "list", items: o.valid })}`);
  }
  return undefined;
}

/** str.strip(chars). */
function stripSet(s: string, chars: string): string {
  const cps = Array.from(s);
  let a = 0;
  let b = cps.length;
  while (a < b && chars.includes(cps[a] as string)) a++;
  while (b > a && chars.includes(cps[b - 1] as string)) b--;
  return cps.slice(a, b).join("");
}
