import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { DjangoApp, Service } from "../../src/model/deployment-model.js";
import { djangoApps, effectiveSetting, settingRange, truthy } from "../../src/model/django-settings.js";
import { healthProbe, hostAllowed, hostDomain, type HealthProbe } from "../../src/model/healthcheck-probe.js";
import { settingProvenance } from "../../src/model/provenance.js";
import type { PyValue } from "../../src/python/values.js";
import { pyRepr } from "../../src/python/values.js";

const SECURITY = "django.middleware.security.SecurityMiddleware";
const COMMON = "django.middleware.common.CommonMiddleware";

function isLoopback(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1" || host === "0.0.0.0";
}

/** True when `name` is in MIDDLEWARE with only Django's own middleware before it (a project middleware could answer the probe first). */
function reachedFirst(app: DjangoApp, name: string): boolean | undefined {
  const mw = effectiveSetting(app, "MIDDLEWARE").value;
  if (mw.kind !== "list" && mw.kind !== "tuple") return undefined;
  for (const item of mw.items) {
    if (item.kind !== "str") return undefined;
    if (item.value === name) return true;
    if (!item.value.startsWith("django.")) return undefined;
  }
  return false;
}

function strings(value: PyValue): (string | undefined)[] | undefined {
  if (value.kind !== "list" && value.kind !== "tuple") return undefined;
  return value.items.map((i) => (i.kind === "str" ? i.value : undefined));
}

/** `request.is_secure()` for the probe: SECURE_PROXY_SSL_HEADER matched by a header it sends. Undefined when unknown. */
function probeIsSecure(app: DjangoApp, probe: HealthProbe): boolean | undefined {
  const header = effectiveSetting(app, "SECURE_PROXY_SSL_HEADER").value;
  if (header.kind === "none") return false;
  if ((header.kind !== "tuple" && header.kind !== "list") || header.items.length !== 2) return undefined;
  const [name, expected] = header.items;
  if (name?.kind !== "str" || expected?.kind !== "str") return undefined;
  const sent = probe.headers.get(name.value.replace(/^HTTP_/, "").replace(/_/g, "-").toLowerCase());
  return sent === expected.value;
}

