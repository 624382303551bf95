import { posix } from "node:path";
import picomatch from "picomatch";
import type { IncludeResolver } from "../../src/model/nginx-includes.js";
import { parseNginxConf, type NginxConfFile } from "../../src/parsers/nginx.js";

/**
 * A test resolver over in-memory repository files: `mounts` maps paths inside the nginx
 * container (a directory or a file) to repository paths, like compose bind mounts do.
 * Anything not under a mount is "external" (shipped by the image).
 */
export class MemoryResolver implements IncludeResolver {
  readonly loads: string[] = [];
  readonly resolved: Array<[string, string]> = [];

  constructor(
    private readonly files: Record<string, string>,
    private readonly mounts: Record<string, string>,
  ) {}

  resolve(pattern: string, fromFile: string): string[] | "external" {
    this.resolved.push([pattern, fromFile]);
    const inContainer = pattern.startsWith("/") ? pattern : posix.join("/etc/nginx", pattern);
    for (const [target, source] of Object.entries(this.mounts)) {
      if (inContainer !== target && !inContainer.startsWith(`${target}/`)) continue;
      const repoPath = source + inContainer.slice(target.length);
      if (/[*?[]/.test(repoPath)) {
        const isMatch = picomatch(repoPath);
        return Object.keys(this.files).filter((f) => isMatch(f)).sort();
      }
      return repoPath in this.files ? [repoPath] : [];
    }
    return "external";
  }

  load(file: string): NginxConfFile {
    this.loads.push(file);
    return parseNginxConf(this.files[file] ?? "", file);
  }
}
