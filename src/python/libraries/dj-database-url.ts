import type { CallArgs, CallContext } from "../builtins.js";
import { toPyValue, type Value } from "../runtime.js";
import { NONE, bool, dictSet, int, pyRepr, pyTruthy, str, unknown, type PyDict, type PyValue } from "../values.js";
import { parseQs, unquote, urlHostname, urlparse, urlPassword, urlPort, urlUsername, type ParsedUrl } from "./url.js";
import { atLeastVersion } from "./versions.js";

/**
 * dj-database-url (`import dj_database_url`), 0.5.0 to 3.1, read from each release's source:
 * `config(env="DATABASE_URL", default=None, …)` reads the variable (`os.environ.get(env,
 * default)`) and, when the value is truthy, returns `parse(value, …)`: the DATABASES entry
 * the URL describes. Differences that change a value:
 *   0.5.0  postgres schemes → `…postgresql_psycopg2`; urlparse; a host with `%2f` is the
 *          netloc with `%2f` → `/`; ENGINE last; PORT a str only for oracle.
 *   1.0.0  postgres → `…postgresql` on Django 2+; `mssqlms`, `cockroach`; PORT a str for
 *          oracle / mssql / mssqlms.
 *   1.1.0  postgres → `…postgresql` always; timescale; urlsplit; CONN_HEALTH_CHECKS (and
 *          config() passes ssl_require where parse() expects conn_health_checks).
 *   1.2.0  test_options → TEST; a host with any `%` is the netloc, unquoted.
 *   1.3.0  ENGINE right after the connection keys; an unknown scheme raises ValueError (before:
 *          KeyError); the `%` host keeps its `:port`.
 *   2.1.0  OPTIONS values that int() accepts become ints.
 *   2.2.0  DISABLE_SERVER_SIDE_CURSORS; OPTIONS: digits → int, true/false → bool.
 *   3.0.0  scheme registry with per-engine post-processing; ENGINE, USER, PASSWORD, HOST, PORT,
 *          NAME, OPTIONS then the connection options; HOST is the unquoted (lower-cased)
 *          hostname; repeated query keys give lists; UnknownSchemeError / ParseError.
 * `register()` (3.0+) and writes to `SCHEMES` add schemes we cannot see: a scheme the release
 * does not know is therefore unknown, not an error.
 */

const LIB = "dj-database-url" as const;

export function djDatabaseUrlModuleAttribute(attr: string): Value {
  switch (attr) {
    case "config":
    case "parse":
      return { kind: "builtin", qualname: `dj_database_url.${attr}` };
    case "DEFAULT_ENV":
      return str("DATABASE_URL");
    default:
      return { kind: "external", qualname: `dj_database_url.${attr}` };
  }
}

/** The keyword names of config() / parse() after their first argument, in positional order, per release. */
function parameters(ctx: CallContext, fn: "config" | "parse"): string[] {
  const since = (v: string) => atLeastVersion(ctx.libraries, LIB, v);
  if (fn === "config") {
    if (since("2.2.0")) return ["default", "engine", "conn_max_age", "conn_health_checks", "disable_server_side_cursors", "ssl_require", "test_options"];
    if (since("1.2.0")) return ["default", "engine", "conn_max_age", "conn_health_checks", "ssl_require", "test_options"];
    return ["default", "engine", "conn_max_age", "ssl_require"];
  }
  if (since("2.2.0")) return ["engine", "conn_max_age", "conn_health_checks", "disable_server_side_cursors", "ssl_require", "test_options"];
  if (since("1.2.0")) return ["engine", "conn_max_age", "conn_health_checks", "ssl_require", "test_options"];
  if (since("1.1.0")) return ["engine", "conn_max_age", "conn_health_checks", "ssl_require"];
  return ["engine", "conn_max_age", "ssl_require"];
}

/** A fresh default per call: the dicts we build must not share value objects. */
function defaultOf(name: string): PyValue {
  switch (name) {
    case "conn_max_age":
      return int(0);
    case "conn_health_checks":
    case "disable_server_side_cursors":
    case "ssl_require":
      return bool(false);
    default:
      return NONE;
  }
}

type Options = Record<string, PyValue>;

/** The call's arguments bound to the parameter names (after the first, `offset` positional ones), or an unknown. */
function bindArguments(args: CallArgs, names: string[], offset: number, skipKeyword: string): { options: Options } | { unknown: PyValue } {
  const options: Options = {};
  for (const name of names) options[name] = defaultOf(name);
  for (let i = offset; i < args.positional.length; i++) {
    const name = names[i - offset];
    if (name === undefined) return { unknown: unknown("dj_database_url called with more arguments than it takes") };
    options[name] = toPyValue(args.positional[i] as Value);
  }
  for (const [k, v] of args.keywords) {
    if (k === skipKeyword) continue;
    if (!names.includes(k)) return { unknown: unknown(`dj_database_url: keyword ${k}= is not evaluated`) };
    options[k] = toPyValue(v);
  }
  return { options };
}

