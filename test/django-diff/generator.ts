/**
 * A seeded generator of small Django projects for the differential test against real
 * Django. Each project is a compose `web` service (gunicorn, the repository bind-mounted at
 * /code) whose settings vary the security settings AND the idioms issue 3 lists: single or
 * split settings (`from .base import *`), values from the environment (compose
 * `environment`, a `.env` handed over by `env_file`, or loaded by the settings themselves)
 * through os.environ / django-environ / python-decouple / python-dotenv, `if not DEBUG:`
 * blocks, `try: from .local import * except ImportError`, middleware edits, and the traps
 * (`SESSION_COOKIE_SECURE = 1`, `DEBUG = os.environ.get("DEBUG", "False")`).
 *
 * The generator does not predict Django's answer — real Django is the oracle. It only keeps
 * every project importable (no env var read without a value or default, no `.remove` of a
 * missing entry, no value a library refuses) and runnable on the host exactly as in the
 * container: every path is either derived from BASE_DIR or an absolute literal under /srv,
 * never a mix, so "inside MEDIA_ROOT" means the same on both.
 */

export interface GeneratedProject {
  id: string;
  /** Root-relative path → content. */
  files: Record<string, string>;
  /** The environment compose gives the web service: env_file entries, then `environment` over them. */
  env: Record<string, string>;
  /** The settings module the service runs. */
  settingsModule: string;
  /** The version requirements.txt pins (`Django==3.2.25`). */
  djangoPin: string;
  /** True when the pin is a 3.2 release: the project is linted without a version override. */
  pinsDjango32: boolean;
  /** One line per choice, for failure messages. */
  choices: string[];
}

// ---------------------------------------------------------------------------------------
// Randomness

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast, and the same on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return (items[items.length - 1] as readonly [number, T])[1];
  }
}

// Characters that need no quoting in a .env file, in YAML double quotes or in a Python
// string, and that no reader treats specially (`$` is interpolated by compose and proxied
// by django-environ, `#` starts comments, quotes and spaces need quoting).
const KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!@%^&*+=()";

function randomKey(rng: Rng, length: number, alphabet = KEY_ALPHABET): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

// ---------------------------------------------------------------------------------------
// The project being built

type EnvLib = "os" | "environ" | "decouple" | "dotenv";
type Layout = "single" | "split";
type PathStyle = "pathlib" | "os.path" | "literal";

const SECURITY_MW = "django.middleware.security.SecurityMiddleware";
const SESSION_MW = "django.contrib.sessions.middleware.SessionMiddleware";
const COMMON_MW = "django.middleware.common.CommonMiddleware";
const CSRF_MW = "django.middleware.csrf.CsrfViewMiddleware";
const AUTH_MW = "django.contrib.auth.middleware.AuthenticationMiddleware";
const MESSAGE_MW = "django.contrib.messages.middleware.MessageMiddleware";
const XFRAME_MW = "django.middleware.clickjacking.XFrameOptionsMiddleware";
const ALL_MW = [SECURITY_MW, SESSION_MW, COMMON_MW, CSRF_MW, AUTH_MW, MESSAGE_MW, XFRAME_MW];

/** Where an env variable's value comes from. */
type Delivery = "env-file" | "compose" | "both" | "absent";

class ProjectBuilder {
  readonly choices: string[] = [];
  readonly layout: Layout;
  readonly lib: EnvLib;
  readonly pathStyle: PathStyle;
  /** compose `env_file: .env`. */
  readonly envFileUsed: boolean;
  /** The settings load .env themselves (read_env / load_dotenv / decouple's own lookup). */
  readonly settingsLoadEnvFile: boolean;
  readonly composeEnvAsList: boolean;
  /** Lines of the .env file, in order. */
  readonly dotenv = new Map<string, string>();
  /** compose `environment:` entries: the literal YAML value (may interpolate) and its value. */
  readonly composeEnv = new Map<string, { yaml: string; value: string }>();
  readonly imports = new Set<string>();
  /** Module bodies: base (or the single settings module), prod (split only), local override. */
  readonly base: string[] = [];
  readonly prod: string[] = [];
  local: string[] | undefined;
  /** Statements of an `if not DEBUG:`-style block, emitted once at the end of the production module. */
  readonly conditional: string[] = [];
  conditionalHeader = "if not DEBUG:";
  conditionalElse: string[] = [];
  middleware: string[] = [];
  middlewareIsTuple = false;
  apps: string[] = [];
  /** Some module assigns DEBUG (an `if not DEBUG:` block needs the name). */
  debugDefined = false;
  /** environ.Env(DEBUG=(bool, False)): DEBUG is read as `env("DEBUG")`. */
  debugScheme = false;
  /** `try: from .local import * except ImportError: pass` at the end of the production module. */
  tryImport: string | undefined;

  constructor(
    readonly id: string,
    readonly rng: Rng,
  ) {
    this.layout = rng.chance(0.5) ? "split" : "single";
    this.lib = rng.weighted([
      [3, "os"],
      [3, "environ"],
      [2, "decouple"],
      [2, "dotenv"],
    ] as const);
    this.pathStyle = rng.pick(["pathlib", "os.path", "literal"] as const);
    this.envFileUsed = rng.chance(0.6);
    // python-decouple always looks for a .env from the settings' folder up; python-dotenv is
    // only used through load_dotenv(path) here; django-environ's read_env(path) is optional.
    this.settingsLoadEnvFile = this.lib === "decouple" || this.lib === "dotenv" || (this.lib === "environ" && rng.chance(0.5));
    this.composeEnvAsList = rng.chance(0.5);
    this.choices.push(`layout=${this.layout} lib=${this.lib} paths=${this.pathStyle} env_file=${this.envFileUsed} settings-load-.env=${this.settingsLoadEnvFile}`);
  }

