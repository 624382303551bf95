import { describe, expect, it } from "vitest";
import type { SourceRange } from "../../../src/core/location.js";
import type { DjangoApp, EnvValue, Service } from "../../../src/model/deployment-model.js";
import { effectiveSetting } from "../../../src/model/django-settings.js";
import { displaySetting, settingFinding, settingProvenance } from "../../../src/model/provenance.js";
import type { EnvRead, SettingValue } from "../../../src/python/evaluate.js";
import { bool, int, str, type PyValue } from "../../../src/python/values.js";

const list = (...items: PyValue[]): PyValue => ({ kind: "list", items });

const r = (file: string, line: number, column = 1): SourceRange => ({ file, line, column, endLine: line, endColumn: column + 5 });
const SETTINGS = "app/shop/settings/prod.py";

function service(env: EnvValue[], envFiles: { path: string; range: SourceRange }[] = []): Service {
  return {
    name: "web",
    environment: { values: new Map(env.map((e) => [e.name, e])), complete: true, missingEnvFiles: [] },
    compose: { envFiles: envFiles.map((f) => ({ ...f, required: true })) },
  } as unknown as Service;
}

function app(name: string, value: PyValue, reads: EnvRead[], line = 12): DjangoApp {
  const values = new Map<string, SettingValue>([[name, { name, value, range: r(SETTINGS, line), statementRange: r(SETTINGS, line), envReads: reads }]]);
  return {
    settingsModule: { module: "shop.settings.prod", source: "compose", range: undefined },
    settingsCandidates: [],
    settings: { module: "shop.settings.prod", file: SETTINGS, values, envReads: reads, modules: [], problems: [] },
    version: { version: { major: 4, minor: 2, patch: 16 }, source: "requirements", range: r("requirements.txt", 1), spec: "Django==4.2.16" },
  };
}

const read = (name: string, extra: Partial<EnvRead> = {}, line = 12): EnvRead => ({
  name,
  via: "os.environ.get",
  hasDefault: false,
  provided: true,
  range: r(SETTINGS, line, 9),
  ...extra,
});

