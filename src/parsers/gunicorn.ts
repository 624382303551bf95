/**
 * Command lines of the Python app servers other than uWSGI: gunicorn, daphne, uvicorn and
 * Django's runserver, reduced to what the deployment rules need (where they listen, which
 * application, working directory, config file, env).
 *
 * Written by hand rather than with an argv package: the values must keep their source
 * ranges, and each server's own parser has quirks we copy (argparse's attached short
 * values `-b0:80` / `-b=0:80` and unique-prefix long options; click's `--port=8000`).
 */
import type { LocatedString } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { isBareExpansion, sliceWord } from "./shell-words.js";

/** gunicorn's bind when neither -b nor a config file sets one, and PORT is unset. */
export const GUNICORN_DEFAULT_BIND = "127.0.0.1:8000";
/** gunicorn reads this file from its working directory when no -c is given. */
export const GUNICORN_DEFAULT_CONFIG = "gunicorn.conf.py";
export const DAPHNE_DEFAULT_BIND = "127.0.0.1:8000";
export const UVICORN_DEFAULT_BIND = "127.0.0.1:8000";
export const RUNSERVER_DEFAULT_BIND = "127.0.0.1:8000";

/** gunicorn's default bind for an environment: `0.0.0.0:$PORT` when PORT is set (gunicorn/config.py). */
export function gunicornDefaultBind(env: (name: string) => string | undefined): string {
  const port = env("PORT");
  return port !== undefined ? `0.0.0.0:${port}` : GUNICORN_DEFAULT_BIND;
}

export interface GunicornInvocation {
  /** -b/--bind, possibly several; value "unix:/path", "host:port", "fd://N". */
  binds: LocatedString[];
  /** -c/--config, may be "python:module". */
  configFile?: LocatedString;
  /** Positional WSGI app "proj.wsgi:application". */
  app?: LocatedString;
  chdir?: LocatedString;
  workerClass?: LocatedString;
  /** -e/--env KEY=VALUE. */
  envs: LocatedString[];
  pythonpath?: LocatedString;
  problems: ParseProblem[];
}

export interface ServerBinds {
  /** "host:port" (synthesized from separate host and port flags), "unix:/path", "fd://N", or a daphne endpoint string. */
  binds: LocatedString[];
  app?: LocatedString;
  problems: ParseProblem[];
}

type Arity = "flag" | "value" | "optional";

interface OptionSpec {
  dest: string;
  arity: Arity;
}

/** One argument parser in argparse's style: long options, short options, positionals. */
interface ParsedArgs {
  options: { dest: string; name: LocatedString; value?: LocatedString }[];
  positionals: LocatedString[];
  problems: ParseProblem[];
}

function spec(table: Record<string, string>): Map<string, OptionSpec> {
  const out = new Map<string, OptionSpec>();
  for (const [names, def] of Object.entries(table)) {
    const [dest, arity] = def.split(":") as [string, Arity | undefined];
    for (const name of names.split(" ")) out.set(name, { dest, arity: arity ?? "value" });
  }
  return out;
}

/**
 * argparse-like reading: `--name value`, `--name=value`, unique prefixes of long names
 * (`--bi` is `--bind`), `-xVALUE`, `-x=VALUE`, grouped flags `-Dbx`, `--` ending options.
 * A value that looks like an option (`-b --workers`) is missing, as argparse says.
 */