  /** The module most settings go to: prod.py when split, else settings.py. */
  get production(): string[] {
    return this.layout === "split" ? this.prod : this.base;
  }

  /** Either module, at random (split), for settings that may live in base or prod. */
  anyModule(): string[] {
    return this.layout === "split" && this.rng.chance(0.5) ? this.base : this.production;
  }

  /** Can a variable put only in .env reach the settings? */
  get envFileReachable(): boolean {
    return this.envFileUsed || this.settingsLoadEnvFile;
  }

  /** Provides an env variable by one of the routes, recording what the service finally sees. */
  provide(name: string, value: string, delivery: Delivery): void {
    if (delivery === "absent") return;
    if (delivery === "env-file" || delivery === "both") {
      // The .env value when compose's environment overrides it: something else, to see who wins.
      this.dotenv.set(name, delivery === "both" ? staleValue(value) : value);
    }
    if (delivery === "compose" || delivery === "both") {
      // Sometimes through compose interpolation from the project's .env.
      if (delivery === "compose" && this.rng.chance(0.25) && value !== "") {
        const variable = `WEB_${name}`;
        this.dotenv.set(variable, value);
        this.composeEnv.set(name, { yaml: `\${${variable}:-unset}`, value });
      } else {
        this.composeEnv.set(name, { yaml: value, value });
      }
    }
  }

  /** A delivery route for a variable that must (or may not) be provided. */
  delivery(required: boolean): Delivery {
    const routes: [number, Delivery][] = [
      [3, "compose"],
      [2, "both"],
    ];
    if (this.envFileReachable) routes.push([4, "env-file"]);
    if (!required) routes.push([2, "absent"]);
    return this.rng.weighted(routes);
  }

  /** The environment the web container gets (what `docker compose config` would show). */
  serviceEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    if (this.envFileUsed) for (const [k, v] of this.dotenv) env[k] = v;
    for (const [k, { value }] of this.composeEnv) env[k] = value;
    return env;
  }

  // ------------------------------------------------------------------------------------
  // Env reads per library

  /** A boolean read; returns the Python expression. */
  envBool(name: string, defaultValue: boolean): string {
    const delivery = this.delivery(false);
    const py = defaultValue ? "True" : "False";
    let expr: string;
    let values: string[];
    switch (this.lib) {
      case "environ":
        expr = this.rng.pick([`env.bool("${name}", default=${py})`, `env("${name}", cast=bool, default=${py})`]);
        values = ["True", "False", "true", "false", "1", "0", "yes", "no", "on", "off"];
        break;
      case "decouple":
        expr = `config("${name}", default=${py}, cast=bool)`;
        values = ["True", "False", "true", "false", "1", "0", "yes", "no", "on", "off"];
        break;
      default: {
        const idiom = this.rng.int(5);
        if (idiom === 4) {
          expr = `bool(int(os.environ.get("${name}", "${defaultValue ? 1 : 0}")))`;
          values = ["0", "1"];
        } else {
          expr = [
            `os.environ.get("${name}", "${py}") == "True"`,
            `os.getenv("${name}", "${defaultValue ? 1 : 0}") == "1"`,
            `os.environ.get("${name}", "${py.toLowerCase()}").lower() in ("true", "1", "yes")`,
            `os.getenv("${name}", "${py}").lower() == "true"`,
          ][idiom] as string;
          values = ["True", "False", "true", "false", "1", "0", "yes"];
        }
      }
    }
    const value = this.rng.pick(values);
    this.provide(name, value, delivery);
    this.choices.push(`${name}: ${delivery === "absent" ? "unset" : `${name}=${value} via ${delivery}`}`);
    return expr;
  }

  envInt(name: string, defaultValue: number, values: string[]): string {
    const delivery = this.delivery(false);
    const expr =
      this.lib === "environ"
        ? `env.int("${name}", default=${defaultValue})`
        : this.lib === "decouple"
          ? `config("${name}", default=${defaultValue}, cast=int)`
          : this.rng.pick([`int(os.environ.get("${name}", "${defaultValue}"))`, `int(os.getenv("${name}", ${defaultValue}))`]);
    const value = this.rng.pick(values);
    this.provide(name, value, delivery);
    this.choices.push(`${name}: ${delivery === "absent" ? "unset" : `${name}=${value} via ${delivery}`}`);
    return expr;
  }

  /** A string read; `defaultValue` undefined means the variable is required (and provided). */
  envStr(name: string, value: string, defaultValue: string | undefined): string {
    const delivery = this.delivery(defaultValue === undefined);
    let expr: string;
    if (defaultValue === undefined) {
      expr =
        this.lib === "environ"
          ? this.rng.pick([`env("${name}")`, `env.str("${name}")`])
          : this.lib === "decouple"
            ? `config("${name}")`
            : this.rng.pick([`os.environ["${name}"]`, `os.getenv("${name}")`, `os.environ.get("${name}")`]);
    } else {
      expr =
        this.lib === "environ"
          ? this.rng.pick([`env("${name}", default="${defaultValue}")`, `env.str("${name}", default="${defaultValue}")`])
          : this.lib === "decouple"
            ? `config("${name}", default="${defaultValue}")`
            : this.rng.pick([`os.environ.get("${name}", "${defaultValue}")`, `os.getenv("${name}", "${defaultValue}")`]);
    }
    this.provide(name, value, delivery);
    this.choices.push(`${name}: ${delivery === "absent" ? `unset (default ${JSON.stringify(defaultValue)})` : `${name}=${value} via ${delivery}`}`);
    return expr;
  }

  envList(name: string): string {
    const required = this.rng.chance(0.3);
    const delivery = this.delivery(required);
    let expr: string;
    if (this.lib === "environ") {
      expr = required ? `env.list("${name}")` : `env.list("${name}", default=[])`;
    } else if (this.lib === "decouple") {
      expr = required ? `config("${name}", cast=Csv())` : `config("${name}", default="", cast=Csv())`;
    } else if (required) {
      expr = this.rng.pick([`os.environ["${name}"].split(",")`, `[h.lower() for h in os.environ["${name}"].split(",")]`]);
    } else {
      expr = this.rng.pick([
        `os.environ.get("${name}", "").split(",")`,
        `[h for h in os.environ.get("${name}", "").split(",") if h]`,
        `os.getenv("${name}", "localhost").split(",")`,
      ]);
    }
    const value = this.rng.pick(["example.com", "example.com,www.example.com", "", "*"]);
    this.provide(name, value, delivery);
    this.choices.push(`${name}: ${delivery === "absent" ? "unset" : `${name}=${JSON.stringify(value)} via ${delivery}`}`);
    return expr;
  }

  // ------------------------------------------------------------------------------------
  // Paths

  /** A path under the project (BASE_DIR styles) or under /srv/app (literal style). */
  path(...parts: string[]): string {
    switch (this.pathStyle) {
      case "pathlib":
        return ["BASE_DIR", ...parts.map((p) => JSON.stringify(p))].join(" / ");
      case "os.path":
        return `os.path.join(BASE_DIR, ${parts.map((p) => JSON.stringify(p)).join(", ")})`;
      case "literal":
        return JSON.stringify(["/srv/app", ...parts].join("/"));
    }
  }

  /** BASE_DIR for a settings file `depth` folders below the project root. */
  baseDirLines(depth: number): string[] {
    if (this.pathStyle === "os.path") {
      this.imports.add("import os");
      let expr = "os.path.abspath(__file__)";
      for (let i = 0; i <= depth; i++) expr = `os.path.dirname(${expr})`;
      return [`BASE_DIR = ${expr}`];
    }
    this.imports.add("from pathlib import Path");
    return [`BASE_DIR = Path(__file__).resolve()${".parent".repeat(depth + 1)}`];
  }

  /** The .env path as the settings spell it (a str: django-environ 0.4 cannot open a Path; os.path.join makes one). */
  envFilePath(): string {
    return `os.path.join(BASE_DIR, ".env")`;
  }
}

