/**
 * What a container command runs: app servers, manage.py commands and scripts, found in a
 * command word list through the wrappers deployments put in front of them (`sh -c "…"`,
 * `exec`, `env A=b`, wait-for-it, dockerize, gosu, `python -m`, `pipenv run`…).
 *
 * Pure word-list analysis: nothing is executed, no file is opened. A `script` invocation
 * names a file the caller can open (through the container's filesystem) and feed back here
 * one line at a time (splitShellScript / parseShellScript).
 */
import type { LocatedString } from "../core/location.js";
import { simpleCommands, splitWordAsScript } from "./shell-words.js";

export type AppServerKind = "uwsgi" | "gunicorn" | "daphne" | "uvicorn" | "runserver";

export interface ProcessInvocation {
  kind: AppServerKind | "collectstatic" | "migrate" | "script" | "other";
  /**
   * From the program word on: `argv[0]` is the server (`gunicorn` also in `python -m gunicorn`),
   * `manage.py` / `django-admin` for Django commands (`argv[1]` is the subcommand), the
   * script's path for scripts (also in `bash run.sh`), the program for anything else.
   */
  argv: LocatedString[];
  /** Index of argv[0] in the original word list; for commands inside `sh -c "…"`, the index of that string. */
  programIndex: number;
  /** Set when the command sits in an if/loop body, case arm or function of the word list (or of its `sh -c` string): it may not run. For script lines, see ShellCommand.conditional. */
  conditional?: true;
}

/** Nested `sh -c` strings are followed this deep. */
const MAX_DEPTH = 4;

const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "busybox-sh"]);
const BIN_DIRS = ["/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/", "/usr/local/sbin/"];
/** Wrappers that take no argument of their own before the command. */
const PLAIN_WRAPPERS = new Set(["exec", "command", "builtin", "nohup", "setsid", "time", "ddtrace-run", "with-contenv"]);
/** Runners whose `run` subcommand runs the rest: `pipenv run gunicorn …`. */
const RUNNERS = new Set(["pipenv", "poetry", "pdm", "hatch", "uv", "rye"]);
const UV_RUN_VALUE_OPTIONS = new Set(["--with", "--with-editable", "--with-requirements", "--python", "-p", "--env-file", "--project", "--directory", "--package", "--extra", "--group", "--index", "--default-index", "--index-url", "--extra-index-url", "-C", "--config-setting"]);
const DOCKERIZE_BOOL_FLAGS = new Set(["poll", "no-overwrite", "skip-tls-verify", "version"]);
const KNOWN_PROGRAMS = new Set(["uwsgi", "gunicorn", "daphne", "uvicorn", "python", "python3", "manage.py", "django-admin", "nginx", "env", "exec", ...SHELLS]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function isAssignment(word: LocatedString): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value);
}

function isPython(name: string): boolean {
  return /^(python[0-9.]*|pypy[0-9.]*)$/.test(name);
}

function serverKind(name: string): AppServerKind | undefined {
  if (/^uwsgi(-core)?$|^uwsgi_python[0-9]*$/.test(name)) return "uwsgi";
  if (/^gunicorn[0-9]*$/.test(name)) return "gunicorn";
  if (name === "daphne") return "daphne";
  if (name === "uvicorn") return "uvicorn";
  return undefined;
}

function isScriptPath(value: string): boolean {
  if (value.includes("$") || value === "") return false;
  if (/\.(sh|bash)$/.test(value)) return true;
  if (!value.includes("/")) return false;
  if (BIN_DIRS.some((d) => value.startsWith(d))) return false;
  return !KNOWN_PROGRAMS.has(basename(value)) && !isPython(basename(value));
}

interface Words {
  words: LocatedString[];
  /** Index in the original list of each word (all the same inside an `sh -c` string). */
  indices: number[];
}

/**
 * Find app-server, manage.py and script invocations in one command word list (compose
 * command/entrypoint, Dockerfile CMD/ENTRYPOINT, or one script line).
 */