function parseArgs(argv: LocatedString[], options: Map<string, OptionSpec>, program: string, allowPrefix: boolean): ParsedArgs {
  const parsed: ParsedArgs = { options: [], positionals: [], problems: [] };
  const longNames = [...options.keys()].filter((n) => n.startsWith("--"));
  // As argparse: `-1` is a value, unless the parser has options that look like numbers (runserver's -6).
  const numericOptions = [...options.keys()].some((n) => /^-\d/.test(n));
  const isNumber = (v: string): boolean => /^-\d/.test(v) && !numericOptions;
  const looksLikeOption = (w: LocatedString | undefined): boolean => w !== undefined && w.value.startsWith("-") && w.value.length > 1 && !isNumber(w.value);
  let endOfOptions = false;
  for (let k = 0; k < argv.length; k++) {
    const word = argv[k] as LocatedString;
    const v = word.value;
    if (endOfOptions || !v.startsWith("-") || v === "-" || isNumber(v)) {
      // `$GUNICORN_ARGS` may hold options as well as the app: it is not the app.
      if (!isBareExpansion(word)) parsed.positionals.push(word);
      continue;
    }
    if (v === "--") {
      endOfOptions = true;
      continue;
    }
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      let name = eq < 0 ? v : v.slice(0, eq);
      if (!options.has(name) && allowPrefix) {
        const candidates = longNames.filter((n) => n.startsWith(name));
        const dests = new Set(candidates.map((c) => options.get(c)?.dest));
        if (candidates.length > 0 && dests.size === 1) name = candidates[0] as string;
        else if (candidates.length > 1) {
          parsed.problems.push({ range: word.range, message: `${program}: ambiguous option ${name} could match ${candidates.join(", ")}` });
          continue;
        }
      }
      const opt = options.get(name);
      const nameWord = sliceWord(word, 0, eq < 0 ? v.length : eq);
      if (!opt) {
        parsed.problems.push({ range: nameWord.range, message: `${program} has no option ${name}` });
        continue;
      }
      if (eq >= 0) {
        if (opt.arity === "flag") parsed.problems.push({ range: word.range, message: `${program}'s ${name} takes no value` });
        else parsed.options.push({ dest: opt.dest, name: nameWord, value: sliceWord(word, eq + 1) });
        continue;
      }
      if (opt.arity === "flag" || (opt.arity === "optional" && (argv[k + 1] === undefined || looksLikeOption(argv[k + 1])))) {
        parsed.options.push({ dest: opt.dest, name: nameWord });
        continue;
      }
      const next = argv[k + 1];
      if (next === undefined || looksLikeOption(next)) {
        parsed.problems.push({ range: word.range, message: `${program}: ${name} expects a value` });
        continue;
      }
      parsed.options.push({ dest: opt.dest, name: nameWord, value: next });
      k++;
      continue;
    }
    // Short options: -bVALUE, -b=VALUE, -b VALUE, grouped flags -Dbx.
    for (let c = 1; c < v.length; c++) {
      const flag = `-${v.charAt(c)}`;
      const opt = options.get(flag);
      const nameWord = sliceWord(word, c, c + 1);
      if (!opt) {
        parsed.problems.push({ range: nameWord.range, message: `${program} has no option ${flag}` });
        break;
      }
      if (opt.arity === "flag") {
        parsed.options.push({ dest: opt.dest, name: nameWord });
        continue;
      }
      if (c + 1 < v.length) {
        const from = v.charAt(c + 1) === "=" ? c + 2 : c + 1;
        parsed.options.push({ dest: opt.dest, name: nameWord, value: sliceWord(word, from) });
        break;
      }
      const next = argv[k + 1];
      if (next === undefined || looksLikeOption(next)) {
        if (opt.arity === "optional") parsed.options.push({ dest: opt.dest, name: nameWord });
        else parsed.problems.push({ range: word.range, message: `${program}: ${flag} expects a value` });
        break;
      }
      parsed.options.push({ dest: opt.dest, name: nameWord, value: next });
      k++;
      break;
    }
  }
  return parsed;
}

