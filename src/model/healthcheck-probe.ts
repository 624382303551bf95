/**
 * What a compose healthcheck asks of the service: the HTTP request a `curl` / `wget` test
 * makes (URL, Host header, other headers) and how the tool turns the answer into an exit
 * status (curl fails on >= 400 only with -f; it follows a redirect only with -L; wget
 * follows redirects and fails on >= 400). Tests the model cannot read exactly (other
 * commands, `|| true`, variables, proxies, --resolve) give no probe.
 */
import type { LocatedString, SourceRange } from "../core/location.js";
import { splitWordAsScript } from "../parsers/shell-words.js";
import type { Service } from "./deployment-model.js";

export interface HealthProbe {
  tool: "curl" | "wget";
  /** The URL word as written. */
  url: LocatedString;
  scheme: "http" | "https";
  /** Lowercased host of the URL (IPv6 without brackets). */
  host: string;
  port: string;
  /** Path with query, starting with "/". */
  path: string;
  /** An explicit `Host:` header (value as sent), with its word. */
  hostHeader: { value: string; word: LocatedString } | undefined;
  /** Other headers sent, name lowercased → value. */
  headers: Map<string, string>;
  /** The tool's exit status is non-zero on an HTTP status >= 400. */
  failsOn4xx: boolean;
  /** The tool follows a 301 to its Location. */
  followsRedirects: boolean;
  /** The healthcheck's `test:` range. */
  range: SourceRange;
}

/** curl short options that take an argument (the rest of the cluster, or the next word). */
const CURL_SHORT_ARG = new Set("HoXuwmAedrbcKTEFUyYzCPQtDq".split("").filter((c) => c !== "q"));
const CURL_LONG_ARG = new Set([
  "--header", "--output", "--request", "--user", "--write-out", "--max-time", "--connect-timeout", "--user-agent", "--referer",
  "--data", "--data-raw", "--data-binary", "--data-urlencode", "--range", "--cookie", "--cookie-jar", "--config", "--upload-file",
  "--cert", "--form", "--proxy-user", "--speed-limit", "--speed-time", "--continue-at", "--quote", "--telnet-option", "--dump-header",
  "--retry", "--retry-delay", "--retry-max-time", "--max-filesize", "--cacert", "--capath", "--key", "--interface", "--max-redirs",
  "--unix-socket", "--abstract-unix-socket", "--stderr", "--trace", "--trace-ascii",
]);
/** Options that send the request somewhere else than the URL says: the probe is unknown. */
const CURL_REROUTE = new Set(["-x", "--proxy", "--resolve", "--connect-to", "--unix-socket", "--abstract-unix-socket", "--config", "-K", "--socks5", "--socks5-hostname", "--preproxy"]);
const WGET_SHORT_ARG = new Set("OoaTtUewQPiBDI".split(""));
const WGET_LONG_ARG = new Set(["--output-document", "--output-file", "--append-output", "--timeout", "--tries", "--user-agent", "--execute", "--wait", "--header", "--user", "--password", "--post-data", "--method", "--body-data"]);

function parseUrl(word: LocatedString): Pick<HealthProbe, "scheme" | "host" | "port" | "path"> | undefined {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?$/i.exec(word.value);
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase() as "http" | "https";
  const rawPath = m[4] ?? "/";
  return {
    scheme,
    host: (m[2] as string).replace(/^\[|\]$/g, "").toLowerCase(),
    port: m[3] ?? (scheme === "https" ? "443" : "80"),
    path: rawPath.startsWith("/") ? rawPath : `/${rawPath}`,
  };
}

interface ToolArgs {
  url: LocatedString | undefined;
  headers: LocatedString[];
  flags: Set<string>;
  values: Map<string, string>;
  reroute: boolean;
}

function scan(words: LocatedString[], shortArg: Set<string>, longArg: Set<string>, headerOption: (name: string) => boolean, reroute: Set<string>): ToolArgs | undefined {
  const out: ToolArgs = { url: undefined, headers: [], flags: new Set(), values: new Map(), reroute: false };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as LocatedString;
    const v = word.value;
    if (v.includes("$") || v.includes("`")) return undefined;
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      const name = eq >= 0 ? v.slice(0, eq) : v;
      if (reroute.has(name)) out.reroute = true;
      if (longArg.has(name)) {
        const arg = eq >= 0 ? { value: v.slice(eq + 1), range: word.range } : words[++i];
        if (!arg) return undefined;
        if (headerOption(name)) out.headers.push(arg);
        out.values.set(name, arg.value);
      } else {
        out.flags.add(name);
        if (eq >= 0) out.values.set(name, v.slice(eq + 1));
      }
      continue;
    }
    if (v.startsWith("-") && v.length > 1) {
      for (let c = 1; c < v.length; c++) {
        const ch = v[c] as string;
        if (reroute.has(`-${ch}`)) out.reroute = true;
        if (shortArg.has(ch)) {
          const rest = v.slice(c + 1);
          const arg = rest !== "" ? { value: rest, range: word.range } : words[++i];
          if (!arg) return undefined;
          if (headerOption(`-${ch}`)) out.headers.push(arg);
          out.values.set(`-${ch}`, arg.value);
          break;
        }
        out.flags.add(`-${ch}`);
      }
      continue;
    }
    // A second URL: the exit status is the last transfer's; keep it simple.
    if (out.url !== undefined) return undefined;
    out.url = word;
  }
  return out;
}

