import { expect, it } from "vitest";
import { aliasTraversals } from "../../../src/model/alias-traversal.js";
import { allLocations } from "../../../src/model/queries.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "nginx/alias-traversal";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

/** Every location with an alias in a fixture: [modifier, uri, alias]. */
function aliased(fixture: string): [string, string | undefined, string | undefined][] {
  const nginx = lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "nginx");
  return (nginx?.nginx?.servers ?? []).flatMap((server) =>
    allLocations(server)
      .filter((l) => l.alias !== undefined)
      .map((l): [string, string | undefined, string | undefined] => [l.modifier, l.uri.value, l.alias?.value]),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-project-mount", plants: "location /static with alias /app/static/, the app code mounted in nginx", rows: [[RULE, NGINX_CONF, 18, 14]] },
      { fixture: "bad-caret-tilde", plants: "location ^~ /media with alias /app/media/", rows: [[RULE, NGINX_CONF, 22, 17]] },
      { fixture: "bad-nested", plants: "location /static nested in location /, alias /app/static/", rows: [[RULE, NGINX_CONF, 26, 18]] },
    ],
    good: ["good", "good-no-slash-either", "good-regex"],
  },
  () => {
    it("names the request, the file it reads and the project files it exposes, settings first", () => {
      const finding = findingOf(RULE, "bad-project-mount");
      expect(finding.message).toContain("location /static has no trailing '/' but its alias /app/static/ has one");
      expect(finding.message).toContain("a request for /static../bookshelf/settings.py reads /app/static/../bookshelf/settings.py");
      expect(finding.message).toContain("nginx (service 'nginx') serves every file in /app, which is ./app (bind mount): bookshelf/settings.py, manage.py,");
      expect(finding.message).toContain("write 'location /static/'");
      expect(relatedRows(finding)).toEqual([[NGINX_CONF, 19, 15]]);
      expect(finding.related[0]?.message).toBe("alias /app/static/ ends in '/'");
    });

    it("without repository files in reach, says what the directory is in the nginx container", () => {
      const finding = findingOf(RULE, "bad-caret-tilde");
      expect(finding.message).toContain("a request for /media../<file> reads /app/media/../<file>");
      expect(finding.message).toContain("everything the nginx container has in /app, which is the image filesystem of service 'nginx'");
    });

    it("lists the traversals with what they reach (nested locations too)", () => {
      const rows = (fixture: string) => {
        const stack = lintRuleFixture(RULE, fixture).result.model.stacks[0];
        return stack ? aliasTraversals(stack).map((t) => [t.prefix, t.alias, t.reachable, t.sensitive, t.files.length]) : [];
      };
      expect(rows("bad-project-mount")).toEqual([["/static", "/app/static/", "/app", 1, 5]]);
      expect(rows("bad-nested")).toEqual([["/static", "/app/static/", "/app", 0, 0]]);
    });

    // The good fixtures are silent because their aliases are safe, not because none was seen.
    it("good fixtures: the aliased locations are there, with matching slashes or a regex", () => {
      expect(aliased("good")).toEqual([
        ["", "/static/", "/app/static/"],
        ["", "/media/", "/app/media/"],
      ]);
      expect(aliased("good-no-slash-either")).toEqual([
        ["", "/static", "/app/static"],
        ["", "/media/", "/app/media/"],
      ]);
      expect(aliased("good-regex")).toEqual([
        ["~", "^/static/(.*)$", "/app/static/$1"],
        ["", "/media/", "/app/media/"],
      ]);
    });
  },
);
