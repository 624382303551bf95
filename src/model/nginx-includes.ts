/**
 * Follows nginx `include` directives into the repository files they name, producing one
 * tree per entry config (the way nginx reads it) without touching the cached parse trees.
 */
import type { ParseProblem } from "../core/problems.js";
import type { IncludedNginxFile, NginxConfFile, NginxDirective } from "../parsers/nginx.js";

export interface IncludeResolver {
  /** Resolve an include argument as the nginx process sees it (absolute path, or relative to the nginx prefix /etc/nginx; may contain a glob such as conf.d/*.conf)
   *  to repository files (repo-relative, sorted like nginx does, i.e. alphabetically), or "external" when the path is outside what the repository provides (e.g. /etc/nginx/uwsgi_params, mime.types shipped by the image). [] when a glob matches nothing. */
  resolve(pattern: string, fromFile: string): string[] | "external";
  /** Parsed file (the caller caches: parse each file once). */
  load(file: string): NginxConfFile;
}

export interface ExpandedNginxConf {
  file: string;
  directives: NginxDirective[];
  problems: ParseProblem[];
  /** Every repo file pulled in, entry first, each once. */
  files: string[];
}

export const DEFAULT_MAX_INCLUDE_DEPTH = 16;

/** nginx globs an include only when its path has one of these characters (ngx_conf_include). */
const GLOB_CHARS = /[*?[]/;

/**
 * Returns a new tree for `entry` in which every followed `include` directive has
 * `included` set: the files it pulls in, each already expanded. Only directives on the
 * path to an include are copied; everything else is shared with the parsed files.
 *
 * `included` stays unset when the resolver calls the target "external" (shipped by the
 * image) and on includes without exactly one argument (a problem). Files that would close
 * a loop or sit deeper than `maxDepth` are left out of `included`, with a problem at the
 * include directive. A path without glob characters that resolves to nothing is a problem
 * too (nginx fails to start); a glob that matches nothing is fine (`included: []`).
 */
export function expandIncludes(
  entry: NginxConfFile,
  resolver: IncludeResolver,
  maxDepth: number = DEFAULT_MAX_INCLUDE_DEPTH,
): ExpandedNginxConf {
  const expander = new IncludeExpander(resolver, maxDepth);
  expander.addFile(entry);
  const directives = expander.expandList(entry.directives, [entry.file]).directives;
  return { file: entry.file, directives, problems: expander.problems, files: expander.files };
}

/** An expanded file whose tree did not depend on the include chain that reached it. */
interface ChainFreeExpansion {
  directives: NginxDirective[];
  /** Deepest include chain below this file (0 when it includes nothing). */
  height: number;
}

class IncludeExpander {
  readonly problems: ParseProblem[] = [];
  readonly files: string[] = [];
  private readonly seenProblems = new Set<string>();
  private readonly loaded = new Map<string, NginxConfFile>();
  /**
   * Expansions that hit no loop and no depth limit are the same wherever the file is
   * included from (given enough depth left), so they are reused: a file included from
   * many places is expanded once instead of once per path.
   */
  private readonly chainFree = new Map<string, ChainFreeExpansion>();

  constructor(
    private readonly resolver: IncludeResolver,
    private readonly maxDepth: number,
  ) {}

  addFile(conf: NginxConfFile): void {
    if (this.loaded.has(conf.file)) return;
    this.loaded.set(conf.file, conf);
    this.files.push(conf.file);
    for (const p of conf.problems) this.addProblem(p);
  }

  private addProblem(p: ParseProblem): void {
    const r = p.range;
    const key = `${r.file}:${r.line}:${r.column}:${r.endLine}:${r.endColumn}:${p.message}`;
    if (this.seenProblems.has(key)) return;
    this.seenProblems.add(key);
    this.problems.push(p);
  }

  /**
   * Expands the includes of one directive list. `chain` is the include path from the entry
   * to the file these directives are written in. `cut` tells whether a loop or the depth
   * limit stopped expansion somewhere below; `height` is the deepest include chain used.
   */
  expandList(list: NginxDirective[], chain: string[]): { directives: NginxDirective[]; cut: boolean; height: number } {
    let copy: NginxDirective[] | undefined;
    let cut = false;
    let height = 0;
    list.forEach((d, index) => {
      let replacement: NginxDirective | undefined;
      if (d.block) {
        const inner = this.expandList(d.block, chain);
        cut ||= inner.cut;
        height = Math.max(height, inner.height);
        if (inner.directives !== d.block) replacement = { ...d, block: inner.directives };
      } else if (d.name === "include") {
        const result = this.expandInclude(d, chain);
        cut ||= result.cut;
        height = Math.max(height, result.height);
        if (result.included) replacement = { ...d, included: result.included };
      }
      if (replacement) {
        copy ??= list.slice();
        copy[index] = replacement;
      }
    });
    return { directives: copy ?? list, cut, height };
  }

  private expandInclude(d: NginxDirective, chain: string[]): { included?: IncludedNginxFile[]; cut: boolean; height: number } {
    const arg = d.args[0];
    if (!arg || d.args.length !== 1) {
      this.addProblem({ range: d.range, message: `invalid number of arguments in "include" directive (${d.args.length}, expected 1)` });
      return { cut: false, height: 0 };
    }
    const fromFile = chain[chain.length - 1]!;
    const targets = this.resolver.resolve(arg.value, fromFile);
    if (targets === "external") return { cut: false, height: 0 };
    if (targets.length === 0 && !GLOB_CHARS.test(arg.value)) {
      this.addProblem({ range: arg.range, message: `include "${arg.value}" names no file in the repository` });
    }
    const included: IncludedNginxFile[] = [];
    let cut = false;
    let height = 0;
    for (const target of targets) {
      const loopStart = chain.indexOf(target);
      if (loopStart !== -1) {
        this.addProblem({ range: d.range, message: `include loop: ${[...chain.slice(loopStart), target].join(" → ")}` });
        cut = true;
        continue;
      }
      if (chain.length > this.maxDepth) {
        this.addProblem({ range: d.range, message: `includes nested more than ${this.maxDepth} levels deep: ${[...chain, target].join(" → ")}` });
        cut = true;
        continue;
      }
      const expanded = this.expandFile(target, chain);
      cut ||= expanded.cut;
      height = Math.max(height, expanded.height + 1);
      included.push({ file: target, directives: expanded.directives });
    }
    return { included, cut, height };
  }

  private expandFile(file: string, chain: string[]): { directives: NginxDirective[]; cut: boolean; height: number } {
    const known = this.chainFree.get(file);
    // Depth left for the file's own includes once it sits at depth chain.length.
    if (known && chain.length + known.height <= this.maxDepth) return { directives: known.directives, cut: false, height: known.height };
    let conf = this.loaded.get(file);
    if (!conf) {
      conf = this.resolver.load(file);
      this.addFile(conf);
    }
    const expanded = this.expandList(conf.directives, [...chain, file]);
    if (!expanded.cut) this.chainFree.set(file, { directives: expanded.directives, height: expanded.height });
    return expanded;
  }
}
