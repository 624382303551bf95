import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, formatKeyPath } from "../../src/config/config-errors.js";
import { discoverConfigFile, loadConfig, type ProjectConfig } from "../../src/config/load-config.js";

const RULE_IDS = ["deploy/static-alias", "deploy/media-alias", "git/env-tracked", "compose/runserver", "parse/problem"];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dpl-config-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const display = (abs: string) => abs.slice(abs.lastIndexOf("/") + 1);

/** Discovers and loads the config of a temporary project (undefined when it has none). */
function configOf(files: Record<string, string>): ProjectConfig | undefined {
  const root = project(files);
  const file = discoverConfigFile(root, display);
  return file === undefined ? undefined : loadConfig(file, { rootAbs: root, ruleIds: RULE_IDS, display });
}

/** The ConfigError message configOf throws. */
function errorOf(files: Record<string, string>): string {
  try {
    configOf(files);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("config discovery", () => {
  const kinds: [string, string][] = [
    ["django-prod-lint.config.json", '{"select": ["deploy"]}'],
    ["django-prod-lint.config.yaml", "select: [deploy]\n"],
    ["django-prod-lint.config.yml", "select:\n  - deploy\n"],
    [".django-prod-lint.yaml", "select: [deploy]\n"],
    [".django-prod-lint.yml", "select: [deploy]\n"],
    ["pyproject.toml", '[project]\nname = "shop"\n\n[tool.django-prod-lint]\nselect = ["deploy"]\n'],
  ];
  for (const [name, text] of kinds) {
    it(`finds and reads ${name}`, () => {
      const config = configOf({ [name]: text });
      expect(config?.file).toBe(name);
      expect(config?.select).toEqual(["deploy"]);
    });
  }

  it("reads [tool.django-prod-lint] written as a dotted key under [tool]", () => {
    expect(configOf({ "pyproject.toml": '[tool]\n"django-prod-lint".select = ["git"]\n' })?.select).toEqual(["git"]);
  });

  it("ignores a pyproject.toml without the table, even one that mentions the tool elsewhere", () => {
    expect(configOf({ "pyproject.toml": '[project]\nname = "shop"\n[tool.ruff]\nline-length = 100\n' })).toBeUndefined();
    expect(configOf({ "pyproject.toml": '[project.optional-dependencies]\ndev = ["django-prod-lint"]\n' })).toBeUndefined();
  });

  it("finds nothing in an empty project, and only looks in the root", () => {
    expect(configOf({})).toBeUndefined();
    expect(configOf({ "sub/django-prod-lint.config.yaml": "select: [deploy]\n" })).toBeUndefined();
  });

  it("refuses two config files, naming both", () => {
    expect(errorOf({ ".django-prod-lint.yaml": "{}\n", "pyproject.toml": "[tool.django-prod-lint]\n" })).toBe(
      "found 2 config files: .django-prod-lint.yaml and pyproject.toml; keep one",
    );
  });

  it("takes an empty YAML file (or an empty table) as an empty configuration", () => {
    expect(configOf({ ".django-prod-lint.yaml": "" })).toEqual({ file: ".django-prod-lint.yaml", policy: { severity: {}, perFileIgnores: [] } });
    expect(configOf({ ".django-prod-lint.yml": "# nothing yet\n" })?.policy).toEqual({ severity: {}, perFileIgnores: [] });
    expect(configOf({ "pyproject.toml": "[tool.django-prod-lint]\n" })?.select).toBeUndefined();
  });
});

describe("config values", () => {
  it("resolves every key; paths are relative to the root", () => {
    const root = project({
      "deploy/prod.yml": "services: {}\n",
      ".django-prod-lint.yaml": [
        "select: [deploy, git/env-tracked]",
        "ignore: [deploy/media-alias]",
        "severity: {deploy: warning, deploy/static-alias: off}",
        "per-file-ignores:",
        '  "config/nginx/": [parse]',
        '  "legacy/**": ["*"]',
        "settings: shop.settings.prod",
        "compose: [deploy/prod.yml]",
        'django-version: "4.2"',
        "fail-on: error",
        "baseline: .lint/baseline.json",
      ].join("\n"),
    });
    const config = loadConfig(join(root, ".django-prod-lint.yaml"), { rootAbs: root, ruleIds: RULE_IDS, display });
    expect(config).toEqual({
      file: ".django-prod-lint.yaml",
      select: ["deploy", "git/env-tracked"],
      ignore: ["deploy/media-alias"],
      policy: {
        severity: { deploy: "warning", "deploy/static-alias": "off" },
        perFileIgnores: [
          { glob: "config/nginx/", rules: ["parse"] },
          { glob: "legacy/**", rules: ["*"] },
        ],
      },
      settings: "shop.settings.prod",
      composeFiles: [join(root, "deploy/prod.yml")],
      djangoVersion: "4.2",
      failOn: "error",
      baselineFile: join(root, ".lint/baseline.json"),
    });
  });
});

describe("config errors", () => {
  const yaml = (text: string) => errorOf({ ".django-prod-lint.yaml": text });
  const json = (text: string) => errorOf({ "django-prod-lint.config.json": text });
  const toml = (text: string) => errorOf({ "pyproject.toml": `[project]\nname = "x"\n\n[tool.django-prod-lint]\n${text}` });

  it("names the key path, the line and what is allowed (YAML)", () => {
    expect(yaml("select: [deploy]\nseverity:\n  deploy/static-alia: info\n")).toBe(
      '.django-prod-lint.yaml:3:3: severity."deploy/static-alia": unknown rule or family (see --list-rules)',
    );
    expect(yaml("fail-on: high\n")).toBe('.django-prod-lint.yaml:1:1: fail-on: must be one of error, warning, info, never (got "high")');
    expect(yaml("severity:\n  git: fatal\n")).toBe('.django-prod-lint.yaml:2:3: severity.git: must be one of error, warning, info, off (got "fatal")');
    expect(yaml("select: deploy\n")).toBe('.django-prod-lint.yaml:1:1: select: must be a list of rule ids or families (got "deploy")');
    expect(yaml("ignore: [git, nosuch]\n")).toBe('.django-prod-lint.yaml:1:15: ignore[1]: unknown rule or family (see --list-rules): "nosuch"');
    expect(yaml("verbose: true\n")).toBe(
      ".django-prod-lint.yaml:1:1: verbose: unknown key (allowed: select, ignore, severity, per-file-ignores, settings, compose, django-version, fail-on, baseline)",
    );
    expect(yaml('per-file-ignores:\n  "compose/**": compose\n')).toBe(
      '.django-prod-lint.yaml:2:3: per-file-ignores."compose/**": must be a list of rule ids or families, or ["*"] (got "compose")',
    );
    expect(yaml('per-file-ignores:\n  "compose/**":\n    - 7\n')).toBe('.django-prod-lint.yaml:3:7: per-file-ignores."compose/**"[0]: must be a string (got 7)');
    expect(yaml('per-file-ignores:\n  "compose/**": [compse]\n')).toBe(
      '.django-prod-lint.yaml:2:18: per-file-ignores."compose/**"[0]: unknown rule or family (see --list-rules): "compse"; use "*" for every rule',
    );
    expect(yaml("django-version: 4.2\n")).toBe('.django-prod-lint.yaml:1:1: django-version: must be a string such as "4.2" (quote it in YAML) (got 4.2)');
    expect(yaml('django-version: "four"\n')).toBe('.django-prod-lint.yaml:1:1: django-version: must be a Django version such as 4.2 or 4.2.11 (got "four")');
    expect(yaml("settings: shop/settings.py\n")).toBe(
      '.django-prod-lint.yaml:1:1: settings: must be a dotted Python module name such as mysite.settings.prod (got "shop/settings.py")',
    );
    expect(yaml("compose: [nowhere.yml]\n")).toBe('.django-prod-lint.yaml:1:11: compose[0]: "nowhere.yml" is not a file (compose paths are relative to the project root)');
    expect(yaml("select: [git, git]\n")).toBe('.django-prod-lint.yaml:1:1: select: lists "git" twice');
    expect(yaml("- select\n")).toBe(".django-prod-lint.yaml:1:1: must be a mapping of configuration keys (got a list)");
  });

  it("gives file:line:col for syntax errors", () => {
    expect(yaml("select: [git\nfail-on: error\n")).toMatch(/^\.django-prod-lint\.yaml:2:1: invalid YAML: /);
    expect(yaml("select: [git]\nselect: [deploy]\n")).toBe(".django-prod-lint.yaml:2:1: invalid YAML: Map keys must be unique");
    expect(json('{\n  "select": ["git"],\n}\n')).toMatch(/^django-prod-lint\.config\.json:3:1: invalid JSON: /);
    expect(toml('select = ["git"\n')).toMatch(/^pyproject\.toml:6:1: invalid TOML: /);
  });

  it("locates keys in JSON too, and prefixes key paths in pyproject.toml with the table", () => {
    expect(json('{\n  "select": ["git"],\n  "fail-on": "high"\n}\n')).toBe('django-prod-lint.config.json:3:3: fail-on: must be one of error, warning, info, never (got "high")');
    expect(toml('fail-on = "high"\n')).toBe('pyproject.toml: [tool.django-prod-lint] fail-on: must be one of error, warning, info, never (got "high")');
    expect(toml("[tool.django-prod-lint.severity]\n\"deploy/nope\" = \"off\"\n")).toBe(
      'pyproject.toml: [tool.django-prod-lint] severity."deploy/nope": unknown rule or family (see --list-rules)',
    );
  });

  it("reports a missing or unreadable --config file", () => {
    const root = project({ "dir/.keep": "" });
    const load = (path: string) => () => loadConfig(join(root, path), { rootAbs: root, ruleIds: RULE_IDS, display: () => path });
    expect(load("missing.yaml")).toThrow(new ConfigError("cannot read config file missing.yaml: no such file"));
    expect(load("dir")).toThrow(new ConfigError("cannot read config file dir: is a directory, not a file"));
  });
});

describe("formatKeyPath", () => {
  it("writes keys as users read them", () => {
    expect(formatKeyPath(["per-file-ignores", "compose/**", 0])).toBe('per-file-ignores."compose/**"[0]');
    expect(formatKeyPath(["severity", "deploy/static-alia"])).toBe('severity."deploy/static-alia"');
    expect(formatKeyPath(["severity", "git"])).toBe("severity.git");
    expect(formatKeyPath([])).toBe("");
  });
});