/** SecurityMiddleware's `any(pattern.search(path.lstrip("/")) for pattern in SECURE_REDIRECT_EXEMPT)`; undefined when a pattern is unknown or not portable. */
function redirectExempt(app: DjangoApp, path: string): boolean | undefined {
  const patterns = strings(effectiveSetting(app, "SECURE_REDIRECT_EXEMPT").value);
  if (patterns === undefined) return undefined;
  const target = path.replace(/[?#].*$/, "").replace(/^\/+/, "");
  for (const p of patterns) {
    if (p === undefined || /\(\?[aiLmsux]|\\[AZ]|\(\?P[=>]/.test(p)) return undefined;
    let re: RegExp;
    try {
      re = new RegExp(p.replace(/\(\?P</g, "(?<"));
    } catch {
      return undefined;
    }
    if (re.test(target)) return true;
  }
  return false;
}

function listensOn(service: Service, port: string): boolean {
  return (service.appServer?.listeners ?? []).some((l) => l.protocol === "http" && l.endpoint.kind === "tcp" && l.endpoint.port === port && (l.endpoint.host === "" || l.endpoint.host === "0.0.0.0" || l.endpoint.host === "::" || isLoopback(l.endpoint.host)));
}

function settingNote(service: Service, app: DjangoApp, name: string): RelatedLocation[] {
  const effective = effectiveSetting(app, name);
  const provenance = settingProvenance(service, app, name, effective);
  return [{ range: settingRange(app, effective), message: `${name} is ${pyRepr(effective.value)} here` }, ...provenance.related];
}

export default defineRule({
  id: "deploy/healthcheck-rejected",
  django: null,
  severity: "warning",
  summary: "The compose healthcheck's request is rejected by ALLOWED_HOSTS or redirected to HTTPS by SECURE_SSL_REDIRECT",
  why:
    "A healthcheck runs inside the container and asks the app server directly, over plain HTTP, usually as " +
    "`localhost`. Django answers 400 Bad Request when that Host is not in ALLOWED_HOSTS (CommonMiddleware or the SSL " +
    "redirect call `request.get_host()`), and 301 to https:// when SECURE_SSL_REDIRECT is on and the request is not " +
    "secure. `curl -f` and `wget` fail on the 400; `curl -L` and `wget` follow the 301 to an HTTPS port that speaks " +
    "plain HTTP and fail too (plain `curl -f` without -L counts a 301 as success, and plain `curl` without -f counts " +
    "anything as success, so those are not reported). The container is then unhealthy forever: orchestrators restart " +
    "it and services that wait for `condition: service_healthy` never start. SECURE_REDIRECT_EXEMPT and a " +
    "SECURE_PROXY_SSL_HEADER the probe sends are respected; a project middleware ahead of Django's may answer the " +
    "probe itself, so the rule is silent then.",
  fix:
    "Send a Host that ALLOWED_HOSTS accepts (`curl -f -H 'Host: books.example.org' http://localhost:8000/health/`) " +
    "or allow the probe's host; exempt the health path from the redirect (`SECURE_REDIRECT_EXEMPT = [r\"^health/$\"]`) " +
    "or send the proxy's header (`-H 'X-Forwarded-Proto: https'` with SECURE_PROXY_SSL_HEADER).",
  examples: [
    {
      file: "docker-compose.yml",
      bad: '    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:8000/health/"]\n# settings: ALLOWED_HOSTS = ["books.example.org"]\n',
      good: '    healthcheck:\n      test: ["CMD", "curl", "-f", "-H", "Host: books.example.org", "http://localhost:8000/health/"]\n',
    },
  ],
  check(model, report) {
    for (const { service, app } of djangoApps(model)) {
      const probe = healthProbe(service);
      if (!probe || probe.scheme !== "http" || !isLoopback(probe.host) || !listensOn(service, probe.port)) continue;
      const url = probe.url.value;
      const hostSent = probe.hostHeader?.value ?? (probe.host.includes(":") ? `[${probe.host}]:${probe.port}` : `${probe.host}:${probe.port}`);
      const domain = hostDomain(hostSent);
      const debug = truthy(effectiveSetting(app, "DEBUG").value);
      const allowed = strings(effectiveSetting(app, "ALLOWED_HOSTS").value);

      const redirect = truthy(effectiveSetting(app, "SECURE_SSL_REDIRECT").value);
      const security = reachedFirst(app, SECURITY);
      const sslHost = truthy(effectiveSetting(app, "SECURE_SSL_HOST").value);
      let redirects: boolean | undefined = false;
      if (redirect === undefined || security === undefined) redirects = undefined;
      else if (redirect && security) {
        const secure = probeIsSecure(app, probe);
        const exempt = redirectExempt(app, probe.path);
        redirects = secure === undefined || exempt === undefined || sslHost !== false ? undefined : !secure && !exempt;
      }

      // Who calls get_host() first: the SSL redirect, else CommonMiddleware.
      const common = reachedFirst(app, COMMON);
      const hostChecked = redirects === true || common === true;
      if (hostChecked && allowed !== undefined && debug !== undefined) {
        const ok = domain === "" ? false : hostAllowed(domain, allowed, debug);
        if (ok === false) {
          if (!probe.failsOn4xx) continue;
          const shownAllowed = allowed.length === 0 && debug ? "DEBUG's default ['.localhost', '127.0.0.1', '[::1]']" : `ALLOWED_HOSTS ${pyRepr(effectiveSetting(app, "ALLOWED_HOSTS").value)}`;
          report({
            stack: service.stack,
            message:
              `The healthcheck of service '${service.name}' requests ${url} with Host '${hostSent}', which ${shownAllowed} rejects: ` +
              `Django answers 400 and ${probe.tool === "curl" ? "curl -f" : "wget"} fails, so the container stays unhealthy. ` +
              `Send a Host ALLOWED_HOSTS accepts (-H 'Host: …'), or allow '${domain || hostSent}'.`,
            range: probe.hostHeader?.word.range ?? probe.url.range,
            related: settingNote(service, app, "ALLOWED_HOSTS"),
          });
          continue;
        }
        if (ok === undefined) continue;
      }
      if (redirects === true && probe.followsRedirects) {
        report({
          stack: service.stack,
          message:
            `The healthcheck of service '${service.name}' requests ${url} over plain HTTP, and SECURE_SSL_REDIRECT answers 301 to ` +
            `https://${hostSent}${probe.path}: ${probe.tool === "curl" ? "curl -L" : "wget"} follows it to a port that speaks plain HTTP and fails, so the container stays unhealthy. ` +
            `Exempt the path (SECURE_REDIRECT_EXEMPT = [r"^${probe.path.replace(/^\/+/, "").replace(/[?#].*$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$"]) or send the header SECURE_PROXY_SSL_HEADER names.`,
          range: probe.url.range,
          related: settingNote(service, app, "SECURE_SSL_REDIRECT"),
        });
      }
    }
  },
});
