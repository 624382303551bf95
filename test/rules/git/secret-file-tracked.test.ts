import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "git/secret-file-tracked";

describeRuleTable(
  RULE,
  {
    bad: [
      {
        fixture: "bad-tls-key",
        plants: "deploy/certs/privkey.pem committed (.gitignore lacks deploy/certs/*.pem), nginx loads it as ssl_certificate_key",
        rows: [[RULE, "deploy/certs/privkey.pem", 1, 1]],
      },
      {
        fixture: "bad-service-account",
        plants: "a GCP service account JSON committed and bind-mounted into the web service",
        rows: [[RULE, "deploy/gcp-service-account.json", 5, 3]],
      },
    ],
    good: ["good"],
  },
  () => {
    it("says that nginx serves the site with the committed key, and relates the directive", () => {
      const finding = findingOf(RULE, "bad-tls-key");
      expect(finding.message).toContain("deploy/certs/privkey.pem holds an EC private key and is tracked by git");
      expect(finding.message).toContain("ssl_certificate_key /etc/nginx/certs/privkey.pem in service 'nginx'");
      expect(finding.message).toContain("git rm --cached deploy/certs/privkey.pem");
      expect(relatedRows(finding)).toEqual([["deploy/nginx/bookshelf.conf", 15, 5]]);
      expect(finding.related[0]?.message).toBe("nginx of service 'nginx' loads it as ssl_certificate_key (/etc/nginx/certs/privkey.pem)");
      expect(finding.message).not.toContain("BEGIN");
    });

    it("names a service account key without an nginx link", () => {
      const finding = findingOf(RULE, "bad-service-account");
      expect(finding.message).toContain("deploy/gcp-service-account.json holds a Google Cloud service account key and is tracked by git");
      expect(finding.message).not.toContain("ssl_certificate_key");
      expect(finding.related).toEqual([]);
    });

    it("good: the TLS key exists but is git-ignored; a test key and a public certificate are tracked and are not key material", () => {
      const { model } = lintRuleFixture(RULE, "good").result;
      expect(model.git.index?.tracked.has("deploy/certs/privkey.pem")).toBe(false);
      expect(model.git.index?.tracked.has("app/bookshelf/tests/fixtures/signing-key.pem")).toBe(true);
      expect(model.git.index?.tracked.has("deploy/ca/internal-ca.crt")).toBe(true);
      expect(model.keyMaterial().map((k) => [k.file, k.kind])).toEqual([["deploy/certs/privkey.pem", "private-key"]]);
    });
  },
);
