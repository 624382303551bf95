import { expect, it } from "vitest";
import { serverTlsProtocols } from "../../../src/model/tls-protocols.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "nginx/weak-tls";
const SITE = "deploy/nginx/bookshelf.conf";

/** The TLS server of a fixture's nginx: [level of the ssl_protocols in effect, enabled, legacy] (undefined: none written). */
function protocols(fixture: string): [string, string[], string[]] | undefined {
  const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
  const nginx = stack?.services.find((s) => s.name === "nginx");
  const server = nginx?.nginx?.servers.find((s) => s.tls);
  if (!nginx || !server) throw new Error(`${fixture}: no TLS server`);
  const p = serverTlsProtocols(nginx, server);
  return p && [p.level, p.enabled, p.legacy];
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-server-tlsv1", plants: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 in the app's server", rows: [[RULE, SITE, 16, 5]] },
      { fixture: "bad-linked-site", plants: "the TLSv1 site reaches conf.d only through the Dockerfile's `RUN ln -s` from sites-available", rows: [[RULE, SITE, 16, 5]] },
      { fixture: "bad-http-inherited", plants: "a conf.d ssl.conf sets TLSv1 TLSv1.1 at http level; the app's server inherits it", rows: [[RULE, "deploy/nginx/ssl.conf", 2, 1]] },
    ],
    good: ["good", "good-modern-protocols", "good-http-overridden", "good-linked-site"],
  },
  () => {
    it("in the server: names the legacy protocols, what to keep and the floor", () => {
      const finding = findingOf(RULE, "bad-server-tlsv1");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toBe(
        "ssl_protocols in server books.example.org (service 'nginx') enables TLSv1, TLSv1.1 for the Django app: drop them and write `ssl_protocols TLSv1.2 TLSv1.3;` — TLSv1.2 is the floor.",
      );
      expect(relatedRows(finding)).toEqual([[SITE, 11, 1]]);
    });

    it("inherited from the http block: points at the http line and names the server that inherits it", () => {
      const finding = findingOf(RULE, "bad-http-inherited");
      expect(finding.message).toContain(
        "ssl_protocols at http level enables TLSv1, TLSv1.1, and server books.example.org (service 'nginx'), which serves the Django app, inherits it: drop them",
      );
      expect(relatedRows(finding)).toEqual([[SITE, 11, 1]]);
      expect(finding.related[0]?.message).toBe(
        "server books.example.org (service 'nginx') terminates TLS and passes requests to the app; it sets no ssl_protocols of its own",
      );
    });

    // The good fixtures are silent for the right reason: nothing written, or a modern list that wins.
    it("good fixtures: the ssl_protocols in effect", () => {
      expect(protocols("good")).toBeUndefined();
      expect(protocols("good-modern-protocols")).toEqual(["server", ["TLSv1.2", "TLSv1.3"], []]);
      // ssl.conf's http-level TLSv1 TLSv1.1 is overridden by the server's own line.
      expect(protocols("good-http-overridden")).toEqual(["server", ["TLSv1.2", "TLSv1.3"], []]);
      expect(protocols("bad-http-inherited")).toEqual(["http", ["TLSv1", "TLSv1.1", "TLSv1.2"], ["TLSv1", "TLSv1.1"]]);
    });
  },
);