// gunicorn/config.py settings with a command line flag; ":flag" = store_true/store_const, ":optional" = nargs="?".
const GUNICORN_OPTIONS = spec({
  "-c --config": "config", "-b --bind": "bind", "--backlog": "backlog", "-w --workers": "workers",
  "-k --worker-class": "worker_class", "--threads": "threads", "--worker-connections": "worker_connections",
  "--max-requests": "max_requests", "--max-requests-jitter": "max_requests_jitter", "-t --timeout": "timeout",
  "--graceful-timeout": "graceful_timeout", "--keep-alive": "keepalive", "--limit-request-line": "limit_request_line",
  "--limit-request-fields": "limit_request_fields", "--limit-request-field_size": "limit_request_field_size",
  "--reload": "reload:flag", "--reload-engine": "reload_engine", "--reload-extra-file": "reload_extra_files",
  "--spew": "spew:flag", "--check-config": "check_config:flag", "--print-config": "print_config:flag",
  "--preload": "preload_app:flag", "--no-sendfile": "sendfile:flag", "--reuse-port": "reuse_port:flag",
  "--chdir": "chdir", "-D --daemon": "daemon:flag", "-e --env": "raw_env", "-p --pid": "pidfile",
  "--worker-tmp-dir": "worker_tmp_dir", "-u --user": "user", "-g --group": "group", "-m --umask": "umask",
  "--initgroups": "initgroups:flag", "--forwarded-allow-ips": "forwarded_allow_ips", "--access-logfile": "accesslog",
  "--disable-redirect-access-to-syslog": "disable_redirect_access_to_syslog:flag", "--access-logformat": "access_log_format",
  "--error-logfile --log-file": "errorlog", "--log-level": "loglevel", "--capture-output": "capture_output:flag",
  "--logger-class": "logger_class", "--log-config": "logconfig", "--log-config-json": "logconfig_json",
  "--log-config-dict": "logconfig_dict", "--log-syslog-to": "syslog_addr", "--log-syslog": "syslog:flag",
  "--log-syslog-prefix": "syslog_prefix", "--log-syslog-facility": "syslog_facility",
  "-R --enable-stdio-inheritance": "enable_stdio_inheritance:flag", "--statsd-host": "statsd_host",
  "--dogstatsd-tags": "dogstatsd_tags", "--statsd-prefix": "statsd_prefix", "-n --name": "proc_name",
  "--pythonpath": "pythonpath", "--paste --paster": "paste", "--proxy-protocol": "proxy_protocol:optional",
  "--proxy-allow-from": "proxy_allow_ips", "--protocol": "protocol", "--uwsgi-allow-from": "uwsgi_allow_ips",
  "--keyfile": "keyfile", "--certfile": "certfile", "--ssl-version": "ssl_version", "--cert-reqs": "cert_reqs",
  "--ca-certs": "ca_certs", "--suppress-ragged-eofs": "suppress_ragged_eofs:flag",
  "--do-handshake-on-connect": "do_handshake_on_connect:flag", "--ciphers": "ciphers",
  "--paste-global": "paste_global_conf", "--permit-obsolete-folding": "permit_obsolete_folding:flag",
  "--strip-header-spaces": "strip_header_spaces:flag", "--permit-unconventional-http-method": "permit_unconventional_http_method:flag",
  "--permit-unconventional-http-version": "permit_unconventional_http_version:flag", "--casefold-http-method": "casefold_http_method:flag",
  "--forwarder-headers": "forwarder_headers", "--header-map": "header_map", "--http-protocols": "http_protocols",
  "--enable-backlog-metric": "enable_backlog_metric:flag", "--root-path": "root_path", "--asgi-loop": "asgi_loop",
  "--asgi-lifespan": "asgi_lifespan", "--no-control-socket": "control_socket_disable:flag", "--control-socket": "control_socket",
  "-v --version": "version:flag", "-h --help": "help:flag",
});

/** A `gunicorn …` command line (argv after the `gunicorn` word, also after `python -m gunicorn`). */
export function gunicornFromArgv(argv: LocatedString[]): GunicornInvocation {
  const parsed = parseArgs(argv, GUNICORN_OPTIONS, "gunicorn", true);
  const result: GunicornInvocation = { binds: [], envs: [], problems: parsed.problems };
  for (const o of parsed.options) {
    if (!o.value) continue;
    switch (o.dest) {
      case "bind":
        result.binds.push(o.value);
        break;
      case "raw_env":
        result.envs.push(o.value);
        break;
      case "config":
        result.configFile = o.value;
        break;
      case "chdir":
        result.chdir = o.value;
        break;
      case "worker_class":
        result.workerClass = o.value;
        break;
      case "pythonpath":
        result.pythonpath = o.value;
        break;
    }
  }
  // gunicorn uses the first positional as the application; argparse refuses more after an option.
  if (parsed.positionals[0]) result.app = parsed.positionals[0];
  return result;
}

/** "host:port", bracketing IPv6 hosts; ranges and unresolved come from the port word, or the host word without a port. */
function synthesizeBind(host: LocatedString | undefined, port: LocatedString | undefined, defaultHost: string, defaultPort: string): LocatedString | undefined {
  const anchor = port ?? host;
  if (!anchor) return undefined;
  const h = host?.value ?? defaultHost;
  const hostPart = h.includes(":") && !h.startsWith("[") ? `[${h}]` : h;
  const bind: LocatedString = { value: `${hostPart}:${port?.value ?? defaultPort}`, range: anchor.range };
  const unresolved = [...new Set([...(host?.unresolved ?? []), ...(port?.unresolved ?? [])])];
  if (unresolved.length > 0) bind.unresolved = unresolved;
  return bind;
}

