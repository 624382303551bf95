/**
 * Which release of each env library the project runs decides some values (django-environ
 * 0.4.4 returns the string "0" for `env("DEBUG", default=False)`, 0.5+ casts it to False).
 * The model passes the pinned versions; without a pin we take the newest release, like
 * Django itself ("newest when unknown").
 *
 * Differences that change a value, read from each release's source:
 * django-environ
 *   0.4.5  `export NAME=` lines are read; postgres ENGINE is `…postgresql` on Django 2+
 *          (0.4.4: `…postgresql_psycopg2`); an unknown DB scheme becomes the ENGINE (0.4.4:
 *          `{}`); `engine=` wins over the scheme (0.4.4: the scheme wins).
 *   0.5.0  smart cast: without a cast, the default's type casts the value; env.str() casts;
 *          an unknown cache scheme raises ImproperlyConfigured (0.4.4: KeyError); `rediss`.
 *   0.6.0  read_env() accepts a pathlib.Path (before: AttributeError).
 *   0.7.0  the float cast keeps `-`.
 *   0.8.0  read_env: the last line for a name wins (0.4.4: the first); `\n` `\r` `\t` stay
 *          escaped in "…" (0.4.4: become `n` `r` `t`); overwrite=; an empty value with
 *          default=None is None; pymemcache / pylibmc backends.
 *   0.8.1  memcache: a unix socket when the URL has no host (0.4.4: when it has a path).
 *   0.9.0  Env.prefix; URL user/password unquoted without `+` → space; postgres clusters.
 *   0.10.0 parse_default parses every default but None; dict cast splits at the first `=`;
 *          redis URLs use Django's own backend on Django 4+.
 *   0.11.0 the bool cast strips blanks; read_env cuts inline comments (`A=x # c` is `x `);
 *          redis: django-redis when installed, else Django's backend on Django 4+.
 *   0.12.0 inline comments are kept again unless read_env(parse_comments=True).
 *   Every release reads `.env` next to the CALLING module when read_env() has no path
 *   (0.4.4's docstring says "find manage.py"; its code does not).
 * python-decouple 3.6 → 3.8: Csv() of None is [] from 3.7 (3.6 reads standard input);
 *   nothing else changes a value (strtobool accepting bools is hidden by str() in config).
 * python-dotenv 0.21 → 1.2: 1.2.0 honours PYTHON_DOTENV_DISABLED; the parser and the
 *   `${VAR}` expansion are unchanged (a UTF-8 BOM is stripped only after 1.2.2).
 * dj-database-url 0.5.0 → 3.1: see libraries/dj-database-url.ts.
 */

export type EnvLibrary = "django-environ" | "python-decouple" | "python-dotenv" | "dj-database-url";

export type LibraryVersions = Partial<Record<EnvLibrary, string>>;

/** The newest releases whose semantics are modelled. */
export const NEWEST_LIBRARY_VERSIONS: Record<EnvLibrary, string> = {
  "django-environ": "0.12.0",
  "python-decouple": "3.8",
  "python-dotenv": "1.2.2",
  "dj-database-url": "3.1.2",
};

export interface LibraryOptions {
  /** Pinned versions ("0.4.4"); a missing entry means the newest release. */
  versions?: LibraryVersions;
  /** The Django release the app runs: django-environ picks its postgres and redis backends by it. */
  django?: { major: number; minor: number };
  /**
   * Distributions installed next to the app (lower-case names: "django-redis", "pymemcache"),
   * when known. django-environ picks cache backends by what it can import; without this
   * list those backends are unknown.
   */
  installed?: ReadonlySet<string>;
  /**
   * The process's `__main__` has no `__file__` (an embedded interpreter such as uWSGI):
   * python-dotenv's find_dotenv() then starts from the working directory, not from the
   * calling module.
   */
  mainWithoutFile?: boolean;
}

/**
 * A release number as comparable parts: "0.11.2" → [0, 11, 2]. The first number in the
 * text counts, so "==0.4.4", "v1.2" and "0.11.*" work; pre-release tails are ignored.
 */
export function versionParts(version: string): number[] {
  const m = /\d+(?:\.\d+)*/.exec(version);
  return m ? m[0].split(".").map(Number) : [];
}

export function compareVersionText(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The version of `library` the evaluation models. */
export function libraryVersion(options: LibraryOptions | undefined, library: EnvLibrary): string {
  const pinned = options?.versions?.[library];
  return pinned !== undefined && versionParts(pinned).length > 0 ? pinned : NEWEST_LIBRARY_VERSIONS[library];
}

export function atLeastVersion(options: LibraryOptions | undefined, library: EnvLibrary, minimum: string): boolean {
  return compareVersionText(libraryVersion(options, library), minimum) >= 0;
}