export function findInvocations(words: LocatedString[]): ProcessInvocation[] {
  return invocationsIn({ words, indices: words.map((_, k) => k) }, 0);
}

function invocationsIn(list: Words, depth: number): ProcessInvocation[] {
  const out: ProcessInvocation[] = [];
  for (const command of simpleCommands(list.words)) {
    const indices = command.indices.map((k) => list.indices[k] ?? k);
    for (const invocation of analyzeCommand({ words: command.words, indices }, depth)) {
      out.push(command.conditional ? { ...invocation, conditional: true } : invocation);
    }
  }
  return out;
}

/** Skips options (`-x`, `--long`, `--long=v`) of a wrapper; `valueOptions` take the next word. */
function skipOptions(words: LocatedString[], p: number, valueOptions: Set<string> = new Set()): number {
  while (p < words.length) {
    const v = words[p]?.value ?? "";
    if (v === "--") return p + 1;
    if (!v.startsWith("-") || v === "-") return p;
    p += valueOptions.has(v) ? 2 : 1;
  }
  return p;
}

function analyzeCommand(cmd: Words, depth: number): ProcessInvocation[] {
  const w = cmd.words;
  const at = (p: number): string => w[p]?.value ?? "";
  const invocation = (kind: ProcessInvocation["kind"], p: number): ProcessInvocation[] => [
    { kind, argv: w.slice(p), programIndex: cmd.indices[p] ?? -1 },
  ];
  let p = 0;
  for (let guard = 0; guard < 64 && p < w.length; guard++) {
    while (p < w.length && isAssignment(w[p] as LocatedString)) p++;
    if (p >= w.length) return [];
    const value = at(p);
    const name = basename(value);

    if (PLAIN_WRAPPERS.has(name)) {
      // exec -a NAME, exec -c, exec -l; command -p; time -p
      p = skipOptions(w, p + 1, new Set(["-a"]));
      continue;
    }
    if (name === "env") {
      p = skipOptions(w, p + 1, new Set(["-u", "--unset", "-C", "--chdir", "-S", "--split-string"]));
      continue;
    }
    if (name === "nice") {
      p = skipOptions(w, p + 1, new Set(["-n", "--adjustment"]));
      continue;
    }
    if (name === "gosu" || name === "su-exec") {
      p += 2;
      continue;
    }
    if (name === "sudo" || name === "runuser" || name === "chpst" || name === "s6-setuidgid" || name === "setpriv") {
      p = skipOptions(w, p + 1, new Set(["-u", "-g", "-U", "-e", "-C", "--user", "--group", "--reuid", "--regid", "--groups"]));
      if (name === "s6-setuidgid") p++;
      continue;
    }
    if (name === "tini" || name === "dumb-init" || name === "catatonit") {
      p = skipOptions(w, p + 1, new Set(["-e", "-p", "-r", "--rewrite"]));
      continue;
    }
    if (/^wait[-_]?for/.test(name)) {
      // wait-for-it.sh db:5432 -t 30 -- uwsgi …: the command is after `--`; without one it only waits.
      const dashes = w.findIndex((x, k) => k > p && x.value === "--");
      if (dashes < 0) return [];
      p = dashes + 1;
      continue;
    }
    if (name === "dockerize") {
      // Go flags: -wait tcp://db:5432 -timeout 20s uwsgi …; -flag=value; `--` optional.
      p++;
      while (p < w.length) {
        const v = at(p);
        if (v === "--") {
          p++;
          break;
        }
        if (!v.startsWith("-")) break;
        const flag = v.replace(/^--?/, "");
        p += flag.includes("=") || DOCKERIZE_BOOL_FLAGS.has(flag) ? 1 : 2;
      }
      continue;
    }
    if (name === "newrelic-admin" && at(p + 1) === "run-program") {
      p += 2;
      continue;
    }
    // `newrelic-admin run-python manage.py …`: run-python stands where python would.
    if (name === "newrelic-admin" && at(p + 1) === "run-python") return pythonInvocation(cmd, p + 1);
    if (name === "opentelemetry-instrument") {
      p++;
      while (p < w.length && at(p).startsWith("--")) p += at(p).includes("=") ? 1 : 2;
      continue;
    }
    if (RUNNERS.has(name) && at(p + 1) === "run") {
      p = skipOptions(w, p + 2, name === "uv" ? UV_RUN_VALUE_OPTIONS : new Set());
      continue;
    }
    if (SHELLS.has(name)) return shellInvocation(cmd, p, depth);
    if (name === "source" || name === ".") {
      return p + 1 < w.length ? invocation("script", p + 1) : [];
    }
    if (isPython(name)) return pythonInvocation(cmd, p);
    if (name === "manage.py" || name === "django-admin" || name === "django-admin.py") return djangoInvocation(cmd, p);
    const kind = serverKind(name);
    if (kind) return invocation(kind, p);
    if (isScriptPath(value)) return invocation("script", p);
    return invocation("other", p);
  }
  return [];
}