export function djDatabaseUrlCall(qualname: string, args: CallArgs, ctx: CallContext): Value {
  if (qualname === "dj_database_url.config") {
    const envName = toPyValue(args.positional[0] ?? args.keywords.get("env") ?? str("DATABASE_URL"));
    const binding = bindArguments(args, parameters(ctx, "config"), 1, "env");
    if ("unknown" in binding) return binding.unknown;
    const bound = binding.options;
    if (envName.kind === "unknown") return unknown(`dj_database_url.config(): the variable name is unknown: ${envName.reason}`);
    if (envName.kind !== "str") return unknown("dj_database_url.config(): the variable name is not a string");
    const dflt = bound["default"] as PyValue;
    const found = ctx.readEnv(envName.value, "dj_database_url.config", dflt.kind === "none" ? undefined : dflt);
    if (found.kind === "unknown") return unknown(found.reason);
    const value: PyValue = found.kind === "set" ? str(found.value) : dflt;
    const truth = pyTruthy(value);
    if (truth === undefined) return value.kind === "unknown" ? value : unknown("dj_database_url.config(): the default is not known");
    if (!truth) return { kind: "dict", entries: [] };
    if (value.kind !== "str") return unknown(`dj_database_url.parse(${pyRepr(value)}) is not evaluated`);
    // 1.1.0's config() hands ssl_require to parse()'s conn_health_checks position.
    const passOn: Options = { ...bound };
    if (!atLeastVersion(ctx.libraries, LIB, "1.2.0") && atLeastVersion(ctx.libraries, LIB, "1.1.0")) {
      passOn["conn_health_checks"] = bound["ssl_require"] as PyValue;
      passOn["ssl_require"] = bool(false);
    }
    return parse(value.value, passOn, ctx);
  }
  if (qualname === "dj_database_url.parse") {
    const url = toPyValue(args.positional[0] ?? args.keywords.get("url") ?? unknown("dj_database_url.parse() without a URL"));
    const binding = bindArguments(args, parameters(ctx, "parse"), 1, "url");
    if ("unknown" in binding) return binding.unknown;
    const bound = binding.options;
    if (url.kind === "unknown") return url;
    if (url.kind !== "str") return unknown(`dj_database_url.parse(${pyRepr(url)}) is not evaluated`);
    return parse(url.value, bound, ctx);
  }
  return unknown(`${qualname}() is not evaluated`);
}

function schemes(ctx: CallContext): Record<string, string> {
  const since = (v: string) => atLeastVersion(ctx.libraries, LIB, v);
  const django = ctx.libraries?.django;
  const psycopg2 = !since("1.0.0") || (!since("1.1.0") && django !== undefined && django.major < 2);
  const postgres = psycopg2 ? "django.db.backends.postgresql_psycopg2" : "django.db.backends.postgresql";
  const out: Record<string, string> = {
    postgres,
    postgresql: postgres,
    pgsql: postgres,
    postgis: "django.contrib.gis.db.backends.postgis",
    mysql: "django.db.backends.mysql",
    mysql2: "django.db.backends.mysql",
    mysqlgis: "django.contrib.gis.db.backends.mysql",
    "mysql-connector": "mysql.connector.django",
    mssql: "sql_server.pyodbc",
    spatialite: "django.contrib.gis.db.backends.spatialite",
    sqlite: "django.db.backends.sqlite3",
    oracle: "django.db.backends.oracle",
    oraclegis: "django.contrib.gis.db.backends.oracle",
    redshift: "django_redshift_backend",
  };
  if (since("1.0.0")) {
    out["mssqlms"] = "mssql";
    out["cockroach"] = "django_cockroachdb";
  }
  if (since("1.1.0")) {
    out["timescale"] = "timescale.db.backends.postgresql";
    out["timescalegis"] = "timescale.db.backends.postgis";
  }
  return out;
}

function dict(pairs: [string, PyValue][]): PyDict {
  const d: PyDict = { kind: "dict", entries: [] };
  for (const [k, v] of pairs) dictSet(d, str(k), v);
  return d;
}

function get(d: PyDict, key: string): PyValue | undefined {
  return d.entries.find((e) => e.key.kind === "str" && e.key.value === key)?.value;
}

function remove(d: PyDict, key: string): PyValue | undefined {
  const i = d.entries.findIndex((e) => e.key.kind === "str" && e.key.value === key);
  if (i < 0) return undefined;
  const [e] = d.entries.splice(i, 1);
  return e?.value;
}

