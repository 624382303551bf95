import { expect, it } from "vitest";
import { locationsWithAncestors, clientMaxBodySize } from "../../../src/model/nginx-directives.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/upload-size";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";
const SETTINGS = "app/bookshelf/settings.py";

/** client_max_body_size of every location that passes requests on: [uri, bytes, level]. */
function limits(fixture: string): [string | undefined, number | undefined, string][] {
  const nginx = lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "nginx");
  if (!nginx) return [];
  return (nginx.nginx?.servers ?? []).flatMap((server) =>
    locationsWithAncestors(server)
      .filter((l) => l.location.pass !== undefined)
      .map((l): [string | undefined, number | undefined, string] => {
        const limit = clientMaxBodySize(nginx, server, l);
        return [l.location.uri.value, limit.bytes, limit.decided.level];
      }),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-default-limit", plants: "DATA_UPLOAD_MAX_MEMORY_SIZE 10 MB, no client_max_body_size (1m)", rows: [[RULE, NGINX_CONF, 25, 5]] },
      { fixture: "bad-server-limit", plants: "FILE_UPLOAD_MAX_MEMORY_SIZE 50 MB, client_max_body_size 20m in the server", rows: [[RULE, NGINX_CONF, 16, 26]] },
      { fixture: "bad-location-limit", plants: "location / lowers the limit to 5m, DATA_UPLOAD_MAX_MEMORY_SIZE 10 MB", rows: [[RULE, NGINX_CONF, 27, 30]] },
      { fixture: "bad-http-limit", plants: "client_max_body_size 2m at the http level, DATA_UPLOAD_MAX_MEMORY_SIZE None", rows: [[RULE, NGINX_CONF, 1, 22]] },
    ],
    good: ["good", "good-upload-location", "good-unlimited", "good-template"],
  },
  () => {
    it("nginx's default: at the location, naming both sizes and the directive to add", () => {
      const finding = findingOf(RULE, "bad-default-limit");
      expect(finding.message).toContain("nginx (service 'nginx') rejects request bodies above 1 MB for location / with 413 (nginx's default");
      expect(finding.message).toContain("DATA_UPLOAD_MAX_MEMORY_SIZE is 10 MB (10485760) in service 'web'");
      expect(finding.message).toContain("requests between 1 MB and 10 MB never reach Django");
      expect(finding.message).toContain("set 'client_max_body_size 10m;'");
      expect(finding.range).toMatchObject({ line: 25, column: 5, endLine: 25, endColumn: 15 });
      expect(relatedRows(finding)).toEqual([[SETTINGS, 51, 1]]);
    });

    it("an inherited directive: at its value, with the setting and the location it applies to", () => {
      const finding = findingOf(RULE, "bad-server-limit");
      expect(finding.message).toContain("(client_max_body_size 20m in the server block)");
      expect(finding.message).toContain("FILE_UPLOAD_MAX_MEMORY_SIZE is 50 MB (52428800) in service 'web', so uploads that big are expected");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 51, 1],
        [NGINX_CONF, 26, 5],
      ]);
      expect(finding.related[1]?.message).toBe("location / passes requests to service 'web' under this limit");

      const http = findingOf(RULE, "bad-http-limit");
      expect(http.message).toContain("(client_max_body_size 2m in the http block)");
      expect(http.message).toContain("DATA_UPLOAD_MAX_MEMORY_SIZE is None (no limit)");
      expect(http.message).toContain("0 for no limit");
    });

    it("reads each location's limit through location → server → http → default", () => {
      expect(limits("bad-default-limit")).toEqual([["/", 1048576, "default"]]);
      expect(limits("bad-server-limit")).toEqual([["/", 20971520, "server"]]);
      expect(limits("bad-location-limit")).toEqual([["/", 5242880, "location"]]);
      expect(limits("bad-http-limit")).toEqual([["/", 2097152, "http"]]);
    });

    // The good fixtures are silent because nginx lets the bodies through, not because nothing was compared.
    it("good fixtures: the settings raise the sizes, and nginx allows them where Django receives them", () => {
      const setting = (fixture: string) =>
        lintRuleFixture(RULE, fixture).result.model.stacks[0]?.services.find((s) => s.name === "web")?.django?.settings?.values.get("DATA_UPLOAD_MAX_MEMORY_SIZE")?.value;
      expect(setting("good")).toEqual({ kind: "int", value: 10485760 });
      expect(limits("good")).toEqual([["/", 20971520, "server"]]);
      expect(setting("good-upload-location")).toEqual({ kind: "int", value: 52428800 });
      expect(limits("good-upload-location")).toEqual([
        ["/", 1048576, "default"],
        ["/import/", 67108864, "location"],
      ]);
      expect(setting("good-unlimited")).toEqual({ kind: "none" });
      expect(limits("good-unlimited")).toEqual([["/", 0, "server"]]);
      // ${NGINX_MAX_BODY_SIZE} rendered from the nginx service's environment (64m).
      expect(setting("good-template")).toEqual({ kind: "int", value: 52428800 });
      expect(limits("good-template")).toEqual([["/", 67108864, "server"]]);
    });
  },
);
