import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePath } from "../support/fixtures.js";
import { runCli, type CliRun } from "../support/cli.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

/**
 * fixtures/security/secret-laden is seed-broken with a distinctive secret (`Zk7Q…`) in every
 * place a deployment keeps one. No output of any kind may show one of them, in any form.
 * It is an overlay (only the files it changes; its .fixture.json names seed-broken as the base),
 * so the secrets are read from the materialized checkout, base and overlay merged.
 */
const FIXTURE = fixturePath("security/secret-laden");

/** Every `Zk7Q…` value planted in the checkout `dir`, read from its files so a new one is checked too. */
function plantedSecrets(dir: string): string[] {
  const found = new Set<string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (d === dir && name === ".git") continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else for (const m of readFileSync(abs, "utf8").matchAll(/Zk7Q[A-Za-z0-9/_%-]+/g)) found.add(m[0]);
    }
  };
  walk(dir);
  return [...found];
}

/** The forms a value can be printed in: as written, URL-decoded / -encoded, JSON-escaped. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, decodeURIComponent(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...forms];
}

/** The secrets (or 8-character pieces of them) that `text` shows. */
function leaksIn(text: string, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      const piece = Array.from({ length: Math.max(1, form.length - 7) }, (_, i) => form.slice(i, i + 8)).find((p) => text.includes(p));
      if (piece !== undefined) {
        leaks.push(`${secret} (shows '${piece}')`);
        break;
      }
    }
  }
  return leaks;
}

/** The materialized checkout (seed-broken + the overlay) that every run lints. */
let dir: string;
let SECRETS: string[];
let out: string;

beforeAll(() => {
  dir = (materializeFixture as (d: string) => string)(FIXTURE);
  SECRETS = plantedSecrets(dir);
  out = mkdtempSync(join(tmpdir(), "dpl-secrets-out-"));
});

function expectNoLeak(what: string, ...texts: string[]): void {
  expect(leaksIn(texts.join("\n"), SECRETS), what).toEqual([]);
}

describe("the secret-laden fixture", () => {
  it("plants the secrets everywhere (so the test below checks something)", () => {
    expect(SECRETS.length).toBeGreaterThanOrEqual(35);
    expect(leaksIn(readFileSync(join(dir, ".env"), "utf8"), SECRETS).length).toBeGreaterThanOrEqual(11);
    // The checker itself finds a secret and its encoded forms.
    expect(leaksIn("postgres://u:Zk7Qe4-DBURL/Fh2Jq8@Nw5@db", SECRETS)).toHaveLength(1);
    expect(leaksIn("x: Ww2Qq1 and Fh2Jq8%40Nw", SECRETS)).toHaveLength(1);
  });
});

