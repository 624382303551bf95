import type { SourceRange } from "../core/location.js";
import type { PyValue } from "./values.js";

/** One read of an environment variable by the settings. */
export interface EnvRead {
  name: string;
  via: string; // "os.environ.get" | "os.getenv" | "os.environ[]" | "os.environ.setdefault" | "in os.environ"
  hasDefault: boolean;
  defaultValue?: PyValue;
  provided: boolean; // the environment had the variable
  range: SourceRange; // the call / subscript expression
}

export interface SettingsEnvironment {
  lookup(name: string): string | undefined;
}

/**
 * The process environment as the settings see it: the deployment's variables plus what
 * the settings themselves set (`os.environ.setdefault`, `os.environ[...] = ...`, `del`),
 * and the log of every read.
 */
export class EnvState {
  /** Changes made by the settings; null marks a deleted variable. */
  private readonly overlay = new Map<string, string | null>();
  readonly reads: EnvRead[] = [];

  constructor(private readonly env: SettingsEnvironment) {}

  lookup(name: string): string | undefined {
    const own = this.overlay.get(name);
    if (own !== undefined) return own === null ? undefined : own;
    return this.env.lookup(name);
  }

  set(name: string, value: string): void {
    this.overlay.set(name, value);
  }

  delete(name: string): void {
    this.overlay.set(name, null);
  }

  /** Looks a variable up and records the read. */
  read(name: string, via: string, range: SourceRange, defaultValue: PyValue | undefined): { read: EnvRead; value: string | undefined } {
    const value = this.lookup(name);
    const read: EnvRead = { name, via, hasDefault: defaultValue !== undefined, provided: value !== undefined, range };
    if (defaultValue !== undefined) read.defaultValue = defaultValue;
    this.reads.push(read);
    return { read, value };
  }
}