/** A different value for the .env entry that compose's `environment` overrides. */
function staleValue(value: string): string {
  const flip: Record<string, string> = { True: "False", False: "True", true: "false", false: "true", "1": "0", "0": "1", yes: "no", no: "yes", on: "off", off: "on" };
  return flip[value] ?? `stale-${value || "empty"}`;
}

// ---------------------------------------------------------------------------------------
// Settings choices

function chooseApps(b: ProjectBuilder): void {
  const sessions = b.rng.chance(0.8);
  const messages = b.rng.chance(0.8);
  const apps = ["django.contrib.contenttypes", "django.contrib.auth"];
  // The admin imports the session and message machinery: only with both apps.
  if (sessions && messages && b.rng.chance(0.7)) apps.unshift("django.contrib.admin");
  if (sessions) apps.push("django.contrib.sessions");
  if (messages) apps.push("django.contrib.messages");
  apps.push("django.contrib.staticfiles");
  b.apps = apps;
}

function chooseMiddleware(b: ProjectBuilder): void {
  const mw = ALL_MW.filter((name) => (name === SECURITY_MW ? b.rng.chance(0.7) : b.rng.chance(0.8)));
  b.middleware = mw;
  b.middlewareIsTuple = b.rng.chance(0.15);
}

function pyList(items: string[], tuple: boolean, indent = "    "): string {
  if (items.length === 0) return tuple ? "()" : "[]";
  const body = items.map((i) => `${indent}${JSON.stringify(i)},`).join("\n");
  return tuple ? `(\n${body}\n)` : `[\n${body}\n]`;
}

