import { posix } from "node:path";
import ignore from "ignore";
import dockerignore from "@balena/dockerignore";
import type { Ignore as DockerIgnoreRules } from "@balena/dockerignore";

/**
 * Ignore-file matchers: `.gitignore` (git's semantics, through the `ignore` package) and
 * `.dockerignore` (Docker's, through `@balena/dockerignore`). Both answer with the rule
 * that decided, so a finding can point at the exact line of the ignore file.
 */

export interface IgnoreVerdict {
  ignored: boolean;
  /** The rule that ignores the path (for .dockerignore also the `!` exception that re-includes it). */
  rule?: { file: string; line: number; pattern: string };
}

export interface GitIgnoreMatcher {
  /** `path` is repo-relative with forward slashes; give directories a trailing `/`. */
  check(path: string): IgnoreVerdict;
  files: string[];
}

export interface DockerIgnoreMatcher {
  file?: string;
  check(pathInContext: string): IgnoreVerdict;
}

interface RuleOrigin {
  file: string;
  line: number;
  pattern: string;
}

/** Lines of an ignore file with their 1-based numbers; a leading BOM is dropped as git does. */
function ignoreLines(text: string): { line: number; text: string }[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split("\n").map((t, i) => ({ line: i + 1, text: t.endsWith("\r") ? t.slice(0, -1) : t }));
}

/** Strips `./`, leading slashes and duplicate slashes; the packages throw on or mis-match such paths. */
function normaliseQueryPath(path: string): string {
  const dir = path.endsWith("/");
  let p = posix.normalize(path.replace(/\\/g, "/")).replace(/^(\.\/)+/, "").replace(/^\/+/, "");
  if (p === "." || p === "./") p = "";
  if (p !== "" && dir && !p.endsWith("/")) p += "/";
  return p;
}

