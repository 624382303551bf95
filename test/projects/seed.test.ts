import { describe, expect, it } from "vitest";
import { lintFixture } from "../support/fixtures.js";

describe("fixtures/projects/seed-skeleton (the seed document's setup, correct)", () => {
  it("has no finding", () => {
    const { result, rows } = lintFixture("projects/seed-skeleton");
    expect(result.internalErrors).toEqual([]);
    expect(rows).toEqual([]);
  });

  it("links the model: web runs uWSGI on the shared socket, nginx serves static from STATIC_ROOT", () => {
    const { result } = lintFixture("projects/seed-skeleton");
    const [stack] = result.model.stacks;
    expect(stack?.id).toBe("docker-compose.yml");
    const web = stack?.services.find((s) => s.name === "web");
    expect(web?.appServer?.kind).toBe("uwsgi");
    expect(web?.appServer?.listeners.map((l) => [l.endpoint, l.protocol])).toEqual([
      [{ kind: "unix", path: "/code/django_prod_skeleton/uwsgi_app.sock" }, "uwsgi"],
    ]);
    expect(web?.django?.settingsModule).toMatchObject({ module: "django_prod_skeleton.settings.prod", source: "compose" });
    expect(web?.django?.settings?.values.get("STATIC_ROOT")?.value).toEqual({ kind: "str", value: "/code/django_prod_skeleton/static" });
    expect(web?.django?.settings?.values.get("STATIC_ROOT")?.range.file).toBe("django_prod_skeleton/django_prod_skeleton/settings/base.py");
    const nginx = stack?.services.find((s) => s.name === "nginx");
    expect(nginx?.nginx?.entryFiles).toEqual(["config/nginx/default.conf.template"]);
    expect([...(nginx?.roles ?? [])]).toEqual(["nginx"]);
  });
});

describe("fixtures/projects/seed-broken (the same setup with planted problems)", () => {
  it("gives exactly the planted findings", () => {
    const { result, rows } = lintFixture("projects/seed-broken");
    expect(result.internalErrors).toEqual([]);
    expect(rows).toEqual([
      ["git/env-tracked", ".env", 1, 1],
      ["git/env-not-ignored", ".env.prod", 1, 1],
      ["deploy/socket-drift", "config/nginx/default.conf.template", 3, 12],
      ["deploy/static-alias", "config/nginx/default.conf.template", 28, 15],
      ["deploy/media-alias", "config/nginx/default.conf.template", 33, 15],
      ["parse/problem", "config/nginx/gzip.conf.template", 2, 1],
      ["compose/exposed-backing-port", "docker-compose.yml", 12, 9],
      // The same mistake as git/env-not-ignored bakes .env.prod into the image: .dockerignore lists .env only.
      ["docker/env-in-image", "Dockerfile", 15, 1],
    ]);
  });

  it("puts the other end of each cross-file finding in related", () => {
    const { result } = lintFixture("projects/seed-broken");
    const related = (rule: string) => result.findings.find((f) => f.rule === rule)?.related.map((r) => [r.range.file, r.range.line, r.range.column]);
    expect(related("deploy/socket-drift")).toEqual([
      ["config/nginx/default.conf.template", 23, 20],
      ["config/uwsgi/uwsgi.ini", 2, 10],
    ]);
    expect(related("deploy/static-alias")).toEqual([["django_prod_skeleton/django_prod_skeleton/settings/base.py", 52, 1]]);
    expect(related("deploy/media-alias")).toEqual([["django_prod_skeleton/django_prod_skeleton/settings/base.py", 55, 1]]);
    expect(related("git/env-tracked")).toEqual([["docker-compose.yml", 26, 15]]);
  });
});
