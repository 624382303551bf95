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