// Characters that mean something in a gitignore glob and may appear in a directory name.
const GLOB_SPECIAL = /[\\*?[\]!# ]/g;

/**
 * Rewrites a pattern of `<dir>/.gitignore` into the equivalent pattern of a root-level
 * .gitignore. Git's rule: a pattern with a slash at its start or middle is relative to
 * its file's directory; one without matches at any depth below it.
 */
function rebasePattern(dir: string, raw: string): string {
  if (dir === "") return raw;
  let body = raw;
  let bang = "";
  if (body.startsWith("!")) {
    bang = "!";
    body = body.slice(1);
  }
  const base = dir.replace(GLOB_SPECIAL, (c) => `\\${c}`);
  const withoutTrailingSlash = body.replace(/ +$/, "").replace(/\/$/, "");
  const anchored = withoutTrailingSlash.includes("/");
  return anchored ? `${bang}${base}/${body.replace(/^\//, "")}` : `${bang}${base}/**/${body}`;
}

function gitIgnoreDir(file: string): string {
  const dir = posix.dirname(file.replace(/\\/g, "/"));
  return dir === "." || dir === "/" ? "" : dir.replace(/^\.\//, "").replace(/\/+$/, "");
}

/**
 * One matcher for all .gitignore files of a tree. Every pattern is rebased to the root
 * and added shallow files first, deep files last: "last matching rule wins" then gives
 * git's precedence (a deeper file beats a shallower one; later lines beat earlier ones),
 * and `ignore`'s own parent check gives git's "a file in an excluded directory cannot be
 * re-included".
 */
function gitPatternCompiles(pattern: string): boolean {
  try {
    ignore({ ignorecase: false }).add(pattern).ignores("probe");
    return true;
  } catch {
    return false;
  }
}

export function buildGitIgnoreMatcher(ignoreFiles: { file: string; text: string }[]): GitIgnoreMatcher {
  const sorted = [...ignoreFiles].sort((a, b) => {
    const da = gitIgnoreDir(a.file);
    const db = gitIgnoreDir(b.file);
    const depth = (d: string): number => (d === "" ? 0 : d.split("/").length);
    return depth(da) - depth(db) || (da < db ? -1 : da > db ? 1 : 0);
  });
  // Git compares case-sensitively unless core.ignorecase is set; `ignore` defaults to insensitive.
  const ig = ignore({ ignorecase: false });
  const origins: RuleOrigin[] = [];
  for (const { file, text } of sorted) {
    const dir = gitIgnoreDir(file);
    const patterns: { pattern: string; mark: string }[] = [];
    for (const { line, text: raw } of ignoreLines(text)) {
      if (raw.trim() === "" || raw.startsWith("#")) continue;
      const pattern = rebasePattern(dir, raw);
      // `ignore` compiles each pattern on first use: one too large for a RegExp would throw mid-lint. It matches nothing real.
      if (!gitPatternCompiles(pattern)) continue;
      origins.push({ file, line, pattern: raw });
      patterns.push({ pattern, mark: String(origins.length - 1) });
    }
    ig.add(patterns);
  }

  return {
    files: sorted.map((f) => f.file),
    check(path: string): IgnoreVerdict {
      const p = normaliseQueryPath(path);
      if (p === "" || p === "/" || !ignore.isPathValid(p)) return { ignored: false };
      const result = ig.test(p);
      if (!result.ignored) return { ignored: false };
      const origin = result.rule?.mark !== undefined ? origins[Number(result.rule.mark)] : undefined;
      return origin ? { ignored: true, rule: { ...origin } } : { ignored: true };
    },
  };
}

/**
 * The .dockerignore of a build context. `@balena/dockerignore` follows Docker's matcher
 * (patterns relative to the context root, `*` stays within one path segment, `**` crosses,
 * a pattern also covers everything under a directory it matches, a leading `/` is
 * ignored, the last matching line wins, `!` re-includes) but does not say which line
 * matched; each line gets its own matcher and the last one that matches decides — the same
 * loop the package runs over its rules.
 */
function compiles(matcher: DockerIgnoreRules): boolean {
  try {
    matcher.ignores("probe");
    return true;
  } catch {
    return false;
  }
}

export function buildDockerIgnoreMatcher(file: string | undefined, text: string | undefined): DockerIgnoreMatcher {
  if (file === undefined || text === undefined) {
    return { check: () => ({ ignored: false }) };
  }
  const rules: { origin: RuleOrigin; negative: boolean; matcher: DockerIgnoreRules }[] = [];
  for (const { line, text: raw } of ignoreLines(text)) {
    // Docker drops comment lines before trimming: an indented `#` is a pattern.
    if (raw.startsWith("#")) continue;
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    const negative = trimmed.startsWith("!");
    const positive = negative ? trimmed.slice(1).trim() : trimmed;
    if (positive === "") continue;
    // Docker on Linux matches case-sensitively; the package defaults to insensitive.
    // The package takes a leading `#` for a comment even after trimming; a space in front
    // (which it trims away) keeps such a pattern a pattern, as it is for Docker.
    // A CommonJS package: under NodeNext its factory is `.default` (which it also sets at run time).
    const matcher = dockerignore.default({ ignorecase: false }).add(positive.startsWith("#") ? ` ${positive}` : positive);
    // The package copies `(` into its regular expression unescaped and compiles it on first use: an unbalanced
    // one would throw in the middle of the lint. Such a line can match no path we ask about; skip it.
    if (!compiles(matcher)) continue;
    rules.push({ origin: { file, line, pattern: raw.trim() }, negative, matcher });
  }
  return {
    file,
    check(pathInContext: string): IgnoreVerdict {
      const p = normaliseQueryPath(pathInContext).replace(/\/$/, "");
      if (p === "") return { ignored: false };
      for (let i = rules.length - 1; i >= 0; i--) {
        const rule = rules[i]!;
        if (rule.matcher.ignores(p)) return { ignored: !rule.negative, rule: { ...rule.origin } };
      }
      return { ignored: false };
    },
  };
}