describe("no secret is printed", () => {
  const formats = ["text", "json", "github", "sarif", "gitlab", "html"] as const;
  const runs = new Map<string, CliRun>();
  const run = (name: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun => {
    const result = runCli([...args, dir], undefined, env);
    runs.set(name, result);
    return result;
  };

  it.each(formats)("--format %s", (format) => {
    const summary = join(out, `summary-${format}.md`);
    writeFileSync(summary, "");
    const result = run(format, ["--format", format], { GITHUB_STEP_SUMMARY: summary });
    expect(result.status).toBe(1);
    expectNoLeak(`stdout/stderr of --format ${format}`, result.stdout, result.stderr);
    expectNoLeak("the GitHub step summary", readFileSync(summary, "utf8"));
    if (format === "github") expect(readFileSync(summary, "utf8")).toContain("compose/inline-secret");
  });

  it("--output FILE", () => {
    const file = join(out, "report.sarif");
    const result = runCli(["--format", "sarif", "--output", file, dir]);
    expect(result.status).toBe(1);
    expectNoLeak("the --output file", readFileSync(file, "utf8"), result.stdout, result.stderr);
  });

  it("finds the planted problems, and shows masked values in their messages", () => {
    const json = runs.get("json") ?? run("json", ["--format", "json"]);
    const findings = (JSON.parse(json.stdout) as { findings: { rule: string; file: string; line: number; message: string }[] }).findings;
    const rows = findings.map((f) => [f.rule, f.file, f.line]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ["git/env-tracked", ".env", 1],
        ["git/env-not-ignored", ".env.prod", 1],
        ["compose/inline-secret", "docker-compose.yml", 10],
        ["compose/inline-secret", "docker-compose.yml", 34],
        ["compose/inline-secret", "docker-compose.yml", 48],
        ["compose/inline-secret", "docker-compose.yml", 49],
        ["docker/secret-in-env", "Dockerfile", 4],
        ["docker/secret-in-env", "Dockerfile", 7],
        ["docker/secret-in-env", "Dockerfile", 9],
        ["django/secret-key-in-source", "django_prod_skeleton/django_prod_skeleton/settings/prod.py", 12],
        ["deploy/db-credentials-drift", "django_prod_skeleton/django_prod_skeleton/settings/prod.py", 26],
        ["docker/env-in-image", "Dockerfile", 20],
      ]),
    );
    const drift = findings.find((f) => f.rule === "deploy/db-credentials-drift");
    // Both passwords are in the message, masked: `Zk…(28 chars) vs Zk…(31 chars)`.
    expect(drift?.message).toMatch(/Zk…\(28 chars\) vs Zk…\(31 chars\)/);
    expect(findings.find((f) => f.rule === "compose/inline-secret" && f.line === 49)?.message).toContain("amqp://worker:Zk…(30 chars)@rabbit//");
  });

  it("--print-model", () => {
    const result = run("model", ["--print-model"]);
    expect(result.status).toBe(0);
    expectNoLeak("--print-model", result.stdout, result.stderr);
    const model = JSON.parse(result.stdout) as { stacks: { services: { name: string; command: string[]; environment: { values: Record<string, { value: string }> }; django: { settings: Record<string, { value: unknown }> } | null }[] }[] };
    const services = model.stacks[0]!.services;
    const web = services.find((s) => s.name === "web")!;
    // The values are there, masked — not dropped.
    expect(web.environment.values.SECRET_KEY?.value).toBe("Zk…(63 chars)");
    expect(web.environment.values.REDIS_URL?.value).toBe("redis://:Zk…(31 chars)@cache:6379/0");
    expect(web.django?.settings.SECRET_KEY_FALLBACKS?.value).toEqual(["Zk…(51 chars)", "Zk…(52 chars)"]);
    expect(services.find((s) => s.name === "cache")!.command).toEqual(["redis-server", "--requirepass", "Zk…(30 chars)"]);
  });

  it("--write-baseline FILE", () => {
    const file = join(out, "baseline.json");
    const result = runCli(["--write-baseline", file, dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/wrote \d+ findings to the baseline/);
    expectNoLeak("the baseline file", readFileSync(file, "utf8"), result.stdout, result.stderr);
    const reread = runCli(["--baseline", file, dir]);
    expect(reread.status).toBe(0);
    expectNoLeak("a lint with the baseline", reread.stdout, reread.stderr);
  });

  it("--explain of the rules that report secrets", () => {
    for (const rule of ["compose/inline-secret", "docker/secret-in-env", "deploy/db-credentials-drift"]) {
      const result = runCli(["--explain", rule]);
      expect(result.status).toBe(0);
      expectNoLeak(`--explain ${rule}`, result.stdout, result.stderr);
    }
  });
});

describe("error paths that quote the user's text", () => {
  const project = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), "dpl-secrets-err-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    return root;
  };

  it("a config file with a JSON syntax error next to a secret (Node quotes the text around the error)", () => {
    const root = project({ "django-prod-lint.config.json": '{"select": ["git"], "db_password": Zk7QErr1JsonSyntaxAb3Cd4Ef5}\n' });
    const result = runCli([root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/django-prod-lint\.config\.json: invalid JSON: Unexpected token 'Z'\n/);
    expect(result.stderr).not.toContain("Zk7QErr1");
  });

  it("a config value holding a credential is quoted masked", () => {
    const url = runCli([project({ ".django-prod-lint.yaml": "settings: postgres://app:Zk7QErr2CfgUrlGh6Ij7@db/app\n" })]);
    expect(url.status).toBe(2);
    expect(url.stderr).toContain('(got "postgres://app:Zk…(20 chars)@db/app")');
    const assignment = runCli([project({ ".django-prod-lint.yaml": "fail-on: DB_PASSWORD=Zk7QErr3CfgAssignKl8Mn9\n" })]);
    expect(assignment.status).toBe(2);
    expect(assignment.stderr).toContain('(got "DB_PASSWORD=Zk…(23 chars)")');
    expect(url.stderr + assignment.stderr).not.toMatch(/Zk7QErr[23]/);
  });

  it("a compose environment written as one string is a parse problem that masks the password", () => {
    const root = project({ "docker-compose.yml": 'services:\n  web:\n    image: python\n    environment: "DB_PASSWORD=Zk7QErr4ComposeStrOp1Qr2"\n' });
    const result = runCli(["--format", "json", root]);
    expect(result.status).toBe(1);
    const messages = (JSON.parse(result.stdout) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === "parse/problem").map((f) => f.message);
    expect(messages).toEqual(['services.web.environment must be a mapping or a list, not the string "DB_PASSWORD=Zk…(24 chars)"']);
    expect(result.stdout + result.stderr).not.toContain("Zk7QErr4");
  });

  it("a baseline that is not JSON", () => {
    const root = project({ "bad-baseline.json": '{"fingerprints": [Zk7QErr5BaselineSt3Uv4]}' });
    const result = runCli(["--baseline", join(root, "bad-baseline.json"), root]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("is not valid JSON (Unexpected token 'Z')");
    expect(result.stderr).not.toContain("Zk7QErr5");
  });
});