/** sh/bash: `-c "string"` is analysed as a script; `sh run.sh` runs a script; options skipped. */
function shellInvocation(cmd: Words, p: number, depth: number): ProcessInvocation[] {
  const w = cmd.words;
  let commandString = false;
  let k = p + 1;
  for (; k < w.length; k++) {
    const v = w[k]?.value ?? "";
    if (v === "--") {
      k++;
      break;
    }
    if (!/^[-+]/.test(v) || v === "-" || v === "+") break;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) commandString = true;
    // -o pipefail / +o errexit take the option name
    if (/^[-+][A-Za-z]*o$/.test(v)) k++;
  }
  const operand = w[k];
  if (!operand) return [];
  if (commandString) {
    if (depth >= MAX_DEPTH) return [];
    const inner = splitWordAsScript(operand);
    const index = cmd.indices[k] ?? -1;
    const out: ProcessInvocation[] = [];
    for (const c of inner.commands) {
      for (const invocation of invocationsIn({ words: c.words, indices: c.words.map(() => index) }, depth + 1)) {
        out.push(c.conditional ? { ...invocation, conditional: true } : invocation);
      }
    }
    return out;
  }
  return [{ kind: "script", argv: w.slice(k), programIndex: cmd.indices[k] ?? -1 }];
}

/** python [-u -W x -X y …] (-m module | manage.py | file.py) … */
function pythonInvocation(cmd: Words, p: number): ProcessInvocation[] {
  const w = cmd.words;
  let k = p + 1;
  for (; k < w.length; k++) {
    const v = w[k]?.value ?? "";
    if (v === "-m" || v === "-c") break;
    if (/^-[WXQ]$/.test(v)) {
      k++;
      continue;
    }
    if (!v.startsWith("-") || v === "-") break;
  }
  const v = w[k]?.value ?? "";
  const from = (kind: ProcessInvocation["kind"], q: number): ProcessInvocation[] => [{ kind, argv: w.slice(q), programIndex: cmd.indices[q] ?? -1 }];
  if (v === "-m") {
    const module = w[k + 1]?.value ?? "";
    const kind = serverKind(module);
    if (kind) return from(kind, k + 1);
    if (module === "django") return djangoInvocation(cmd, k + 1);
    return from("other", p);
  }
  if (v === "-c" || k >= w.length) return from("other", p);
  if (basename(v) === "manage.py" || basename(v) === "django-admin.py") return djangoInvocation(cmd, k);
  const kind = serverKind(basename(v));
  if (kind) return from(kind, k);
  return from("other", p);
}

/** manage.py / django-admin: the subcommand decides the kind. */
function djangoInvocation(cmd: Words, p: number): ProcessInvocation[] {
  const w = cmd.words;
  const sub = w[p + 1]?.value ?? "";
  const kind: ProcessInvocation["kind"] =
    sub === "runserver" || sub === "runserver_plus" ? "runserver" : sub === "collectstatic" ? "collectstatic" : sub === "migrate" ? "migrate" : "other";
  return [{ kind, argv: w.slice(p), programIndex: cmd.indices[p] ?? -1 }];
}
