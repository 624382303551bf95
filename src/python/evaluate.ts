import { fileStart, type SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { collectAssignedNames, rootIdentifier, type AssignedName } from "./assigned-names.js";
import { MODELLED_MODULES, MUTATING_METHODS, builtinGlobal, exceptionAncestors, moduleAttribute } from "./builtins.js";
import type { EnvLookup, EnvRead, SettingsEnvironment } from "./env-readers.js";
import { ExpressionEvaluator } from "./expressions.js";
import { LIBRARY_MODULES, setLibraryAttribute } from "./libraries/dispatch.js";
import { normaliseRuntimePath, type RuntimeFileResult } from "./libraries/files.js";
import type { LibraryOptions } from "./libraries/versions.js";
import { binaryOp, iterate } from "./operators.js";
import { lineIndexOf, nodeRange, parsePython, type ParsedPython, type PyNode } from "./parse.js";
import { isPyObject, toPyValue, type Namespace, type Value } from "./runtime.js";
import { dictSet, pyEquals, pyTruthy, str, unknown, type PyUnknown, type PyValue } from "./values.js";

export type { EnvLookup, EnvRead, EnvValueSource, SettingsEnvironment } from "./env-readers.js";
export type { RuntimeFile, RuntimeFileResult } from "./libraries/files.js";
export type { EnvLibrary, LibraryOptions, LibraryVersions } from "./libraries/versions.js";
export { valueOrigin } from "./runtime.js";

export interface SettingValue {
  name: string;
  value: PyValue;
  /** The assignment target (e.g. `STATIC_ROOT` on its line), in the module that made the final assignment. */
  range: SourceRange;
  /** The whole assignment statement. */
  statementRange: SourceRange;
  /** Env reads that fed this value. */
  envReads: EnvRead[];
}

export interface PythonSourceHost {
  /** Repo-relative file for a dotted module name (a module `a.b` → `…/a/b.py` or package `…/a/b/__init__.py`), or undefined. */
  resolveModule(dotted: string): string | undefined;
  /** Parsed module (the host caches it: each file is parsed once). */
  load(file: string): ParsedPython;
  /** The absolute path of a repo file as the running process sees it (inside its container), used for __file__; undefined when unknown. */
  runtimePath(file: string): string | undefined;
  /**
   * A file the settings read at run time (.env, settings.ini), given its absolute path AS
   * THE CONTAINER SEES IT: the repository file and its text; `{ unknown: reason }` when
   * something may be there whose content is not in the repository (an untracked file on a
   * bind mount, a volume); undefined when the container has no file there. Without this
   * method every such file is unknown.
   */
  readRuntimeFile?(absolutePath: string): RuntimeFileResult;
  /** The process's working directory inside the container, when known (relative paths given to env libraries). */
  workingDirectory?(): string | undefined;
}

export interface ModuleEvaluation {
  module: string; // dotted name
  file: string; // repo-relative
  /** Module-level names after evaluation, star-imported ones included, keeping their original location. */
  values: Map<string, SettingValue>;
  /** Every env read in every module evaluated, in order. */
  envReads: EnvRead[];
  /** The import chain actually evaluated (entry first). */
  modules: { module: string; file: string }[];
  problems: ParseProblem[];
  /**
   * The process environment once the settings are imported — what Django's own checks see
   * in os.environ (async.E001 reads DJANGO_ALLOW_ASYNC_UNSAFE): the deployment's variables
   * plus what the settings set, deleted or loaded from env files (with each value's source).
   * Always set by evaluateModule; optional for evaluations built by hand in tests.
   */
  environment?: EnvironmentAfter;
  /**
   * Why the module's names may include ones we did not see: a star-import of code we do not
   * evaluate, django-split-settings' `include(...)`, `globals().update(...)`, `exec(...)`.
   * A setting missing from `values` is then unknown, not Django's default.
   */
  openNamespace?: string;
}

export interface EnvironmentAfter {
  lookup(name: string): EnvLookup;
  /** Names the settings set, deleted or loaded, in the order they were first changed. */
  changed: string[];
}

export interface EvaluationLimits {
  maxSteps?: number;
  maxImportDepth?: number;
}

export interface EvaluationOptions extends EvaluationLimits {
  /** Versions of django-environ / python-decouple / python-dotenv (and Django, installed packages) whose semantics apply. */
  libraries?: LibraryOptions;
}

export const DEFAULT_MAX_STEPS = 200_000;
export const DEFAULT_MAX_IMPORT_DEPTH = 32;
export { MAX_EXPRESSION_DEPTH } from "./expressions.js";

/**
 * Evaluates a settings module the way `import` would, without running any user code:
 * an abstract interpreter over the tree-sitter tree, following imports inside the repository.
 */
export function evaluateModule(
  dotted: string,
  host: PythonSourceHost,
  env: SettingsEnvironment,
  options?: EvaluationOptions,
): ModuleEvaluation {
  return new Evaluator(host, env, options ?? {}).run(dotted);
}

/** Thrown to stop everything when the step budget runs out. */
class BudgetExceeded extends Error {}

/** `break` / `continue` leaving a loop body; "unknown" when one may run under a condition we cannot decide. */
class LoopSignal extends Error {
  constructor(
    readonly kind: "break" | "continue" | "unknown",
    readonly reason?: string,
  ) {
    super(kind);
  }
}

/** More items than this and a for loop is not run item by item. */
const MAX_LOOP_ITEMS = 10_000;

/** A break or continue in this block that belongs to the enclosing loop (not to a nested one). */
function containsLoopExit(block: PyNode): boolean {
  const stack: PyNode[] = [block];
  while (stack.length > 0) {
    const n = stack.pop() as PyNode;
    if (n.type === "break_statement" || n.type === "continue_statement") return true;
    if (n.type === "for_statement" || n.type === "while_statement" || n.type === "function_definition" || n.type === "class_definition") continue;
    stack.push(...n.namedChildren);
  }
  return false;
}

/** A Python exception that a surrounding `try` catches; only thrown when one does. */
class PyRaise extends Error {
  constructor(
    readonly type: string,
    readonly pyMessage: string,
  ) {
    super(pyMessage);
  }
}

interface ModuleState {
  dotted: string;
  file: string;
  namespace: Namespace;
  status: "running" | "done" | "failed";
}

interface Frame {
  parsed: ParsedPython;
  state: ModuleState;
  isPackage: boolean;
  /** Modules star-imported without evaluation (third-party, or blocked by a limit): names may come from them. */
  externalStars: string[];
}

interface Handler {
  types: string[] | "any";
  alias: PyNode | null;
  block: PyNode | null;
}

type ImportResult = { kind: "found"; state: ModuleState } | { kind: "missing" } | { kind: "blocked"; reason: string };

const SIMPLE_STATEMENTS = new Set([
  "expression_statement",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
  "delete_statement",
  "raise_statement",
  "assert_statement",
  "global_statement",
  "nonlocal_statement",
  "print_statement",
  "exec_statement",
  "return_statement",
  "pass_statement",
  "break_statement",
  "continue_statement",
  "type_alias_statement",
]);

/** What `from <module> import *` binds of the modules we model (the names we model; others stay unknown). */
const STAR_NAMES: Record<string, string[]> = {
  os: ["environ", "getenv", "path", "sep", "pathsep", "linesep", "curdir", "pardir", "name", "fspath"],
  "os.path": ["join", "dirname", "basename", "abspath", "realpath", "normpath", "split", "splitext", "isabs", "exists", "isfile", "isdir", "expanduser", "expandvars", "sep"],
  pathlib: ["Path", "PurePath", "PosixPath", "PurePosixPath"],
  decouple: ["config", "AutoConfig", "Config", "RepositoryEnv", "RepositoryIni", "RepositoryEmpty", "Csv", "Choices", "UndefinedValueError", "strtobool"],
  dotenv: ["load_dotenv", "dotenv_values", "find_dotenv"],
  environ: ["Env", "FileAwareEnv", "Path"],
};

/** Re-parses after a broken statement at most this often per module. */
const MAX_RECOVERIES = 20;

/** The file re-parsed with the first line of `stmt` blanked, and where to go on; undefined on the last line. */
function blankFirstLine(parsed: ParsedPython, stmt: PyNode): { parsed: ParsedPython; resumeAt: number } | undefined {
  const lines = lineIndexOf(parsed);
  const line = lines.position(stmt.startIndex).line;
  if (line >= lines.lineCount) return undefined;
  const next = lines.lineStart(line + 1);
  const text = parsed.text.slice(0, stmt.startIndex) + parsed.text.slice(stmt.startIndex, next).replace(/[^\r\n]/g, " ") + parsed.text.slice(next);
  const reparsed = parsePython(text, parsed.file);
  return { parsed: { ...reparsed, problems: [] }, resumeAt: next };
}

/** Hosts are outside our control: a file that could not be read may come without a tree. */
function hasTree(parsed: ParsedPython): boolean {
  return (parsed.tree as ParsedPython["tree"] | undefined)?.rootNode !== undefined;
}

function isPackageFile(file: string): boolean {
  return file === "__init__.py" || file.endsWith("/__init__.py");
}

class Evaluator extends ExpressionEvaluator {
  private readonly maxSteps: number;
  private readonly maxImportDepth: number;
  private steps = 0;
  private readonly problems: ParseProblem[] = [];
  private readonly problemKeys = new Set<string>();
  private readonly parsedFiles = new Set<string>();
  private readonly states = new Map<string, ModuleState>();
  private readonly modules: { module: string; file: string }[] = [];
  private readonly importStack: string[] = [];
  private readonly handlerStack: Handler[][] = [];
  private readonly activeExceptions: PyRaise[] = [];
  private frame: Frame | undefined;
  /** The first reason the settings' names may include ones we did not see (ModuleEvaluation.openNamespace). */
  private openNamespace: string | undefined;
  private currentStmt: { parsed: ParsedPython; node: PyNode } | undefined;
  /** Env reads of the `if` conditions that led to the block being evaluated. */
  private conditionReads: EnvRead[][] = [];
  /** How many for loops are running (break / continue only mean something inside one). */
  private loopDepth = 0;

  constructor(
    private readonly host: PythonSourceHost,
    env: SettingsEnvironment,
    limits: EvaluationOptions,
  ) {
    super(env, limits.libraries);
    this.maxSteps = limits.maxSteps ?? DEFAULT_MAX_STEPS;
    this.maxImportDepth = limits.maxImportDepth ?? DEFAULT_MAX_IMPORT_DEPTH;
  }

  run(dotted: string): ModuleEvaluation {
    let notFound = false;
    try {
      const result = this.importModule(dotted, undefined);
      notFound = result.kind === "missing";
    } catch (error) {
      if (error instanceof BudgetExceeded) {
        const at = this.currentStmt;
        const range = at ? nodeRange(at.parsed, at.node) : fileStart(this.states.get(dotted)?.file ?? "");
        this.problem(range, `evaluation step budget exceeded (${this.maxSteps} steps); the rest was not evaluated`);
      } else if (!(error instanceof PyRaise)) {
        // A bug must not take the whole lint down: report it where evaluation stopped.
        const at = this.currentStmt;
        const range = at ? nodeRange(at.parsed, at.node) : fileStart("");
        this.problem(range, `internal error while evaluating Python settings: ${(error as Error).message}`);
      }
    }
    const entry = this.states.get(dotted);
    const file = entry?.file ?? this.host.resolveModule(dotted) ?? `${dotted.replace(/\./g, "/")}.py`;
    if (notFound) this.problem(fileStart(file), `cannot resolve settings module ${dotted}`);
    const values = new Map<string, SettingValue>();
    for (const [name, b] of entry?.namespace ?? []) {
      values.set(name, { name, value: toPyValue(b.value), range: b.range, statementRange: b.statementRange, envReads: b.envReads });
    }
    const modules = [...this.modules.filter((m) => m.module === dotted), ...this.modules.filter((m) => m.module !== dotted)];
    const envState = this.envState;
    const environment: EnvironmentAfter = { lookup: (name) => envState.lookup(name), changed: envState.changedNames() };
    return {
      module: dotted,
      file,
      values,
      envReads: envState.reads,
      modules,
      problems: this.problems,
      environment,
      ...(this.openNamespace !== undefined ? { openNamespace: this.openNamespace } : {}),
    };
  }

  // ---------------------------------------------------------------- modules and imports

  private importModule(dotted: string, site: SourceRange | undefined): ImportResult {
    // Python imports (runs) every parent package first.
    const parts = dotted.split(".");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(".");
      if (this.states.has(parent)) continue;
      const file = this.host.resolveModule(parent);
      if (file === undefined || !isPackageFile(file)) continue;
      const r = this.loadModule(parent, file, site);
      if (r.kind === "blocked") return r;
    }
    const existing = this.states.get(dotted);
    if (existing !== undefined) {
      const current = this.frame?.state.dotted;
      // A package importing its own submodules (`from . import x` in __init__.py) is not a cycle.
      if (existing.status === "running" && current !== undefined && current !== dotted && !current.startsWith(`${dotted}.`)) {
        const from = this.importStack.indexOf(dotted);
        const chain = [...this.importStack.slice(from), dotted].join(" → ");
        this.problem(site ?? fileStart(existing.file), `import cycle: ${chain}; ${dotted} is only partly evaluated at this point`);
      }
      return { kind: "found", state: existing };
    }
    const file = this.host.resolveModule(dotted);
    if (file === undefined) return { kind: "missing" };
    return this.loadModule(dotted, file, site);
  }

  private loadModule(dotted: string, file: string, site: SourceRange | undefined): ImportResult {
    if (this.importStack.length >= this.maxImportDepth) {
      this.problem(site ?? fileStart(file), `import depth limit of ${this.maxImportDepth} modules exceeded importing ${dotted}`);
      return { kind: "blocked", reason: `import of ${dotted} was not evaluated (import depth limit)` };
    }
    const parsed = this.host.load(file);
    if (!this.parsedFiles.has(parsed.file)) {
      this.parsedFiles.add(parsed.file);
      for (const p of parsed.problems) this.problem(p.range, p.message);
    }
    const state: ModuleState = { dotted, file, namespace: new Map(), status: "running" };
    this.states.set(dotted, state);
    this.modules.push({ module: dotted, file });
    const saved = { frame: this.frame, stmt: this.currentStmt, stmtReads: this.stmtReads, conditionReads: this.conditionReads };
    this.frame = { parsed, state, isPackage: isPackageFile(file), externalStars: [] };
    this.conditionReads = [];
    this.importStack.push(dotted);
    try {
      this.execModule(parsed);
      state.status = "done";
    } catch (error) {
      state.status = "failed";
      throw error;
    } finally {
      this.importStack.pop();
      this.frame = saved.frame;
      this.stmtReads = saved.stmtReads;
      if (state.status === "done") this.currentStmt = saved.stmt; // else keep where it stopped, for the report
      this.conditionReads = saved.conditionReads;
    }
    return { kind: "found", state };
  }

  /** `environ`, `decouple`, `dotenv`: modelled env libraries, unless the repository has a module of that name. */
  private isLibraryModule(dotted: string): boolean {
    return LIBRARY_MODULES.has(dotted) && this.host.resolveModule(dotted) === undefined;
  }

  /** True when a module of the repository owns this dotted name, so a missing module is an ImportError. */
  private isRepoOwned(dotted: string): boolean {
    const parts = dotted.split(".");
    for (let i = parts.length - 1; i >= 1; i--) {
      const prefix = parts.slice(0, i).join(".");
      if (this.states.has(prefix) || this.host.resolveModule(prefix) !== undefined) return true;
    }
    return false;
  }

  private repoModule(dotted: string): Value {
    const state = this.states.get(dotted);
    // A directory without __init__.py is a namespace package: its submodules are found through `states`.
    return { kind: "repo-module", dotted, namespace: state?.namespace ?? new Map() };
  }

  private execImport(node: PyNode, stmt: PyNode): void {
    for (const nameNode of node.childrenForFieldName("name")) {
      const aliased = nameNode.type === "aliased_import";
      const dottedNode = aliased ? nameNode.childForFieldName("name") : nameNode;
      const aliasNode = aliased ? nameNode.childForFieldName("alias") : null;
      if (!dottedNode) continue;
      const dotted = this.text(dottedNode).replace(/\s+/g, "");
      const top = dotted.split(".")[0] as string;
      const site = this.range(dottedNode);
      let full: Value;
      let topValue: Value;
      if (MODELLED_MODULES.has(dotted) || MODELLED_MODULES.has(top) || this.isLibraryModule(dotted)) {
        full = MODELLED_MODULES.has(dotted) || this.isLibraryModule(dotted) ? { kind: "module", name: dotted === "posixpath" ? "os.path" : dotted } : moduleAttribute(top, dotted.slice(top.length + 1));
        topValue = { kind: "module", name: top === "posixpath" ? "os.path" : top };
      } else {
        const r = this.importModule(dotted, site);
        if (r.kind === "found") {
          full = this.repoModule(dotted);
          topValue = this.repoModule(top);
        } else if (r.kind === "blocked") {
          full = topValue = unknown(r.reason);
        } else if (this.isRepoOwned(dotted)) {
          const reason = this.importFailed(site, dotted, "ModuleNotFoundError", `No module named '${dotted}'`);
          full = topValue = reason;
        } else {
          full = { kind: "external", qualname: dotted };
          topValue = { kind: "external", qualname: top };
        }
      }
      if (aliasNode) this.bind(this.text(aliasNode), full, this.range(aliasNode), stmt);
      else this.bind(top, topValue, site, stmt);
    }
  }

  /** `from X import ...`: the dotted target, resolving leading dots against the current module. */
  private fromTarget(moduleNode: PyNode): { target: string; relative: boolean } | { error: string } {
    if (moduleNode.type !== "relative_import") return { target: this.text(moduleNode).replace(/\s+/g, ""), relative: false };
    const prefix = moduleNode.namedChildren.find((c) => c.type === "import_prefix");
    const rest = moduleNode.namedChildren.find((c) => c.type === "dotted_name");
    const level = prefix ? this.text(prefix).replace(/\s+/g, "").length : 1;
    const frame = this.frame as Frame;
    const own = frame.state.dotted.split(".");
    const pkg = frame.isPackage ? own : own.slice(0, -1);
    if (pkg.length === 0) return { error: "attempted relative import with no known parent package" };
    if (level - 1 >= pkg.length) return { error: "attempted relative import beyond top-level package" };
    const base = pkg.slice(0, pkg.length - (level - 1));
    const tail = rest ? this.text(rest).replace(/\s+/g, "").split(".") : [];
    return { target: [...base, ...tail].join("."), relative: true };
  }

  private execImportFrom(node: PyNode, stmt: PyNode): void {
    const moduleNode = node.childForFieldName("module_name");
    if (!moduleNode) return;
    const site = this.range(moduleNode);
    const star = node.namedChildren.find((c) => c.type === "wildcard_import");
    const names = node.childrenForFieldName("name").flatMap((n) => {
      const nameNode = n.type === "aliased_import" ? n.childForFieldName("name") : n;
      const bindNode = n.type === "aliased_import" ? n.childForFieldName("alias") : n;
      return nameNode && bindNode ? [{ name: this.text(nameNode), bindAs: this.text(bindNode), node: bindNode }] : [];
    });
    const written = this.text(moduleNode);
    const bindAll = (value: (name: string) => Value) => {
      for (const n of names) this.bind(n.bindAs, value(n.name), this.range(n.node), stmt);
    };

    const resolved = this.fromTarget(moduleNode);
    if ("error" in resolved) {
      const reason = this.importFailed(site, written, "ImportError", resolved.error);
      bindAll(() => reason);
      return;
    }
    const { target, relative } = resolved;
    if (!relative && (MODELLED_MODULES.has(target) || this.isLibraryModule(target))) {
      const module = target === "posixpath" ? "os.path" : target;
      if (star) {
        // The names we model are bound; any other name may come from the module too.
        for (const name of STAR_NAMES[module] ?? []) this.bind(name, moduleAttribute(module, name), this.range(star), stmt);
        this.noteExternalStar(target, site);
      }
      bindAll((name) => moduleAttribute(module, name));
      return;
    }
    const r = this.importModule(target, site);
    if (r.kind === "blocked") {
      if (star) this.noteExternalStar(target, site);
      bindAll(() => unknown(r.reason));
      return;
    }
    if (r.kind === "missing") {
      if (relative || this.isRepoOwned(target)) {
        const reason = this.importFailed(site, written, "ModuleNotFoundError", `No module named '${target}'`);
        bindAll(() => reason);
      } else {
        if (star) this.noteExternalStar(target, site);
        bindAll((name) => ({ kind: "external", qualname: `${target}.${name}` }));
      }
      return;
    }
    const source = r.state;
    const ns = (this.frame as Frame).state.namespace;
    if (star) {
      for (const name of this.publicNames(source.namespace)) {
        const b = source.namespace.get(name);
        if (b) ns.set(name, b); // the binding keeps the location it was assigned at
      }
    }
    for (const n of names) {
      const b = source.namespace.get(n.name);
      if (b) {
        ns.set(n.bindAs, b);
        continue;
      }
      const sub = this.importModule(`${target}.${n.name}`, site);
      if (sub.kind === "found") this.bind(n.bindAs, this.repoModule(`${target}.${n.name}`), this.range(n.node), stmt);
      else if (sub.kind === "blocked") this.bind(n.bindAs, unknown(sub.reason), this.range(n.node), stmt);
      else if (source.status === "running") {
        this.bind(n.bindAs, unknown(`${n.name} is not yet defined in ${target} (import cycle)`), this.range(n.node), stmt);
      } else {
        const reason = this.importFailed(this.range(n.node), written, "ImportError", `cannot import name '${n.name}' from '${target}'`);
        this.bind(n.bindAs, reason, this.range(n.node), stmt);
      }
    }
  }

  private noteExternalStar(target: string, site: SourceRange): void {
    (this.frame as Frame).externalStars.push(target);
    // Modules we model (os, pathlib...) add no settings.
    if (!MODELLED_MODULES.has(target)) this.openNamespace ??= `\`from ${target} import *\` at ${site.file}:${site.line} is not evaluated`;
  }

  /** Statements that may define module names we cannot see (see ModuleEvaluation.openNamespace). */
  private noteNamespaceOpener(node: PyNode): void {
    if (node.type !== "call") return;
    const fnNode = node.childForFieldName("function");
    if (!fnNode) return;
    const text = this.text(fnNode).replace(/\s+/g, "");
    let opens = text === "exec" || /^(globals|vars|locals)\(\)\.update$/.test(text);
    if (!opens && fnNode.type === "identifier") {
      const bound = (this.frame as Frame).state.namespace.get(text)?.value as Value | undefined;
      opens = bound !== undefined && bound.kind === "external" && bound.qualname.startsWith("split_settings.");
    }
    if (opens) this.openNamespace ??= `${this.text(fnNode)}(...) at ${this.at(node)} may define settings that are not evaluated`;
  }

  /** What `from m import *` copies: `__all__` when it is a known list of names, else the public names. */
  private publicNames(namespace: Namespace): string[] {
    const all = namespace.get("__all__")?.value;
    if (all && (all.kind === "list" || all.kind === "tuple") && all.items.every((i) => i.kind === "str")) {
      return all.items.map((i) => (i as { value: string }).value);
    }
    return [...namespace.keys()].filter((n) => !n.startsWith("_"));
  }

  /**
   * An import that cannot be resolved raises ImportError: a surrounding `try` that catches
   * it takes over; otherwise it is reported and the names it should bind become unknown.
   */
  private importFailed(site: SourceRange, written: string, type: string, message: string): PyValue {
    this.raise(type, `${type}: ${message}`);
    this.problem(site, `cannot resolve import ${written}: ${message}`);
    return unknown(`import failed: ${message}`);
  }

  /** Names a star-import would bind, read statically (for code we do not evaluate). */
  private starNames(stmt: PyNode, seen = new Set<string>()): string[] {
    const moduleNode = stmt.childForFieldName("module_name");
    if (!moduleNode) return [];
    const resolved = this.fromTarget(moduleNode);
    if ("error" in resolved) return [];
    const state = this.states.get(resolved.target);
    if (state) return this.publicNames(state.namespace);
    const file = this.host.resolveModule(resolved.target);
    if (file === undefined || seen.has(file)) return [];
    seen.add(file);
    const parsed = this.host.load(file);
    const saved = this.frame as Frame;
    // Nested relative star-imports resolve against the module that holds them.
    this.frame = { parsed, state: { dotted: resolved.target, file, namespace: new Map(), status: "done" }, isPackage: isPackageFile(file), externalStars: [] };
    try {
      if (!hasTree(parsed)) return [];
      const names = collectAssignedNames([parsed.tree.rootNode], parsed.text, (s) => this.starNames(s, seen));
      return [...new Set(names.filter((n) => n.direct && !n.name.startsWith("_")).map((n) => n.name))];
    } finally {
      this.frame = saved;
    }
  }

  // ---------------------------------------------------------------- statements

  /**
   * Runs a module's statements. tree-sitter's error recovery often swallows the lines after
   * a broken statement into it (`B = (2,` takes `C = 3` along); so after a broken statement
   * that spans lines we blank its first line (offsets stay the same), parse again and go on
   * from the next line. Indented leftovers of the broken statement are skipped, not run.
   */
  private execModule(parsed: ParsedPython): void {
    if (!hasTree(parsed)) {
      // A file we could not read (binary, oversized, not a regular file) may define any setting: unknown, not unset.
      this.openNamespace ??= `${parsed.file} could not be read`;
      return;
    }
    const frame = this.frame as Frame;
    let current = parsed;
    let resumeAt = 0;
    let column: number | undefined;
    let recoveries = 0;
    for (;;) {
      frame.parsed = current;
      let recovered: { parsed: ParsedPython; resumeAt: number } | undefined;
      for (const stmt of current.tree.rootNode.namedChildren) {
        if (stmt.startIndex < resumeAt || stmt.type === "comment") continue;
        if (column !== undefined) {
          if (stmt.startPosition.column !== column) continue;
          column = undefined;
        }
        this.execStatement(stmt);
        const broken = stmt.type === "ERROR" || (SIMPLE_STATEMENTS.has(stmt.type) && stmt.hasError);
        if (broken && stmt.endPosition.row > stmt.startPosition.row && recoveries < MAX_RECOVERIES) {
          recovered = blankFirstLine(current, stmt);
          if (recovered) {
            column = stmt.startPosition.column;
            break;
          }
        }
      }
      if (!recovered) break;
      recoveries++;
      current = recovered.parsed;
      resumeAt = recovered.resumeAt;
    }
    frame.parsed = parsed;
  }

  private execBlock(block: PyNode): void {
    for (const stmt of block.namedChildren) {
      if (stmt.type === "comment") continue;
      this.execStatement(stmt);
    }
  }

  private execStatement(node: PyNode): void {
    const frame = this.frame as Frame;
    this.currentStmt = { parsed: frame.parsed, node };
    this.step();
    this.stmtReads = new Set(this.conditionReads.flat());
    this.depthReported = false;
    if (node.type === "ERROR") {
      // Reported as a syntax problem already; `NAME = <broken>` still tells us which name is broken.
      const [first, second] = node.children;
      if (first?.type === "identifier" && second?.type === "=") {
        this.markUnknown([{ name: this.text(first), node: first, stmt: node, direct: true }], `Python syntax error at ${this.at(node)}`, []);
      }
      return;
    }
    if (SIMPLE_STATEMENTS.has(node.type) && node.hasError) {
      // tree-sitter's error recovery can glue lines together (`B = (2,` + `C = 3` → `B = 3`): trust nothing here.
      this.markUnknown(this.assignedIn([node]), `Python syntax error at ${this.at(node)}`, []);
      return;
    }
    switch (node.type) {
      case "expression_statement":
        for (const child of node.namedChildren) {
          if (child.type === "assignment") this.execAssignment(child, node);
          else if (child.type === "augmented_assignment") this.execAugmented(child, node);
          else if (child.type !== "comment") {
            this.noteNamespaceOpener(child);
            this.touchMutated(child, node, this.evalExpr(child));
          }
        }
        return;
      case "import_statement":
        return this.execImport(node, node);
      case "import_from_statement":
        return this.execImportFrom(node, node);
      case "if_statement":
        return this.execIf(node);
      case "try_statement":
        return this.execTry(node);
      case "for_statement":
        return this.execFor(node);
      case "break_statement":
      case "continue_statement":
        if (this.loopDepth > 0) throw new LoopSignal(node.type === "break_statement" ? "break" : "continue");
        return;
      case "while_statement": {
        const cond = node.childForFieldName("condition");
        const t = cond ? pyTruthy(toPyValue(this.evalExpr(cond))) : undefined;
        if (t === false) {
          const alt = node.childForFieldName("alternative")?.childForFieldName("body");
          if (alt) this.execBlock(alt);
          return;
        }
        return this.notRun([node], `assigned in a while loop at ${this.at(node)}`, []);
      }
      case "with_statement":
        for (const clause of node.namedChildren.filter((c) => c.type === "with_clause")) {
          for (const item of clause.namedChildren) {
            const value = item.childForFieldName("value");
            const expr = value?.type === "as_pattern" ? value.namedChildren[0] : value;
            if (expr) this.evalExpr(expr);
          }
        }
        return this.notRun([node], `assigned in a with block at ${this.at(node)}`, []);
      case "match_statement": {
        const subject = node.childForFieldName("subject");
        if (subject) this.evalExpr(subject);
        return this.notRun([node], `assigned in a match statement at ${this.at(node)}`, []);
      }
      case "function_definition":
      case "class_definition":
      case "decorated_definition": {
        const def = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
        const nameNode = def?.childForFieldName("name");
        if (!def || !nameNode) return;
        const name = this.text(nameNode);
        const value: Value = def.type === "class_definition" ? { kind: "class", name, builtin: false } : { kind: "function", name };
        return this.bind(name, value, this.range(nameNode), node);
      }
      case "delete_statement":
        return this.execDelete(node);
      case "raise_statement":
        return this.execRaise(node);
      default:
        // pass, global, assert, print, return...: nothing a settings value depends on.
        return;
    }
  }

  private execAssignment(node: PyNode, stmt: PyNode): void {
    const targets: PyNode[] = [];
    let cur: PyNode | null = node;
    let right: PyNode | null = null;
    while (cur && cur.type === "assignment") {
      const left = cur.childForFieldName("left");
      if (left) targets.push(left);
      right = cur.childForFieldName("right");
      cur = right;
    }
    if (!right) return; // `X: int` declares, it does not assign
    const value = right.type === "augmented_assignment" ? unknown("chained augmented assignment is not valid Python") : this.evalExpr(right);
    for (const target of targets) this.assign(target, value, stmt);
  }

  private assign(target: PyNode, value: Value, stmt: PyNode): void {
    switch (target.type) {
      case "identifier":
        return this.bind(this.text(target), value, this.range(target), stmt);
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
      case "expression_list":
        return this.unpack(target, value, stmt);
      case "parenthesized_expression": {
        const inner = target.namedChildren[0];
        if (inner) this.assign(inner, value, stmt);
        return;
      }
      case "subscript":
        return this.assignSubscript(target, value, stmt);
      case "attribute": {
        const obj = target.childForFieldName("object");
        const attr = target.childForFieldName("attribute");
        const o = obj ? this.evalExpr(obj) : undefined;
        if (o?.kind === "library" && attr) setLibraryAttribute(o, this.text(attr), value);
        return; // attributes of modules or objects are not settings
      }
      default:
        return;
    }
  }

  private unpack(target: PyNode, value: Value, stmt: PyNode): void {
    const subs = target.namedChildren.filter((c) => c.type !== "comment");
    const starAt = subs.findIndex((c) => c.type === "list_splat_pattern" || c.type === "list_splat");
    const py = toPyValue(value);
    const items = iterate(py);
    let reason: PyValue | undefined;
    if (!Array.isArray(items)) {
      reason = "error" in items ? this.raise(items.error, items.message) : items;
    } else if (starAt < 0 && items.length !== subs.length) {
      const message =
        items.length > subs.length
          ? `ValueError: too many values to unpack (expected ${subs.length})`
          : `ValueError: not enough values to unpack (expected ${subs.length}, got ${items.length})`;
      reason = this.raise("ValueError", message);
    } else if (starAt >= 0 && items.length < subs.length - 1) {
      reason = this.raise("ValueError", `ValueError: not enough values to unpack (expected at least ${subs.length - 1}, got ${items.length})`);
    }
    subs.forEach((sub, i) => {
      const t = i === starAt ? sub.namedChildren[0] : sub;
      if (!t) return;
      if (reason !== undefined || !Array.isArray(items)) return this.assign(t, reason ?? py, stmt);
      if (starAt < 0 || i < starAt) return this.assign(t, items[i] as PyValue, stmt);
      const after = subs.length - 1 - starAt;
      if (i === starAt) return this.assign(t, { kind: "list", items: items.slice(starAt, items.length - after) }, stmt);
      return this.assign(t, items[items.length - (subs.length - i)] as PyValue, stmt);
    });
  }

  private assignSubscript(target: PyNode, value: Value, stmt: PyNode): void {
    const objNode = target.childForFieldName("value");
    if (!objNode) return;
    const obj = this.evalExpr(objNode);
    const key = this.subscriptKey(target);
    if (key === "slice") return; // slice assignment is not modelled: the list keeps its items
    this.setItem(obj, key, value, target);
    this.touchRoot(target, stmt, this.range(target));
  }

  private setItem(obj: Value, key: Value, value: Value, at: PyNode): void {
    if (obj.kind === "environ") {
      if (key.kind === "str" && value.kind === "str") this.envState.set(key.value, value.value);
      else if (key.kind === "str") this.envState.setUnknown(key.value, value.kind === "unknown" ? value.reason : `os.environ[${JSON.stringify(key.value)}] was set to a value that is not a known string at ${this.at(at)}`);
      else this.envState.loadedUnknownFile(`os.environ was changed under a name that is not known at ${this.at(at)}`, true);
      return;
    }
    if (obj.kind === "dict") {
      const k = toPyValue(key);
      if (k.kind === "unknown") {
        obj.entries.push({ key: k, value: toPyValue(value) }); // the dict now holds something we cannot name
        return;
      }
      dictSet(obj, k, toPyValue(value));
      return;
    }
    if (obj.kind === "list") {
      const k = toPyValue(key);
      if (k.kind === "int" || k.kind === "bool") {
        const n = Number(k.value);
        const i = n < 0 ? obj.items.length + n : n;
        if (i < 0 || i >= obj.items.length) {
          this.raise("IndexError", "IndexError: list assignment index out of range");
          return;
        }
        obj.items[i] = toPyValue(value);
      } else if (k.kind === "unknown") {
        obj.items.push(unknown(`item set at an unknown index: ${k.reason}`));
      }
      return;
    }
    if (obj.kind !== "unknown" && !isPyObject(obj)) this.raise("TypeError", `TypeError: '${obj.kind}' object does not support item assignment at ${this.at(at)}`);
  }

  private execAugmented(node: PyNode, stmt: PyNode): void {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const opNode = node.childForFieldName("operator");
    if (!left || !right || !opNode) return;
    const op = opNode.type.slice(0, -1);
    if (left.type === "identifier") {
      const name = this.text(left);
      const cur = this.lookupName(name);
      const rhs = this.evalExpr(right);
      return this.bind(name, this.augment(op, cur, rhs), this.range(left), stmt);
    }
    if (left.type === "subscript") {
      const objNode = left.childForFieldName("value");
      if (!objNode) return;
      const obj = this.evalExpr(objNode);
      const key = this.subscriptKey(left);
      if (key === "slice") return;
      const cur = this.getItemOf(obj, key, left);
      const rhs = this.evalExpr(right);
      this.setItem(obj, key, this.augment(op, cur, rhs), left);
      return this.touchRoot(left, stmt, this.range(left));
    }
    this.evalExpr(right);
  }

  /** `x op= y`: lists grow in place (aliases see it, as in Python); everything else is `x op y`. */
  private augment(op: string, cur: Value, rhs: Value): Value {
    if (op === "+" && cur.kind === "list") {
      const items = iterate(toPyValue(rhs));
      if (Array.isArray(items)) cur.items.push(...items);
      else if ("error" in items) return this.raise(items.error, items.message);
      else cur.items.push(unknown(`extended with an unknown value: ${items.reason}`));
      return cur;
    }
    if (op === "|" && cur.kind === "dict" && rhs.kind === "dict") {
      for (const e of rhs.entries) dictSet(cur, e.key, e.value);
      return cur;
    }
    return this.opResult(binaryOp(op, toPyValue(cur), toPyValue(rhs)));
  }

  private execDelete(node: PyNode): void {
    const targets = node.namedChildren.flatMap((c) => (c.type === "expression_list" ? c.namedChildren : [c]));
    const ns = (this.frame as Frame).state.namespace;
    for (const t of targets) {
      if (t.type === "identifier") ns.delete(this.text(t));
      else if (t.type === "subscript") {
        const objNode = t.childForFieldName("value");
        if (!objNode) continue;
        const obj = this.evalExpr(objNode);
        const key = this.subscriptKey(t);
        if (key === "slice") continue;
        if (obj.kind === "environ" && key.kind === "str") this.envState.delete(key.value);
        else if (obj.kind === "dict") {
          const k = toPyValue(key);
          const i = obj.entries.findIndex((e) => pyEquals(e.key, k) === true);
          if (i >= 0) obj.entries.splice(i, 1);
          this.touchRoot(t, node, this.range(t));
        }
      }
    }
  }

  private execIf(node: PyNode): void {
    const clauses: { cond: PyNode | null; body: PyNode | null }[] = [
      { cond: node.childForFieldName("condition"), body: node.childForFieldName("consequence") },
    ];
    for (const alt of node.childrenForFieldName("alternative")) {
      if (alt.type === "elif_clause") clauses.push({ cond: alt.childForFieldName("condition"), body: alt.childForFieldName("consequence") });
      else clauses.push({ cond: null, body: alt.childForFieldName("body") });
    }
    const reads = new Set<EnvRead>();
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i] as (typeof clauses)[number];
      let truth: boolean | undefined = true;
      if (clause.cond !== null) {
        this.stmtReads = new Set(this.conditionReads.flat());
        truth = clause.cond.hasError ? undefined : pyTruthy(toPyValue(this.evalExpr(clause.cond)));
        for (const r of this.stmtReads) reads.add(r);
      }
      if (truth === true) {
        if (clause.body) this.runBranch(clause.body, [...reads]);
        return;
      }
      if (truth === undefined) {
        // Either this branch or a later one runs: whatever they assign is unknown from here on.
        const bodies = clauses.slice(i).map((c) => c.body);
        const reason = `assigned under an unknown condition at ${this.at(clause.cond as PyNode)}`;
        this.notRun(bodies, reason, [...reads]);
        // A break or continue that may run leaves the rest of the loop unknown.
        if (this.loopDepth > 0 && bodies.some((b) => b !== null && containsLoopExit(b))) throw new LoopSignal("unknown", reason);
        return;
      }
    }
  }

  /**
   * `for x in known_list:` runs its body once per item, like Python (break, continue and
   * else included); over an unknown iterable, or more items than MAX_LOOP_ITEMS, whatever
   * the loop assigns is unknown.
   */
  private execFor(node: PyNode): void {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const body = node.childForFieldName("body");
    const elseBody = node.childForFieldName("alternative")?.childForFieldName("body") ?? null;
    const reason = `assigned in a for loop at ${this.at(node)}`;
    if (!left || !right) return;
    const iterable = toPyValue(this.evalExpr(right));
    const items = iterate(iterable);
    if (!Array.isArray(items)) {
      if ("error" in items) this.raise(items.error, items.message);
      return this.notRun([node], reason, []);
    }
    if (items.length > MAX_LOOP_ITEMS) return this.notRun([node], reason, []);
    const reads = [...this.stmtReads];
    let broke = false;
    this.loopDepth++;
    try {
      for (const item of [...items]) {
        this.assign(left, item, node);
        try {
          if (body) this.runBranch(body, reads);
        } catch (error) {
          if (!(error instanceof LoopSignal)) throw error;
          if (error.kind === "unknown") return this.notRun([node], error.reason ?? reason, []);
          if (error.kind === "break") {
            broke = true;
            break;
          }
        }
      }
    } finally {
      this.loopDepth--;
    }
    if (!broke && elseBody) this.runBranch(elseBody, reads);
  }

  /** Code that may or may not run: the names it assigns, and the environment it changes, become unknown. */
  private notRun(roots: (PyNode | null)[], reason: string, reads: EnvRead[]): void {
    this.markUnknown(this.assignedIn(roots), reason, reads);
    this.unknownEnvEffects(roots, reason);
  }

  /**
   * The environment changes code we do not run could make: `os.environ[...] = …`,
   * `setdefault`, `del`, and env files loaded with load_dotenv / read_env. Found by syntax.
   */
  private unknownEnvEffects(roots: (PyNode | null)[], reason: string): void {
    const stack = roots.filter((r): r is PyNode => r !== null);
    while (stack.length > 0) {
      const n = stack.pop() as PyNode;
      if (n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") continue;
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        const callee = fn ? this.text(fn).replace(/\s+/g, "") : "";
        const args = n.childForFieldName("arguments");
        const argsText = args ? this.text(args) : "";
        const firstKey = args?.namedChildren.find((c) => c.type === "string");
        if (/(^|\.)(load_dotenv|read_env)$/.test(callee)) {
          this.envState.loadedUnknownFile(`an env file may be loaded (${reason})`, /\b(override|overwrite)\s*=\s*True\b/.test(argsText));
        } else if (/environ\.(setdefault|pop)$/.test(callee) && firstKey) {
          const key = this.literalString(firstKey);
          if (key !== undefined && (callee.endsWith("pop") || this.envState.lookup(key).kind === "absent")) this.envState.setUnknown(key, `may be changed (${reason})`);
        } else if (/environ\.(update|clear)$/.test(callee) || /(^|\.)putenv$/.test(callee)) {
          this.envState.loadedUnknownFile(`the environment may be changed (${reason})`, true);
        }
      } else if (n.type === "subscript") {
        const obj = n.childForFieldName("value");
        const parent = n.parent;
        const left = parent?.type === "assignment" || parent?.type === "augmented_assignment" ? parent.childForFieldName("left") : null;
        const assigned = parent?.type === "delete_statement" || (left !== null && left.startIndex === n.startIndex && left.endIndex === n.endIndex);
        if (obj && assigned && /environ$/.test(this.text(obj).replace(/\s+/g, ""))) {
          const keyNode = n.childForFieldName("subscript");
          const key = keyNode?.type === "string" ? this.literalString(keyNode) : undefined;
          if (key !== undefined) this.envState.setUnknown(key, `may be changed (${reason})`);
          else this.envState.loadedUnknownFile(`the environment may be changed (${reason})`, true);
        }
      }
      for (const c of n.namedChildren) stack.push(c);
    }
  }

  /** The text of a plain string literal node, undefined for f-strings and broken ones. */
  private literalString(node: PyNode): string | undefined {
    const v = this.evalStrings([node]);
    return v.kind === "str" && !/^[rRbBuU]*[fF]/.test(this.text(node)) ? v.value : undefined;
  }

  private runBranch(body: PyNode, reads: EnvRead[]): void {
    this.conditionReads.push(reads);
    try {
      this.execBlock(body);
    } finally {
      this.conditionReads.pop();
    }
  }

  private execTry(node: PyNode): void {
    const body = node.childForFieldName("body");
    const handlers: Handler[] = [];
    let elseBody: PyNode | null = null;
    let finallyBody: PyNode | null = null;
    for (const c of node.namedChildren) {
      if (c.type === "except_clause" || c.type === "except_group_clause") handlers.push(this.handler(c));
      else if (c.type === "else_clause") elseBody = c.childForFieldName("body");
      else if (c.type === "finally_clause") finallyBody = c.namedChildren.find((b) => b.type === "block") ?? null;
    }
    let raised: PyRaise | undefined;
    this.handlerStack.push(handlers);
    try {
      if (body) this.execBlock(body);
    } catch (error) {
      if (!(error instanceof PyRaise)) {
        if (error instanceof LoopSignal && finallyBody) {
          this.handlerStack.pop();
          this.execBlock(finallyBody);
          this.handlerStack.push(handlers);
        }
        throw error;
      }
      raised = error;
    } finally {
      this.handlerStack.pop();
    }
    let pending: PyRaise | undefined;
    try {
      if (raised) {
        const ancestors = exceptionAncestors(raised.type);
        const handler = handlers.find((h) => h.types === "any" || h.types.some((t) => ancestors.includes(t)));
        if (handler) {
          if (handler.alias) this.bind(this.text(handler.alias), unknown(`exception object (${raised.pyMessage})`), this.range(handler.alias), handler.alias);
          this.activeExceptions.push(raised);
          try {
            if (handler.block) this.execBlock(handler.block);
          } finally {
            this.activeExceptions.pop();
          }
          // Python deletes the `as` name when the handler ends.
          if (handler.alias) (this.frame as Frame).state.namespace.delete(this.text(handler.alias));
        } else pending = raised;
      } else if (elseBody) this.execBlock(elseBody);
    } catch (error) {
      if (error instanceof PyRaise && finallyBody) this.execBlock(finallyBody);
      throw error;
    }
    if (finallyBody) this.execBlock(finallyBody);
    if (pending) throw pending;
  }

  private handler(clause: PyNode): Handler {
    const block = clause.namedChildren.find((c) => c.type === "block") ?? null;
    const values = clause.childrenForFieldName("value");
    if (values.length === 0) return { types: "any", alias: null, block };
    let alias: PyNode | null = null;
    const types: string[] = [];
    const stack = [...values];
    while (stack.length > 0) {
      const v = stack.pop() as PyNode;
      if (v.type === "as_pattern") {
        const target = v.childForFieldName("alias");
        alias = target?.namedChildren.find((c) => c.type === "identifier") ?? null;
        const expr = v.namedChildren[0];
        if (expr) stack.push(expr);
      } else if (v.type === "tuple" || v.type === "parenthesized_expression" || v.type === "expression_list") stack.push(...v.namedChildren);
      else if (v.type === "identifier") types.push(this.text(v));
      else if (v.type === "attribute") {
        const attr = v.childForFieldName("attribute");
        if (attr) types.push(this.text(attr));
      }
    }
    return { types, alias, block };
  }

  private execRaise(node: PyNode): void {
    const cause = node.childForFieldName("cause");
    const expr = node.namedChildren.find((c) => c.type !== "comment" && !(cause && c.startIndex === cause.startIndex && c.endIndex === cause.endIndex));
    if (!expr) {
      const active = this.activeExceptions[this.activeExceptions.length - 1];
      if (active && this.catches(active.type)) throw active;
      return;
    }
    const typeNode = expr.type === "call" ? expr.childForFieldName("function") : expr;
    let type: string | undefined;
    if (typeNode?.type === "identifier") type = this.text(typeNode);
    else if (typeNode?.type === "attribute") {
      const attr = typeNode.childForFieldName("attribute");
      type = attr ? this.text(attr) : undefined;
    }
    // An uncaught raise would stop Django; we go on, so later settings are still checked.
    if (type !== undefined && this.catches(type)) throw new PyRaise(type, `${type} raised at ${this.at(node)}`);
  }

  // ---------------------------------------------------------------- bindings

  protected bind(name: string, value: Value, range: SourceRange, stmt: PyNode): void {
    (this.frame as Frame).state.namespace.set(name, {
      value,
      range,
      statementRange: this.range(stmt),
      envReads: [...this.stmtReads],
    });
  }

  /** A statement changed the value of a name in place: it now is where the value was last set. */
  private touch(name: string, range: SourceRange, stmt: PyNode): void {
    const ns = (this.frame as Frame).state.namespace;
    const b = ns.get(name);
    if (!b || isPyObject(b.value)) return; // `os.environ[...] = ...` does not move `os`
    const reads = new Set([...b.envReads, ...this.stmtReads]);
    ns.set(name, { value: b.value, range, statementRange: this.range(stmt), envReads: [...reads] });
  }

  private touchRoot(target: PyNode, stmt: PyNode, range: SourceRange): void {
    const root = rootIdentifier(target);
    if (root) this.touch(this.text(root), range, stmt);
  }

  /**
   * `NAME.append(...)` and the like changed NAME in place. When the call could not be
   * evaluated, we no longer know what NAME holds.
   */
  private touchMutated(expr: PyNode, stmt: PyNode, result: Value): void {
    if (expr.type !== "call") return;
    const fn = expr.childForFieldName("function");
    const method = fn?.type === "attribute" ? fn.childForFieldName("attribute") : null;
    const receiver = fn?.childForFieldName("object");
    if (!method || !receiver || !MUTATING_METHODS.has(this.text(method))) return;
    const root = rootIdentifier(receiver);
    if (!root) return;
    const name = this.text(root);
    this.touch(name, this.range(receiver), stmt);
    const b = (this.frame as Frame).state.namespace.get(name);
    if (b && result.kind === "unknown" && !isPyObject(b.value) && b.value.kind !== "unknown") {
      (this.frame as Frame).state.namespace.set(name, { ...b, value: unknown(`changed by ${this.text(method)}() in a way that is not evaluated: ${result.reason}`) });
    }
  }

  private markUnknown(names: AssignedName[], reason: string, reads: EnvRead[]): void {
    const ns = (this.frame as Frame).state.namespace;
    for (const a of names) {
      const existing = ns.get(a.name);
      if (!a.direct && (!existing || isPyObject(existing.value))) continue;
      ns.set(a.name, { value: unknown(reason), range: this.range(a.node), statementRange: this.range(a.stmt), envReads: [...reads] });
    }
  }

  private assignedIn(roots: (PyNode | null)[]): AssignedName[] {
    const frame = this.frame as Frame;
    return collectAssignedNames(roots, frame.parsed.text, (stmt) => this.starNames(stmt));
  }

  protected lookupName(name: string): Value {
    const local = this.lookupLocal(name);
    if (local !== undefined) return local;
    const frame = this.frame as Frame;
    const b = frame.state.namespace.get(name);
    if (b) {
      for (const r of b.envReads) this.stmtReads.add(r);
      return b.value;
    }
    switch (name) {
      case "__file__": {
        const path = this.host.runtimePath(frame.state.file);
        return path === undefined ? unknown(`__file__ of ${frame.state.file}: the file's path inside the container is unknown`) : str(path);
      }
      case "__name__":
        return str(frame.state.dotted);
      case "__package__":
        return str(frame.isPackage ? frame.state.dotted : frame.state.dotted.split(".").slice(0, -1).join("."));
      default:
        break;
    }
    const builtin = builtinGlobal(name);
    if (builtin) return builtin;
    if (frame.externalStars.length > 0) {
      return unknown(`name ${name} is not defined here; it may come from \`from ${frame.externalStars.join(", ")} import *\`, which is not evaluated`);
    }
    return this.raise("NameError", `NameError: name '${name}' is not defined`);
  }

  protected source(): ParsedPython {
    return (this.frame as Frame).parsed;
  }

  protected callerPath(): string | PyUnknown {
    const file = (this.frame as Frame).state.file;
    const p = this.host.runtimePath(file);
    return p === undefined ? unknown(`the path of ${file} inside the container is unknown`) : p;
  }

  protected readRuntimeFile(absolutePath: string): RuntimeFileResult {
    if (this.host.readRuntimeFile === undefined) return { unknown: `the container's files are not known here (${absolutePath})` };
    return this.host.readRuntimeFile(normaliseRuntimePath(absolutePath));
  }

  protected workingDirectory(): string | undefined {
    return this.host.workingDirectory?.();
  }

  protected currentStatement(): PyNode | undefined {
    return this.currentStmt?.node;
  }

  protected repoSubmodule(dotted: string): Value | undefined {
    return this.states.has(dotted) ? this.repoModule(dotted) : undefined;
  }

  // ---------------------------------------------------------------- exceptions, steps, problems

  private catches(type: string): boolean {
    const ancestors = exceptionAncestors(type);
    return this.handlerStack.some((set) => set.some((h) => h.types === "any" || h.types.some((t) => ancestors.includes(t))));
  }

  /** Python raises `type`: a surrounding try that catches it takes over, else the result is unknown. */
  protected raise(type: string, message: string): PyValue {
    if (this.catches(type)) throw new PyRaise(type, message);
    return unknown(message);
  }

  protected step(): void {
    this.steps++;
    if (this.steps > this.maxSteps) throw new BudgetExceeded();
  }

  protected problem(range: SourceRange, message: string): void {
    const key = `${range.file}:${range.line}:${range.column}:${message}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push({ range, message });
  }

}
