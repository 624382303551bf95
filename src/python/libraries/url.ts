/**
 * The parts of Python's urllib.parse that django-environ's db_url / cache_url use:
 * urlparse (as of CPython 3.11), the username / password / hostname / port properties,
 * parse_qs, quote, unquote and unquote_plus. Node's URL class follows WHATWG, which
 * differs from Python on exactly the inputs that matter here (`postgres://` has no special
 * scheme rules, ports are validated differently, hostnames are not IDNA-encoded), so the
 * Python algorithms are reproduced. Inputs where Python's behaviour depends on the patch
 * release (leading control characters, brackets, non-ASCII netlocs) return an error string
 * that the caller turns into an unknown value.
 */

export interface ParsedUrl {
  scheme: string;
  netloc: string;
  path: string;
  params: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/** urllib.parse.urlparse(url); a string when the URL is one we do not model. */
export function urlparse(url: string): ParsedUrl | string {
  if (/^[\x00-\x20]/.test(url) || /[\t\r\n]/.test(url)) return "URLs with control characters or leading spaces are not evaluated";
  let scheme = "";
  let rest = url;
  let netloc = "";
  let query = "";
  let fragment = "";
  const colon = rest.indexOf(":");
  if (colon > 0 && /^[A-Za-z]/.test(rest) && SCHEME_CHARS.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  if (rest.startsWith("//")) {
    let end = rest.length;
    for (const c of "/?#") {
      const at = rest.indexOf(c, 2);
      if (at >= 0) end = Math.min(end, at);
    }
    netloc = rest.slice(2, end);
    rest = rest.slice(end);
    if (netloc.includes("[") || netloc.includes("]")) return "bracketed (IPv6) hosts in URLs are not evaluated";
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(netloc)) return "non-ASCII hosts in URLs are not evaluated";
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  // `;params` is split off the path for the schemes in uses_params (django-environ registers its own there).
  let params = "";
  if (USES_PARAMS.has(scheme) && rest.includes(";")) {
    const at = rest.includes("/") ? rest.indexOf(";", rest.lastIndexOf("/")) : rest.indexOf(";");
    if (at >= 0) {
      params = rest.slice(at + 1);
      rest = rest.slice(0, at);
    }
  }
  return { scheme, netloc, path: rest, params, query, fragment };
}

/** urlunparse: the inverse, as Python writes it back. */
export function urlunparse(u: ParsedUrl): string {
  let url = u.params ? `${u.path};${u.params}` : u.path;
  if (u.netloc || (u.scheme && USES_NETLOC.has(u.scheme) && !url.startsWith("//"))) {
    if (url && !url.startsWith("/")) url = "/" + url;
    url = "//" + u.netloc + url;
  }
  if (u.scheme) url = u.scheme + ":" + url;
  if (u.query) url = url + "?" + u.query;
  if (u.fragment) url = url + "#" + u.fragment;
  return url;
}

/** The schemes django-environ registers in every `urllib.parse.uses_*` list when it is imported. */
export const ENVIRON_SCHEMES = [
  ..."postgres postgresql psql pgsql postgis mysql mysql2 mysql-connector mysqlgis mssql oracle pyodbc redshift spatialite sqlite ldap".split(" "),
  ..."dbcache dummycache filecache locmemcache memcache pymemcache pylibmc rediscache redis rediss".split(" "),
  ..."elasticsearch elasticsearch2 solr whoosh xapian simple".split(" "),
  ..."smtp smtps smtp+tls smtp+ssl consolemail filemail memorymail dummymail".split(" "),
];

// Python's default uses_netloc / uses_params, plus django-environ's schemes.
const USES_NETLOC = new Set([
  "",
  ..."ftp http gopher nntp telnet imap wais file mms https shttp snews prospero rtsp rtspu rsync svn svn+ssh sftp nfs git git+ssh ws wss".split(" "),
  ...ENVIRON_SCHEMES,
]);
const USES_PARAMS = new Set(["", ..."ftp hdl prospero http imap https shttp rtsp rtspu sip sips mms sftp tel".split(" "), ...ENVIRON_SCHEMES]);

function userinfo(u: ParsedUrl): { username: string | null; password: string | null } {
  const at = u.netloc.lastIndexOf("@");
  if (at < 0) return { username: null, password: null };
  const info = u.netloc.slice(0, at);
  const colon = info.indexOf(":");
  return colon < 0 ? { username: info, password: null } : { username: info.slice(0, colon), password: info.slice(colon + 1) };
}

function hostinfo(u: ParsedUrl): { hostname: string; port: string | null } {
  const at = u.netloc.lastIndexOf("@");
  const info = u.netloc.slice(at + 1);
  const colon = info.indexOf(":");
  const hostname = colon < 0 ? info : info.slice(0, colon);
  const port = colon < 0 ? "" : info.slice(colon + 1);
  return { hostname, port: port === "" ? null : port };
}

export function urlUsername(u: ParsedUrl): string | null {
  return userinfo(u).username;
}

export function urlPassword(u: ParsedUrl): string | null {
  return userinfo(u).password;
}

/** .hostname: lower-cased (the zone after `%` keeps its case), None when empty. */
export function urlHostname(u: ParsedUrl): string | null {
  const { hostname } = hostinfo(u);
  if (!hostname) return null;
  const pct = hostname.indexOf("%");
  return pct < 0 ? hostname.toLowerCase() : hostname.slice(0, pct).toLowerCase() + hostname.slice(pct);
}

/** .port: an int, None when absent; Python raises ValueError for anything but 0-65535 in ASCII digits. */
export function urlPort(u: ParsedUrl): number | null | { error: string } {
  const { port } = hostinfo(u);
  if (port === null) return null;
  if (!/^[0-9]+$/.test(port)) return { error: `ValueError: Port could not be cast to integer value as '${port}'` };
  const n = Number(port);
  if (n > 65535) return { error: "ValueError: Port out of range 0-65535" };
  return n;
}

/** unquote: %XX sequences decoded as UTF-8, invalid bytes replaced by U+FFFD (errors='replace'). */
export function unquote(s: string): string {
  if (!s.includes("%")) return s;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += new TextDecoder("utf-8").decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    flush();
    out += s[i];
  }
  flush();
  return out;
}

export function unquotePlus(s: string): string {
  return unquote(s.replace(/\+/g, " "));
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** quote(s, safe): every UTF-8 byte outside the safe set percent-encoded in upper-case hex. */
export function quote(s: string, safe = "/"): string {
  let out = "";
  for (const ch of s) {
    if (ALWAYS_SAFE.test(ch) || safe.includes(ch)) {
      out += ch;
      continue;
    }
    for (const b of new TextEncoder().encode(ch)) out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** parse_qs(qs): name → values in order, blank values dropped (keep_blank_values=False), `&` separators only. */
export function parseQs(qs: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const field of qs.split("&")) {
    if (field === "") continue;
    const eq = field.indexOf("=");
    if (eq < 0) continue; // strict_parsing=False: a field without '=' is skipped unless blanks are kept
    const value = field.slice(eq + 1);
    if (value === "") continue;
    const name = unquotePlus(field.slice(0, eq));
    const list = out.get(name) ?? [];
    list.push(unquotePlus(value));
    out.set(name, list);
  }
  return out;
}
