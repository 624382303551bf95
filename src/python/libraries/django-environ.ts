import { callBuiltinFunction, fsPath, type CallArgs, type CallContext } from "../builtins.js";
import { parseEnvironEnv } from "../env-files/environ-env.js";
import { isAbsolute, osPathDirname, osPathJoin, osPathNormpath } from "../paths.js";
import { isPyObject, rawItems, toPyValue, type Value } from "../runtime.js";
import { NONE, bool, dictSet, firstUnknown, float, int, pyEquals, pyRepr, pyStr, pyTruthy, str, unknown, type PyDict, type PyUnknown, type PyValue } from "../values.js";
import { applyCast, typeOfValue } from "./casts.js";
import { isRuntimeFile, normaliseRuntimePath } from "./files.js";
import { libraryValue, type LibraryObject } from "./objects.js";
import { parseQs, quote, unquote, unquotePlus, urlHostname, urlparse, urlPassword, urlPort, urlunparse, urlUsername, type ParsedUrl } from "./url.js";
import { atLeastVersion, type LibraryOptions } from "./versions.js";

/**
 * django-environ (`import environ`), from 0.4.4 (Debian) to 0.12, read from its source:
 * `Env(**scheme)` and its readers, `Env.read_env()`, the db / cache URL parsers and
 * `environ.Path`. Where releases differ in a way that changes a value, the version the
 * project pins decides (see versions.ts and the notes at each `since()`).
 */

type Env = Extract<LibraryObject, { type: "environ.Env" }>;
type EnvPath = Extract<LibraryObject, { type: "environ.Path" }>;

const since = (ctx: CallContext, version: string): boolean => atLeastVersion(ctx.libraries, "django-environ", version);

const BOOLEAN_TRUE_STRINGS = ["true", "on", "ok", "y", "yes", "1"];

/** Env methods that read one variable, and the cast each passes to get_value. */
const READERS: Record<string, { cast?: string; parseDefault?: boolean }> = {
  __call__: {},
  get_value: {},
  str: { cast: "str" },
  unicode: { cast: "str" },
  bytes: { cast: "str" },
  bool: { cast: "bool" },
  int: { cast: "int" },
  float: { cast: "float" },
  json: { cast: "json.loads" },
  list: { cast: "list" },
  tuple: { cast: "tuple" },
  dict: { cast: "dict" },
  url: { cast: "urllib.parse.urlparse", parseDefault: true },
  path: {},
};

const ENV_METHODS = new Set([
  ...Object.keys(READERS),
  "db_url",
  "db",
  "cache_url",
  "cache",
  "email_url",
  "email",
  "search_url",
  "read_env",
  "parse_value",
  "db_url_config",
  "cache_url_config",
]);

export function environModuleAttribute(attr: string): Value {
  switch (attr) {
    case "Env":
    case "FileAwareEnv":
    case "Path":
      return { kind: "builtin", qualname: `environ.${attr}` };
    case "ImproperlyConfigured":
      return { kind: "class", name: "ImproperlyConfigured", builtin: true };
    default:
      return { kind: "external", qualname: `environ.${attr}` };
  }
}

/** `environ.Env.read_env` and the other class-level names. */
export function environClassAttribute(qualname: string, attr: string): Value | undefined {
  if (qualname !== "environ.Env" && qualname !== "environ.FileAwareEnv") return undefined;
  if (attr === "read_env" || attr === "parse_value" || attr === "db_url_config" || attr === "cache_url_config") {
    return { kind: "builtin", qualname: `environ.Env.${attr}` };
  }
  if (attr === "BOOLEAN_TRUE_STRINGS") return { kind: "tuple", items: BOOLEAN_TRUE_STRINGS.map(str) };
  return undefined;
}

export function environObjectAttribute(self: Value & { kind: "library" }, attr: string): Value {
  const o = self.object;
  if (o.type === "environ.Env") {
    if (ENV_METHODS.has(attr)) return { kind: "builtin", qualname: `environ.Env.${attr}`, self };
    if (attr === "ENVIRON") return { kind: "environ" };
    if (attr === "smart_cast") return bool(o.smartCast);
    if (attr === "escape_proxy") return bool(o.escapeProxy);
    if (attr === "prefix") return str(o.prefix);
    if (attr === "BOOLEAN_TRUE_STRINGS") return { kind: "tuple", items: BOOLEAN_TRUE_STRINGS.map(str) };
    return unknown(`environ.Env.${attr} is not evaluated`);
  }
  if (o.type === "environ.Path") {
    if (attr === "root") return str(o.root);
    if (attr === "path") return { kind: "builtin", qualname: "environ.Path.path", self };
    return unknown(`environ.Path.${attr} is not evaluated`);
  }
  if (o.type === "urllib.ParseResult") {
    const u = o.url;
    switch (attr) {
      case "scheme":
      case "netloc":
      case "path":
      case "params":
      case "query":
      case "fragment":
        return str(u[attr]);
      case "hostname": {
        const h = urlHostname(u);
        return h === null ? NONE : str(h);
      }
      case "username":
      case "password": {
        const v = attr === "username" ? urlUsername(u) : urlPassword(u);
        return v === null ? NONE : str(v);
      }
      case "port": {
        const p = urlPort(u);
        if (p === null) return NONE;
        return typeof p === "number" ? int(p) : unknown(p.error);
      }
      case "geturl":
        return { kind: "builtin", qualname: "environ.ParseResult.geturl", self };
      default:
        return unknown(`ParseResult.${attr} is not evaluated`);
    }
  }
  return unknown(`${o.type}.${attr} is not evaluated`);
}

