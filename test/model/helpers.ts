import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import type { LocatedString, SourceRange } from "../../src/core/location.js";
import type { DockerCopy } from "../../src/parsers/dockerfile.js";
import { splitShellWords } from "../../src/parsers/shell-words.js";
import { buildDeploymentModel, type BuildOptions } from "../../src/model/build-model.js";
import type { ComposeMount } from "../../src/model/compose-stack.js";
import { ContainerFilesystem, type ImageContent } from "../../src/model/container-filesystem.js";
import type { DeploymentModel, EnvValue, Service, ServiceEnvironment } from "../../src/model/deployment-model.js";
import { loadNginxSite } from "../../src/model/nginx-site.js";
import { RepoTree } from "../../src/model/repo-tree.js";
import { SourceCache } from "../../src/model/source-cache.js";

/** A range literal, in the order the report prints it. */
export function r(file: string, line: number, column: number, endLine: number, endColumn: number): SourceRange {
  return { file, line, column, endLine, endColumn };
}

const NOWHERE = r("test", 1, 1, 1, 1);

export function ls(value: string, range: SourceRange = NOWHERE): LocatedString {
  return { value, range };
}

export function bind(source: string, target: string): ComposeMount {
  return { type: "bind", source, target, readOnly: false, range: NOWHERE };
}

export function volume(source: string | undefined, target: string): ComposeMount {
  return source === undefined ? { type: "volume", target, readOnly: false, range: NOWHERE } : { type: "volume", source, target, readOnly: false, range: NOWHERE };
}

export function tmpfs(target: string): ComposeMount {
  return { type: "tmpfs", target, readOnly: false, range: NOWHERE };
}

/** A COPY as the Dockerfile loader returns it; `destinationAbs` is given already resolved against WORKDIR. */
export function copy(sources: string[], destinationAbs: string, fromStage?: string): DockerCopy {
  return {
    instruction: "COPY",
    sources: sources.map((s) => ls(s)),
    destination: ls(destinationAbs),
    destinationAbs,
    ...(fromStage !== undefined ? { fromStage } : {}),
    range: NOWHERE,
  };
}

export function environment(values: Record<string, string | undefined>, complete = true): ServiceEnvironment {
  const map = new Map<string, EnvValue>();
  for (const [name, value] of Object.entries(values)) map.set(name, { name, value, source: "compose-environment", range: NOWHERE });
  return { values: map, complete, missingEnvFiles: [] };
}

/** Words of a command line as if written on line 1 of `file` (ranges are real). */
export function words(text: string, file = "docker-compose.yml"): LocatedString[] {
  return splitShellWords(text, file);
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes a small project to a fresh temporary directory and returns its absolute path. */
export function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "dpl-model-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function model(files: Record<string, string>, options: BuildOptions = {}): DeploymentModel {
  return buildDeploymentModel(project(files), options);
}

export function service(m: DeploymentModel, name: string, stack = 0): Service {
  const found = m.stacks[stack]?.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in stack ${stack}: ${JSON.stringify(m.stacks.map((s) => s.services.map((x) => x.name)))}`);
  return found;
}

/** The files of a `project()` as the model's RepoTree sees them. */
export function repoOf(files: Record<string, string>): RepoTree {
  return new RepoTree(Object.keys(files).sort());
}

/**
 * loadNginxSite on a tiny project: `files` written to disk, the nginx container's mounts as
 * given (default: the repository root at /etc/nginx/conf.d), no image content.
 */
export function nginxSite(
  files: Record<string, string>,
  mounts: ComposeMount[] = [bind(".", "/etc/nginx/conf.d")],
  env: ServiceEnvironment = environment({}),
  image?: ImageContent,
) {
  const root = project(files);
  const fs = new ContainerFilesystem("nginx", mounts, image, repoOf(files));
  const cache = new SourceCache(root);
  const loaded = loadNginxSite(fs, env, cache);
  return { ...loaded, cacheProblems: cache.problems };
}
