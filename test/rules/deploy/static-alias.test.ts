import { expect, it } from "vitest";
import { selectLocation, servedFile } from "../../../src/model/nginx-routing.js";
import type { LintResult } from "../../../src/lint.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/static-alias";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

/** Where nginx reads /static/admin/css/base.css and where Django's collectstatic writes it, as storage. */
function staticStorage(result: LintResult): unknown {
  const stack = result.model.stacks[0];
  const nginx = stack?.services.find((s) => s.nginx !== undefined);
  const app = stack?.services.find((s) => s.django?.settings !== undefined);
  // The HTTPS server: the port-80 one only redirects.
  const server = nginx?.nginx?.servers.find((s) => s.tls);
  const location = selectLocation(server?.locations ?? [], "/static/admin/css/base.css");
  const served = location ? servedFile(location, "/static/admin/css/base.css") : undefined;
  return {
    nginx: nginx?.name,
    app: app?.name,
    served: served?.path,
    nginxSees: served?.path ? nginx?.filesystem.resolve(served.path).storage : undefined,
    appWrites: app?.filesystem.resolve("/app/static/admin/css/base.css").storage,
  };
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-trailing-slash", plants: "alias /app/static; under location /static/", rows: [[RULE, NGINX_CONF, 19, 15]] },
      { fixture: "bad-root", plants: "root /app/static; where alias was meant", rows: [[RULE, NGINX_CONF, 19, 14]] },
      { fixture: "bad-not-mounted", plants: "the nginx service does not mount the static volume", rows: [[RULE, NGINX_CONF, 19, 15]] },
      { fixture: "bad-app-not-on-volume", plants: "web mounts the static volume beside STATIC_ROOT", rows: [[RULE, NGINX_CONF, 19, 15]] },
      { fixture: "bad-one-image", plants: "nginx and uWSGI in one image, alias to another directory", rows: [[RULE, NGINX_CONF, 19, 15]] },
    ],
    good: ["good", "good-volume-elsewhere", "good-root", "good-one-image", "good-nginx-image"],
  },
  () => {
    it("names the served path, STATIC_ROOT's path and the fix for a missing trailing slash", () => {
      const finding = findingOf(RULE, "bad-trailing-slash");
      expect(finding.message).toContain("/static/admin/css/base.css");
      expect(finding.message).toContain("/app/staticadmin/css/base.css");
      expect(finding.message).toContain("/app/static/admin/css/base.css");
      expect(finding.message).toContain("alias /app/static/;");
      expect(relatedRows(finding)).toEqual([["app/bookshelf/settings.py", 45, 1]]);
      expect(finding.related[0]?.message).toContain("STATIC_ROOT is /app/static in service 'web'");
    });

    it("explains that root appends the whole URI", () => {
      const finding = findingOf(RULE, "bad-root");
      expect(finding.message).toContain("/app/static/static/admin/css/base.css");
      expect(finding.message).toContain("'root'");
    });

    it("names both services and the volume when nginx does not mount it", () => {
      const finding = findingOf(RULE, "bad-not-mounted");
      expect(finding.message).toContain("service 'nginx'");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("named volume 'static'");
      // STATIC_ROOT, and the web service's mount of it.
      expect(relatedRows(finding)).toEqual([
        ["app/bookshelf/settings.py", 45, 1],
        ["docker-compose.yml", 17, 9],
      ]);
    });

    it("points at nginx's mount when the app writes STATIC_ROOT to its own image", () => {
      const finding = findingOf(RULE, "bad-app-not-on-volume");
      expect(finding.message).toContain("service 'web'");
      expect(relatedRows(finding)).toEqual([
        ["app/bookshelf/settings.py", 45, 1],
        ["docker-compose.yml", 31, 9],
      ]);
    });

    // The good fixtures are silent because the paths meet, not because nothing was checked.
    it("good: named volume 'static' at /app/static in both services", () => {
      expect(staticStorage(lintRuleFixture(RULE, "good").result)).toEqual({
        nginx: "nginx",
        app: "web",
        served: "/app/static/admin/css/base.css",
        nginxSees: { kind: "volume", volume: "static", subpath: "admin/css/base.css" },
        appWrites: { kind: "volume", volume: "static", subpath: "admin/css/base.css" },
      });
    });

    it("good-volume-elsewhere: the volume at /var/www/static in nginx, aliased there", () => {
      expect(staticStorage(lintRuleFixture(RULE, "good-volume-elsewhere").result)).toMatchObject({
        served: "/var/www/static/admin/css/base.css",
        nginxSees: { kind: "volume", volume: "static", subpath: "admin/css/base.css" },
        appWrites: { kind: "volume", volume: "static", subpath: "admin/css/base.css" },
      });
    });

    it("good-root: root /app; appends /static/… onto /app", () => {
      expect(staticStorage(lintRuleFixture(RULE, "good-root").result)).toMatchObject({
        served: "/app/static/admin/css/base.css",
        nginxSees: { kind: "volume", volume: "static", subpath: "admin/css/base.css" },
      });
    });

    it("good-one-image: one service is both nginx and the app, on its own image filesystem", () => {
      expect(staticStorage(lintRuleFixture(RULE, "good-one-image").result)).toEqual({
        nginx: "web",
        app: "web",
        served: "/app/static/admin/css/base.css",
        nginxSees: { kind: "image", service: "web", path: "/app/static/admin/css/base.css", repoPath: undefined },
        appWrites: { kind: "image", service: "web", path: "/app/static/admin/css/base.css", repoPath: undefined },
      });
    });
  },
);