/** Middleware edits made after the list is defined (in prod.py when split). */
function middlewareEdits(b: ProjectBuilder): string[] {
  const out: string[] = [];
  const edits = b.rng.weighted([
    [4, 0],
    [3, 1],
    [1, 2],
  ] as const);
  for (let i = 0; i < edits; i++) {
    const missing = ALL_MW.filter((m) => !b.middleware.includes(m));
    const present = b.middleware;
    if (b.middlewareIsTuple) {
      if (missing.length === 0) break;
      const add = b.rng.pick(missing);
      out.push(`MIDDLEWARE += (${JSON.stringify(add)},)`);
      b.middleware = [...b.middleware, add];
      b.choices.push(`MIDDLEWARE += (${add.split(".").pop()},)`);
      continue;
    }
    const kind = b.rng.pick(["+=", "insert", "append", "extend", "remove", "comprehension", "concat"] as const);
    if ((kind === "remove" || kind === "comprehension") && present.length > 0) {
      const drop = b.rng.pick(present);
      out.push(kind === "remove" ? `MIDDLEWARE.remove(${JSON.stringify(drop)})` : `MIDDLEWARE = [m for m in MIDDLEWARE if m != ${JSON.stringify(drop)}]`);
      b.middleware = present.filter((m) => m !== drop);
      b.choices.push(`MIDDLEWARE ${kind} ${drop.split(".").pop()}`);
    } else if (missing.length > 0 && kind !== "remove" && kind !== "comprehension") {
      const add = b.rng.pick(missing);
      const text = JSON.stringify(add);
      out.push(
        kind === "+="
          ? `MIDDLEWARE += [${text}]`
          : kind === "insert"
            ? `MIDDLEWARE.insert(${b.rng.pick([0, 1])}, ${text})`
            : kind === "append"
              ? `MIDDLEWARE.append(${text})`
              : kind === "extend"
                ? `MIDDLEWARE.extend([${text}])`
                : `MIDDLEWARE = [${text}] + MIDDLEWARE`,
      );
      b.middleware = [...b.middleware, add];
      b.choices.push(`MIDDLEWARE ${kind} ${add.split(".").pop()}`);
    }
  }
  return out;
}

/** SECRET_KEY values: long and random, short, few unique characters, the insecure prefix. */
function secretKeyValue(b: ProjectBuilder): { value: string; kind: string } {
  const kind = b.rng.weighted([
    [5, "random-64"],
    [2, "random-50"],
    [2, "random-49"],
    [2, "short-20"],
    [2, "insecure-prefix"],
    [1, "four-unique"],
    [1, "five-unique"],
  ] as const);
  switch (kind) {
    case "random-64":
      return { value: randomKey(b.rng, 64), kind };
    case "random-50":
      return { value: randomKey(b.rng, 50), kind };
    case "random-49":
      return { value: randomKey(b.rng, 49), kind };
    case "short-20":
      return { value: randomKey(b.rng, 20), kind };
    case "insecure-prefix":
      return { value: `django-insecure-${randomKey(b.rng, 50)}`, kind };
    case "four-unique":
      return { value: randomKey(b.rng, 60, "wxyz"), kind };
    case "five-unique":
      return { value: `vwxyz${randomKey(b.rng, 55, "vwxyz")}`, kind };
  }
}

function chooseSecretKey(b: ProjectBuilder): void {
  const key = secretKeyValue(b);
  const fromEnv = b.rng.chance(0.6);
  b.choices.push(`SECRET_KEY: ${key.kind}${fromEnv ? " from env" : " literal"}`);
  if (!fromEnv) {
    b.anyModule().push(`SECRET_KEY = ${JSON.stringify(key.value)}`);
    return;
  }
  // A default only ever holds a development key; the env value is the real one.
  const withDefault = b.rng.chance(0.4);
  const devKey = `django-insecure-${randomKey(b.rng, 40)}`;
  b.anyModule().push(`SECRET_KEY = ${b.envStr("SECRET_KEY", key.value, withDefault ? devKey : undefined)}`);
}

function chooseDebug(b: ProjectBuilder): void {
  const style = b.rng.weighted([
    [2, "omit"],
    [2, "literal"],
    [5, "env"],
    [2, "raw-string"],
  ] as const);
  if (b.layout === "split" && b.rng.chance(0.5)) {
    b.base.push("DEBUG = True");
    b.debugDefined = true;
  }
  if (style !== "omit") b.debugDefined = true;
  switch (style) {
    case "omit":
      if (b.base.includes("DEBUG = True")) b.prod.push("DEBUG = False"); // production turns development's DEBUG off
      b.choices.push("DEBUG: omitted");
      return;
    case "literal": {
      const value = b.rng.chance(0.6) ? "False" : "True";
      b.production.push(`DEBUG = ${value}`);
      b.choices.push(`DEBUG = ${value}`);
      return;
    }
    case "env":
      if (b.lib === "environ" && b.rng.chance(0.4)) {
        // The scheme form: environ.Env(DEBUG=(bool, False)) and env("DEBUG").
        b.production.push(`DEBUG = env("DEBUG")`);
        b.debugScheme = true;
        const delivery = b.delivery(false);
        const value = b.rng.pick(["True", "False", "1", "0", "yes", "off"]);
        b.provide("DEBUG", value, delivery);
        b.choices.push(`DEBUG = env("DEBUG") with the scheme DEBUG=(bool, False): ${delivery === "absent" ? "unset" : `DEBUG=${value} via ${delivery}`}`);
        return;
      }
      b.production.push(`DEBUG = ${b.envBool("DEBUG", false)}`);
      return;
    case "raw-string": {
      // The trap: a non-empty string is truthy, so DEBUG is on whatever the text says.
      b.imports.add("import os");
      b.production.push(`DEBUG = os.environ.get("DEBUG", "False")`);
      const delivery = b.delivery(false);
      const value = b.rng.pick(["False", "True", "0"]);
      b.provide("DEBUG", value, delivery);
      b.choices.push(`DEBUG = os.environ.get("DEBUG", "False") with ${delivery === "absent" ? "unset" : `DEBUG=${value} via ${delivery}`}`);
      return;
    }
  }
}