/** `env.smart_cast = False` and the like; false when the attribute is not one we follow. */
export function setEnvironAttribute(o: LibraryObject, attr: string, value: Value): boolean {
  if (o.type !== "environ.Env") return false;
  const v = toPyValue(value);
  const truth = pyTruthy(v);
  if (attr === "smart_cast" || attr === "escape_proxy") {
    if (truth === undefined) o.untracked = `environ.Env.${attr} was set to an unknown value`;
    else if (attr === "smart_cast") o.smartCast = truth;
    else o.escapeProxy = truth;
    return true;
  }
  if (attr === "prefix") {
    if (v.kind === "str") o.prefix = v.value;
    else o.untracked = "environ.Env.prefix was set to a value that is not a known string";
    return true;
  }
  o.untracked = `environ.Env.${attr} was changed`;
  return true;
}

export function environCall(qualname: string, self: Value | undefined, args: CallArgs, ctx: CallContext): Value {
  const method = qualname.slice(qualname.lastIndexOf(".") + 1);
  if (qualname === "environ.Env" || qualname === "environ.FileAwareEnv") return construct(qualname, args, ctx);
  if (qualname === "environ.Path") return makePath(args, ctx);
  if (qualname === "environ.Path.path") return self?.kind === "library" && self.object.type === "environ.Path" ? makePath({ ...args, positional: [str(self.object.root), ...args.positional] }, ctx) : unknown("environ.Path.path() is not evaluated");
  if (qualname === "environ.ParseResult.geturl") return self?.kind === "library" && self.object.type === "urllib.ParseResult" ? str(urlunparse(self.object.url)) : unknown("geturl() is not evaluated");
  if (method === "read_env") return readEnv(args, ctx);
  if (method === "parse_value") {
    const value = args.positional[0] ?? args.keywords.get("value");
    const cast = args.positional[1] ?? args.keywords.get("cast");
    if (value === undefined || cast === undefined) return unknown("Env.parse_value() without its arguments");
    return parseValue(toPyValue(value), cast.kind === "none" ? undefined : cast, ctx);
  }
  if (method === "db_url_config" || method === "cache_url_config") {
    const url = args.positional[0] ?? args.keywords.get("url");
    const other = args.positional[1] ?? args.keywords.get(method === "db_url_config" ? "engine" : "backend");
    if (url === undefined) return unknown(`Env.${method}() without a URL`);
    return method === "db_url_config" ? dbUrlConfig(url, other, ctx) : cacheUrlConfig(url, other, ctx);
  }
  const env = self?.kind === "library" && self.object.type === "environ.Env" ? self.object : undefined;
  if (env === undefined) return unknown(`${qualname}() without an Env is not evaluated`);
  if (env.untracked !== undefined) return unknown(env.untracked);
  return callEnv(env, method, args, ctx);
}

/** `env(...)`: an Env object called. */
export function callEnvObject(env: Env, args: CallArgs, ctx: CallContext): Value {
  if (env.untracked !== undefined) return unknown(env.untracked);
  return callEnv(env, "__call__", args, ctx);
}

function construct(qualname: string, args: CallArgs, ctx: CallContext): Value {
  if (args.positional.length > 0) return ctx.raise("TypeError", "TypeError: Env.__init__() takes 1 positional argument");
  const env: Env = { type: "environ.Env", scheme: new Map(args.keywords), smartCast: true, escapeProxy: false, prefix: "" };
  if (qualname === "environ.FileAwareEnv") env.untracked = "environ.FileAwareEnv reads NAME_FILE files, which is not evaluated";
  return libraryValue(env);
}

function callEnv(env: Env, method: string, args: CallArgs, ctx: CallContext): Value {
  const via = method === "__call__" ? "environ.Env" : `environ.Env.${method}`;
  const arg = (i: number, name: string): Value | undefined => args.positional[i] ?? args.keywords.get(name);
  const reader = READERS[method];
  if (reader !== undefined) {
    const var_ = arg(0, "var");
    if (var_ === undefined) return ctx.raise("TypeError", `TypeError: ${method}() missing 1 required positional argument: 'var'`);
    let cast: Value | undefined;
    let defaultIndex = 1;
    if (method === "__call__" || method === "get_value") {
      cast = arg(1, "cast");
      defaultIndex = 2;
    } else if (method === "list" || method === "tuple" || method === "dict") {
      const inner = arg(1, "cast");
      defaultIndex = 2;
      if (method === "dict") cast = inner ?? { kind: "builtin", qualname: "dict" };
      else if (inner === undefined || inner.kind === "none") cast = { kind: "builtin", qualname: method };
      else cast = containerCast(method, inner);
    } else if (reader.cast !== undefined && !(method === "str" && !since(ctx, "0.5.0"))) {
      cast = castFor(reader.cast);
    }
    if (cast?.kind === "none") cast = undefined;
    const dflt = arg(defaultIndex, "default");
    const parseDefault = reader.parseDefault ?? ((method === "__call__" || method === "get_value") && pyTruthy(toPyValue(arg(3, "parse_default") ?? bool(false))) === true);
    const value = getValue(env, var_, cast, dflt, parseDefault, via, ctx, 0);
    if (method === "path") return makePath({ positional: [value], keywords: new Map() }, ctx);
    if (method === "bytes") return value.kind === "unknown" ? value : unknown("env.bytes(): bytes values are not modelled");
    if (method === "str" && value.kind === "str") {
      const multiline = arg(2, "multiline");
      if (multiline !== undefined && pyTruthy(toPyValue(multiline)) === true) return str(value.value.replace(/(\\r)?\\n/g, "\n"));
    }
    return value;
  }
  switch (method) {
    case "db_url":
    case "db": {
      const value = getValue(env, arg(0, "var") ?? str("DATABASE_URL"), undefined, arg(1, "default"), false, `environ.Env.${method}`, ctx, 0);
      return dbUrlConfig(value, arg(2, "engine"), ctx);
    }
    case "cache_url":
    case "cache": {
      const value = getValue(env, arg(0, "var") ?? str("CACHE_URL"), castFor("urllib.parse.urlparse"), arg(1, "default"), true, `environ.Env.${method}`, ctx, 0);
      return cacheUrlConfig(value, arg(2, "backend"), ctx);
    }
    default: {
      // email_url / search_url: the variable is read (and recorded); the config dict is not built.
      const defaults: Record<string, string> = { email_url: "EMAIL_URL", email: "EMAIL_URL", search_url: "SEARCH_URL" };
      const value = getValue(env, arg(0, "var") ?? str(defaults[method] ?? ""), castFor("urllib.parse.urlparse"), arg(1, "default"), true, `environ.Env.${method}`, ctx, 0);
      return value.kind === "unknown" ? value : unknown(`Env.${method}() is not evaluated`);
    }
  }
}

