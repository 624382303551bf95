/**
 * uWSGI configuration: `[uwsgi]` ini files and `uwsgi …` command lines, as located options.
 *
 * Written by hand, following uWSGI's own reader (core/ini.c, core/config.c): generic ini
 * packages strip quotes, treat `;` after a value as a comment, merge repeated keys and keep
 * no line numbers, all of which uWSGI does differently.
 *
 * What uWSGI does and we copy: a line is `key = value` split at the first `=`, only lines
 * starting with `;` or `#` are comments, quotes are part of the value, repeated keys all
 * count (two `socket` lines bind two sockets), a bare `key` line is the flag `key` with an
 * empty value, option names are matched exactly (case and `-` matter). Placeholders:
 * magic `%d %p %s %n %e %c %x %o %0…%9` from the file's path in the container, `$(ENV)`
 * from the environment given, `%(key)` from other options. Never read: `@(file)`, runtime
 * magic (`%k` cores, `%h` host…): those stay verbatim and are listed in `unresolved`.
 */
import type { LocatedString, SourceRange } from "../core/location.js";
import { fileStart } from "../core/location.js";
import { LineIndex } from "../core/line-index.js";
import type { ParseProblem } from "../core/problems.js";
import { sliceWord } from "./shell-words.js";

export interface UwsgiOption {
  /** Normalised: lowercase, `_` → `-`, short flags and aliases folded (`uwsgi-socket`/`s` → `socket`, `wsgi`/`w` → `module`, `file` → `wsgi-file`…). */
  key: string;
  /** The key as written (`chmod_socket`, `-s`, `--socket`), without leading dashes. */
  rawKey: string;
  /** The value with placeholders expanded where known. */
  value: string;
  /** The value as written. */
  raw: string;
  /** Range of the value (of the flag itself for a value-less flag). */
  range: SourceRange;
  keyRange: SourceRange;
  unresolved?: string[];
  /** uWSGI does not apply it: its name is a known option misspelt with `_` or capitals (uWSGI matches names exactly). */
  ignored?: boolean;
  /** Inside an `if-*` / `for` block: applied only when that runtime condition holds. */
  conditional?: boolean;
}

export interface UwsgiConfig {
  file?: string;
  /** In order; repeated keys kept (socket may appear twice). */
  options: UwsgiOption[];
  problems: ParseProblem[];
}

export interface UwsgiIniContext {
  /** Absolute path of this ini inside the container, for `%d %p %s %n %e`. */
  runtimePath: string;
  env: (name: string) => string | undefined;
  /** Section to read; default "uwsgi" (`file.ini:section` selects another). */
  section?: string;
}

/** Aliases folded into one key, so rules ask for one name. */
const ALIASES: Record<string, string> = {
  "uwsgi-socket": "socket",
  wsgi: "module",
  file: "wsgi-file",
  workers: "processes",
  chmod: "chmod-socket",
  virtualenv: "home",
  venv: "home",
  pyhome: "home",
  xmlconfig: "xml",
  yml: "yaml",
  js: "json",
  logformat: "log-format",
};

/** uWSGI's one-letter flags (core and python plugin). */
const SHORT_FLAGS: Record<string, string> = {
  s: "socket", w: "module", p: "processes", M: "master", C: "chmod-socket", T: "enable-threads",
  i: "single-interpreter", L: "disable-logging", t: "harakiri", d: "daemonize", l: "listen",
  b: "buffer-size", R: "max-requests", z: "socket-timeout", H: "home", x: "xml", y: "yaml", j: "json",
  S: "set", A: "sharedarea", Q: "spooler", v: "max-vars", O: "optimize", J: "test", h: "help",
  r: "reaper", a: "abstract-socket", c: "cgi-mode", m: "memory-report",
};

