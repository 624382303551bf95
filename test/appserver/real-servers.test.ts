import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { gunicornFromArgv } from "../../src/parsers/gunicorn.js";
import { splitShellWords } from "../../src/parsers/shell-words.js";
import { normaliseUwsgiKey, parseUwsgiIni, uwsgiOptionsFromArgv } from "../../src/parsers/uwsgi.js";
import { toolAvailable } from "../support/tools.js";

/**
 * Our readings compared with the real servers' own: uWSGI prints the configuration it
 * loaded (`--show-config`) and `--hook-pre-jail exit:` stops it before it binds anything;
 * gunicorn prints its settings with `--print-config` and exits when the app cannot load.
 */
const fixture = (rel: string): string => realpathSync(fileURLToPath(new URL(`../../fixtures/loaders/appserver/${rel}`, import.meta.url)));
const work = mkdtempSync(join(tmpdir(), "dpl-appserver-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The [key, value] pairs uWSGI shows, without the ones the probe itself adds. */
function uwsgiShowConfig(args: string[], env: Record<string, string> = {}): [string, string][] {
  const run = spawnSync("uwsgi", ["--show-config", ...args, "--hook-pre-jail", "exit:"], {
    cwd: work,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    encoding: "utf8",
    timeout: 20_000,
    killSignal: "SIGKILL",
  });
  const out = `${run.stdout}${run.stderr}`;
  const start = out.indexOf(";uWSGI instance configuration\n[uwsgi]\n");
  const end = out.indexOf(";end of configuration");
  if (start < 0 || end < 0) throw new Error(`uwsgi printed no configuration:\n${out}`);
  return out
    .slice(start, end)
    .split("\n")
    .slice(2)
    .filter((line) => line !== "")
    .map((line): [string, string] => {
      const eq = line.indexOf(" = ");
      return [line.slice(0, eq), line.slice(eq + 3)];
    })
    .filter(([key]) => !["ini", "show-config", "hook-pre-jail"].includes(key));
}

describe("uWSGI ini files against uwsgi --show-config", () => {
  const uwsgi = toolAvailable("uwsgi", ["uwsgi", "--version"]);

  it.skipIf(!uwsgi)("reads the seed's ini like uWSGI", () => {
    const path = fixture("seed/uwsgi.ini");
    const cfg = parseUwsgiIni(readFileSync(path, "utf8"), "uwsgi.ini", { runtimePath: path, env: () => undefined });
    expect(cfg.options.map((o) => [o.rawKey, o.value])).toEqual(uwsgiShowConfig(["--ini", path]));
  });

  it.skipIf(!uwsgi)("expands placeholders, magic variables and $(ENV) like uWSGI", () => {
    const path = fixture("uwsgi/placeholders.ini");
    const env = { APP_PORT: "8000" };
    const cfg = parseUwsgiIni(readFileSync(path, "utf8"), "placeholders.ini", { runtimePath: path, env: (n) => env[n as keyof typeof env] });
    expect(cfg.options.map((o) => [o.rawKey, o.value])).toEqual(uwsgiShowConfig(["--ini", path], env));
  });

  it.skipIf(!uwsgi)("expands %% , unknown magic letters, path components and unknown references like uWSGI", () => {
    const dir = join(work, "etc", "uwsgi.d");
    mkdirSync(dir, { recursive: true });
    const path = join(dir, "web.app.ini");
    writeFileSync(path, "[uwsgi]\na = 100%% %Y-%0/%1|%c|%n|%e|%s|%x\nb = %(missing)-$(DPL_UNSET_VARIABLE)\nc = %(a) then %(b)\n[web]\nd = not read\n");
    const cfg = parseUwsgiIni(readFileSync(path, "utf8"), "web.app.ini", { runtimePath: path, env: () => undefined });
    expect(cfg.options.map((o) => [o.rawKey, o.value])).toEqual(uwsgiShowConfig(["--ini", path]));
  });

  it.skipIf(!uwsgi)("keeps the lines uWSGI keeps in a garbage file (and reports the others)", () => {
    const path = fixture("bad/garbage.ini");
    const cfg = parseUwsgiIni(readFileSync(path, "utf8"), "garbage.ini", { runtimePath: path, env: () => undefined });
    const shown = uwsgiShowConfig(["--ini", path]);
    // uWSGI registers a line without '=' or with a blank name as an option of that name, which never applies.
    expect(cfg.options.map((o) => [o.rawKey, o.value])).toEqual(shown.filter(([key]) => /^[A-Za-z0-9_.-]+$/.test(key)));
    expect(shown.length - cfg.options.length).toBe(3);
    expect(cfg.problems.length).toBe(7);
  });
});

describe("uWSGI command lines against uwsgi --show-config", () => {
  const uwsgi = toolAvailable("uwsgi", ["uwsgi", "--version"]);

  it.skipIf(!uwsgi)("reads long, attached, short, grouped and optional-value options like uWSGI", () => {
    const words = splitShellWords(`--http-socket=:8001 -s /tmp/dpl-a.sock -s/tmp/dpl-b.sock -Mp4 --chmod-socket=666 --chdir /tmp --env "B=c d" --vacuum --uwsgi-socket :1 -C --master --env -X=1`, "cmd");
    const ours = uwsgiOptionsFromArgv(words);
    expect(ours.problems).toEqual([]);
    const shown = uwsgiShowConfig(words.map((w) => w.value)).map(([k, v]) => [normaliseUwsgiKey(k), v]);
    expect(ours.options.map((o) => [o.key, o.value])).toEqual(shown);
  });
});

/** gunicorn's settings as --print-config shows them (it exits when the app fails to import). */
function gunicornPrintConfig(args: string[]): Map<string, string> {
  const run = spawnSync("gunicorn", ["--print-config", ...args], { cwd: work, encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL" });
  const settings = new Map<string, string>();
  for (const line of run.stdout.split("\n")) {
    const m = /^(\w+)\s+= (.*)$/.exec(line);
    if (m) settings.set(m[1] as string, m[2] as string);
  }
  if (!settings.has("bind")) throw new Error(`gunicorn printed no configuration:\n${run.stdout}${run.stderr}`);
  return settings;
}

const pyList = (values: string[]): string => `[${values.map((v) => `'${v}'`).join(", ")}]`;

describe("gunicorn command lines against gunicorn --print-config", () => {
  const gunicorn = toolAvailable("gunicorn", ["gunicorn", "--version"]);
  const cases = [
    "-b 0.0.0.0:8000 --bind=unix:/tmp/dpl-g.sock -bx:1 -b=:8001 --bi 127.0.0.1:8003 -k gevent --chdir /tmp -e A=b --env C=d --pythonpath /srv proj.wsgi:application",
    "proj.wsgi:application -Db :9000 --workers=3",
    "--bind 0.0.0.0:${PORT} --worker-class=uvicorn.workers.UvicornWorker app:application",
  ];
  it.skipIf(!gunicorn).each(cases)("reads %j like gunicorn", (text) => {
    const words = splitShellWords(text, "cmd");
    const ours = gunicornFromArgv(words);
    expect(ours.problems).toEqual([]);
    const shown = gunicornPrintConfig(words.map((w) => w.value));
    expect(pyList(ours.binds.map((b) => b.value))).toBe(shown.get("bind"));
    expect(pyList(ours.envs.map((e) => e.value))).toBe(shown.get("raw_env"));
    expect(ours.app?.value).toBe(shown.get("default_proc_name"));
    expect(ours.pythonpath?.value ?? "None").toBe(shown.get("pythonpath"));
    if (ours.workerClass) expect(ours.workerClass.value).toBe(shown.get("worker_class"));
    if (ours.chdir) expect(ours.chdir.value).toBe(shown.get("chdir"));
  });
});