function castFor(name: string): Value {
  return name === "json.loads" ? { kind: "external", qualname: name } : { kind: "builtin", qualname: name };
}

/** `env.list(var, cast=int)` passes `[int]` (a list holding the cast); `env.tuple` passes `(int,)`. */
function containerCast(method: "list" | "tuple", inner: Value): Value {
  const seq: PyValue = { kind: method, items: [toPyValue(inner)] };
  CONTAINER_CASTS.set(seq, inner);
  return seq;
}

const CONTAINER_CASTS = new WeakMap<PyValue, Value>();

/** The item cast of a `[cast]` / `(cast,)` container cast. */
function itemCast(cast: PyValue): Value | undefined {
  const own = CONTAINER_CASTS.get(cast);
  if (own !== undefined) return own;
  const raw = rawItems(cast);
  return raw?.[0];
}

/**
 * Env.get_value: the scheme's cast and default, the variable (or the default, or
 * ImproperlyConfigured), `$OTHER` proxies, smart casting, then parse_value.
 */
function getValue(env: Env, varValue: Value, castIn: Value | undefined, dfltIn: Value | undefined, parseDefault: boolean, via: string, ctx: CallContext, depth: number): Value {
  const var_ = toPyValue(varValue);
  if (var_.kind === "unknown") return unknown(`environment variable name is unknown: ${var_.reason}`);
  if (var_.kind !== "str") return unknown("environment variable name is not a string");
  const varName = since(ctx, "0.9.0") ? env.prefix + var_.value : var_.value;
  let cast = castIn;
  let dflt = dfltIn;
  const info = env.scheme.get(varName);
  if (info !== undefined) {
    const infoPy = toPyValue(info);
    const items = infoPy.kind === "tuple" || infoPy.kind === "list" ? rawItems(infoPy) : undefined;
    // `has_default = len(var_info) == 2`; anything without a len is the cast itself.
    if (items !== undefined && items.length === 2) {
      cast ??= items[0];
      dflt ??= items[1];
    } else cast ??= info;
  }
  const defaultPy = dflt === undefined ? undefined : toPyValue(dflt);
  const { read, found } = ctx.env.read(varName, via, ctx.range, defaultPy);
  ctx.recordRead(read);
  if (found.kind === "unknown") return unknown(found.reason);
  let value: Value;
  if (found.kind === "set") value = str(found.value);
  else if (dflt === undefined) {
    const message = `ImproperlyConfigured: Set the ${var_.value} environment variable`;
    // raise() returns only when no surrounding try catches it.
    const result = ctx.raise("ImproperlyConfigured", message);
    read.fatal = message;
    return result;
  }
  else value = dflt;

  // A value `$OTHER` is the value of OTHER (read with the same cast and default, then parsed once more).
  if (value.kind === "str" && value.value.startsWith("$")) {
    if (depth >= 20) return unknown(`proxied environment variables refer to each other in a loop at ${varName}`);
    value = getValue(env, str(value.value.replace(/^\$+/, "")), cast, dflt, false, via, ctx, depth + 1);
    if (value.kind === "unknown") return value;
  }
  if (since(ctx, "0.8.0") && env.escapeProxy && value.kind === "str") value = str(value.value.split("\\$").join("$"));
  // 0.5.0: smart_cast — without a cast, the default's type is the cast.
  if (since(ctx, "0.5.0") && env.smartCast && (cast === undefined || cast.kind === "none") && dflt !== undefined && dflt.kind !== "none") cast = typeOfValue(dflt);
  // 0.8.0: an empty value with default None is None.
  if (since(ctx, "0.8.0") && dflt?.kind === "none" && value.kind === "str" && value.value === "") value = NONE;

  const valuePy = toPyValue(value);
  let differs: boolean | undefined = true;
  if (dflt !== undefined) {
    const eq = value === dflt ? true : pyEquals(valuePy, toPyValue(dflt));
    differs = eq === undefined ? undefined : !eq;
  }
  if (differs === undefined) return firstUnknown(valuePy) ?? unknown("cannot compare the value with its default");
  // 0.10.0: parse_default parses any default but None; before, only truthy ones.
  const parseIt = differs || (parseDefault && (since(ctx, "0.10.0") ? valuePy.kind !== "none" : pyTruthy(valuePy) === true));
  if (!parseIt) return value;
  return parseValue(valuePy, cast === undefined || cast.kind === "none" ? undefined : cast, ctx);
}