function chooseAllowedHosts(b: ProjectBuilder): void {
  const style = b.rng.weighted([
    [2, "empty"],
    [3, "literal"],
    [5, "env"],
  ] as const);
  const target = b.anyModule();
  if (style === "empty") {
    target.push("ALLOWED_HOSTS = []");
    b.choices.push("ALLOWED_HOSTS = []");
  } else if (style === "literal") {
    const hosts = b.rng.pick([["example.com"], ["*"], ["localhost", "127.0.0.1"]]);
    target.push(`ALLOWED_HOSTS = ${JSON.stringify(hosts)}`);
    b.choices.push(`ALLOWED_HOSTS = ${JSON.stringify(hosts)}`);
  } else {
    target.push(`ALLOWED_HOSTS = ${b.envList("ALLOWED_HOSTS")}`);
  }
}

type BoolSetting = { name: string; literalInts?: boolean };

/** One boolean security setting: omitted, literal (True/False/1/0), from env, or in the conditional block. */
function chooseBool(b: ProjectBuilder, setting: BoolSetting): void {
  const { name } = setting;
  const style = b.rng.weighted([
    [3, "omit"],
    [4, "literal"],
    [3, "env"],
    [3, "conditional"],
  ] as const);
  switch (style) {
    case "omit":
      b.choices.push(`${name}: omitted`);
      return;
    case "literal": {
      const value = b.rng.weighted([
        [4, "True"],
        [3, "False"],
        [setting.literalInts ? 2 : 1, "1"],
        [1, "0"],
      ] as const);
      b.anyModule().push(`${name} = ${value}`);
      b.choices.push(`${name} = ${value}`);
      return;
    }
    case "env":
      b.production.push(`${name} = ${b.envBool(name, b.rng.chance(0.5))}`);
      return;
    case "conditional": {
      const value = b.rng.chance(0.8) ? "True" : "1";
      b.conditional.push(`${name} = ${value}`);
      if (b.rng.chance(0.3)) b.conditionalElse.push(`${name} = False`);
      b.choices.push(`${name} = ${value} in the conditional block${b.conditionalElse.includes(`${name} = False`) ? " (else False)" : ""}`);
      return;
    }
  }
}

function chooseHsts(b: ProjectBuilder): void {
  const style = b.rng.weighted([
    [3, "omit"],
    [2, "zero"],
    [4, "literal"],
    [3, "env"],
    [2, "conditional"],
  ] as const);
  switch (style) {
    case "omit":
      b.choices.push("SECURE_HSTS_SECONDS: omitted");
      break;
    case "zero":
      b.anyModule().push("SECURE_HSTS_SECONDS = 0");
      b.choices.push("SECURE_HSTS_SECONDS = 0");
      break;
    case "literal": {
      const value = b.rng.pick(["31536000", "3600", "60 * 60 * 24 * 365"]);
      b.anyModule().push(`SECURE_HSTS_SECONDS = ${value}`);
      b.choices.push(`SECURE_HSTS_SECONDS = ${value}`);
      break;
    }
    case "env":
      b.production.push(`SECURE_HSTS_SECONDS = ${b.envInt("SECURE_HSTS_SECONDS", b.rng.pick([0, 3600]), ["0", "3600", "31536000"])}`);
      break;
    case "conditional":
      b.conditional.push("SECURE_HSTS_SECONDS = 31536000");
      b.choices.push("SECURE_HSTS_SECONDS = 31536000 in the conditional block");
      break;
  }
  chooseBool(b, { name: "SECURE_HSTS_INCLUDE_SUBDOMAINS", literalInts: true });
  chooseBool(b, { name: "SECURE_HSTS_PRELOAD", literalInts: true });
}

function chooseXFrame(b: ProjectBuilder): void {
  const style = b.rng.weighted([
    [4, "omit"],
    [2, "DENY"],
    [3, "SAMEORIGIN"],
    [2, "env"],
  ] as const);
  if (style === "omit") {
    b.choices.push("X_FRAME_OPTIONS: omitted");
  } else if (style === "env") {
    b.production.push(`X_FRAME_OPTIONS = ${b.envStr("X_FRAME_OPTIONS", b.rng.pick(["DENY", "SAMEORIGIN"]), b.rng.pick(["DENY", "SAMEORIGIN"]))}`);
  } else {
    b.anyModule().push(`X_FRAME_OPTIONS = "${style}"`);
    b.choices.push(`X_FRAME_OPTIONS = "${style}"`);
  }
}

function chooseReferrerPolicy(b: ProjectBuilder): void {
  const value = b.rng.weighted([
    [5, undefined],
    [2, "None"],
    [2, `"same-origin"`],
    [1, `"no-referrer,strict-origin-when-cross-origin"`],
    [1, `"origin, unsafe-url"`],
    [1, `["same-origin", "origin"]`],
    [1, `("no-referrer",)`],
    [2, `"invalid-policy"`],
    [1, `"same-origin,bogus"`],
    [1, `["origin", "nope"]`],
    [2, "env"],
  ] as const);
  if (value === undefined) {
    b.choices.push("SECURE_REFERRER_POLICY: omitted");
  } else if (value === "env") {
    b.production.push(`SECURE_REFERRER_POLICY = ${b.envStr("SECURE_REFERRER_POLICY", b.rng.pick(["same-origin", "strict-origin", "bogus-policy"]), "same-origin")}`);
  } else {
    b.anyModule().push(`SECURE_REFERRER_POLICY = ${value}`);
    b.choices.push(`SECURE_REFERRER_POLICY = ${value}`);
  }
}

