/**
 * What counts as a secret, and how it is shown: no output ever prints a secret value
 * (DESIGN.md); it prints a masked form such as `dj…(50 chars)` instead.
 */
const SECRET_NAME = /(^|_)(SECRETS?|PASSWORDS?|PASSWD|PASS|PWD|TOKENS?|KEYS?|PRIVATE|CREDENTIALS?|SALT|DSN)($|_)|SECRET|PASSWORD|TOKEN|APIKEY/i;

/** Names that mention a secret but hold something else: where it lives, how long it lasts, how it is checked. */
const NOT_A_SECRET = /_(PATH|FILE|DIR|LENGTH|TIMEOUT|AGE|EXPIRY|EXPIRATION|NAME|HOST|PORT|USER|USERNAME|ALGORITHM|BACKEND|CLASS|PREFIX|VALIDATORS|HASHERS|HEADER|FIELD|ENABLED)$/i;

/** Broad on purpose: masking a value that was not secret costs nothing. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** nginx `*_pass` targets passed through the environment (DD_UWSGI_PASS=uwsgi_server): an address, not a password. */
const NGINX_PASS_TARGET = /(UWSGI|PROXY|FASTCGI|SCGI|GRPC)_PASS$/i;

/** Narrow on purpose, for rules that report a leak: SECRET_KEY yes, SSH_PRIVATE_KEY_PATH no. */
export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET.test(name) && !NGINX_PASS_TARGET.test(name);
}

/** A URL with a password in it (`postgres://u:pw@db/x`) is a secret whatever its name. */
export function hasUrlCredentials(value: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:[^/\s?#]+@/i.test(value);
}

/** `dj…(50 chars)`: short values show no characters at all. */
export function maskSecret(value: string): string {
  if (value.length === 0) return "";
  const shown = value.length >= 16 ? value.slice(0, 2) : "";
  return `${shown}…(${value.length} chars)`;
}

/**
 * `postgres://user:pass@db/x` → `postgres://user:…(4 chars)@db/x`. The password runs to the
 * last `@` of the authority, as Python's urlsplit reads it (`p@ss` is one password).
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^/\s?#]*)@/gi, (_m, head: string, password: string) => `${head}${maskSecret(password)}@`);
}

/** The value as it may be printed under this name. */
export function printableValue(name: string, value: string): string {
  return isSecretName(name) ? maskSecret(value) : maskUrlCredentials(value);
}

/** Options whose argument is a secret: `--password`, `--requirepass` (redis), `--masterauth`, `--api-key`, `--token`. */
const SECRET_OPTION = /^--?([a-z0-9][a-z0-9_-]*)$/i;

function isSecretOption(name: string): boolean {
  const normalized = name.replace(/-/g, "_");
  return isSecretName(normalized) || /(pass|auth)$/i.test(normalized);
}

/**
 * A command line as it may be printed: the argument of a secret option (`--requirepass X`,
 * `--password=X`), `NAME=value` words under secret names, and URL passwords are masked.
 */
export function maskCommandWords(words: readonly string[]): string[] {
  return words.map((word, i) => {
    const previous = i > 0 ? SECRET_OPTION.exec(words[i - 1] as string) : null;
    if (previous && isSecretOption(previous[1] as string) && !word.startsWith("-")) return maskSecret(word);
    const assignment = /^(--?)?([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/s.exec(word);
    if (assignment) {
      const [, dashes, name, value] = assignment as unknown as [string, string | undefined, string, string];
      const secret = dashes !== undefined ? isSecretOption(name) : isSecretName(name);
      if (secret) return `${dashes ?? ""}${name}=${maskSecret(value)}`;
    }
    return maskUrlCredentials(word);
  });
}

/** `NAME=value` / `NAME: value` in free text; the value is quoted or runs to a space, comma or semicolon. */
const ASSIGNMENT_IN_TEXT = /\b([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;"']+)/g;

/**
 * Free text that may quote a user's value (a parse problem, a config error): URL passwords
 * and values assigned to secret names (`DB_PASSWORD=…`, `token: …`) are masked.
 */
export function maskSecretsInText(text: string): string {
  return maskUrlCredentials(text).replace(ASSIGNMENT_IN_TEXT, (match, name: string, separator: string, value: string) => {
    if (!isSecretName(name)) return match;
    const quote = /^["']/.test(value) ? value.charAt(0) : "";
    const inner = quote === "" ? value : value.slice(1, -1);
    return `${name}${separator}${quote}${maskSecret(inner)}${quote}`;
  });
}