/** Env.parse_value(value, cast). */
function parseValue(value: PyValue, cast: Value | undefined, ctx: CallContext): Value {
  if (cast === undefined) return value;
  if (value.kind === "unknown") return value;
  const attrError = (attr: string) => ctx.raise("AttributeError", `AttributeError: '${typeName(value)}' object has no attribute '${attr}'`);
  const castPy = isPyObject(cast) ? undefined : cast;
  if (cast.kind === "builtin" && cast.qualname === "bool" && cast.self === undefined) {
    const asInt = intOf(value, ctx);
    if (asInt === "ValueError") {
      if (value.kind !== "str") return attrError("lower");
      const text = since(ctx, "0.11.0") ? pyStripWhitespace(value.value.toLowerCase()) : value.value.toLowerCase();
      return bool(BOOLEAN_TRUE_STRINGS.includes(text));
    }
    if (typeof asInt !== "number") return asInt;
    return bool(asInt !== 0);
  }
  if (castPy?.kind === "list" || castPy?.kind === "tuple") {
    const inner = itemCast(castPy);
    if (value.kind !== "str") return attrError(castPy.kind === "list" ? "split" : "strip");
    const pieces = castPy.kind === "list" ? value.value.split(",") : stripChars(stripChars(value.value, "("), ")").split(",");
    const items: PyValue[] = [];
    for (const piece of pieces.filter((x) => x !== "")) {
      const v = inner === undefined ? unknown("the item cast is unknown") : applyCast(inner, str(piece), ctx);
      items.push(toPyValue(v));
    }
    return { kind: castPy.kind, items };
  }
  if (castPy?.kind === "dict") return unknown("env.dict() with a cast mapping is not evaluated");
  if (cast.kind === "builtin" && cast.self === undefined) {
    switch (cast.qualname) {
      case "dict": {
        if (value.kind !== "str") return attrError("split");
        const d: PyDict = { kind: "dict", entries: [] };
        for (const pair of value.value.split(",").filter((x) => x !== "")) {
          const kv = since(ctx, "0.10.0") ? splitOnce(pair, "=") : pair.split("=");
          if (kv.length !== 2) return ctx.raise("ValueError", `ValueError: dictionary update sequence element has length ${kv.length}; 2 is required`);
          dictSet(d, str(kv[0] as string), str(kv[1] as string));
        }
        return d;
      }
      case "list":
        if (value.kind !== "str") return attrError("split");
        return { kind: "list", items: value.value.split(",").filter((x) => x !== "").map(str) };
      case "tuple":
        if (value.kind !== "str") return attrError("strip");
        return { kind: "tuple", items: stripChars(stripChars(value.value, "("), ")").split(",").filter((x) => x !== "").map(str) };
      case "float": {
        if (value.kind !== "str") return ctx.raise("TypeError", "TypeError: expected string or bytes-like object");
        // Keeps digits and separators only, then the last separator is the decimal point.
        const cleaned = value.value.replace(since(ctx, "0.7.0") ? /[^\p{Nd},.-]/gu : /[^\p{Nd},.]/gu, "");
        const parts = cleaned.split(/[,.]/);
        const text = parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join("")}.${parts[parts.length - 1] as string}`;
        return callBuiltinFunction("float", str(text), ctx);
      }
      case "urllib.parse.urlparse": {
        if (value.kind !== "str") return unknown(`urlparse(${pyRepr(value)}) is not evaluated`);
        const parsed = urlparse(value.value);
        return typeof parsed === "string" ? unknown(parsed) : libraryValue({ type: "urllib.ParseResult", url: parsed });
      }
      default:
        break;
    }
  }
  return applyCast(cast, value, ctx);
}

function typeName(v: PyValue): string {
  return v.kind === "none" ? "NoneType" : v.kind === "path" ? "PosixPath" : v.kind;
}

/** int(value) for the bool cast: the number, "ValueError" (then the text is compared), or another error's unknown. */
function intOf(value: PyValue, ctx: CallContext): number | "ValueError" | Value {
  if (value.kind === "bool") return value.value ? 1 : 0;
  if (value.kind === "int") return value.value;
  if (value.kind === "float") return Math.trunc(value.value);
  if (value.kind === "str") {
    const t = pyStripWhitespace(value.value);
    if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) return "ValueError";
    return Number(t.replace(/_/g, ""));
  }
  return ctx.raise("TypeError", `TypeError: int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

function pyStripWhitespace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, "");
}

/** str.strip(chars) with a one-character set. */
function stripChars(s: string, ch: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === ch) a++;
  while (b > a && s[b - 1] === ch) b--;
  return s.slice(a, b);
}

function splitOnce(s: string, sep: string): string[] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + sep.length)];
}

// ------------------------------------------------------------------ db_url / cache_url

