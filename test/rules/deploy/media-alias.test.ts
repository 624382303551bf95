import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/media-alias";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-wrong-directory", plants: "alias /app/uploads/ while MEDIA_ROOT is /app/media", rows: [[RULE, NGINX_CONF, 23, 15]] },
      { fixture: "bad-not-shared", plants: "web keeps media on a named volume, nginx bind-mounts ./media there", rows: [[RULE, NGINX_CONF, 23, 15]] },
    ],
    good: ["good"],
  },
  () => {
    it("names the path a request reads and where MEDIA_ROOT puts the file", () => {
      const finding = findingOf(RULE, "bad-wrong-directory");
      expect(finding.message).toContain("/media/uploads/photo.jpg");
      expect(finding.message).toContain("/app/uploads/uploads/photo.jpg");
      expect(finding.message).toContain("/app/media/uploads/photo.jpg");
      expect(finding.message).toContain("alias /app/media/;");
      expect(relatedRows(finding)).toEqual([["app/bookshelf/settings.py", 48, 1]]);
      expect(finding.related[0]?.message).toContain("MEDIA_ROOT is /app/media in service 'web'");
    });

    it("names both storages and points at both services' mounts", () => {
      const finding = findingOf(RULE, "bad-not-shared");
      expect(finding.message).toContain("service 'nginx'");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("named volume 'media'");
      expect(finding.message).toContain("(bind mount)");
      expect(relatedRows(finding)).toEqual([
        ["app/bookshelf/settings.py", 48, 1],
        ["docker-compose.yml", 18, 9],
        ["docker-compose.yml", 32, 9],
      ]);
    });

    it("good: MEDIA_ROOT is on volume 'media' in web and in nginx", () => {
      const stack = lintRuleFixture(RULE, "good").result.model.stacks[0];
      const nginx = stack?.services.find((s) => s.name === "nginx");
      const web = stack?.services.find((s) => s.name === "web");
      expect(web?.django?.settings?.values.get("MEDIA_ROOT")?.value).toEqual({ kind: "path", value: "/app/media" });
      expect(nginx?.filesystem.resolve("/app/media/uploads/photo.jpg").storage).toEqual({ kind: "volume", volume: "media", subpath: "uploads/photo.jpg" });
      expect(web?.filesystem.resolve("/app/media/uploads/photo.jpg").storage).toEqual({ kind: "volume", volume: "media", subpath: "uploads/photo.jpg" });
    });
  },
);
