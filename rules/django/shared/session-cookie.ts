import { defineRule, type RuleDefinition } from "../../../src/engine/rule.js";
import {
  djangoApps,
  djangoAtLeast,
  sessionCookieVerdict,
  truthyButNotTrue,
  type SessionCookieSetting,
  type SessionCookieVerdict,
} from "../../../src/model/django-settings.js";
import { settingFinding } from "../../../src/model/provenance.js";

/**
 * Django's check_session_cookie_secure and check_session_cookie_httponly each return one of
 * three warnings (sessions app only / middleware only / both); each warning is its own rule
 * here, built from this one description so the six stay consistent.
 */
interface SessionCookieRule {
  id: string;
  django: string;
  setting: SessionCookieSetting;
  warns: SessionCookieVerdict["warns"];
  summary: string;
  risk: string;
  message: string;
  example: { bad: string; good: string };
}

const WHERE: Record<SessionCookieVerdict["warns"], string> = {
  app: "'django.contrib.sessions' is in INSTALLED_APPS but SessionMiddleware is not in MIDDLEWARE",
  middleware: "SessionMiddleware is in MIDDLEWARE but 'django.contrib.sessions' is not in INSTALLED_APPS",
  both: "both 'django.contrib.sessions' (INSTALLED_APPS) and SessionMiddleware (MIDDLEWARE) are present",
  none: "",
};

const ALTERNATIVES: Record<SessionCookieSetting, string> = {
  SESSION_COOKIE_SECURE: "security.W010 (sessions app only), security.W011 (SessionMiddleware only) and security.W012 (both)",
  SESSION_COOKIE_HTTPONLY: "security.W013 (sessions app only), security.W014 (SessionMiddleware only) and security.W015 (both)",
};

export function sessionCookieRule(spec: SessionCookieRule): RuleDefinition {
  const docsAnchor = spec.setting === "SESSION_COOKIE_SECURE" ? "std-setting-SESSION_COOKIE_SECURE" : "std-setting-SESSION_COOKIE_HTTPONLY";
  return defineRule({
    id: spec.id,
    django: spec.django,
    severity: "warning",
    summary: spec.summary,
    why:
      `${spec.risk} Django's \`check --deploy\` reports ${spec.django} when ${WHERE[spec.warns]} and ${spec.setting} ` +
      `does not pass; it reports one of ${ALTERNATIVES[spec.setting]}, never two. Up to Django 4.0 the check tests ` +
      `truthiness (\`${spec.setting} = 1\` passes); from 4.1 it requires \`True\` itself (\`is True\`), so a value read ` +
      "from the environment as a string fails. The apps and middleware are matched as exact strings.",
    fix:
      `Set \`${spec.setting} = True\` (a real boolean: convert environment strings, e.g. \`== "True"\`). See ` +
      `https://docs.djangoproject.com/en/stable/ref/settings/#${docsAnchor}.`,
    examples: [{ file: "app/settings.py", bad: spec.example.bad, good: spec.example.good }],
    check(model, report) {
      for (const { service, app } of djangoApps(model)) {
        const verdict = sessionCookieVerdict(app, spec.setting);
        if (verdict?.warns !== spec.warns) continue;
        const finding = settingFinding(service, app, spec.setting, verdict.effective, spec.message);
        const strict =
          djangoAtLeast(app, 4, 1) && truthyButNotTrue(verdict.effective.value)
            ? ` Django 4.1 and later accept only True itself here; a truthy ${verdict.effective.value.kind} passed up to 4.0.`
            : "";
        report({ ...finding, message: `${finding.message}${strict}` });
      }
    },
  });
}