const POSTGRES_FAMILY = ["postgres", "postgresql", "psql", "pgsql", "postgis"];
const DB_BASE_OPTIONS = ["CONN_MAX_AGE", "ATOMIC_REQUESTS", "AUTOCOMMIT", "DISABLE_SERVER_SIDE_CURSORS", "CONN_HEALTH_CHECKS"];
const CACHE_BASE_OPTIONS = ["TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION", "BINARY"];

function dbSchemes(ctx: CallContext): Record<string, string> {
  const old = !since(ctx, "0.4.5");
  const django = ctx.libraries?.django;
  // 0.4.5+: psycopg2's name only for Django < 2.0 (Django is installed in any app we lint).
  const postgres = old || (django !== undefined && django.major < 2) ? "django.db.backends.postgresql_psycopg2" : "django.db.backends.postgresql";
  const schemes: Record<string, string> = {
    postgres: postgres,
    postgresql: postgres,
    psql: postgres,
    pgsql: postgres,
    postgis: "django.contrib.gis.db.backends.postgis",
    mysql: "django.db.backends.mysql",
    mysql2: "django.db.backends.mysql",
    "mysql-connector": "mysql.connector.django",
    mysqlgis: "django.contrib.gis.db.backends.mysql",
    oracle: "django.db.backends.oracle",
    pyodbc: "sql_server.pyodbc",
    redshift: "django_redshift_backend",
    spatialite: "django.contrib.gis.db.backends.spatialite",
    sqlite: "django.db.backends.sqlite3",
    ldap: "ldapdb.backends.ldap",
  };
  if (!old) schemes["mssql"] = since(ctx, "0.11.0") ? "mssql" : "sql_server.pyodbc";
  return schemes;
}

/** Whether a distribution is installed: undefined when the model does not know. */
function installed(options: LibraryOptions | undefined, name: string): boolean | undefined {
  return options?.installed === undefined ? undefined : options.installed.has(name);
}

function redisDriver(ctx: CallContext): string | PyUnknown {
  const why = unknown("the redis cache backend django-environ picks depends on which packages are installed (django-redis, django-redis-cache)");
  const djangoRedis = installed(ctx.libraries, "django-redis");
  const redisCache = installed(ctx.libraries, "django-redis-cache");
  const django4 = (ctx.libraries?.django?.major ?? 5) >= 4;
  if (since(ctx, "0.11.0")) {
    if (djangoRedis === undefined) return why;
    if (djangoRedis) return "django_redis.cache.RedisCache";
    return django4 ? "django.core.cache.backends.redis.RedisCache" : "redis_cache.RedisCache";
  }
  if (since(ctx, "0.10.0") && django4) return "django.core.cache.backends.redis.RedisCache";
  if (redisCache === undefined) return why;
  return redisCache ? "redis_cache.RedisCache" : "django_redis.cache.RedisCache";
}

function cacheSchemes(ctx: CallContext): Record<string, string | PyUnknown> {
  const redis = redisDriver(ctx);
  let pymemcache: string | PyUnknown = "django.core.cache.backends.memcached.PyLibMCCache";
  if (since(ctx, "0.8.0")) {
    const has = installed(ctx.libraries, "pymemcache");
    const django = ctx.libraries?.django ?? { major: 5, minor: 2 };
    const oldDjango = django.major < 3 || (django.major === 3 && django.minor < 2);
    if (oldDjango || has === false) pymemcache = "django.core.cache.backends.memcached.PyLibMCCache";
    else if (has === undefined) pymemcache = unknown("the pymemcache cache backend django-environ picks depends on whether pymemcache is installed");
    else pymemcache = "django.core.cache.backends.memcached.PyMemcacheCache";
  }
  const schemes: Record<string, string | PyUnknown> = {
    dbcache: "django.core.cache.backends.db.DatabaseCache",
    dummycache: "django.core.cache.backends.dummy.DummyCache",
    filecache: "django.core.cache.backends.filebased.FileBasedCache",
    locmemcache: "django.core.cache.backends.locmem.LocMemCache",
    memcache: "django.core.cache.backends.memcached.MemcachedCache",
    pymemcache,
    rediscache: redis,
    redis,
  };
  if (since(ctx, "0.5.0")) schemes["rediss"] = redis;
  if (since(ctx, "0.8.0")) schemes["pylibmc"] = "django.core.cache.backends.memcached.PyLibMCCache";
  return schemes;
}

/** _cast_int: digits-only strings become ints; everything else (ints included) stays as it is. */
function castInt(v: string | number): PyValue {
  if (typeof v === "number") return int(v);
  return /^\p{Nd}+$/u.test(v) ? int(Number(v)) : str(v);
}

