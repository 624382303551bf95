import { expect, it } from "vitest";
import { settingsModuleFacts } from "../../../src/model/settings-resolution.js";
import { developmentWord } from "../../../rules/deploy/settings-module.js";
import { describeRuleTable, findingOf, lintRuleFixture, only, relatedRows } from "../rule-table.js";

const RULE = "deploy/settings-module";
const COMPOSE = "docker-compose.yml";
const PRECEDENCE = "precedence: --settings > compose environment / env_file > uWSGI env= > Dockerfile ENV > wsgi.py > manage.py";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-dev-module", plants: "compose environment chooses bookshelf.settings.dev", rows: [[RULE, COMPOSE, 15, 7]] },
      { fixture: "bad-dockerfile-dev", plants: "Dockerfile ENV chooses bookshelf.settings.dev (nothing above it)", rows: [[RULE, "Dockerfile", 4, 5]] },
      { fixture: "bad-missing-module", plants: "bookshelf.settings.production, but the file is prod.py", rows: [[RULE, COMPOSE, 15, 7]] },
      { fixture: "bad-empty-package", plants: "bookshelf.settings: the package whose __init__.py is empty", rows: [[RULE, COMPOSE, 15, 7]] },
    ],
    good: ["good"],
  },
  () => {
    it("a development module: the winning choice, the precedence chain and the overridden choices", () => {
      const finding = findingOf(RULE, "bad-dev-module");
      expect(finding.message).toContain("runs the development settings module 'bookshelf.settings.dev'");
      expect(finding.message).toContain("the compose environment (docker-compose.yml:15) chooses it over Dockerfile ENV 'bookshelf.settings.prod', wsgi.py's setdefault 'bookshelf.settings.prod'");
      expect(finding.message).toContain(PRECEDENCE);
      expect(finding.message).toContain("to the production module ('bookshelf.settings.prod')");
      // manage.py also names the dev module: not an overridden alternative.
      expect(relatedRows(finding)).toEqual([
        ["Dockerfile", 4, 5],
        ["app/bookshelf/wsgi.py", 5, 49],
      ]);
      expect(finding.related[0]?.message).toBe("overridden: Dockerfile ENV names 'bookshelf.settings.prod'");
    });

    it("a module that does not exist: says what the package has", () => {
      const finding = findingOf(RULE, "bad-missing-module");
      expect(finding.message).toContain("'bookshelf.settings.production', which does not exist in its container");
      expect(finding.message).toContain("/app/bookshelf/settings has no production.py (it has base, dev, prod)");
      expect(relatedRows(finding)).toEqual([
        ["Dockerfile", 4, 5],
        ["app/bookshelf/wsgi.py", 5, 49],
        ["app/manage.py", 6, 53],
      ]);
    });

    it("an empty package: names the __init__.py and the modules beside it", () => {
      const finding = findingOf(RULE, "bad-empty-package");
      expect(finding.message).toContain("the package app/bookshelf/settings/__init__.py, which sets no settings while base, dev, prod sit beside it");
      expect(finding.message).toContain("(bookshelf.settings.prod)");
      expect(relatedRows(finding)[0]).toEqual(["app/bookshelf/settings/__init__.py", 1, 1]);
    });

    it("--settings is the user's choice: a development module given on the command line is not reported", () => {
      const { result } = lintRuleFixture(RULE, "good", { ...only(RULE), settingsModule: "bookshelf.settings.dev" });
      expect(result.model.stacks[0]?.services.find((s) => s.name === "web")?.django?.settingsModule?.source).toBe("cli");
      expect(result.findings).toEqual([]);
    });

    it("the model keeps every candidate, highest precedence first", () => {
      const { model } = lintRuleFixture(RULE, "bad-dev-module").result;
      const web = model.stacks[0]?.services.find((s) => s.name === "web");
      expect(web?.django?.settingsCandidates.map((c) => [c.source, c.module, c.range?.file, c.range?.line])).toEqual([
        ["compose", "bookshelf.settings.dev", COMPOSE, 15],
        ["dockerfile", "bookshelf.settings.prod", "Dockerfile", 4],
        ["wsgi.py", "bookshelf.settings.prod", "app/bookshelf/wsgi.py", 5],
        ["manage.py", "bookshelf.settings.dev", "app/manage.py", 6],
      ]);
      const facts = web ? settingsModuleFacts(model, web) : undefined;
      expect(facts?.overridden.map((c) => c.source)).toEqual(["dockerfile", "wsgi.py", "manage.py"]);
      expect(facts?.lookup?.kind).toBe("found");
    });

    it("good: the production module is found in the container, not empty, and not a development name", () => {
      const { model } = lintRuleFixture(RULE, "good").result;
      const web = model.stacks[0]?.services.find((s) => s.name === "web");
      const facts = web ? settingsModuleFacts(model, web) : undefined;
      expect(facts?.chosen.module).toBe("bookshelf.settings.prod");
      expect(facts?.lookup).toMatchObject({ kind: "found", repoFile: "app/bookshelf/settings/prod.py" });
      expect(facts?.emptyPackage).toBeUndefined();
      expect(facts?.hiddenChoice).toBeUndefined();
    });

    it.each([
      ["config.settings.local", "local"],
      ["proj.settings.dev", "dev"],
      ["proj.settings_dev", "dev"],
      ["proj.dev_settings", "dev"],
      ["proj.test_settings", "test"],
      ["proj.settings.testing", "testing"],
      ["proj.settings.prod", undefined],
      ["proj.settings.production", undefined],
      ["proj.settings.local_prod", undefined],
      ["proj.settings", undefined],
      ["devices.settings", undefined],
      ["proj.settings.staging", undefined],
    ])("developmentWord(%j) = %j", (module, word) => {
      expect(developmentWord(module)).toBe(word);
    });
  },
);
