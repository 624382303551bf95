import { expect, it } from "vitest";
import { certificateFiles } from "../../../src/model/tls-termination.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "nginx/missing-certificate";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

/** [directive, container path, verdict] of every certificate file a fixture's nginx names. */
function verdicts(fixture: string): [string, string, string][] {
  const { result } = lintRuleFixture(RULE, fixture);
  const stack = result.model.stacks[0];
  if (!stack) return [];
  return certificateFiles(result.model, stack).map((c) => [c.directive.name, c.path, c.verdict.kind]);
}

describeRuleTable(
  RULE,
  {
    bad: [
      {
        fixture: "bad-no-mount",
        plants: "the certs bind mount is missing from the stock nginx image",
        rows: [
          [RULE, NGINX_CONF, 14, 21],
          [RULE, NGINX_CONF, 15, 25],
        ],
      },
      { fixture: "bad-wrong-name", plants: "ssl_certificate names bookshelf.crt, the certs directory gets fullchain.pem", rows: [[RULE, NGINX_CONF, 14, 21]] },
    ],
    good: ["good", "good-letsencrypt"],
  },
  () => {
    it("no mount: names the path, the service and the stock image", () => {
      const finding = findingOf(RULE, "bad-no-mount");
      expect(finding.message).toContain("ssl_certificate /etc/nginx/certs/fullchain.pem");
      expect(finding.message).toContain("service 'nginx'");
      expect(finding.message).toContain("the stock nginx:1.27 image has no /etc/nginx/certs/fullchain.pem");
      expect(finding.message).toContain("Mount the directory that holds it");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 23, 3]]);
    });

    it("wrong name: points at the bind mount of the certs directory", () => {
      const finding = findingOf(RULE, "bad-wrong-name");
      expect(finding.message).toContain("the bind mount of deploy/certs holds no bookshelf.crt");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 30, 9]]);
    });

    it("good fixtures: git-ignored and host-bound certificates are unknown, not missing", () => {
      expect(verdicts("good")).toEqual([
        ["ssl_certificate", "/etc/nginx/certs/fullchain.pem", "unknown"],
        ["ssl_certificate_key", "/etc/nginx/certs/privkey.pem", "unknown"],
      ]);
      expect(verdicts("good-letsencrypt")).toEqual([
        ["ssl_certificate", "/etc/letsencrypt/live/books.example.org/fullchain.pem", "unknown"],
        ["ssl_certificate_key", "/etc/letsencrypt/live/books.example.org/privkey.pem", "unknown"],
      ]);
    });
  },
);