/** Options that take no argument on the command line (`--master`), from uWSGI's option tables. */
const NO_ARGUMENT = new Set(
  ("abstract-socket auto-procname cache-no-expire catch-exceptions cgi-mode cheap close-on-exec daemons-honour-stdin " +
    "die-on-idle die-on-no-workers die-on-term disable-logging disable-sendfile disable-write-exception dynamic-apps " +
    "early-emperor emperor-nofollow emperor-tyrant enable-metrics enable-proxy-protocol enable-threads force-gateway " +
    "freebind harakiri-verbose help honour-range honour-stdin http-auto-chunked http-auto-gzip http-chunked-input " +
    "http-raw-body http-websockets ignore-script-name ignore-sigpipe ignore-write-errors jailed lazy lazy-apps " +
    "log-4xx log-5xx log-master log-micros log-reopen log-x-forwarded-for log-zero manage-script-name master " +
    "master-as-root never-swap no-default-app no-defer-accept no-fd-passing no-initgroups no-orphans no-server " +
    "no-site no-threads-wait py-call-osafterfork py-call-uwsgi-fork-hooks reaper reload-on-exception reload-os-env " +
    "reuse-port show-config single-interpreter skip-atexit skip-atexit-teardown so-keepalive spooler-ordered " +
    "ssl-verbose static-gzip-all stats-http stats-minified strict tcp-nodelay threaded-logger thunder-lock usage " +
    "use-abort vacuum version vhost vhost-host wsgi-disable-file-wrapper wsgi-manage-chunked-input wsgi-strict " +
    "zerg-fallback unprivileged-binary-patch-arg py-tracebacker").split(" "),
);

/** Options that take an argument only when attached (`--chmod-socket=666`, `-C666`). */
const OPTIONAL_ARGUMENT = new Set(
  ("chmod-socket chmod memory-report need-app mule ksm snmp logdate log-date log-prefix log-syslog check-cache " +
    "http-keepalive http-use-socket http-manage-expect endif end-if endfor end-for").split(" "),
);

/** Option names rules care about, for telling a misspelt option from a custom placeholder. */
const KNOWN = new Set([
  ...NO_ARGUMENT, ...OPTIONAL_ARGUMENT, ...Object.keys(ALIASES), ...Object.values(ALIASES),
  ..."socket http-socket http https http11-socket https-socket fastcgi-socket scgi-socket shared-socket module wsgi-file chdir env chown-socket uid gid processes threads harakiri max-requests buffer-size static-map static-map2 pythonpath python-path pidfile logto logto2 daemonize daemonize2 callable mount plugins plugin ini listen touch-reload py-autoreload post-buffering offload-threads cheaper stats socket-timeout http-timeout max-worker-lifetime reload-on-rss worker-reload-mercy set set-placeholder set-ph declare-option static-expires-uri route route-run hook-pre-app exec-pre-app mime-file".split(" "),
]);

const PLACEHOLDER_SETTERS = new Set(["set", "set-placeholder", "set-ph"]);
const BLOCK_START = /^(if-|for$|for-)/;
const BLOCK_END = new Set(["end", "endif", "end-if", "endfor", "end-for"]);

/** Lowercase, `_` → `-`, aliases folded. Keys holding a shell variable (`--${MODE}`) are kept as written. */
export function normaliseUwsgiKey(key: string): string {
  if (key.includes("$")) return key;
  const k = key.toLowerCase().replace(/_/g, "-");
  return ALIASES[k] ?? k;
}

/** The last option (as uWSGI applies it) among keys (any alias), or undefined. */
export function lastOption(cfg: UwsgiConfig, ...keys: string[]): UwsgiOption | undefined {
  const all = allOptions(cfg, ...keys);
  return all[all.length - 1];
}

/** All applied options among keys (any alias), in order. */
export function allOptions(cfg: UwsgiConfig, ...keys: string[]): UwsgiOption[] {
  const wanted = new Set(keys.map(normaliseUwsgiKey));
  return cfg.options.filter((o) => !o.ignored && wanted.has(o.key));
}

/** `path.ini:section` as uWSGI splits it (at the last colon, not inside a `scheme://`). */
export function splitIniReference(ref: string): { path: string; section?: string } {
  const schemeEnd = ref.indexOf("://");
  const from = schemeEnd >= 0 ? ref.lastIndexOf("/") : 0;
  const colon = ref.lastIndexOf(":");
  if (colon < 0 || colon < from) return { path: ref };
  const section = ref.slice(colon + 1);
  return section === "" ? { path: ref.slice(0, colon) } : { path: ref.slice(0, colon), section };
}

// ---------------------------------------------------------------------------------------
// ini files

