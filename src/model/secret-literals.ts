import { hasUrlCredentials, isSecretVariable } from "../core/secrets.js";

/**
 * Whether a literal written in a committed file is a real secret or a stand-in for one.
 * Rules that report leaked secrets (docker/secret-in-env, django/secret-key-in-source) ask here,
 * so that `ENV SECRET_KEY=dummy-for-collectstatic` and `SECRET_KEY=change-me` stay silent.
 */

const STAND_IN =
  /^(dummy|placeholder|change|changeme|changeit|replace|example|sample|secret|password|passwd|pass|test|testing|fake|foo|bar|none|null|nil|empty|unset|todo|tbd|fixme|xxx+|your|my|insecure|notsecret|not-secret|not_a_secret|build|build-only|collectstatic|default|dev|development|local)([-_.\s]|$)/i;

/** `${VAR}`, `<your-key>`, `{{ key }}`, `YOUR_SECRET_KEY`, `change-me`, `dummy`, `xxxx`, `****`: text a deploy step replaces. */
export function isStandInSecret(value: string): boolean {
  const text = value.trim();
  if (text === "") return true;
  // Whole-value templates only: generated keys contain `$`, `%`, `(` and `#` (Django's get_random_secret_key does).
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}?$/.test(text) || /^<[^<>]*>$/.test(text) || /^\{\{.*\}\}$/.test(text) || /^\[[^\]]*\]$/.test(text)) return true;
  if (/^[A-Z0-9]+(_[A-Z0-9]+)+$/.test(text)) return true;
  if (/^(.)\1*$/.test(text)) return true;
  // `smtp_password`, `db-pass`, `jwt_secret`: a name for the value, not the value.
  if (/^[a-z]+[-_](password|passwd|pass|pwd|secret|key|token)$/i.test(text)) return true;
  return STAND_IN.test(text);
}

/**
 * A named value that holds a real secret: a secret-named variable (SECRET_KEY, DB_PASSWORD; not
 * SECRET_KEY_FILE) with a literal that is no stand-in, or any value with a password in a URL.
 */
export function isLiteralSecret(name: string, value: string): boolean {
  if (hasUrlCredentials(value)) return !isStandInSecret(urlPassword(value) ?? "");
  return isSecretVariable(name) && !isStandInSecret(value);
}

function urlPassword(value: string): string | undefined {
  return /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^/\s?#]+)@/i.exec(value)?.[1];
}
