import { fsPath, type CallArgs, type CallContext } from "../builtins.js";
import type { EnvValueSource } from "../env-readers.js";
import { parsePythonDotenv, parseVariables } from "../env-files/python-dotenv.js";
import { isAbsolute, osPathDirname, osPathJoin, osPathNormpath } from "../paths.js";
import { toPyValue, type Value } from "../runtime.js";
import { NONE, bool, dictSet, pyRepr, pyTruthy, str, unknown, type PyDict, type PyValue } from "../values.js";
import { isRuntimeFile, type RuntimeFile } from "./files.js";
import { atLeastVersion } from "./versions.js";

/**
 * python-dotenv (`from dotenv import load_dotenv`), 0.21 (Debian) to 1.2, read from its
 * source. `load_dotenv(path)` parses the file (parser.py rules, see env-files/python-dotenv.ts),
 * expands `${VAR}` / `${VAR:-default}` unless `interpolate=False`, and sets each variable
 * unless it is already set (`override=True` replaces). Without a path it uses `find_dotenv()`:
 * `.env` in the calling module's directory or the nearest parent, up to `/` included.
 * 1.2 added PYTHON_DOTENV_DISABLED (a truthy value turns load_dotenv off).
 *
 * When `__main__` has no `__file__` (uWSGI embeds Python that way; the model says so with
 * LibraryOptions.mainWithoutFile), find_dotenv() starts from the working directory instead.
 */

export function dotenvModuleAttribute(attr: string): Value {
  switch (attr) {
    case "load_dotenv":
    case "dotenv_values":
    case "find_dotenv":
      return { kind: "builtin", qualname: `dotenv.${attr}` };
    default:
      return { kind: "external", qualname: `dotenv.${attr}` };
  }
}

type Resolved = { value: string | null | { unknown: string }; source: EnvValueSource };

export function dotenvCall(qualname: string, args: CallArgs, ctx: CallContext): Value {
  const arg = (i: number, name: string): Value | undefined => args.positional[i] ?? args.keywords.get(name);
  const flag = (v: Value | undefined, dflt: boolean): boolean | undefined => (v === undefined ? dflt : pyTruthy(toPyValue(v)));
  switch (qualname) {
    case "dotenv.find_dotenv": {
      const filename = toPyValue(arg(0, "filename") ?? str(".env"));
      const usecwd = flag(arg(2, "usecwd"), false);
      if (filename.kind !== "str" || usecwd === undefined) return unknown("find_dotenv() with arguments that are not known");
      const found = findDotenv(filename.value, usecwd, ctx);
      if (typeof found !== "string") return found;
      if (found === "" && flag(arg(1, "raise_error_if_not_found"), false) !== false) return ctx.raise("OSError", "OSError: File not found");
      return str(found);
    }
    case "dotenv.load_dotenv": {
      const override = flag(arg(3, "override"), false);
      const interpolate = flag(arg(4, "interpolate"), true);
      if (override === undefined || interpolate === undefined) return unknown("load_dotenv() with a flag that is not known");
      if (arg(1, "stream") !== undefined && arg(1, "stream")?.kind !== "none") return loadUnknown("load_dotenv(stream=…) is not evaluated", override, ctx);
      if (atLeastVersion(ctx.libraries, "python-dotenv", "1.2.0")) {
        const disabled = ctx.env.lookup("PYTHON_DOTENV_DISABLED");
        if (disabled.kind === "unknown") return loadUnknown(`load_dotenv() is off when PYTHON_DOTENV_DISABLED is true: ${disabled.reason}`, override, ctx);
        if (disabled.kind === "set" && ["1", "true", "t", "yes", "y"].includes(disabled.value.toLowerCase())) return bool(false);
      }
      const file = dotenvFile(arg(0, "dotenv_path"), ctx);
      if ("unknown" in file) return loadUnknown(file.unknown, override, ctx);
      if (file.runtime === undefined) return bool(false);
      const values = resolve(file.runtime, override, interpolate, ctx);
      if (values.length === 0) return bool(false);
      for (const { name, entry } of values) {
        if (entry.value === null) continue;
        const current = ctx.env.lookup(name);
        if (current.kind !== "absent" && !override) continue;
        if (typeof entry.value === "string") ctx.env.set(name, entry.value, entry.source);
        else ctx.env.setUnknown(name, entry.value.unknown);
      }
      return bool(true);
    }
    case "dotenv.dotenv_values": {
      const interpolate = flag(arg(3, "interpolate"), true);
      if (interpolate === undefined) return unknown("dotenv_values() with a flag that is not known");
      if (arg(1, "stream") !== undefined && arg(1, "stream")?.kind !== "none") return unknown("dotenv_values(stream=…) is not evaluated");
      const file = dotenvFile(arg(0, "dotenv_path"), ctx);
      if ("unknown" in file) return unknown(file.unknown);
      const d: PyDict = { kind: "dict", entries: [] };
      if (file.runtime === undefined) return d;
      for (const { name, entry } of resolve(file.runtime, true, interpolate, ctx)) {
        const v: PyValue = entry.value === null ? NONE : typeof entry.value === "string" ? str(entry.value) : unknown(entry.value.unknown);
        dictSet(d, str(name), v);
      }
      return d;
    }
    default:
      return unknown(`${qualname}() is not evaluated`);
  }
}