function prefixed(prefix: string, word: LocatedString): LocatedString {
  const out: LocatedString = { value: prefix + word.value, range: word.range };
  if (word.unresolved) out.unresolved = word.unresolved;
  return out;
}

const DAPHNE_OPTIONS = spec({
  "-p --port": "port", "-b --bind": "host", "--websocket_timeout": "websocket_timeout",
  "--websocket_connect_timeout": "websocket_connect_timeout", "-u --unix-socket": "unix_socket", "--fd": "file_descriptor",
  "-e --endpoint": "socket_strings", "-v --verbosity": "verbosity", "-t --http-timeout": "http_timeout",
  "--access-log": "access_log", "--log-fmt": "log_fmt", "--ping-interval": "ping_interval", "--ping-timeout": "ping_timeout",
  "--websocket-max-message-size": "websocket_max_message_size", "--websocket-max-frame-size": "websocket_max_frame_size",
  "--application-close-timeout": "application_close_timeout", "--root-path": "root_path",
  "--proxy-headers": "proxy_headers:flag", "--proxy-headers-host": "proxy_headers_host", "--proxy-headers-port": "proxy_headers_port",
  "-s --server-name": "server_name", "--no-server-name": "server_name:flag", "-h --help": "help:flag",
});

/** A twisted endpoint string (`tcp:8000:interface=0.0.0.0`, `unix:/run/d.sock`) as a bind, when it is one of the simple forms. */
function endpointBind(word: LocatedString): LocatedString {
  const v = word.value;
  const unix = /^unix:(?:address=)?([^:]+)/.exec(v);
  if (unix) return { ...word, value: `unix:${unix[1]}` };
  const tcp = /^(?:tcp6?|ssl):(?:port=)?(\d+)((?::[^:=]+=[^:]*)*)$/.exec(v);
  if (tcp) {
    const iface = /:interface=([^:]+)/.exec(tcp[2] ?? "")?.[1] ?? "0.0.0.0";
    const host = iface.includes(":") && !iface.startsWith("[") ? `[${iface.replace(/\\/g, "")}]` : iface;
    return { ...word, value: `${host}:${tcp[1]}` };
  }
  return word;
}

/** A `daphne …` command line: `-b host -p port`, `-u /unix.sock`, `--fd N`, `-e endpoint`, and the ASGI app. */
export function daphneFromArgv(argv: LocatedString[]): ServerBinds {
  const parsed = parseArgs(argv, DAPHNE_OPTIONS, "daphne", true);
  const last = (dest: string): LocatedString | undefined => parsed.options.filter((o) => o.dest === dest && o.value).pop()?.value;
  const binds: LocatedString[] = [];
  const host = last("host");
  const port = last("port");
  const hostPort = synthesizeBind(host, port, "127.0.0.1", "8000");
  if (hostPort) binds.push(hostPort);
  const unix = last("unix_socket");
  if (unix) binds.push(prefixed("unix:", unix));
  const fd = last("file_descriptor");
  if (fd) binds.push(prefixed("fd://", fd));
  for (const o of parsed.options) if (o.dest === "socket_strings" && o.value) binds.push(endpointBind(o.value));
  const result: ServerBinds = { binds, problems: parsed.problems };
  if (parsed.positionals[0]) result.app = parsed.positionals[0];
  return result;
}

