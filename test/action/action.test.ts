/**
 * Runs action.yml's composite steps the way the GitHub runner does: each `run:` step is written to a script
 * and run with `bash --noprofile --norc -eo pipefail <script>` (the runner's `shell: bash`), in the step's
 * working-directory or else the workspace, with the step's `env:` and GITHUB_ACTION_PATH / GITHUB_WORKSPACE /
 * GITHUB_STEP_SUMMARY set; `${{ … }}` expressions are substituted by a small evaluator that knows only the
 * ones action.yml may use (`inputs.<name>`, `github.action_path`, `github.workspace`) and fails on anything
 * else. The first failing step ends the action with its exit status, as on a runner.
 * The repository is already installed and built (npm test builds first), so the tests pass `install: false`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isFormatName } from "../../src/report/formats.js";
import { REPO_ROOT } from "../support/cli.js";
import { fixturePath } from "../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { name: string; shell?: string; run?: string; uses?: string; if?: string; env?: Record<string, string>; "working-directory"?: string }[] };
}

const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as ActionYaml;

interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  summary: string;
}

function evaluate(text: string, context: { inputs: Record<string, string>; github: Record<string, string> }): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^(inputs|github)\.([A-Za-z_][\w-]*)$/.exec(expr);
    const value = m ? context[m[1] as "inputs" | "github"][m[2]!] : undefined;
    if (value === undefined) throw new Error(`the test's expression evaluator does not know '\${{ ${expr} }}'`);
    return value;
  });
}

function runAction(workspace: string, inputs: Record<string, string>): ActionRun {
  const unknown = Object.keys(inputs).filter((k) => !(k in action.inputs));
  if (unknown.length > 0) throw new Error(`action.yml has no input ${unknown.join(", ")}`);
  const allInputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? ""]));
  const temp = mkdtempSync(join(tmpdir(), "dpl-action-"));
  const summaryFile = join(temp, "step_summary.md");
  writeFileSync(summaryFile, "");
  const github = { action_path: REPO_ROOT, workspace };
  let stdout = "";
  let stderr = "";
  let status = 0;
  action.runs.steps.forEach((step, i) => {
    if (status !== 0) return;
    if (step.uses !== undefined || step.if !== undefined) throw new Error(`step '${step.name}': the test runs only unconditional run: steps`);
    expect(step.shell).toBe("bash");
    const script = join(temp, `step${i}.sh`);
    writeFileSync(script, evaluate(step.run ?? "", { inputs: allInputs, github }));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), { inputs: allInputs, github })]));
    const cwd = step["working-directory"] !== undefined ? evaluate(step["working-directory"], { inputs: allInputs, github }) : workspace;
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        GITHUB_ACTIONS: "true",
        GITHUB_ACTION_PATH: REPO_ROOT,
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...env,
      },
    });
    stdout += result.stdout;
    stderr += result.stderr;
    status = result.status ?? 128;
  });
  return { status, stdout, stderr, summary: readFileSync(summaryFile, "utf8") };
}

/** A workspace (like a checkout) holding the fixture project in its subfolder `app/`. */
function workspaceWith(fixture: string): string {
  const workspace = mkdtempSync(join(tmpdir(), "dpl-workspace-"));
  renameSync((materializeFixture as (dir: string) => string)(fixturePath(`projects/${fixture}`)), join(workspace, "app"));
  return workspace;
}

const annotations = (stdout: string) => stdout.split("\n").filter((l) => /^::(error|warning|notice) /.test(l));