describe("settingProvenance", () => {
  it("the issue's example: an env file line, read in prod.py, with the env_file entry", () => {
    const svc = service([{ name: "DJANGO_DEBUG", value: "1", source: "env-file", range: r(".env", 3) }], [{ path: ".env", range: r("docker-compose.yml", 9, 15) }]);
    const a = app("DEBUG", bool(true), [read("DJANGO_DEBUG")]);
    const p = settingProvenance(svc, a, "DEBUG", effectiveSetting(a, "DEBUG"));
    expect(p.text).toBe(`DEBUG is True: DJANGO_DEBUG=1 in .env (line 3), read at ${SETTINGS}:12`);
    expect(p.related).toEqual([
      { range: r(".env", 3), message: "DJANGO_DEBUG is set here (env file of service 'web')" },
      { range: r("docker-compose.yml", 9, 15), message: "env_file gives .env to service 'web'" },
    ]);
  });

  it("compose environment, Dockerfile ENV and uWSGI env each say where", () => {
    for (const [source, file, where] of [
      ["compose-environment", "docker-compose.yml", "in the compose environment (docker-compose.yml line 3)"],
      ["dockerfile-env", "Dockerfile", "by ENV in Dockerfile (line 3)"],
      ["uwsgi-env", "deploy/uwsgi.ini", "by uWSGI env in deploy/uwsgi.ini (line 3)"],
    ] as const) {
      const svc = service([{ name: "HSTS", value: "0", source, range: r(file, 3) }]);
      const a = app("SECURE_HSTS_SECONDS", int(0), [read("HSTS")]);
      expect(settingProvenance(svc, a, "SECURE_HSTS_SECONDS", effectiveSetting(a, "SECURE_HSTS_SECONDS")).text).toBe(
        `SECURE_HSTS_SECONDS is 0: HSTS=0 ${where}, read at ${SETTINGS}:12`,
      );
    }
  });

  it("an unset variable: the default that applied, or just that it is unset", () => {
    const a = app("DEBUG", str("False"), [read("DJANGO_DEBUG", { provided: false, hasDefault: true, defaultValue: str("False") })]);
    expect(settingProvenance(service([]), a, "DEBUG", effectiveSetting(a, "DEBUG")).text).toBe(
      `DEBUG is 'False': DJANGO_DEBUG is not set in service 'web', so the default 'False' applies, read at ${SETTINGS}:12`,
    );
    const b = app("ALLOWED_HOSTS", list(), [read("HOSTS", { provided: false })]);
    expect(settingProvenance(service([]), b, "ALLOWED_HOSTS", effectiveSetting(b, "ALLOWED_HOSTS")).text).toBe(
      `ALLOWED_HOSTS is []: HOSTS is not set in service 'web', read at ${SETTINGS}:12`,
    );
  });

  it("values from a file the settings load themselves, and unknown ones", () => {
    const loaded = app("DEBUG", bool(true), [read("DEBUG", { source: { file: "app/.env", range: r("app/.env", 2) } })]);
    const p = settingProvenance(service([]), loaded, "DEBUG", effectiveSetting(loaded, "DEBUG"));
    expect(p.text).toBe(`DEBUG is True: DEBUG in app/.env (line 2), loaded by the settings, read at ${SETTINGS}:12`);
    expect(p.related).toEqual([{ range: r("app/.env", 2), message: "DEBUG is set here, in a file the settings load themselves" }]);
    const unknownRead = app("DEBUG", bool(true), [read("DEBUG", { provided: false, unknown: "env file .env.prod is not in the checkout" })]);
    expect(settingProvenance(service([]), unknownRead, "DEBUG", effectiveSetting(unknownRead, "DEBUG")).text).toBe(
      `DEBUG is True: DEBUG may be set but its value is unknown (env file .env.prod is not in the checkout), read at ${SETTINGS}:12`,
    );
    const selfSet = app("DEBUG", bool(true), [read("DEBUG")]);
    expect(settingProvenance(service([]), selfSet, "DEBUG", effectiveSetting(selfSet, "DEBUG")).text).toBe(
      `DEBUG is True: DEBUG is set by the settings themselves, read at ${SETTINGS}:12`,
    );
  });

  it("a read on another line than the assignment is a related location too", () => {
    const a = app("DEBUG", bool(true), [read("DJANGO_DEBUG", { provided: false, hasDefault: true, defaultValue: str("1") }, 4)], 12);
    expect(settingProvenance(service([]), a, "DEBUG", effectiveSetting(a, "DEBUG")).related).toEqual([
      { range: r(SETTINGS, 4, 9), message: "DEBUG reads DJANGO_DEBUG here" },
    ]);
  });

  it("never prints a secret: the setting's value, the variable's value and a default are masked", () => {
    const key = "q8v#2mz!r6t@k1w$e9y^u4i&o7p(a3s)d5f";
    const svc = service([{ name: "DJANGO_SK", value: key, source: "env-file", range: r(".env", 1) }]);
    const a = app("SECRET_KEY", str(key), [read("DJANGO_SK")]);
    const p = settingProvenance(svc, a, "SECRET_KEY", effectiveSetting(a, "SECRET_KEY"));
    expect(p.text).toBe(`SECRET_KEY is 'q8…(35 chars)': DJANGO_SK=q8…(35 chars) in .env (line 1), read at ${SETTINGS}:12`);
    const fallback = app("SECRET_KEY", str(key), [read("DJANGO_SK", { provided: false, hasDefault: true, defaultValue: str(key) })]);
    expect(settingProvenance(service([]), fallback, "SECRET_KEY", effectiveSetting(fallback, "SECRET_KEY")).text).not.toContain("q8v#");
    expect(displaySetting("SECRET_KEY_FALLBACKS", list(str(key), str("")))).toBe("['q8…(35 chars)', '']");
    expect(displaySetting("DEBUG", str("False"))).toBe("'False'");
  });

  it("Django's default: names the module and the version that decides it; the finding goes to line 1", () => {
    const a = app("DEBUG", bool(false), []);
    const effective = effectiveSetting(a, "SECURE_HSTS_SECONDS");
    expect(settingProvenance(service([]), a, "SECURE_HSTS_SECONDS", effective).text).toBe(
      "SECURE_HSTS_SECONDS is not set in shop.settings.prod, so Django's default 0 applies (Django 4.2.16, pinned by Django==4.2.16 in requirements.txt)",
    );
    const finding = settingFinding(service([]), a, "SECURE_HSTS_SECONDS", effective, "You have not set a value for the SECURE_HSTS_SECONDS setting");
    expect(finding.range).toEqual({ file: SETTINGS, line: 1, column: 1, endLine: 1, endColumn: 1 });
    expect(finding.message).toBe(
      "You have not set a value for the SECURE_HSTS_SECONDS setting. SECURE_HSTS_SECONDS is not set in shop.settings.prod, so Django's default 0 applies (Django 4.2.16, pinned by Django==4.2.16 in requirements.txt).",
    );
  });
});
