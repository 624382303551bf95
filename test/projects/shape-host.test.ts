/**
 * The deployment without Docker: systemd starts uWSGI from the checkout in /srv/mysite, nginx
 * on the same host serves /static/ and /media/ and passes the rest to uWSGI's unix socket.
 */
import { describe, expect, it } from "vitest";
import { lintFixture } from "../support/fixtures.js";


describe("fixtures/projects/shape-host (systemd + uWSGI + nginx on one host, correct)", () => {
  const { result, rows } = lintFixture("projects/shape-host");

  it("has no finding and no parse problem", () => {
    expect(result.internalErrors).toEqual([]);
    expect(rows).toEqual([]);
    expect(result.model.problems).toEqual([]);
  });

  it("is one production host stack: the checkout mounted where WorkingDirectory says, nginx's config in conf.d", () => {
    expect(result.model.stacks.map((s) => [s.id, s.purpose.kind])).toEqual([["host (deploy/systemd/mysite.service)", "production"]]);
    const host = result.model.stacks[0]?.services[0];
    expect([...(host?.roles ?? [])]).toEqual(["nginx", "django"]);
    expect(host?.filesystem.repoPath("/srv/mysite/manage.py")).toBe("manage.py");
    expect(host?.nginx?.entryFiles).toEqual(["deploy/nginx/mysite.conf"]);
    expect(host?.appServer?.kind).toBe("uwsgi");
    expect(host?.appServer?.listeners.map((l) => [l.endpoint, l.protocol])).toEqual([[{ kind: "unix", path: "/run/uwsgi/mysite.sock" }, "uwsgi"]]);
    expect(host?.django?.settingsModule).toMatchObject({ module: "mysite.settings", source: "wsgi.py" });
    expect(host?.django?.settings?.values.get("STATIC_ROOT")?.value).toEqual({ kind: "path", value: "/srv/mysite/static" });
  });

  it("reads EnvironmentFile=/srv/mysite/.env through its committed template .env.example (secrets stay unknown)", () => {
    const env = result.model.stacks[0]?.services[0]?.environment;
    expect(env?.missingEnvFiles.map((m) => m.path)).toEqual([".env"]);
    expect(env?.values.get("DJANGO_DEBUG")).toMatchObject({ value: "0", templateFor: ".env" });
    expect(env?.values.get("DJANGO_SECRET_KEY")?.value).toBeUndefined();
  });
});

const BROKEN: { name: string; plants: string; rows: [string, string, number, number][] }[] = [
  { name: "socket-moved", plants: "nginx's upstream names /run/uwsgi/site.sock", rows: [["deploy/socket-drift", "deploy/nginx/mysite.conf", 2, 12]] },
  { name: "static-root-moved", plants: "STATIC_ROOT is BASE_DIR / 'staticfiles'", rows: [["deploy/static-alias", "deploy/nginx/mysite.conf", 20, 15]] },
  { name: "debug-in-template", plants: "DJANGO_DEBUG=1 in the committed template", rows: [["django/debug-enabled", "mysite/settings.py", 8, 1]] },
  { name: "alias-traversal", plants: "location /static (no trailing slash) with alias …/static/", rows: [["nginx/alias-traversal", "deploy/nginx/mysite.conf", 19, 14]] },
];

describe("fixtures/projects/shape-host-broken-*", () => {
  for (const { name, plants, rows: expected } of BROKEN) {
    it(`${name}: ${plants}`, () => {
      const { result, rows } = lintFixture(`projects/shape-host-broken-${name}`);
      expect(result.internalErrors).toEqual([]);
      expect(rows).toEqual(expected);
    });
  }

  it("a value from the template says so, and the unit's EnvironmentFile= line is related", () => {
    const { result } = lintFixture("projects/shape-host-broken-debug-in-template");
    const finding = result.findings[0];
    expect(finding?.message).toContain("DJANGO_DEBUG=1 in .env.example (line 1), the committed template of .env, which the repository does not hold");
    expect(finding?.related.map((r) => [r.range.file, r.range.line, r.message])).toEqual([
      [".env.example", 1, "DJANGO_DEBUG is set here (env file of service 'host')"],
      ["deploy/systemd/mysite.service", 9, "EnvironmentFile= gives .env to service 'host'"],
    ]);
  });
});