/** Magic variables uWSGI sets only when it runs (cores, host name, time, uid…): unknowable here. */
const RUNTIME_MAGIC = new Set(["v", "h", "t", "T", "V", "k", "u", "U", "g", "G", "b", "i", "j", "I", "J", "["]);

function magicTable(runtimePath: string, section: string | undefined): Map<string, string> {
  const slash = runtimePath.lastIndexOf("/");
  const s = runtimePath.slice(slash + 1);
  const d = runtimePath.slice(0, slash + 1);
  const dir = d.replace(/\/$/, "");
  const c = dir.slice(dir.lastIndexOf("/") + 1);
  const dot = s.lastIndexOf(".");
  const e = dot >= 0 ? s.slice(dot + 1) : "";
  const n = dot >= 0 ? s.slice(0, dot) : s;
  const x = section ?? "";
  const table = new Map<string, string>([
    ["p", runtimePath], ["s", s], ["d", d], ["c", c], ["e", e], ["n", n], ["x", x], ["o", runtimePath],
  ]);
  for (const [k, v] of [...table]) table.set(k.toUpperCase(), v);
  dir.split("/").filter((part) => part !== "").slice(0, 10).forEach((part, k) => table.set(String(k), part));
  for (let k = 0; k <= 9; k++) if (!table.has(String(k))) table.set(String(k), "");
  return table;
}