/** MEDIA_ROOT, STATIC_ROOT, STATICFILES_DIRS and CACHES, with a FileBasedCache placed inside, on, above or beside them. */
function choosePathsAndCaches(b: ProjectBuilder): void {
  const target = b.anyModule();
  const media = b.rng.chance(0.75);
  const staticRoot = b.rng.chance(0.6);
  const staticDirs = b.rng.weighted([
    [3, "none"],
    [1, "plain"],
    [1, "prefixed"],
  ] as const);
  if (b.pathStyle !== "literal") b.imports.add(b.pathStyle === "os.path" ? "import os" : "from pathlib import Path");
  target.push('STATIC_URL = "/static/"');
  if (media) {
    target.push('MEDIA_URL = "/media/"');
    target.push(`MEDIA_ROOT = ${b.path("media")}`);
  }
  if (staticRoot) target.push(`STATIC_ROOT = ${b.path("staticfiles")}`);
  if (staticDirs === "plain") target.push(`STATICFILES_DIRS = [${b.path("assets")}]`);
  if (staticDirs === "prefixed") target.push(`STATICFILES_DIRS = [("vendor", ${b.path("vendor")})]`);
  b.choices.push(`MEDIA_ROOT ${media ? "set" : "unset"}, STATIC_ROOT ${staticRoot ? "set" : "unset"}, STATICFILES_DIRS ${staticDirs}`);

  const caches = b.rng.weighted([
    [3, "omit"],
    [2, "locmem"],
    [2, "redis"],
    [6, "file"],
  ] as const);
  if (caches === "omit") {
    b.choices.push("CACHES: omitted");
    return;
  }
  if (caches !== "file") {
    const backend = caches === "locmem" ? "django.core.cache.backends.locmem.LocMemCache" : "django.core.cache.backends.redis.RedisCache";
    const location = caches === "locmem" ? "unique-snowflake" : "redis://cache:6379/1";
    b.production.push(`CACHES = {"default": {"BACKEND": "${backend}", "LOCATION": "${location}"}}`);
    b.choices.push(`CACHES: ${caches}`);
    return;
  }
  const place = b.rng.pick(["inside-media", "is-media", "contains-media", "inside-static-root", "inside-staticfiles-dir", "elsewhere"] as const);
  let location: string;
  const sub = (base: string, ...parts: string[]): string => b.path(base, ...parts);
  switch (place) {
    case "inside-media": {
      // String building on a known path: f-string, %, .format, os.path.join.
      const form = b.rng.int(b.pathStyle === "pathlib" ? 2 : 4);
      if (b.pathStyle === "pathlib" || !media) location = form === 0 || !media ? sub("media", "cache") : `MEDIA_ROOT / "django_cache"`;
      else if (form === 0) location = `f"{MEDIA_ROOT}/cache"`;
      else if (form === 1) location = `"%s/cache" % MEDIA_ROOT`;
      else if (form === 2) location = `"{}/cache".format(MEDIA_ROOT)`;
      else location = `os.path.join(MEDIA_ROOT, "cache")`;
      break;
    }
    case "is-media":
      location = media ? "MEDIA_ROOT" : b.path("media");
      break;
    case "contains-media":
      location = b.pathStyle === "literal" ? JSON.stringify("/srv/app") : "BASE_DIR";
      break;
    case "inside-static-root":
      location = sub("staticfiles", "cache");
      break;
    case "inside-staticfiles-dir":
      location = sub(staticDirs === "prefixed" ? "vendor" : "assets", "cache");
      break;
    case "elsewhere":
      location = b.pathStyle === "literal" ? JSON.stringify("/srv/cache/django") : b.path("var", "cache");
      break;
  }
  const fileCache = `{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": ${location}}`;
  if (b.rng.chance(0.5)) {
    b.production.push(`CACHES = {"default": ${fileCache}}`);
  } else {
    b.production.push(`CACHES = {\n    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/1"},\n    "pages": ${fileCache},\n}`);
  }
  b.choices.push(`CACHES: FileBasedCache ${place} (${location})`);
}

function chooseAsyncUnsafe(b: ProjectBuilder): void {
  if (!b.rng.chance(0.25)) return;
  // "false" is a non-empty string: Django only asks whether the variable is non-empty.
  const value = b.rng.pick(["true", "1", "", "false"]);
  const delivery = b.delivery(true);
  b.provide("DJANGO_ALLOW_ASYNC_UNSAFE", value, delivery);
  b.choices.push(`DJANGO_ALLOW_ASYNC_UNSAFE=${JSON.stringify(value)} via ${delivery}`);
}

/** Settings newer Django checks (E024, W025): Django 3.2 has no such checks, so neither may we at 3.2. */
function chooseNewerSettings(b: ProjectBuilder): void {
  if (b.rng.chance(0.15)) {
    const value = b.rng.pick(['"same-origin"', '"unsafe-none"', '"bogus"']);
    b.production.push(`SECURE_CROSS_ORIGIN_OPENER_POLICY = ${value}`);
    b.choices.push(`SECURE_CROSS_ORIGIN_OPENER_POLICY = ${value}`);
  }
  if (b.rng.chance(0.1)) {
    b.production.push(`SECRET_KEY_FALLBACKS = ["old-and-short"]`);
    b.choices.push("SECRET_KEY_FALLBACKS = ['old-and-short']");
  }
}