/** urlsplit: urlparse without the `;params` split. */
function urlsplit(url: string): ParsedUrl | string {
  const u = urlparse(url);
  if (typeof u === "string") return u;
  return u.params ? { ...u, path: `${u.path};${u.params}`, params: "" } : u;
}

function parse(url: string, opts: Options, ctx: CallContext): Value {
  const all = schemes(ctx);
  if (url === "sqlite://:memory:") return dict([["ENGINE", str(all["sqlite"] as string)], ["NAME", str(":memory:")]]);
  return atLeastVersion(ctx.libraries, LIB, "3.0.0") ? parseModern(url, opts, all, ctx) : parseLegacy(url, opts, all, ctx);
}

/** 3.0+: the scheme registry with post-processing. */
function parseModern(url: string, opts: Options, all: Record<string, string>, ctx: CallContext): Value {
  const u = urlsplit(url);
  if (typeof u === "string") return unknown(u);
  const backend = all[u.scheme];
  if (backend === undefined) return unknown(`dj_database_url: the scheme '${u.scheme}://' is not one it registers by default (register() may add it)`);
  const port = urlPort(u);
  if (port !== null && typeof port !== "number") return ctx.raise("ParseError", "ParseError: This string is not a valid url, possibly because some of its parts is not properly urllib.parse.quote()'ed.");
  const options = dict([]);
  for (const [k, values] of parseQs(u.query)) {
    const parsed = values.map(optionValue);
    dictSet(options, str(k), parsed.length === 1 ? (parsed[0] as PyValue) : { kind: "list", items: parsed });
  }
  const config = dict([
    ["ENGINE", str(backend)],
    ["USER", str(unquote(urlUsername(u) ?? ""))],
    ["PASSWORD", str(unquote(urlPassword(u) ?? ""))],
    ["HOST", str(unquote(urlHostname(u) ?? ""))],
    ["PORT", port === null || port === 0 ? str("") : int(port)],
    ["NAME", str(unquote(u.path.slice(1)))],
    ["OPTIONS", options],
  ]);
  // Post-processing of the registered engine.
  if (u.scheme === "sqlite") {
    if (pyTruthy(get(config, "NAME") as PyValue) === false) dictSet(config, str("NAME"), str(":memory:"));
  } else if (u.scheme === "oracle" || u.scheme === "mssqlms" || u.scheme === "mssql") {
    const p = get(config, "PORT") as PyValue;
    dictSet(config, str("PORT"), str(p.kind === "int" ? String(p.value) : p.kind === "str" ? p.value : ""));
  } else if (u.scheme === "mysql" || u.scheme === "mysql2") {
    const ca = remove(options, "ssl-ca");
    if (ca !== undefined && pyTruthy(ca) === true) dictSet(options, str("ssl"), dict([["ca", ca]]));
  } else if (["postgres", "postgresql", "pgsql", "postgis", "redshift", "timescale", "timescalegis"].includes(u.scheme)) {
    const schema = remove(options, "currentSchema");
    if (schema !== undefined && pyTruthy(schema) === true) dictSet(options, str("options"), str(`-c search_path=${pyStrOf(schema)}`));
  }
  // The explicit settings.
  if (pyTruthy(opts["ssl_require"] as PyValue) === true) dictSet(options, str("sslmode"), str("require"));
  dictSet(config, str("CONN_MAX_AGE"), opts["conn_max_age"] as PyValue);
  dictSet(config, str("CONN_HEALTH_CHECKS"), opts["conn_health_checks"] as PyValue);
  dictSet(config, str("DISABLE_SERVER_SIDE_CURSORS"), opts["disable_server_side_cursors"] as PyValue);
  const engine = opts["engine"] as PyValue;
  const engineTruth = pyTruthy(engine);
  if (engineTruth === undefined) return unknown("dj_database_url: the engine= argument is not known");
  if (engineTruth) dictSet(config, str("ENGINE"), engine);
  const test = opts["test_options"] as PyValue;
  const testTruth = pyTruthy(test);
  if (testTruth === undefined) return unknown("dj_database_url: test_options= is not known");
  if (testTruth) dictSet(config, str("TEST"), test);
  if (options.entries.length === 0) remove(config, "OPTIONS");
  return config;
}

