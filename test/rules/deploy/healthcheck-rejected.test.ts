import { expect, it } from "vitest";
import { healthProbe, hostAllowed, hostDomain } from "../../../src/model/healthcheck-probe.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/healthcheck-rejected";
const COMPOSE = "docker-compose.yml";
const SETTINGS = "app/bookshelf/settings.py";

function probeOf(fixture: string): string {
  const web = lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "web");
  const p = web ? healthProbe(web) : undefined;
  if (!p) return "none";
  return `${p.tool} ${p.url.value} host=${p.hostHeader?.value ?? "-"} xfp=${p.headers.get("x-forwarded-proto") ?? "-"} fails4xx=${p.failsOn4xx} follows=${p.followsRedirects}`;
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-localhost-host", plants: "curl -f asks as localhost, ALLOWED_HOSTS has only books.example.org", rows: [[RULE, COMPOSE, 22, 35]] },
      { fixture: "bad-ssl-redirect", plants: "curl -fsSL over plain HTTP while SECURE_SSL_REDIRECT is on", rows: [[RULE, COMPOSE, 22, 54]] },
    ],
    good: ["good", "good-exempt"],
  },
  () => {
    it("localhost rejected: names the URL, the Host, ALLOWED_HOSTS and where it is set", () => {
      const finding = findingOf(RULE, "bad-localhost-host");
      expect(finding.message).toContain("service 'web' requests http://localhost:8000/admin/login/ with Host 'localhost:8000'");
      expect(finding.message).toContain("ALLOWED_HOSTS ['books.example.org'] rejects");
      expect(finding.message).toContain("400");
      expect(relatedRows(finding)).toEqual([[SETTINGS, 9, 1]]);
    });

    it("SSL redirect followed: names the redirect target and suggests the exemption", () => {
      const finding = findingOf(RULE, "bad-ssl-redirect");
      expect(finding.message).toContain("301 to https://books.example.org/admin/login/");
      expect(finding.message).toContain("curl -L follows it");
      expect(finding.message).toContain('SECURE_REDIRECT_EXEMPT = [r"^admin/login/$"]');
      expect(relatedRows(finding)).toEqual([[SETTINGS, 52, 1]]);
    });

    it("reads the probes of every fixture", () => {
      expect(probeOf("good")).toBe("curl http://localhost:8000/admin/login/ host=books.example.org xfp=https fails4xx=true follows=false");
      expect(probeOf("good-exempt")).toBe("curl http://localhost:8000/admin/login/ host=- xfp=- fails4xx=true follows=true");
      expect(probeOf("bad-ssl-redirect")).toBe("curl http://localhost:8000/admin/login/ host=books.example.org xfp=- fails4xx=true follows=true");
    });

    it("Django's host validation: port dropped, leading dot, '*', DEBUG's localhost default", () => {
      expect(hostDomain("LocalHost:8000")).toBe("localhost");
      expect(hostDomain("[::1]:8000")).toBe("[::1]");
      expect(hostDomain("bad host")).toBe("");
      expect(hostAllowed("books.example.org", [".example.org"], false)).toBe(true);
      expect(hostAllowed("example.org", [".example.org"], false)).toBe(true);
      expect(hostAllowed("localhost", ["books.example.org"], false)).toBe(false);
      expect(hostAllowed("localhost", ["*"], false)).toBe(true);
      expect(hostAllowed("localhost", [], true)).toBe(true);
      expect(hostAllowed("books.example.org", [], true)).toBe(false);
      expect(hostAllowed("app.localhost", [], true)).toBe(true);
      expect(hostAllowed("localhost", [undefined], false)).toBeUndefined();
    });
  },
);
