import { expect, it } from "vitest";
import { describeRuleTable, findingOf, relatedRows } from "../rule-table.js";

const RULE = "deploy/allowed-hosts-server-name";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";
const SETTINGS = "app/bookshelf/settings.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-www", plants: "server_name www.books.example.org, ALLOWED_HOSTS lists books.example.org only", rows: [[RULE, NGINX_CONF, 13, 35]] },
      { fixture: "bad-env", plants: "server_name library.example.org, ALLOWED_HOSTS from .env without it", rows: [[RULE, NGINX_CONF, 13, 17]] },
    ],
    good: ["good", "good-uwsgi-pass"],
  },
  () => {
    it("at the server_name, with ALLOWED_HOSTS's assignment", () => {
      const finding = findingOf(RULE, "bad-www");
      expect(finding.message).toContain("nginx (service 'nginx') serves server_name www.books.example.org and passes its requests to service 'web', but ALLOWED_HOSTS rejects 'www.books.example.org'");
      expect(finding.message).toContain("ALLOWED_HOSTS is ['books.example.org'] (app/bookshelf/settings.py:9)");
      expect(finding.message).toContain("or replace 'books.example.org' by '.books.example.org'");
      expect(relatedRows(finding)).toEqual([[SETTINGS, 9, 1]]);
    });

    it("an env-provided ALLOWED_HOSTS: the env line and the env_file entry", () => {
      const finding = findingOf(RULE, "bad-env");
      expect(finding.message).toContain("DJANGO_ALLOWED_HOSTS=books.example.org,www.books.example.org in .env (line 3)");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 9, 1],
        [".env", 3, 1],
        ["docker-compose.yml", 13, 15],
      ]);
    });
  },
);