/** Before 3.0: one function, changed release by release. */
function parseLegacy(url: string, opts: Options, all: Record<string, string>, ctx: CallContext): Value {
  const since = (v: string) => atLeastVersion(ctx.libraries, LIB, v);
  const u = since("1.1.0") ? urlsplit(url) : urlparse(url);
  if (typeof u === "string") return unknown(u);
  let path = u.path.slice(1);
  if (u.scheme === "sqlite" && path === "") path = ":memory:";
  let hostname = urlHostname(u) ?? "";
  const percent = since("1.2.0") ? hostname.includes("%") : hostname.toLowerCase().includes("%2f");
  if (percent) {
    hostname = u.netloc;
    if (hostname.includes("@")) hostname = hostname.slice(hostname.lastIndexOf("@") + 1);
    if (!since("1.3.0") && hostname.includes(":")) hostname = hostname.slice(0, hostname.indexOf(":"));
    hostname = since("1.2.0") ? unquote(hostname) : hostname.replace(/%2f/gi, "/");
  }
  let engine = opts["engine"] as PyValue;
  if (engine.kind === "unknown") return engine;
  if (engine.kind === "none") {
    const backend = all[u.scheme];
    if (backend === undefined) return unknown(`dj_database_url: the scheme '${u.scheme}' is not one it knows by default`);
    engine = str(backend);
  }
  const port = urlPort(u);
  if (port !== null && typeof port !== "number") return ctx.raise("ValueError", port.error);
  const stringPorts = since("1.0.0") ? [all["oracle"], all["mssql"], all["mssqlms"]] : [all["oracle"]];
  const portValue: PyValue = port === null || port === 0 ? str("") : engine.kind === "str" && stringPorts.includes(engine.value) ? str(String(port)) : int(port);
  const config = dict([
    ["NAME", str(unquote(path))],
    ["USER", str(unquote(urlUsername(u) ?? ""))],
    ["PASSWORD", str(unquote(urlPassword(u) ?? ""))],
    ["HOST", str(hostname)],
    ["PORT", portValue],
    ["CONN_MAX_AGE", opts["conn_max_age"] as PyValue],
  ]);
  if (since("1.1.0")) dictSet(config, str("CONN_HEALTH_CHECKS"), opts["conn_health_checks"] as PyValue);
  if (since("2.2.0")) dictSet(config, str("DISABLE_SERVER_SIDE_CURSORS"), opts["disable_server_side_cursors"] as PyValue);
  if (since("1.3.0")) dictSet(config, str("ENGINE"), engine);
  if (since("1.2.0")) {
    const test = opts["test_options"] as PyValue;
    const t = pyTruthy(test);
    if (t === undefined) return unknown("dj_database_url: test_options= is not known");
    if (t) dictSet(config, str("TEST"), test);
  }
  const options = dict([]);
  for (const [key, values] of parseQs(u.query)) {
    const last = values[values.length - 1] as string;
    if (u.scheme === "mysql" && key === "ssl-ca") {
      dictSet(options, str("ssl"), dict([["ca", str(last)]]));
      continue;
    }
    if (since("2.2.0")) dictSet(options, str(key), optionValue(last));
    else if (since("2.1.0")) dictSet(options, str(key), /^\s*[+-]?\d+(_\d+)*\s*$/.test(last) ? int(Number(last.replace(/_/g, ""))) : str(last));
    else dictSet(options, str(key), str(last));
  }
  const ssl = pyTruthy(opts["ssl_require"] as PyValue);
  if (ssl === undefined) return unknown("dj_database_url: ssl_require= is not known");
  if (ssl) dictSet(options, str("sslmode"), str("require"));
  const schema = get(options, "currentSchema");
  if (schema !== undefined) {
    const applies = since("2.2.0")
      ? ["postgres", "postgresql", "pgsql", "postgis", "redshift", "timescale", "timescalegis"].includes(u.scheme)
      : engine.kind === "str" &&
        [
          "django.contrib.gis.db.backends.postgis",
          "django.db.backends.postgresql_psycopg2",
          "django_redshift_backend",
          ...(since("1.0.0") ? ["django.db.backends.postgresql"] : []),
          ...(since("1.1.0") ? ["timescale.db.backends.postgresql", "timescale.db.backends.postgis"] : []),
        ].includes(engine.value);
    if (applies) {
      remove(options, "currentSchema");
      dictSet(options, str("options"), str(`-c search_path=${pyStrOf(schema)}`));
    }
  }
  if (options.entries.length > 0) dictSet(config, str("OPTIONS"), options);
  if (!since("1.3.0") && pyTruthy(engine) === true) dictSet(config, str("ENGINE"), engine);
  return config;
}

/** 2.2+: digits → int, true / false → bool, anything else the text. */
function optionValue(value: string): PyValue {
  if (/^[0-9]+$/.test(value)) return int(Number(value));
  if (value.toLowerCase() === "true" || value.toLowerCase() === "false") return bool(value.toLowerCase() === "true");
  return str(value);
}

function pyStrOf(v: PyValue): string {
  return v.kind === "str" ? v.value : pyRepr(v);
}
