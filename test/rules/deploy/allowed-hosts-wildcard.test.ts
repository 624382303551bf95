import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "deploy/allowed-hosts-wildcard";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-star", plants: "ALLOWED_HOSTS = ['*'], nginx's only 443 server passes Host $host", rows: [[RULE, SETTINGS, 9, 1]] },
      { fixture: "bad-env-uwsgi", plants: "ALLOWED_HOSTS split from DJANGO_ALLOWED_HOSTS=* in .env, uwsgi_pass forwards the Host", rows: [[RULE, SETTINGS, 9, 1]] },
    ],
    good: ["good-default-444", "good-pinned-host"],
  },
  () => {
    it("at the ALLOWED_HOSTS assignment, with the default server and the Host header line", () => {
      const finding = findingOf(RULE, "bad-star");
      expect(finding.message).toContain(
        "ALLOWED_HOSTS of service 'web' accepts any host ('*'), and nginx (service 'nginx') passes the client's Host to it from server books.example.org www.books.example.org (deploy/nginx/bookshelf.conf:12), the default server for *:443 ('Host $host')",
      );
      expect(finding.message).toContain("ALLOWED_HOSTS is ['*'] (app/bookshelf/settings.py:9)");
      expect(finding.message).toContain("add a default_server that answers unknown hosts with 'return 444;'");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 12, 5],
        [NGINX_CONF, 28, 9],
      ]);
    });

    it("an env-provided '*': the .env line, and uwsgi_pass as the Host's way in", () => {
      const finding = findingOf(RULE, "bad-env-uwsgi");
      expect(finding.message).toContain("DJANGO_ALLOWED_HOSTS=* in .env (line 3)");
      expect(finding.message).toContain("(uwsgi_pass forwards the request's Host header)");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 12, 5],
        [NGINX_CONF, 28, 20],
        [".env", 3, 1],
        ["docker-compose.yml", 13, 15],
      ]);
    });
  },
);