function chooseLocalOverride(b: ProjectBuilder): void {
  const style = b.rng.weighted([
    [6, "none"],
    [2, "try-missing"],
    [2, "try-present"],
  ] as const);
  if (style === "none") return;
  const module = b.layout === "split" ? "local" : "local_settings";
  b.tryImport = `try:\n    from .${module} import *  # noqa: F401,F403\nexcept ImportError:\n    pass`;
  if (style === "try-present") {
    const override = b.rng.pick(["DEBUG = True", 'ALLOWED_HOSTS = ["*"]', "SECURE_SSL_REDIRECT = False", "SESSION_COOKIE_SECURE = True", 'X_FRAME_OPTIONS = "DENY"']);
    b.local = [override];
    b.choices.push(`try: from .${module} import * (present: ${override})`);
  } else {
    b.choices.push(`try: from .${module} import * (module absent)`);
  }
}

// ---------------------------------------------------------------------------------------
// Rendering

function renderSettings(body: string[], header: string[]): string {
  return `${[...header, "", ...body].join("\n")}\n`;
}

function envSetupLines(b: ProjectBuilder): { imports: string[]; setup: string[] } {
  const imports: string[] = [];
  const setup: string[] = [];
  switch (b.lib) {
    case "environ":
      imports.push("import environ");
      setup.push(b.debugScheme ? "env = environ.Env(DEBUG=(bool, False))" : "env = environ.Env()");
      if (b.settingsLoadEnvFile) {
        imports.push("import os");
        setup.push(`environ.Env.read_env(${b.envFilePath()})`);
      }
      break;
    case "decouple":
      imports.push("from decouple import Csv, config");
      break;
    case "dotenv":
      imports.push("import os", "from dotenv import load_dotenv");
      setup.push(`load_dotenv(${b.pathStyle !== "os.path" && b.rng.chance(0.5) ? 'BASE_DIR / ".env"' : b.envFilePath()})`);
      break;
    case "os":
      imports.push("import os");
      break;
  }
  return { imports, setup };
}

function conditionalBlock(b: ProjectBuilder): string[] {
  if (b.conditional.length === 0) return [];
  const lines = [b.conditionalHeader, ...b.conditional.map((l) => `    ${l}`)];
  if (b.conditionalElse.length > 0) lines.push("else:", ...b.conditionalElse.map((l) => `    ${l}`));
  return lines;
}

const DJANGO_PINS: [number, string][] = [
  [2, "Django==3.2.25"],
  [1, "Django==3.2.19"],
  [3, "Django==4.2.16"],
  [2, "Django>=4.2,<5.0"],
  [1, "Django~=4.2.0"],
  [2, "Django==5.0.9"],
  [2, "Django==5.1.4"],
  [1, "Django>=5.2,<5.3"],
];

const LIB_REQUIREMENT: Record<EnvLib, string | undefined> = {
  os: undefined,
  environ: "django-environ==0.11.2",
  decouple: "python-decouple==3.8",
  dotenv: "python-dotenv==1.0.1",
};