/** _cast (0.4.5+): ast.literal_eval of simple literals, else the text. */
function castLiteral(v: string): PyValue {
  const t = v.trim();
  if (/^[+-]?\d+$/.test(t)) return int(Number(t));
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(t)) return float(Number(t));
  if (t === "True" || t === "False") return bool(t === "True");
  if (t === "None") return NONE;
  const q = /^(['"])(.*)\1$/s.exec(t);
  if (q && !q[2]?.includes("\\") && !q[2]?.includes(q[1] as string)) return str(q[2] as string);
  return /^[[({]/.test(t) ? unknown(`literal_eval(${pyRepr(str(v))}) is not evaluated`) : str(v);
}

function queryOptions(query: string, base: string[], caseKey: (k: string) => string, baseCast: (v: string) => PyValue, optionCast: (v: string) => PyValue, config: PyDict): void {
  const options: PyDict = { kind: "dict", entries: [] };
  for (const [k, values] of parseQs(query)) {
    const v = values[0] as string;
    if (base.includes(k.toUpperCase())) dictSet(config, str(k.toUpperCase()), baseCast(v));
    else dictSet(options, str(caseKey(k)), optionCast(v));
  }
  dictSet(config, str("OPTIONS"), options);
}

/** Env.db_url_config: the DATABASES entry the library builds from a URL. */
function dbUrlConfig(urlValue: Value, engineValue: Value | undefined, ctx: CallContext): Value {
  const urlPy = toPyValue(urlValue);
  if (urlPy.kind === "unknown") return urlPy;
  if (urlPy.kind !== "str") return unknown(`db_url_config(${pyRepr(urlPy)}) is not evaluated`);
  const engine = engineValue === undefined ? NONE : toPyValue(engineValue);
  if (engine.kind === "unknown") return engine;
  const schemes = dbSchemes(ctx);
  if (urlPy.value === "sqlite://:memory:") {
    return dict([["ENGINE", str(schemes["sqlite"] as string)], ["NAME", str(":memory:")]]);
  }
  const old = !since(ctx, "0.4.5");
  let parsed = urlparse(urlPy.value);
  if (typeof parsed === "string") return unknown(parsed);
  // 0.11: URLs whose path is empty are quoted and parsed again (odd characters in the netloc).
  if (since(ctx, "0.11.0") && !parsed.path) {
    const again = urlparse(quote(urlunparse(parsed), ":/?&=@"));
    if (typeof again === "string") return unknown(again);
    parsed = again;
  }
  const u: ParsedUrl = parsed;
  let path = unquotePlus((u.path.slice(1).split("?")[0] as string));
  if (u.scheme === "sqlite" && path === "") path = ":memory:";
  const urlstr = (v: string | null): string => (v === null ? "" : since(ctx, "0.9.0") ? unquote(v) : unquotePlus(v));
  const userHost = u.netloc.split("@");
  const hostPart = userHost[userHost.length - 1] as string;
  let hostname: string;
  let portValue: PyValue;
  if (since(ctx, "0.9.0") && POSTGRES_FAMILY.includes(u.scheme) && hostPart.includes(",")) {
    // A postgres cluster: the hosts joined with commas, and the ports that are given.
    const pairs = hostPart.split(",").map((h) => {
      const i = h.lastIndexOf(":");
      return i < 0 ? [h] : [h.slice(0, i), h.slice(i + 1)];
    });
    hostname = pairs.map((p) => p[0] as string).join(",");
    const ports = pairs.some((p) => p.length === 2) ? pairs.map((p) => p[1] ?? "").filter((p) => p !== "").join(",") : "";
    portValue = ports === "" ? str("") : castInt(ports);
  } else {
    const port = urlPort(u);
    if (port !== null && typeof port !== "number") return ctx.raise("ValueError", port.error);
    hostname = urlHostname(u) ?? "";
    portValue = port === null || port === 0 ? str("") : int(port);
  }
  if (u.scheme === "ldap") {
    const port = urlPort(u);
    path = `${u.scheme}://${urlHostname(u) ?? "None"}`;
    if (typeof port === "number" && port !== 0) path += `:${port}`;
  }
  const config = dict([
    ["NAME", str(path)],
    ["USER", str(urlstr(urlUsername(u)))],
    ["PASSWORD", str(urlstr(urlPassword(u)))],
    ["HOST", str(hostname)],
    ["PORT", portValue],
  ]);
  const set = (k: string, v: PyValue) => dictSet(config, str(k), v);
  const get = (k: string) => config.entries.find((e) => e.key.kind === "str" && e.key.value === k)?.value;
  const postgresHostInPath = since(ctx, "0.8.0") ? (POSTGRES_FAMILY.includes(u.scheme) || path.includes("cloudsql")) && path.startsWith("/") : since(ctx, "0.4.5") && u.scheme === "postgres" && path.startsWith("/");
  if (postgresHostInPath) {
    const i = path.lastIndexOf("/");
    set("HOST", str(path.slice(0, i)));
    set("NAME", str(path.slice(i + 1)));
  }
  if (u.scheme === "oracle" && path === "") {
    set("NAME", get("HOST") as PyValue);
    set("HOST", str(""));
  }
  if (u.scheme === "oracle") {
    const p = get("PORT") as PyValue;
    if (pyTruthy(p) !== true) config.entries = config.entries.filter((e) => !(e.key.kind === "str" && e.key.value === "PORT"));
    else set("PORT", str(pyStr(p)));
  }
  if (u.query) {
    queryOptions(u.query, old ? DB_BASE_OPTIONS.slice(0, 3) : DB_BASE_OPTIONS, (k) => k, old ? castInt : castLiteral, castInt, config);
  }
  if (old) {
    // 0.4.4: an engine argument is overridden by the scheme's engine; an unknown scheme without one is {}.
    if (engine.kind !== "none" && pyTruthy(engine)) set("ENGINE", engine);
    if (u.scheme in schemes) set("ENGINE", str(schemes[u.scheme] as string));
  } else {
    const chosen = engine.kind !== "none" && pyTruthy(engine) ? engine : str(u.scheme);
    set("ENGINE", chosen.kind === "str" && chosen.value in schemes ? str(schemes[chosen.value] as string) : chosen);
  }
  const e = get("ENGINE");
  if (e === undefined || pyTruthy(e) === false) return dict([]);
  return config;
}

/** Env.cache_url_config: the CACHES entry the library builds from a URL. */
function cacheUrlConfig(urlValue: Value, backendValue: Value | undefined, ctx: CallContext): Value {
  let u: ParsedUrl;
  if (urlValue.kind === "library" && urlValue.object.type === "urllib.ParseResult") u = urlValue.object.url;
  else {
    const urlPy = toPyValue(urlValue);
    if (urlPy.kind === "unknown") return urlPy;
    if (since(ctx, "0.5.0") && pyTruthy(urlPy) === false) return dict([]);
    if (urlPy.kind !== "str") return unknown(`cache_url_config(${pyRepr(urlPy)}) is not evaluated`);
    const parsed = urlparse(urlPy.value);
    if (typeof parsed === "string") return unknown(parsed);
    u = parsed;
  }
  const backend = backendValue === undefined ? NONE : toPyValue(backendValue);
  if (backend.kind === "unknown") return backend;
  const schemes = cacheSchemes(ctx);
  const chosen = schemes[u.scheme];
  if (chosen === undefined) {
    return since(ctx, "0.5.0") ? ctx.raise("ImproperlyConfigured", `ImproperlyConfigured: Invalid cache schema ${u.scheme}`) : ctx.raise("KeyError", `KeyError: '${u.scheme}'`);
  }
  const hosts = u.netloc.split(",");
  const location: PyValue = hosts.length === 1 ? str(hosts[0] as string) : { kind: "list", items: hosts.map(str) };
  const config = dict([
    ["BACKEND", typeof chosen === "string" ? str(chosen) : chosen],
    ["LOCATION", location],
  ]);
  const set = (k: string, v: PyValue) => dictSet(config, str(k), v);
  if (u.scheme === "filecache") set("LOCATION", str(u.netloc + u.path));
  const memcacheUnix = since(ctx, "0.8.1") ? !u.netloc : u.path !== "";
  if (memcacheUnix && (u.scheme === "memcache" || u.scheme === "pymemcache")) {
    set("LOCATION", str(`unix:${u.path}`));
  } else if (u.scheme.startsWith("redis")) {
    const scheme = urlHostname(u) ? u.scheme.replace(/cache/g, "") : "unix";
    const locations = u.netloc.split(",").map((loc) => `${scheme}://${loc}${u.path}`);
    set("LOCATION", locations.length === 1 ? str(locations[0] as string) : { kind: "list", items: locations.map(str) });
  }
  if (u.query) {
    const old = !since(ctx, "0.4.5");
    queryOptions(u.query, CACHE_BASE_OPTIONS, (k) => k.toUpperCase(), old ? castInt : castLiteral, old ? castInt : castLiteral, config);
  }
  if (backend.kind !== "none" && pyTruthy(backend)) set("BACKEND", backend);
  return config;
}

function dict(pairs: [string, PyValue][]): PyDict {
  const d: PyDict = { kind: "dict", entries: [] };
  for (const [k, v] of pairs) dictSet(d, str(k), v);
  return d;
}

// ------------------------------------------------------------------ read_env

/** Env.read_env(env_file=None, **overrides): the file's variables join the environment. */
function readEnv(args: CallArgs, ctx: CallContext): Value {
  const keywords = new Map(args.keywords);
  const fileArg = args.positional[0] ?? keywords.get("env_file");
  keywords.delete("env_file");
  let overwrite = false;
  let parseComments = since(ctx, "0.11.0") && !since(ctx, "0.12.0");
  if (since(ctx, "0.8.0") && keywords.has("overwrite")) {
    const t = pyTruthy(toPyValue(keywords.get("overwrite") as Value));
    if (t === undefined) return unknown("read_env(overwrite=…) with an unknown flag");
    overwrite = t;
    keywords.delete("overwrite");
  }
  if (since(ctx, "0.12.0") && keywords.has("parse_comments")) {
    const t = pyTruthy(toPyValue(keywords.get("parse_comments") as Value));
    if (t === undefined) return unknown("read_env(parse_comments=…) with an unknown flag");
    parseComments = t;
    keywords.delete("parse_comments");
  }
  if (since(ctx, "0.10.0")) keywords.delete("encoding");
  let path: string;
  if (fileArg === undefined || fileArg.kind === "none") {
    // Without a path: `.env` next to the file that calls read_env (every release; 0.4.4's docstring says manage.py, its code does not).
    const caller = ctx.callerPath();
    if (typeof caller !== "string") return loadUnknown(`Env.read_env() reads .env next to the calling module: ${caller.reason}`, overwrite, ctx);
    path = osPathJoin(osPathDirname(caller), ".env");
  } else {
    if (fileArg.kind === "unknown") return loadUnknown(`Env.read_env() reads a file whose path is unknown: ${fileArg.reason}`, overwrite, ctx);
    const isPathObject = fileArg.kind === "path" || (fileArg.kind === "library" && fileArg.object.type === "environ.Path");
    if (isPathObject && !since(ctx, "0.6.0")) return ctx.raise("AttributeError", "AttributeError: 'PosixPath' object has no attribute 'read' (read_env before django-environ 0.6 opens only str paths)");
    const p = fsPath(fileArg);
    if (typeof p !== "string") return unknown(`Env.read_env() with ${pyRepr(toPyValue(fileArg))} is not evaluated`);
    if (!isAbsolute(p)) {
      const cwd = ctx.workingDirectory();
      if (cwd === undefined) return loadUnknown(`Env.read_env(${pyRepr(str(p))}) is relative to the working directory, which is unknown`, overwrite, ctx);
      path = osPathJoin(cwd, p);
    } else path = p;
  }
  const found = ctx.readRuntimeFile(normaliseRuntimePath(path));
  if (found !== undefined && !isRuntimeFile(found)) return loadUnknown(found.unknown, overwrite, ctx);
  const set = (name: string, value: string, source?: { file: string; range: import("../../core/location.js").SourceRange }) => {
    const current = ctx.env.lookup(name);
    if (overwrite || current.kind === "absent") ctx.env.set(name, value, source);
  };
  const overrides = [...keywords].map(([k, v]) => [k, toPyValue(v)] as const);
  if (isRuntimeFile(found)) {
    const entries = parseEnvironEnv(found.text, found.file, {
      exportPrefix: since(ctx, "0.4.5"),
      keepFormatEscapes: since(ctx, "0.8.0"),
      parseComments,
      lastWins: since(ctx, "0.8.0"),
    });
    // 0.8+: the file's entries replace overrides of the same name.
    const fromFile = new Set(entries.map((e) => e.name));
    if (since(ctx, "0.8.0")) {
      for (const [k, v] of overrides) if (!fromFile.has(k)) setOverride(k, v);
      for (const e of entries) set(e.name, e.value, { file: found.file, range: e.range });
      return NONE;
    }
    for (const e of entries) set(e.name, e.value, { file: found.file, range: e.range });
  }
  if (found === undefined) return NONE; // no such file: a warning, and not even the overrides are set
  for (const [k, v] of overrides) setOverride(k, v);
  return NONE;

  function setOverride(name: string, v: PyValue): void {
    if (v.kind === "unknown") {
      if (overwrite || ctx.env.lookup(name).kind === "absent") ctx.env.setUnknown(name, v.reason);
      return;
    }
    // 0.4.4 hands the value to os.environ.setdefault as it is; later releases call str() first.
    if (v.kind !== "str" && !since(ctx, "0.8.0")) {
      if (ctx.env.lookup(name).kind === "absent") ctx.raise("TypeError", `TypeError: str expected, not ${typeName(v)}`);
      return;
    }
    set(name, pyStr(v));
  }
}

function loadUnknown(reason: string, override: boolean, ctx: CallContext): Value {
  ctx.env.loadedUnknownFile(reason, override);
  return NONE;
}

// ------------------------------------------------------------------ environ.Path

function makePath(args: CallArgs, ctx: CallContext): Value {
  const parts: string[] = [];
  for (const a of args.positional) {
    if (a.kind === "unknown") return a;
    const p = a.kind === "str" || a.kind === "path" ? a.value : a.kind === "library" && a.object.type === "environ.Path" ? a.object.root : undefined;
    if (p === undefined) return unknown(`environ.Path(${pyRepr(toPyValue(a))}) is not evaluated`);
    parts.push(p);
  }
  if (parts.length === 0) parts.push("");
  const isFile = args.keywords.get("is_file");
  if (isFile !== undefined && pyTruthy(toPyValue(isFile)) === true) parts[0] = osPathDirname(parts[0] as string);
  const required = args.keywords.get("required");
  if (required !== undefined && pyTruthy(toPyValue(required)) !== false) return unknown("environ.Path(required=True) checks the filesystem at run time");
  const joined = osPathJoin(parts[0] as string, ...parts.slice(1));
  if (!isAbsolute(joined)) {
    const cwd = ctx.workingDirectory();
    if (cwd === undefined) return unknown(`environ.Path(${pyRepr(str(joined))}) is made absolute against the working directory, which is unknown`);
    return libraryValue({ type: "environ.Path", root: osPathNormpath(osPathJoin(cwd, joined)) });
  }
  return libraryValue({ type: "environ.Path", root: osPathNormpath(joined) });
}

/** `root('static')`: the absolute path as a str. */
export function callEnvironPath(p: EnvPath, args: CallArgs, ctx: CallContext): Value {
  const made = makePath({ ...args, positional: [str(p.root), ...args.positional] }, ctx);
  return made.kind === "library" && made.object.type === "environ.Path" ? str(made.object.root) : made;
}

/** `root - 2`, `root + 'x'`, `~root`. */
export function environPathOperator(op: string, a: Value, b: Value | undefined, ctx: CallContext): Value | undefined {
  if (a.kind !== "library" || a.object.type !== "environ.Path") return undefined;
  const root = a.object.root;
  const none = { positional: [] as Value[], keywords: new Map<string, Value>() };
  if (op === "~") return makePath({ ...none, positional: [str(root), str("..")] }, ctx);
  if (b === undefined) return undefined;
  if (op === "+") {
    const other = b.kind === "library" && b.object.type === "environ.Path" ? str(b.object.root) : b;
    return makePath({ ...none, positional: [str(root), other] }, ctx);
  }
  if (op === "-") {
    if (b.kind === "int") return makePath({ ...none, positional: [str(root), str("../".repeat(Math.max(0, b.value)))] }, ctx);
    if (b.kind === "str" && root.endsWith(b.value)) {
      // __sub__ uses rstrip(other): a set of characters, not a suffix.
      let end = root.length;
      while (end > 0 && b.value.includes(root[end - 1] as string)) end--;
      return makePath({ ...none, positional: [str(root.slice(0, end))] }, ctx);
    }
    return ctx.raise("TypeError", "TypeError: unsupported operand type(s) for -: environ.Path");
  }
  return undefined;
}