/** uWSGI's first pass over the file text: `%X` magic variables (unknown letters become ""). */
function expandMagic(raw: string, table: Map<string, string>, unresolved: string[]): string {
  let out = "";
  for (let k = 0; k < raw.length; k++) {
    const ch = raw.charAt(k);
    if (ch !== "%" || k + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const m = raw.charAt(k + 1);
    k++;
    if (m === "%") out += "%";
    else if (m === "(") out += "%(";
    else if (RUNTIME_MAGIC.has(m)) {
      out += `%${m}`;
      if (!unresolved.includes(`%${m}`)) unresolved.push(`%${m}`);
    } else out += table.get(m) ?? "";
  }
  return out;
}

/** A `<symbol>(…)` reference inside a value, with nested parentheses, as uWSGI scans it. */
function replaceRefs(value: string, symbol: string, resolve: (key: string) => string | undefined): string {
  let out = "";
  let k = 0;
  while (k < value.length) {
    if (value.charAt(k) === symbol && value.charAt(k + 1) === "(") {
      let depth = 0;
      let j = k + 2;
      for (; j < value.length; j++) {
        const ch = value.charAt(j);
        if (ch === "(") depth++;
        else if (ch === ")") {
          if (depth === 0) break;
          depth--;
        }
      }
      if (j < value.length && j > k + 2) {
        const key = value.slice(k + 2, j);
        const replacement = resolve(key);
        out += replacement ?? value.slice(k, j + 1);
        k = j + 1;
        continue;
      }
    }
    out += value.charAt(k);
    k++;
  }
  return out;
}

/** uWSGI's `$(VAR)`, `$(VAR:-default)` (unset or empty), `$(VAR-default)` (unset); defaults end at the next `:` or `-`, as uWSGI's strtok does. */
function lookupEnv(expr: string, env: (name: string) => string | undefined, unresolved: string[]): string | undefined {
  const tokens = expr.split(/[:-]+/).filter((t) => t !== "");
  if (expr.includes(":-") || expr.includes("-")) {
    const name = tokens[0] ?? "";
    const fallback = tokens[1] ?? "";
    const value = env(name);
    if (expr.includes(":-")) return value === undefined || value === "" ? fallback : value;
    return value ?? fallback;
  }
  const value = env(expr);
  if (value === undefined && !unresolved.includes(expr)) unresolved.push(expr);
  return value;
}

interface IniLine {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  raw: string;
}

/**
 * Reads one uWSGI ini file. Never throws: unreadable shapes come back as problems with the
 * line they are on, and the options read so far are kept.
 */
export function parseUwsgiIni(text: string, file: string, context: UwsgiIniContext): UwsgiConfig {
  const problems: ParseProblem[] = [];
  const options: UwsgiOption[] = [];
  const wanted = context.section ?? "uwsgi";
  if (text.includes("\u0000")) {
    problems.push({ range: fileStart(file), message: "binary content (NUL bytes): not a uWSGI ini file" });
    return { file, options, problems };
  }
  const index = new LineIndex(text);
  const range = (start: number, end: number): SourceRange => index.range(file, start, end);
  const magic = magicTable(context.runtimePath, context.section);
  let section: string | undefined;
  let found = false;
  let reportedOutside = false;
  let inBlock = false;
  const lines: IniLine[] = [];

  // uWSGI splits on "\n" and strips " \t\r" at both ends of the line.
  const lineRe = /[^\n]*(\n|$)/g;
  for (let m = lineRe.exec(text); m && m[0] !== ""; m = lineRe.exec(text)) {
    const lineStart = m.index;
    const body = m[0].replace(/\n$/, "");
    const lead = /^[ \t\r]*/.exec(body)?.[0].length ?? 0;
    const content = body.slice(lead).replace(/[ \t\r]+$/, "");
    if (content === "") continue;
    const start = lineStart + lead;
    if (content.startsWith("[")) {
      // uWSGI drops the last character whatever it is: `[uwsgi] ; x` names section "uwsgi] ; ".
      section = content.slice(1, -1);
      if (!content.endsWith("]")) {
        problems.push({ range: range(start, start + content.length), message: `section header does not end with ']': uWSGI reads its name as '${section}'` });
      } else if (section !== wanted && section.trim() === wanted) {
        problems.push({ range: range(start, start + content.length), message: `section name '${section}' has spaces: uWSGI compares names exactly, so this is not [${wanted}]` });
      }
      if (section === wanted) found = true;
      continue;
    }
    if (content.startsWith(";") || content.startsWith("#")) continue;
    const eq = content.indexOf("=");
    const keyText = (eq < 0 ? content : content.slice(0, eq)).replace(/[ \t\r]+$/, "");
    let valueStart = eq < 0 ? start + content.length : start + eq + 1;
    const afterEq = eq < 0 ? "" : content.slice(eq + 1);
    valueStart += /^[ \t\r]*/.exec(afterEq)?.[0].length ?? 0;
    const raw = afterEq.replace(/^[ \t\r]*/, "");
    const line: IniLine = { key: keyText, keyStart: start, valueStart, valueEnd: valueStart + raw.length, raw };
    if (section === undefined) {
      if (!reportedOutside && /^[A-Za-z0-9_.-]+$/.test(keyText)) {
        reportedOutside = true;
        problems.push({ range: range(start, start + keyText.length), message: `'${keyText}' is before any [section] header: uWSGI ignores it` });
      }
      continue;
    }
    if (section !== wanted) continue;
    if (!/^[A-Za-z0-9_.-]+$/.test(keyText)) {
      problems.push({
        range: range(start, start + content.length),
        message:
          eq < 0
            ? "not an option line (expected 'key = value'): uWSGI takes the whole line as an option name and ignores it"
            : keyText === ""
              ? "no option name before '=': uWSGI ignores this line"
              : `'${keyText}' is not an option name: uWSGI ignores this line`,
      });
      continue;
    }
    lines.push(line);
  }

  for (const line of lines) {
    const key = normaliseUwsgiKey(line.key);
    const option: UwsgiOption = {
      key,
      rawKey: line.key,
      value: line.raw,
      raw: line.raw,
      range: range(line.valueStart, line.valueEnd),
      keyRange: range(line.keyStart, line.keyStart + line.key.length),
    };
    const plain = line.key.toLowerCase().replace(/_/g, "-");
    if (plain !== line.key && KNOWN.has(key)) {
      option.ignored = true;
      problems.push({ range: option.keyRange, message: `uWSGI matches option names exactly: '${line.key}' is not '${plain}' and is ignored` });
    }
    if (BLOCK_END.has(key)) inBlock = false;
    else if (key === "else") inBlock = true;
    else if (inBlock) option.conditional = true;
    if (BLOCK_START.test(key)) inBlock = true;
    const quote = /^(["'])[^]*\1$/.exec(line.raw);
    if (quote && line.raw.length >= 2) {
      problems.push({ range: option.range, message: `uWSGI keeps quotes: the value of '${line.key}' is ${line.raw} with the quotes` });
    }
    const inline = /[ \t][;#]/.exec(line.raw);
    if (inline && !key.startsWith("log") && !key.startsWith("route")) {
      problems.push({
        range: range(line.valueStart + inline.index + 1, line.valueEnd),
        message: `'${line.raw.charAt(inline.index + 1)}' after a value is not a comment in uWSGI ini: it is part of the value of '${line.key}'`,
      });
    }
    options.push(option);
  }

  if (!found) {
    problems.push({ range: fileStart(file), message: `no [${wanted}] section: uWSGI reads no option from this file` });
  }
  resolvePlaceholders(options, magic, context.env);
  problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
  return { file, options, problems };
}

/** uWSGI's passes, in its order: magic (file read), `$(ENV)`, `@(file)`, `%(option)`. */
function resolvePlaceholders(options: UwsgiOption[], magic: Map<string, string>, env: (name: string) => string | undefined): void {
  const afterEnv = options.map((o) => {
    const unresolved: string[] = [];
    let v = expandMagic(o.raw, magic, unresolved);
    v = replaceRefs(v, "$", (expr) => lookupEnv(expr, env, unresolved));
    v = replaceRefs(v, "@", (expr) => {
      if (!unresolved.includes(`@(${expr})`)) unresolved.push(`@(${expr})`);
      return undefined;
    });
    return { value: v, unresolved };
  });
  // `%(key)`: the first option (or `set` placeholder) of that exact name, expanded in turn.
  const byKey = new Map<string, number>();
  const setValues = new Map<string, { value: string; from: number }>();
  options.forEach((o, k) => {
    if (!byKey.has(o.rawKey)) byKey.set(o.rawKey, k);
    if (PLACEHOLDER_SETTERS.has(o.key)) {
      const eq = (afterEnv[k]?.value ?? "").indexOf("=");
      const name = eq > 0 ? (afterEnv[k]?.value ?? "").slice(0, eq) : "";
      if (name && !setValues.has(name)) setValues.set(name, { value: (afterEnv[k]?.value ?? "").slice(eq + 1), from: k });
    }
  });
  const done = new Map<number, { value: string; unresolved: string[] }>();
  const expand = (k: number, stack: Set<number>): { value: string; unresolved: string[] } => {
    const cached = done.get(k);
    if (cached) return cached;
    const base = afterEnv[k] ?? { value: "", unresolved: [] };
    const unresolved = [...base.unresolved];
    const option = options[k];
    const logFormat = option !== undefined && (option.key.startsWith("log") || option.key.includes("format"));
    stack.add(k);
    const expandValue = (value: string, depth: number): string =>
      replaceRefs(value, "%", (ref) => {
        const target = byKey.get(ref);
        const set = setValues.get(ref);
        if (target !== undefined && !stack.has(target) && depth < 16) {
          const r = expand(target, stack);
          for (const u of r.unresolved) if (!unresolved.includes(u)) unresolved.push(u);
          return r.value;
        }
        if (set !== undefined && !stack.has(set.from) && depth < 16) return expandValue(set.value, depth + 1);
        if (!logFormat && ref !== "_" && /^[A-Za-z0-9_.-]+$/.test(ref) && !unresolved.includes(`%(${ref})`)) unresolved.push(`%(${ref})`);
        return undefined;
      });
    const value = expandValue(base.value, 0);
    stack.delete(k);
    const result = { value, unresolved };
    done.set(k, result);
    return result;
  };
  options.forEach((o, k) => {
    const r = expand(k, new Set());
    o.value = r.value;
    if (r.unresolved.length > 0) o.unresolved = r.unresolved;
  });
}

// ---------------------------------------------------------------------------------------
// command lines

function takesArgument(key: string): "none" | "optional" | "required" {
  if (NO_ARGUMENT.has(key)) return "none";
  if (OPTIONAL_ARGUMENT.has(key)) return "optional";
  return "required";
}

/**
 * Options of a `uwsgi …` command line (argv starts AFTER the `uwsgi` word), the way
 * uWSGI's getopt_long reads them: `--socket x`, `--socket=x`, `-s x`, `-sx`, grouped flags
 * `-Mp4`, positional config files (`uwsgi app.ini`), `--` ending the options. `--ini`
 * files (and positional `*.ini`) come back in iniFiles for the caller to open.
 */
export function uwsgiOptionsFromArgv(argv: LocatedString[]): { options: UwsgiOption[]; iniFiles: LocatedString[]; problems: ParseProblem[] } {
  const options: UwsgiOption[] = [];
  const iniFiles: LocatedString[] = [];
  const problems: ParseProblem[] = [];
  let endOfOptions = false;

  const add = (rawKey: string, key: string, keyWord: LocatedString, value: LocatedString | undefined): void => {
    if (key === "ini" && value) {
      iniFiles.push(value);
      return;
    }
    const option: UwsgiOption = {
      key,
      rawKey,
      value: value ? value.value : "true",
      raw: value ? value.value : "",
      range: value ? value.range : keyWord.range,
      keyRange: keyWord.range,
    };
    if (value?.unresolved || keyWord.unresolved) option.unresolved = [...new Set([...(keyWord.unresolved ?? []), ...(value?.unresolved ?? [])])];
    const plain = rawKey.toLowerCase().replace(/_/g, "-");
    if (!rawKey.includes("$") && plain !== rawKey && KNOWN.has(key) && !(rawKey in SHORT_FLAGS)) {
      option.ignored = true;
      problems.push({ range: keyWord.range, message: `uWSGI does not know '--${rawKey}' (option names are exact: '--${plain}') and refuses to start` });
    }
    options.push(option);
  };

  const positional = (word: LocatedString): void => {
    const v = word.value;
    if (v.endsWith(".ini")) iniFiles.push(word);
    else if (v.endsWith(".py") || v.endsWith(".wsgi")) add(v, "wsgi-file", word, word);
    else if (/\.(ya?ml|json|xml|js)$/.test(v)) add(v, normaliseUwsgiKey(v.slice(v.lastIndexOf(".") + 1)), word, word);
    else if (word.unresolved?.length) return; // `$EXTRA_ARGS`: unknowable until run time
    else problems.push({ range: word.range, message: `uWSGI cannot load '${v}': not an option and not a config file it knows by extension` });
  };

  for (let k = 0; k < argv.length; k++) {
    const word = argv[k];
    if (!word) continue;
    const v = word.value;
    if (endOfOptions || v === "-" || !v.startsWith("-")) {
      positional(word);
      continue;
    }
    if (v === "--") {
      endOfOptions = true;
      continue;
    }
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      const name = eq < 0 ? v.slice(2) : v.slice(2, eq);
      const keyWord = sliceWord(word, 0, eq < 0 ? v.length : eq);
      const key = normaliseUwsgiKey(name);
      const arity = takesArgument(key);
      if (eq >= 0) {
        if (arity === "none") problems.push({ range: word.range, message: `uWSGI's --${name} takes no value` });
        add(name, key, keyWord, sliceWord(word, eq + 1));
      } else if (arity === "required") {
        const next = argv[k + 1];
        if (next) {
          add(name, key, keyWord, next);
          k++;
        } else {
          problems.push({ range: word.range, message: `--${name} needs a value` });
        }
      } else {
        add(name, key, keyWord, undefined);
      }
      continue;
    }
    // Short options, possibly grouped: -M -p 4 == -Mp4 == -M -p4.
    for (let c = 1; c < v.length; c++) {
      const letter = v.charAt(c);
      const name = SHORT_FLAGS[letter];
      // The first letter's key range includes its dash: `-s`; grouped ones are the letter: `p` of `-Mp4`.
      const keyWord = sliceWord(word, c === 1 ? 0 : c, c + 1);
      if (!name) {
        problems.push({ range: keyWord.range, message: `uWSGI has no short option -${letter}` });
        continue;
      }
      const arity = takesArgument(name);
      if (arity === "none") {
        add(letter, name, keyWord, undefined);
        continue;
      }
      if (c + 1 < v.length) {
        add(letter, name, keyWord, sliceWord(word, c + 1));
      } else if (arity === "required") {
        const next = argv[k + 1];
        if (next) {
          add(letter, name, keyWord, next);
          k++;
        } else {
          problems.push({ range: keyWord.range, message: `-${letter} needs a value` });
        }
      } else {
        add(letter, name, keyWord, undefined);
      }
      break;
    }
  }
  return { options, iniFiles, problems };
}