describe("action.yml", () => {
  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["config", "fail-on", "ignore", "install", "path", "sarif-file", "select"]);
    expect(action.inputs.path?.default).toBe(".");
  });

  it("annotates a broken project with workspace-relative paths, writes the step summary and fails", () => {
    const workspace = workspaceWith("seed-broken");
    const run = runAction(workspace, { path: "app", install: "false" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const lines = annotations(run.stdout);
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith("::warning "))).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=app\/\.env,line=1,endLine=1,col=1,endColumn=\d+,title=git\/env-tracked::\.env is tracked by git and holds SECRET_KEY and POSTGRES_PASSWORD/);
    expect(lines[0]).toContain("%0A  app/docker-compose.yml:26:15: service 'web' reads it (env_file)");
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=app\/config\/nginx\/default\.conf\.template,line=28,endLine=28,col=15,endColumn=\d+,title=deploy\/static-alias::nginx serves \/static\/ from the wrong directory/));
    expect(run.summary).toContain("## django-prod-lint");
    expect(run.summary).toContain("Found 8 problems: 6 errors, 2 warnings, 0 info.");
    expect(run.summary).toContain("| error | `app/config/nginx/default.conf.template:28:15` | `deploy/static-alias` | nginx serves /static/");
    // No secret value from the .env file reaches the log or the summary.
    const env = readFileSync(join(workspace, "app", ".env"), "utf8");
    const secrets = env.split("\n").filter((l) => /^(SECRET_KEY|POSTGRES_PASSWORD)=/.test(l)).map((l) => l.slice(l.indexOf("=") + 1));
    expect(secrets).toHaveLength(2);
    for (const value of secrets) {
      expect(run.stdout).not.toContain(value);
      expect(run.summary).not.toContain(value);
    }
  });

  it("passes on the correct project, with an all-clear summary", () => {
    const run = runAction(workspaceWith("seed-skeleton"), { path: "app", install: "false" });
    expect(run).toMatchObject({ status: 0, stderr: "" });
    expect(annotations(run.stdout)).toEqual([]);
    expect(run.summary).toBe("## django-prod-lint\n\nNo problems found.\n\n");
  });

  it("lints the workspace itself by default (path '.')", () => {
    const workspace = join(workspaceWith("seed-broken"), "app");
    const run = runAction(workspace, { install: "false", select: "git" });
    expect(run.status).toBe(1);
    expect(annotations(run.stdout).map((l) => /file=([^,]*)/.exec(l)?.[1])).toEqual([".env", ".env.prod"]);
  });

  it("honours fail-on, select and ignore", () => {
    const workspace = workspaceWith("seed-broken");
    const never = runAction(workspace, { path: "app", install: "false", "fail-on": "never" });
    expect(never.status).toBe(0);
    expect(annotations(never.stdout)).toHaveLength(8);
    const selected = runAction(workspace, { path: "app", install: "false", select: "git", "fail-on": "error" });
    expect(selected.status).toBe(1);
    expect(annotations(selected.stdout).map((l) => /title=([^:]*)::/.exec(l)?.[1])).toEqual(["git/env-tracked", "git/env-not-ignored"]);
    const ignored = runAction(workspace, { path: "app", install: "false", ignore: "compose,deploy,django,docker,git,nginx,parse" });
    expect(annotations(ignored.stdout)).toEqual([]);
    expect(ignored.status).toBe(0);
  });

  it("does not let an input inject shell, and fails with exit 2 on a bad input", () => {
    const workspace = workspaceWith("seed-skeleton");
    const marker = join(workspace, "pwned");
    const run = runAction(workspace, { path: "app", install: "false", select: `git$(touch ${marker})`, ignore: `"; touch ${marker}; "` });
    expect(existsSync(marker)).toBe(false);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown rule or family");
  });

  it("passes the config input as --config (relative to the workspace); its fail-on applies when the fail-on input is empty", () => {
    const workspace = workspaceWith("seed-broken");
    writeFileSync(join(workspace, "lint.yaml"), "select: [compose, git]\nseverity:\n  git: info\nfail-on: error\n");
    const run = runAction(workspace, { path: "app", install: "false", config: "lint.yaml" });
    expect(run).toMatchObject({ status: 0, stderr: "" });
    expect(annotations(run.stdout).map((l) => /^::(\w+) .*title=([^:]*)::/.exec(l)?.slice(1, 3))).toEqual([
      ["notice", "git/env-tracked"],
      ["notice", "git/env-not-ignored"],
      ["warning", "compose/exposed-backing-port"],
    ]);
    // The fail-on input, when given, replaces the file's.
    expect(runAction(workspace, { path: "app", install: "false", config: "lint.yaml", "fail-on": "warning" }).status).toBe(1);
  });

  it("fails with exit 2 when the config input names a missing file", () => {
    const run = runAction(workspaceWith("seed-skeleton"), { path: "app", install: "false", config: "lint.yaml" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("django-prod-lint: cannot read config file lint.yaml: no such file");
  });

  it("writes SARIF when sarif-file is set (or warns while --format sarif does not exist)", () => {
    const workspace = workspaceWith("seed-broken");
    const run = runAction(workspace, { path: "app", install: "false", "sarif-file": "results.sarif" });
    expect(run.status).toBe(1);
    expect(annotations(run.stdout).filter((l) => l.includes("title=git/") || l.includes("title=deploy/"))).not.toEqual([]);
    if (isFormatName("sarif")) {
      const sarif = JSON.parse(readFileSync(join(workspace, "results.sarif"), "utf8")) as { version: string; runs: { results: unknown[] }[] };
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.runs[0]?.results).toHaveLength(8);
    } else {
      expect(existsSync(join(workspace, "results.sarif"))).toBe(false);
      expect(run.stdout).toContain("::warning title=django-prod-lint::this version of django-prod-lint has no --format sarif");
    }
  });

  it("refuses install: false when the action's copy is not built", () => {
    // Runs only the install step, with an action path that has no dist/.
    const empty = mkdtempSync(join(tmpdir(), "dpl-action-path-"));
    const step = action.runs.steps[0]!;
    const script = join(empty, "step.sh");
    writeFileSync(script, step.run ?? "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: empty, encoding: "utf8", env: { PATH: process.env.PATH ?? "", INPUT_INSTALL: "false" } });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("::error title=django-prod-lint::install is 'false' but dist/django-prod-lint.cjs is missing");
  });
});
