import { expect, it } from "vitest";
import { resolveWsgiEntrypoint } from "../../../src/model/wsgi-resolution.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/wsgi-entrypoint";
const UWSGI_INI = "deploy/uwsgi.ini";

/** How each app server's application resolves in a fixture: [service, application, lookup kind, repo file or reason]. */
function resolutions(fixture: string): [string, string, string, string | undefined, boolean | undefined][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  return model.stacks.flatMap((stack) =>
    stack.services.flatMap((service) => {
      const r = resolveWsgiEntrypoint(model, service);
      if (!r) return [];
      const detail = r.lookup.kind === "found" ? r.lookup.repoFile : undefined;
      return [[service.name, r.application.value, r.lookup.kind, detail, r.setting?.agrees]];
    }),
  );
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-chdir", plants: "uWSGI chdir one level too deep (/app/bookshelf): the bookshelf package is not on sys.path", rows: [[RULE, UWSGI_INI, 3, 10]] },
      { fixture: "bad-module-typo", plants: "gunicorn loads bookshelf.wgsi (a typo of wsgi)", rows: [[RULE, "Dockerfile", 11, 77]] },
      { fixture: "bad-wsgi-file", plants: "uWSGI wsgi-file /app/wsgi.py; the file is /app/bookshelf/wsgi.py", rows: [[RULE, UWSGI_INI, 3, 13]] },
      { fixture: "bad-wsgi-application", plants: "WSGI_APPLICATION names bookshelf.timing.application, uWSGI loads bookshelf.wsgi:application", rows: [[RULE, UWSGI_INI, 3, 10]] },
    ],
    good: ["good", "good-gunicorn-pythonpath"],
  },
  () => {
    it("a chdir too deep: says where the package is in the container and where to start the server", () => {
      const finding = findingOf(RULE, "bad-chdir");
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("uWSGI in service 'web' loads bookshelf.wsgi:application");
      expect(finding.message).toContain("/app/bookshelf (uWSGI chdir)");
      expect(finding.message).toContain("the container has it at /app/bookshelf/wsgi.py (app/bookshelf/wsgi.py in the repository)");
      expect(finding.message).toContain("start the server in /app");
      expect(relatedRows(finding)).toEqual([
        [UWSGI_INI, 2, 9],
        ["Dockerfile", 10, 1],
        ["app/bookshelf/wsgi.py", 1, 1],
        ["app/bookshelf/settings.py", 31, 1],
      ]);
      expect(finding.related[0]?.message).toBe("/app/bookshelf is on sys.path (uWSGI chdir)");
      expect(finding.related[1]?.message).toContain("COPY puts app/ at /app/");
      expect(finding.related[3]?.message).toBe("WSGI_APPLICATION is 'bookshelf.wsgi.application'");
    });

    it("a typo in the module: names the package directory, what it has, and the WORKDIR that put it on sys.path", () => {
      const finding = findingOf(RULE, "bad-module-typo");
      expect(finding.message).toContain("gunicorn in service 'web' loads bookshelf.wgsi:application");
      expect(finding.message).toContain("/app/bookshelf");
      expect(finding.message).toContain("has no wgsi.py");
      expect(finding.message).toContain("(/app/bookshelf has settings, urls, wsgi)");
      expect(relatedRows(finding)).toEqual([
        ["Dockerfile", 4, 1],
        ["Dockerfile", 9, 1],
        ["app/bookshelf/settings.py", 31, 1],
      ]);
      expect(finding.related[0]?.message).toBe("/app is on sys.path (the image's WORKDIR)");
    });

    it("a wsgi-file that is not there: names the directory's source and the wsgi.py the container has", () => {
      const finding = findingOf(RULE, "bad-wsgi-file");
      expect(finding.message).toContain("loads the file /app/wsgi.py, which does not exist in the container");
      expect(finding.message).toContain("the container has /app/bookshelf/wsgi.py");
      expect(relatedRows(finding)).toEqual([
        [UWSGI_INI, 2, 9],
        ["Dockerfile", 10, 1],
        ["app/bookshelf/settings.py", 31, 1],
      ]);
    });

    it("WSGI_APPLICATION naming another callable is a warning, with the setting's assignment", () => {
      const finding = findingOf(RULE, "bad-wsgi-application");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("loads bookshelf.wsgi:application (app/bookshelf/wsgi.py)");
      expect(finding.message).toContain("WSGI_APPLICATION in the settings is 'bookshelf.timing.application' (app/bookshelf/timing.py)");
      expect(relatedRows(finding)).toEqual([["app/bookshelf/settings.py", 32, 1]]);
    });

    // The good fixtures are silent because the module was found and agrees, not because nothing was known.
    it("good fixtures: the application resolves to the repository's wsgi.py and agrees with WSGI_APPLICATION", () => {
      expect(resolutions("good")).toEqual([["web", "bookshelf.wsgi:application", "found", "app/bookshelf/wsgi.py", true]]);
      // gunicorn starts in /srv; PYTHONPATH=/app (Dockerfile ENV) finds the project.
      expect(resolutions("good-gunicorn-pythonpath")).toEqual([["web", "bookshelf.wsgi:application", "found", "app/bookshelf/wsgi.py", true]]);
    });
  },
);