function loadUnknown(reason: string, override: boolean, ctx: CallContext): Value {
  ctx.env.loadedUnknownFile(reason, override);
  return unknown(reason);
}

/** The file a dotenv_path argument names (find_dotenv() without one): the runtime file, none, or unknown. */
function dotenvFile(pathArg: Value | undefined, ctx: CallContext): { runtime: RuntimeFile | undefined } | { unknown: string } {
  let p: string;
  if (pathArg === undefined || pathArg.kind === "none") {
    const found = findDotenv(".env", false, ctx);
    if (typeof found !== "string") return { unknown: found.reason };
    p = found;
  } else {
    const text = fsPath(pathArg);
    if (typeof text !== "string") return { unknown: `a .env file whose path is unknown: ${text.kind === "unknown" ? text.reason : pyRepr(text)}` };
    p = text;
  }
  if (p === "") return { runtime: undefined }; // `if self.dotenv_path and …`: an empty path reads nothing
  let abs = p;
  if (!isAbsolute(p)) {
    const cwd = ctx.workingDirectory();
    if (cwd === undefined) return { unknown: `${pyRepr(str(p))} is relative to the working directory, which is unknown` };
    abs = osPathJoin(cwd, p);
  }
  const found = ctx.readRuntimeFile(osPathNormpath(abs));
  if (found === undefined) return { runtime: undefined };
  if (!isRuntimeFile(found)) return { unknown: found.unknown };
  return { runtime: found };
}

/** find_dotenv: the first `filename` from the caller's directory (or the working directory) up to `/`. */
function findDotenv(filename: string, usecwd: boolean, ctx: CallContext): string | { kind: "unknown"; reason: string } {
  let dir: string;
  if (usecwd || ctx.libraries?.mainWithoutFile === true) {
    const cwd = ctx.workingDirectory();
    if (cwd === undefined) return unknown("find_dotenv() starts from the working directory here, which is unknown");
    dir = cwd;
  } else {
    const caller = ctx.callerPath();
    if (typeof caller !== "string") return unknown(`find_dotenv() starts from the calling module's directory: ${caller.reason}`);
    dir = osPathDirname(caller);
  }
  dir = osPathNormpath(dir);
  for (let guard = 0; guard < 256; guard++) {
    const candidate = osPathJoin(dir, filename);
    const found = ctx.readRuntimeFile(osPathNormpath(candidate));
    if (found !== undefined) {
      if (!isRuntimeFile(found)) return unknown(found.unknown);
      return candidate;
    }
    const parent = osPathDirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "";
}

/** DotEnv.dict(): the file's values in order, `${VAR}` expanded the way resolve_variables does. */
function resolve(file: RuntimeFile, override: boolean, interpolate: boolean, ctx: CallContext): { name: string; entry: Resolved }[] {
  const parsed = parsePythonDotenv(file.text, file.file);
  const values = new Map<string, Resolved>();
  for (const e of parsed.entries) {
    const source = { file: file.file, range: e.range };
    if (e.value === null || !interpolate) {
      values.set(e.name, { value: e.value, source });
      continue;
    }
    let out = "";
    let unknownReason: string | undefined;
    for (const atom of parseVariables(e.value)) {
      if (atom.kind === "literal") {
        out += atom.text;
        continue;
      }
      const own = values.get(atom.name);
      const fromEnv = ctx.env.lookup(atom.name);
      // override=True: the file's earlier values win over os.environ; otherwise os.environ wins.
      let resolved: string | null | { unknown: string } | undefined;
      if (override && own !== undefined) resolved = own.value;
      else if (fromEnv.kind === "set") resolved = fromEnv.value;
      else if (fromEnv.kind === "unknown") resolved = { unknown: fromEnv.reason };
      else if (own !== undefined) resolved = own.value;
      if (resolved === undefined) resolved = atom.default ?? "";
      if (resolved === null) resolved = "";
      if (typeof resolved !== "string") unknownReason ??= `\${${atom.name}} in ${file.file}: ${resolved.unknown}`;
      else out += resolved;
    }
    values.set(e.name, { value: unknownReason === undefined ? out : { unknown: unknownReason }, source });
  }
  return [...values].map(([name, entry]) => ({ name, entry }));
}
