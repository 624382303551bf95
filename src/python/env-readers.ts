import type { SourceRange } from "../core/location.js";
import type { PyValue } from "./values.js";

/** Where a value the settings loaded themselves was written: the entry of a .env / settings.ini file. */
export interface EnvValueSource {
  file: string; // repo-relative
  range: SourceRange;
}

/** One read of an environment variable (or of a config key through an env library) by the settings. */
export interface EnvRead {
  name: string;
  /**
   * "os.environ.get" | "os.getenv" | "os.environ[]" | "os.environ.setdefault" | "in os.environ"
   * | "environ.Env" (django-environ) | "decouple.config" | "dotenv_values"
   */
  via: string;
  hasDefault: boolean;
  defaultValue?: PyValue;
  /** The variable had a value: from the environment, or from a file the settings load (see `source`). */
  provided: boolean;
  /** Set when the variable may be set but its value is not in the repository: why. */
  unknown?: string;
  /** The file entry the value came from, when a file loaded by the settings themselves set it. */
  source?: EnvValueSource;
  /**
   * Set when the variable was missing and the read raised an exception nothing catches
   * (`os.environ["X"]` KeyError, django-environ's ImproperlyConfigured, decouple's
   * UndefinedValueError): the exception's message. Django would not start.
   */
  fatal?: string;
  /** The read's string value went straight into `bool(…)` (true for any non-empty text): that text. */
  boolOf?: string;
  range: SourceRange; // the call / subscript expression
}

export interface SettingsEnvironment {
  lookup(name: string): string | undefined;
  /**
   * A reason when the variable may be set but its value is not in the repository (an env
   * file absent from the checkout, a compose `- NAME` pass-through). Consulted only when
   * `lookup` has no value.
   */
  isUnknown?(name: string): string | undefined;
}

/** What the environment holds for one name. */
export type EnvLookup =
  | { kind: "set"; value: string; source?: EnvValueSource }
  | { kind: "absent" }
  | { kind: "unknown"; reason: string };

const ABSENT: EnvLookup = { kind: "absent" };

/**
 * The process environment as the settings see it: the deployment's variables plus what
 * the settings themselves set (`os.environ.setdefault`, `os.environ[...] = ...`, `del`,
 * `load_dotenv()`, `Env.read_env()`), and the log of every read.
 */
export class EnvState {
  /** Changes made by the settings, each with the time it was made. */
  private readonly overlay = new Map<string, { value: EnvLookup; at: number }>();
  /**
   * Env files loaded whose content is not in the repository: any variable may have been
   * set by them. `override` files replace existing variables, the others only add missing ones.
   */
  private readonly unknownFiles: { reason: string; override: boolean; at: number }[] = [];
  private clock = 0;
  readonly reads: EnvRead[] = [];

  constructor(private readonly env: SettingsEnvironment) {}

  lookup(name: string): EnvLookup {
    const own = this.overlay.get(name);
    const found = own?.value ?? this.base(name);
    const since = own?.at ?? -1;
    for (let i = this.unknownFiles.length - 1; i >= 0; i--) {
      const f = this.unknownFiles[i] as (typeof this.unknownFiles)[number];
      if (f.at < since) break;
      if (f.override || found.kind === "absent") return { kind: "unknown", reason: f.reason };
    }
    return found;
  }

  private base(name: string): EnvLookup {
    const value = this.env.lookup(name);
    if (value !== undefined) return { kind: "set", value };
    const reason = this.env.isUnknown?.(name);
    return reason === undefined ? ABSENT : { kind: "unknown", reason };
  }

  set(name: string, value: string, source?: EnvValueSource): void {
    this.overlay.set(name, { value: source === undefined ? { kind: "set", value } : { kind: "set", value, source }, at: this.clock++ });
  }

  setUnknown(name: string, reason: string): void {
    this.overlay.set(name, { value: { kind: "unknown", reason }, at: this.clock++ });
  }

  delete(name: string): void {
    this.overlay.set(name, { value: ABSENT, at: this.clock++ });
  }

  /** The names the settings set, deleted or loaded, in first-change order. */
  changedNames(): string[] {
    return [...this.overlay.keys()];
  }

  /** An env file whose content is not in the repository was loaded: every variable may come from it. */
  loadedUnknownFile(reason: string, override: boolean): void {
    this.unknownFiles.push({ reason, override, at: this.clock++ });
  }

  /** Looks a variable up and records the read. */
  read(name: string, via: string, range: SourceRange, defaultValue: PyValue | undefined): { read: EnvRead; found: EnvLookup } {
    const found = this.lookup(name);
    return { read: this.record(name, via, range, defaultValue, found), found };
  }

  /** Records a read whose value was found elsewhere (python-decouple's own .env / settings.ini). */
  record(name: string, via: string, range: SourceRange, defaultValue: PyValue | undefined, found: EnvLookup): EnvRead {
    const read: EnvRead = { name, via, hasDefault: defaultValue !== undefined, provided: found.kind === "set", range };
    if (defaultValue !== undefined) read.defaultValue = defaultValue;
    if (found.kind === "unknown") read.unknown = found.reason;
    if (found.kind === "set" && found.source !== undefined) read.source = found.source;
    this.reads.push(read);
    return read;
  }
}