/** The words of the one command a healthcheck test runs, or undefined when it runs something else too. */
function testCommand(service: Service): { words: LocatedString[]; range: SourceRange } | undefined {
  const test = service.compose.healthcheck?.test;
  if (!test || test.argv.length < 2) return undefined;
  const kind = test.argv[0]?.value;
  if (kind === "CMD") return { words: test.argv.slice(1), range: test.range };
  if (kind !== "CMD-SHELL") return undefined;
  const script = test.argv[1] as LocatedString;
  if (test.argv.length > 2 || script.unresolved !== undefined) return undefined;
  // Exactly one command, optionally `|| exit 1` (the status is the command's either way).
  const text = script.value.trim();
  const body = text.replace(/\s*\|\|\s*exit(\s+1)?\s*$/, "");
  if (/[|&;<>`$()\n]/.test(body.replace(/'[^']*'|"[^"$`]*"/g, ""))) return undefined;
  const { commands, problems } = splitWordAsScript(script);
  if (problems.length > 0 || commands.length === 0) return undefined;
  const first = commands[0] as { words: LocatedString[] };
  if (commands.slice(1).some((c) => c.words[0]?.value !== "exit")) return undefined;
  return { words: first.words, range: test.range };
}

/** The HTTP request a service's healthcheck makes, when it is one curl / wget call the model can read. */
export function healthProbe(service: Service): HealthProbe | undefined {
  const command = testCommand(service);
  if (!command) return undefined;
  const [tool, ...args] = command.words;
  const name = tool?.value.split("/").pop();
  if (name !== "curl" && name !== "wget") return undefined;
  const scanned =
    name === "curl"
      ? scan(args, CURL_SHORT_ARG, CURL_LONG_ARG, (o) => o === "-H" || o === "--header", CURL_REROUTE)
      : scan(args, WGET_SHORT_ARG, WGET_LONG_ARG, (o) => o === "--header", new Set(["-e", "--execute", "--input-file", "-i", "--base", "-B"]));
  if (!scanned || scanned.reroute || !scanned.url) return undefined;
  const url = parseUrl(scanned.url);
  if (!url) return undefined;
  const headers = new Map<string, string>();
  let hostHeader: HealthProbe["hostHeader"];
  for (const word of scanned.headers) {
    const m = /^([^:]+):\s*(.*)$/.exec(word.value);
    if (!m) continue;
    const key = (m[1] as string).trim().toLowerCase();
    if (key === "host") hostHeader = { value: (m[2] as string).trim(), word };
    else headers.set(key, (m[2] as string).trim());
  }
  let failsOn4xx: boolean;
  let followsRedirects: boolean;
  if (name === "curl") {
    failsOn4xx = scanned.flags.has("-f") || scanned.flags.has("--fail") || scanned.flags.has("--fail-with-body");
    followsRedirects = scanned.flags.has("-L") || scanned.flags.has("--location") || scanned.flags.has("--location-trusted");
    if (scanned.values.get("--max-redirs") === "0") followsRedirects = false;
  } else {
    failsOn4xx = true;
    const maxRedirect = scanned.values.get("--max-redirect");
    followsRedirects = maxRedirect === undefined || maxRedirect !== "0";
  }
  return { tool: name, url: scanned.url, ...url, hostHeader, headers, failsOn4xx, followsRedirects, range: command.range };
}

/** Django's `split_domain_port` domain part of a Host header (lowercased, port dropped); "" when Django finds it invalid. */
export function hostDomain(host: string): string {
  const h = host.toLowerCase();
  if (!/^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/.test(h)) return "";
  if (h.endsWith("]")) return h;
  const colon = h.lastIndexOf(":");
  const domain = colon >= 0 ? h.slice(0, colon) : h;
  return domain.endsWith(".") ? domain.slice(0, -1) : domain;
}

/**
 * Django's `validate_host(domain, ALLOWED_HOSTS)`: `*`, a leading-dot subdomain pattern, or the
 * exact name. With DEBUG on and ALLOWED_HOSTS empty Django allows `.localhost`, `127.0.0.1`
 * and `[::1]`. Undefined when an entry is not a known string.
 */
export function hostAllowed(domain: string, allowedHosts: readonly (string | undefined)[], debug: boolean): boolean | undefined {
  const patterns = allowedHosts.length === 0 && debug ? [".localhost", "127.0.0.1", "[::1]"] : allowedHosts;
  let uncertain = false;
  for (const raw of patterns) {
    if (raw === undefined) {
      uncertain = true;
      continue;
    }
    const pattern = raw.toLowerCase();
    if (pattern === "*") return true;
    if (pattern.startsWith(".") ? domain.endsWith(pattern) || domain === pattern.slice(1) : domain === pattern) return true;
  }
  return uncertain ? undefined : false;
}