export function generateProject(id: string, rng: Rng): GeneratedProject {
  const b = new ProjectBuilder(id, rng);
  chooseApps(b);
  chooseMiddleware(b);
  chooseSecretKey(b);
  chooseDebug(b);
  chooseAllowedHosts(b);
  chooseHsts(b);
  chooseBool(b, { name: "SECURE_SSL_REDIRECT" });
  chooseBool(b, { name: "SESSION_COOKIE_SECURE", literalInts: true });
  chooseBool(b, { name: "CSRF_COOKIE_SECURE", literalInts: true });
  if (rng.chance(0.5)) chooseBool(b, { name: "SESSION_COOKIE_HTTPONLY", literalInts: true });
  if (rng.chance(0.25)) chooseBool(b, { name: "SECURE_CONTENT_TYPE_NOSNIFF", literalInts: true });
  if (rng.chance(0.15)) {
    b.anyModule().push("CSRF_USE_SESSIONS = True");
    b.choices.push("CSRF_USE_SESSIONS = True");
  }
  chooseXFrame(b);
  chooseReferrerPolicy(b);
  choosePathsAndCaches(b);
  chooseAsyncUnsafe(b);
  chooseNewerSettings(b);
  if (b.conditional.length > 0) {
    b.conditionalHeader = rng.weighted([
      [4, "if not DEBUG:"],
      [1, 'if os.environ.get("DJANGO_ENV", "production") == "production":'],
    ] as const);
    if (b.conditionalHeader.startsWith("if os.")) {
      b.imports.add("import os");
      const delivery = b.delivery(false);
      const value = rng.pick(["production", "staging"]);
      b.provide("DJANGO_ENV", value, delivery);
      b.choices.push(`conditional block: ${b.conditionalHeader} with ${delivery === "absent" ? "DJANGO_ENV unset" : `DJANGO_ENV=${value} via ${delivery}`}`);
    } else {
      if (!b.debugDefined) {
        b.production.push("DEBUG = False");
        b.choices.push("DEBUG = False (for the conditional block)");
      }
      b.choices.push(`conditional block: ${b.conditionalHeader}`);
    }
  }
  const initialMiddleware = [...b.middleware];
  const edits = middlewareEdits(b);
  chooseLocalOverride(b);

  const files: Record<string, string> = {};
  const settingsModule = b.layout === "split" ? "proj.settings.prod" : "proj.settings";
  const depth = b.layout === "split" ? 2 : 1;
  // Settings modules nearly always import os; every os.path / os.environ idiom may then appear anywhere.
  b.imports.add("import os");
  const baseDir = b.baseDirLines(depth);
  const envSetup = envSetupLines(b);
  const baseHeader = [...new Set([...b.imports, ...envSetup.imports])].sort((x, y) => (x.startsWith("from") ? 1 : 0) - (y.startsWith("from") ? 1 : 0) || x.localeCompare(y));
  const preamble = [...baseHeader, "", ...baseDir, ...envSetup.setup];
  const common = [
    `INSTALLED_APPS = ${pyList(b.apps, false)}`,
    `MIDDLEWARE = ${pyList(initialMiddleware, b.middlewareIsTuple)}`,
    'ROOT_URLCONF = "proj.urls"',
    'WSGI_APPLICATION = "proj.wsgi.application"',
    `DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ${b.path("db.sqlite3")}}}`,
  ];
  const tail = [...conditionalBlock(b), ...edits, ...(b.tryImport ? [b.tryImport] : [])];
  if (b.layout === "single") {
    files["proj/settings.py"] = renderSettings([...common, ...b.base, ...tail], preamble);
  } else {
    files["proj/settings/__init__.py"] = "";
    files["proj/settings/base.py"] = renderSettings([...common, ...b.base], preamble);
    const prodHeader = ["from .base import *  # noqa: F401,F403"];
    if (b.prod.some((l) => l.includes("os.")) || tail.some((l) => l.includes("os."))) prodHeader.unshift("import os");
    files["proj/settings/prod.py"] = renderSettings([...b.prod, ...tail], prodHeader);
  }
  if (b.local) files[b.layout === "split" ? "proj/settings/local.py" : "proj/local_settings.py"] = `${b.local.join("\n")}\n`;

  files["proj/__init__.py"] = "";
  files["proj/urls.py"] = "urlpatterns = []\n";
  files["proj/wsgi.py"] = [
    "import os",
    "",
    "from django.core.wsgi import get_wsgi_application",
    "",
    `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settingsModule}")`,
    "",
    "application = get_wsgi_application()",
    "",
  ].join("\n");
  files["manage.py"] = [
    "#!/usr/bin/env python",
    "import os",
    "import sys",
    "",
    'if __name__ == "__main__":',
    `    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settingsModule}")`,
    "    from django.core.management import execute_from_command_line",
    "",
    "    execute_from_command_line(sys.argv)",
    "",
  ].join("\n");

  // Where DJANGO_SETTINGS_MODULE comes from: compose, the .env handed over, or wsgi.py's default.
  const dsm = rng.weighted([
    [5, "compose"],
    [b.envFileUsed ? 2 : 0, "env-file"],
    [2, "wsgi.py"],
  ] as const);
  if (dsm === "compose") b.composeEnv.set("DJANGO_SETTINGS_MODULE", { yaml: settingsModule, value: settingsModule });
  if (dsm === "env-file") b.dotenv.set("DJANGO_SETTINGS_MODULE", settingsModule);
  b.choices.push(`DJANGO_SETTINGS_MODULE from ${dsm}`);

  const djangoPin = rng.weighted(DJANGO_PINS);
  const requirement = LIB_REQUIREMENT[b.lib];
  files["requirements.txt"] = [djangoPin, "gunicorn==23.0.0", ...(requirement ? [requirement] : [])].join("\n") + "\n";
  files.Dockerfile = [
    "FROM python:3.12-slim",
    "WORKDIR /code",
    "COPY requirements.txt /code/",
    "RUN pip install --no-cache-dir -r requirements.txt",
    "COPY . /code/",
    'CMD ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]',
    "",
  ].join("\n");
  // compose refuses to start without an env_file it names, so a project that names one has it (maybe empty).
  if (b.dotenv.size > 0 || b.envFileUsed) files[".env"] = [...b.dotenv].map(([k, v]) => `${k}=${v}\n`).join("") || "# nothing to set\n";
  // Only an env file that exists at deploy is git-ignored: a git-ignored file absent from the checkout
  // is unknown to the linter by design, while Django run on the checkout sees no file at all.
  files[".gitignore"] = files[".env"] !== undefined ? ".env\n" : "__pycache__/\n";
  files["docker-compose.yml"] = renderCompose(b);

  const env = b.serviceEnv();
  if (env.DJANGO_SETTINGS_MODULE === undefined) env.DJANGO_SETTINGS_MODULE = settingsModule; // wsgi.py's setdefault
  return { id, files, env, settingsModule, djangoPin, pinsDjango32: djangoPin.startsWith("Django==3.2"), choices: b.choices };
}

function renderCompose(b: ProjectBuilder): string {
  const lines = [
    "services:",
    "  web:",
    "    build: .",
    "    command: gunicorn proj.wsgi:application --bind 0.0.0.0:8000 --workers 3",
    "    volumes:",
    "      - .:/code",
  ];
  if (b.envFileUsed) lines.push(b.rng.chance(0.5) ? "    env_file: .env" : "    env_file:\n      - .env");
  if (b.composeEnv.size > 0) {
    lines.push("    environment:");
    for (const [name, { yaml }] of b.composeEnv) {
      lines.push(b.composeEnvAsList ? `      - ${name}=${yaml}` : `      ${name}: "${yaml}"`);
    }
  }
  lines.push("    ports:", '      - "8000:8000"');
  return `${lines.join("\n")}\n`;
}

/** `count` projects from one seed: p0001, p0002, … */
export function generateProjects(seed: number, count: number): GeneratedProject[] {
  const out: GeneratedProject[] = [];
  for (let i = 1; i <= count; i++) {
    // One stream per project, so a project does not change when the ones before it do.
    const rng = new Rng((seed * 0x9e3779b1) ^ (i * 0x85ebca6b));
    out.push(generateProject(`p${String(i).padStart(4, "0")}`, rng));
  }
  return out;
}
