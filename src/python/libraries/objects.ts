import type { DecoupleEnvEntry } from "../env-files/decouple-env.js";
import type { IniFile } from "../env-files/configparser.js";
import type { Value } from "../runtime.js";
import type { PyValue } from "../values.js";
import type { ParsedUrl } from "./url.js";

/** Where python-decouple reads keys that are not in os.environ. */
export type DecoupleRepository =
  | { kind: "empty" }
  | { kind: "env"; file: string; entries: Map<string, DecoupleEnvEntry> }
  | { kind: "ini"; file: string; ini: Extract<IniFile, { ok: true }> }
  /** The file decouple would read is not in the repository (or we cannot tell which it is). */
  | { kind: "unknown"; reason: string }
  /** Reading the file raised (a settings.ini without a section header…). */
  | { kind: "error"; message: string };

/** Objects of the env libraries, as the evaluator holds them. */
export type LibraryObject =
  /** django-environ's `Env(**scheme)`. */
  | { type: "environ.Env"; scheme: Map<string, Value>; smartCast: boolean; escapeProxy: boolean; prefix: string; untracked?: string }
  /** django-environ's `Path(start, *paths)`: an absolute, normalised root. */
  | { type: "environ.Path"; root: string }
  /** `decouple.config` (one per process: it finds its file on the first call) or an `AutoConfig(search_path)`. */
  | { type: "decouple.AutoConfig"; searchPath: string | undefined; repository?: DecoupleRepository }
  /** `Config(RepositoryEnv(path))` and friends. */
  | { type: "decouple.Config"; repository: DecoupleRepository }
  | { type: "decouple.Repository"; repository: DecoupleRepository }
  | { type: "decouple.Csv"; cast: Value; delimiter: string; strip: string; postProcess: Value }
  | { type: "decouple.Choices"; valid: PyValue[]; cast: Value }
  /** urllib.parse.ParseResult, from `env.url()`. */
  | { type: "urllib.ParseResult"; url: ParsedUrl };

export function libraryValue(object: LibraryObject): Value {
  return { kind: "library", object };
}
