import { expect, it } from "vitest";
import { staticCollection } from "../../../src/model/static-collection.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/static-not-collected";
const SETTINGS = "app/bookshelf/settings.py";
const NGINX_CONF = "deploy/nginx/bookshelf.conf";

/** What the model says about each STATIC_ROOT nginx serves: [nginx, app, directory, verdict]. */
function verdicts(fixture: string): [string, string, string, string][] {
  const { result } = lintRuleFixture(RULE, fixture);
  return result.model.stacks.flatMap((stack) =>
    staticCollection(stack, result.model.collectstaticMentions).map((c): [string, string, string, string] => [c.nginx.name, c.app.name, c.directory, c.verdict.kind]),
  );
}

/** Where the model found collectstatic in a service: [when, file, line]. */
function runs(fixture: string, service: string): [string, string, number][] {
  const { result } = lintRuleFixture(RULE, fixture);
  const found = result.model.stacks[0]?.services.find((s) => s.name === service);
  return (found?.collectstatic.runs ?? []).map((r) => [r.when, r.range.file, r.range.line]);
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-never", plants: "no RUN, command, script or file runs collectstatic", rows: [[RULE, SETTINGS, 45, 1]] },
      { fixture: "bad-build-only-volume", plants: "RUN collectstatic in the image, STATIC_ROOT on a named volume", rows: [[RULE, "docker-compose.yml", 17, 9]] },
      { fixture: "bad-build-stage-volume", plants: "a build stage collects, the final stage copies it, STATIC_ROOT on a named volume", rows: [[RULE, "docker-compose.yml", 17, 9]] },
    ],
    good: ["good", "good-entrypoint-script", "good-one-shot-service", "good-documented", "good-build-in-image"],
  },
  () => {
    it("nothing collects: an error at STATIC_ROOT naming the served directory, nginx's alias and the app server's start", () => {
      const finding = findingOf(RULE, "bad-never");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("nginx (service 'nginx') serves /static/ from STATIC_ROOT /app/static (named volume 'static')");
      expect(finding.message).toContain("nothing runs collectstatic");
      expect(finding.message).toContain("when service 'web' starts");
      expect(relatedRows(finding)).toEqual([
        [NGINX_CONF, 19, 15],
        ["Dockerfile", 12, 6],
      ]);
    });

    it("build-only on a named volume: a warning at web's mount, with the RUN, STATIC_ROOT and nginx's alias", () => {
      const finding = findingOf(RULE, "bad-build-only-volume");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("STATIC_ROOT /app/static is on named volume 'static' in service 'web'");
      expect(finding.message).toContain("only when the image is built (Dockerfile:11)");
      expect(finding.message).toContain("only while it is empty");
      expect(relatedRows(finding)).toEqual([
        ["Dockerfile", 11, 1],
        [SETTINGS, 45, 1],
        [NGINX_CONF, 19, 15],
        ["Dockerfile", 13, 6],
      ]);
      expect(finding.related[0]?.message).toBe("collectstatic runs here, while the image of service 'web' is built");
    });

    it("a build stage's RUN counts for the image that copies from it", () => {
      expect(runs("bad-build-stage-volume", "web")).toEqual([["build", "Dockerfile", 7]]);
      expect(findingOf(RULE, "bad-build-stage-volume").related[0]?.range.line).toBe(7);
    });

    it("finds the runs where they are: the command, an entrypoint script, a one-shot service, the image", () => {
      expect(runs("good", "web")).toEqual([["start", "Dockerfile", 12]]);
      expect(runs("good-entrypoint-script", "web")).toEqual([["start", "deploy/entrypoint.sh", 5]]);
      expect(runs("good-one-shot-service", "collectstatic")).toEqual([["start", "docker-compose.yml", 13]]);
      expect(runs("good-one-shot-service", "web")).toEqual([]);
      expect(runs("good-build-in-image", "web")).toEqual([["build", "Dockerfile", 19]]);
      expect(runs("good-documented", "web")).toEqual([]);
    });

    // The good fixtures are silent because the static files are collected (or may be), not because nothing was checked.
    it("good fixtures: nginx serves STATIC_ROOT, and something fills it", () => {
      expect(verdicts("good")).toEqual([["nginx", "web", "/app/static", "collected"]]);
      expect(verdicts("good-entrypoint-script")).toEqual([["nginx", "web", "/app/static", "collected"]]);
      expect(verdicts("good-one-shot-service")).toEqual([["nginx", "web", "/app/static", "collected"]]);
      // One image: the build's files are what nginx reads, no volume hides them.
      expect(verdicts("good-build-in-image")).toEqual([["web", "web", "/app/static", "collected"]]);
      // The Makefile's deploy target runs it: a step we cannot see, so unknown.
      expect(verdicts("good-documented")).toEqual([["nginx", "web", "/app/static", "unknown"]]);
      expect(lintRuleFixture(RULE, "good-documented").result.model.collectstaticMentions().map((m) => [m.file, m.line, m.column])).toEqual([["Makefile", 5, 46]]);
    });
  },
);
