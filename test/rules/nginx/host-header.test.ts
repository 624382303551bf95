import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "nginx/host-header";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-no-host", plants: "location / sets X-Forwarded-* but no Host", rows: [[RULE, NGINX_CONF, 27, 9]] },
      { fixture: "bad-inheritance", plants: "Host set in the server, location / sets X-Forwarded-Proto only", rows: [[RULE, NGINX_CONF, 28, 9]] },
    ],
    good: ["good"],
  },
  () => {
    it("names the upstream Django would see and where the location's headers come from", () => {
      const finding = findingOf(RULE, "bad-inheritance");
      expect(finding.message).toContain("location / of nginx (service 'nginx') proxies to Django (service 'web') without a Host header");
      expect(finding.message).toContain("its proxy_set_header directives come from location / and none of them sets Host");
      expect(finding.message).toContain("Django sees 'bookshelf' as the host");
      expect(finding.message).toContain("add 'proxy_set_header Host $host;'");
      expect(relatedRows(finding)).toEqual([[NGINX_CONF, 29, 9]]);
    });
  },
);
