import type { SettingValue } from "../python/evaluate.js";
import type { DjangoApp } from "./deployment-model.js";

/**
 * Boolean settings Django (or its mail backend) tests for truth. DEBUG is left out on purpose:
 * django/debug-enabled reports every truthy DEBUG, strings included.
 */
export const BOOLEAN_SETTINGS: readonly string[] = [
  "SECURE_SSL_REDIRECT",
  "SESSION_COOKIE_SECURE",
  "CSRF_COOKIE_SECURE",
  "SESSION_COOKIE_HTTPONLY",
  "CSRF_COOKIE_HTTPONLY",
  "SECURE_HSTS_INCLUDE_SUBDOMAINS",
  "SECURE_HSTS_PRELOAD",
  "SECURE_CONTENT_TYPE_NOSNIFF",
  "SECURE_BROWSER_XSS_FILTER",
  "USE_X_FORWARDED_HOST",
  "USE_X_FORWARDED_PORT",
  "CSRF_USE_SESSIONS",
  "SESSION_EXPIRE_AT_BROWSER_CLOSE",
  "APPEND_SLASH",
  "USE_TZ",
  "USE_I18N",
  "USE_L10N",
  "EMAIL_USE_TLS",
  "EMAIL_USE_SSL",
  "DEBUG_PROPAGATE_EXCEPTIONS",
];

/** Text that a person writes to mean "off". */
const READS_AS_FALSE = /^\s*(false|f|no|n|off|0|none|null|disabled?)\s*$/i;

export interface StringBoolean {
  setting: SettingValue;
  /** The raw text the setting holds in production (non-empty, so Python takes it as True). */
  text: string;
  /** "string": the setting is the text itself; "bool()": `bool(text)`, True for any non-empty text. */
  via: "string" | "bool()";
}

/**
 * Boolean settings that hold an environment string as it was read — no `== "True"`, no cast,
 * or only `bool(text)` —
 * whose text reads as "off" (`"False"`, `"0"`, `"no"`): Django tests truthiness, so the
 * setting is on. Unknown values, and strings that read as "on" or are empty (the effect matches
 * the text), are left out.
 */
export function stringBooleans(app: DjangoApp): StringBoolean[] {
  const out: StringBoolean[] = [];
  for (const name of BOOLEAN_SETTINGS) {
    const setting = app.settings?.values.get(name);
    if (setting === undefined || setting.envReads.length === 0) continue;
    let text: string | undefined;
    let via: StringBoolean["via"] = "string";
    if (setting.value.kind === "str") text = setting.value.value;
    else if (setting.value.kind === "bool" && setting.value.value) {
      text = setting.envReads.find((r) => r.boolOf !== undefined && READS_AS_FALSE.test(r.boolOf))?.boolOf;
      via = "bool()";
    }
    if (text === undefined || text === "" || !READS_AS_FALSE.test(text)) continue;
    out.push({ setting, text, via });
  }
  return out;
}
