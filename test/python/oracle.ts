import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { evaluateModule, type LibraryOptions, type ModuleEvaluation } from "../../src/python/evaluate.js";
import { pyRepr } from "../../src/python/values.js";
import { envOf, memoryHost } from "./helpers.js";

/**
 * Runs the same settings package with real Python (Debian's /usr/bin/python3 with
 * python3-django-environ, python3-decouple, python3-dotenv) and with our evaluator, and
 * returns both sides' repr() of chosen names. The project is written under a fresh temp
 * directory, which is also the container root our in-memory host reports, so __file__,
 * find_dotenv() and decouple's file search see the same paths on both sides.
 */

export const DEBIAN_PYTHON = "/usr/bin/python3";

/** Exit 127 when a library is missing, so toolAvailable() tells "missing" from "failed". */
export const LIBRARIES_PROBE = [DEBIAN_PYTHON, "-c", "import sys\ntry:\n    import environ, decouple, dotenv, django\nexcept ImportError:\n    sys.exit(127)"];

/** The installed versions, as evaluation options. */
export function installedLibraries(): LibraryOptions {
  const script = [
    "import json, importlib.metadata as m, django",
    "names = sorted({(d.metadata['Name'] or '').lower() for d in m.distributions()})",
    "print(json.dumps({'environ': m.version('django-environ'), 'decouple': m.version('python-decouple'), 'dotenv': m.version('python-dotenv'), 'django': list(django.VERSION[:2]), 'installed': names}))",
  ].join("\n");
  const run = spawnSync(DEBIAN_PYTHON, ["-c", script], { encoding: "utf8", env: {} });
  if (run.status !== 0) throw new Error(`cannot read the installed versions: ${run.stderr}`);
  const v = JSON.parse(run.stdout) as { environ: string; decouple: string; dotenv: string; django: [number, number]; installed: string[] };
  return {
    versions: { "django-environ": v.environ, "python-decouple": v.decouple, "python-dotenv": v.dotenv },
    django: { major: v.django[0], minor: v.django[1] },
    installed: new Set(v.installed),
  };
}

const HANDLED = ["ImproperlyConfigured", "UndefinedValueError", "KeyError", "ValueError", "TypeError", "AttributeError", "OSError", "Exception"];

/**
 * The settings module: `prelude`, then `V0 = expr0` … each in a try whose handlers name the
 * exception class, so a raise compares as e.g. '<ValueError>' on both sides.
 */
export function settingsSource(prelude: string, exprs: string[]): string {
  const lines = [
    "from django.core.exceptions import ImproperlyConfigured",
    "from decouple import UndefinedValueError",
    prelude,
  ];
  exprs.forEach((expr, i) => {
    lines.push("try:", `    V${i} = ${expr}`);
    for (const h of HANDLED) lines.push(`except ${h}:`, `    V${i} = '<${h}>'`);
  });
  return lines.join("\n") + "\n";
}

export interface OracleRun {
  python: Record<string, string>;
  ours: Record<string, string>;
  evaluation: ModuleEvaluation;
}

const HARNESS = [
  "import importlib, json, sys, warnings",
  "warnings.simplefilter('ignore')",
  "root, module, names = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])",
  "if len(sys.argv) > 4: sys.path.insert(0, sys.argv[4])",
  "sys.path.insert(0, root)",
  "try:",
  "    m = importlib.import_module(module)",
  "    out = {n: repr(getattr(m, n)) if hasattr(m, n) else '<missing>' for n in names}",
  "except BaseException as e:",
  "    out = {'__import__': type(e).__name__ + ': ' + str(e)}",
  "print(json.dumps(out))",
].join("\n");

/** Library sources to import before the installed ones (a checkout of newer releases). */
export interface OracleOptions {
  cwd?: string;
  libraryPath?: string;
}

export function runOracle(files: Record<string, string>, module: string, names: string[], env: Record<string, string>, libraries: LibraryOptions, options: OracleOptions = {}): OracleRun {
  const cwd = options.cwd;
  // A few levels deep so that no stray .env / settings.ini above it can be found by either side.
  const base = realpathSync(mkdtempSync(join(tmpdir(), "dpl-oracle-")));
  const root = join(base, "srv", "app");
  try {
    for (const dir of parents(root)) {
      for (const stray of [".env", "settings.ini"]) {
        if (existsSync(join(dir, stray))) throw new Error(`${join(dir, stray)} exists: it would be found by python-decouple / find_dotenv; remove it`);
      }
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    const harness = join(base, "harness.py");
    writeFileSync(harness, HARNESS);
    const argv = ["-B", harness, root, module, JSON.stringify(names), ...(options.libraryPath ? [options.libraryPath] : [])];
    const run = spawnSync(DEBIAN_PYTHON, argv, { encoding: "utf8", env, cwd: cwd === undefined ? root : join(root, cwd) });
    if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
    const python = JSON.parse(run.stdout) as Record<string, string>;
    const host = memoryHost(files, root, { cwd: cwd === undefined ? root : join(root, cwd) });
    const evaluation = evaluateModule(module, host, envOf(env), { libraries });
    const ours: Record<string, string> = {};
    for (const n of names) {
      const v = evaluation.values.get(n);
      ours[n] = v === undefined ? "<missing>" : v.value.kind === "unknown" ? `<unknown: ${v.value.reason}>` : pyRepr(v.value);
    }
    return { python, ours, evaluation };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

function parents(dir: string): string[] {
  const out: string[] = [];
  let cur = dirname(dir);
  for (;;) {
    out.push(cur);
    const up = dirname(cur);
    if (up === cur) return out;
    cur = up;
  }
}