const UVICORN_OPTIONS = spec({
  "--host": "host", "--port": "port", "--uds": "uds", "--fd": "fd", "--reload": "reload:flag", "--reload-dir": "reload_dirs",
  "--reload-include": "reload_includes", "--reload-exclude": "reload_excludes", "--reload-delay": "reload_delay",
  "--workers": "workers", "--loop": "loop", "--http": "http", "--ws": "ws", "--ws-max-size": "ws_max_size",
  "--ws-max-queue": "ws_max_queue", "--ws-ping-interval": "ws_ping_interval", "--ws-ping-timeout": "ws_ping_timeout",
  "--ws-per-message-deflate": "ws_per_message_deflate", "--lifespan": "lifespan", "--interface": "interface",
  "--env-file": "env_file", "--log-config": "log_config", "--log-level": "log_level",
  "--access-log --no-access-log": "access_log:flag", "--use-colors --no-use-colors": "use_colors:flag",
  "--proxy-headers --no-proxy-headers": "proxy_headers:flag", "--server-header --no-server-header": "server_header:flag",
  "--date-header --no-date-header": "date_header:flag", "--forwarded-allow-ips": "forwarded_allow_ips",
  "--root-path": "root_path", "--limit-concurrency": "limit_concurrency", "--backlog": "backlog",
  "--limit-max-requests": "limit_max_requests", "--timeout-keep-alive": "timeout_keep_alive",
  "--timeout-graceful-shutdown": "timeout_graceful_shutdown", "--ssl-keyfile": "ssl_keyfile", "--ssl-certfile": "ssl_certfile",
  "--ssl-keyfile-password": "ssl_keyfile_password", "--ssl-version": "ssl_version", "--ssl-cert-reqs": "ssl_cert_reqs",
  "--ssl-ca-certs": "ssl_ca_certs", "--ssl-ciphers": "ssl_ciphers", "--header -H": "headers", "--version": "version:flag",
  "--app-dir": "app_dir", "--h11-max-incomplete-event-size": "h11_max_incomplete_event_size", "--factory": "factory:flag",
  "--help": "help:flag",
});

/** A `uvicorn …` command line: `--host`, `--port`, `--uds`, `--fd`, and the app. Click takes no prefixes. */
export function uvicornFromArgv(argv: LocatedString[]): ServerBinds {
  const parsed = parseArgs(argv, UVICORN_OPTIONS, "uvicorn", false);
  const last = (dest: string): LocatedString | undefined => parsed.options.filter((o) => o.dest === dest && o.value).pop()?.value;
  const binds: LocatedString[] = [];
  const uds = last("uds");
  const fd = last("fd");
  // uvicorn binds only one socket: --uds wins over --fd, which wins over host/port.
  if (uds) binds.push(prefixed("unix:", uds));
  else if (fd) binds.push(prefixed("fd://", fd));
  else {
    const hostPort = synthesizeBind(last("host"), last("port"), "127.0.0.1", "8000");
    if (hostPort) binds.push(hostPort);
  }
  const result: ServerBinds = { binds, problems: parsed.problems };
  if (parsed.positionals[0]) result.app = parsed.positionals[0];
  return result;
}

const RUNSERVER_OPTIONS = spec({
  "-6 --ipv6": "use_ipv6:flag", "--nothreading": "use_threading:flag", "--noreload": "use_reloader:flag",
  "--nostatic": "use_static_handler:flag", "--insecure": "insecure_serving:flag", "--skip-checks": "skip_checks:flag",
  "--settings": "settings", "--pythonpath": "pythonpath", "-v --verbosity": "verbosity", "--traceback": "traceback:flag",
  "--no-color": "no_color:flag", "--force-color": "force_color:flag", "-h --help": "help:flag",
});

/**
 * `manage.py runserver [addrport]` (argv after the `runserver` word): `8000`, `0:8000`,
 * `0.0.0.0:8000`, `[::]:8000`, `localhost:8000`; without one, Django's 127.0.0.1:8000
 * (`[::1]:8000` with -6), which has no range and is left to the caller.
 */
export function runserverFromArgv(argv: LocatedString[]): ServerBinds {
  const parsed = parseArgs(argv, RUNSERVER_OPTIONS, "runserver", true);
  const addrport = parsed.positionals[0];
  const ipv6 = parsed.options.some((o) => o.dest === "use_ipv6");
  if (!addrport) return { binds: [], problems: parsed.problems };
  const v = addrport.value;
  let value = v;
  if (/^\d+$/.test(v)) value = `${ipv6 ? "[::1]" : "127.0.0.1"}:${v}`;
  else if (/^0:\d+$/.test(v)) value = `${ipv6 ? "[::]" : "0.0.0.0"}:${v.slice(2)}`;
  const bind: LocatedString = { value, range: addrport.range };
  if (addrport.unresolved) bind.unresolved = addrport.unresolved;
  return { binds: [bind], problems: parsed.problems };
}
