import { imageFileOps } from "./image-file-ops.js";
import { relative, resolve } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { discoverFiles } from "../discover/discover.js";
import { parseDockerfile, type Dockerfile, type DockerStage } from "../parsers/dockerfile.js";
import { readGitIndex } from "../parsers/git-index.js";
import { buildDockerIgnoreMatcher, buildGitIgnoreMatcher, type GitIgnoreMatcher } from "../parsers/ignore-rules.js";
import type { RequirementsDocument } from "../parsers/python-requirements.js";
import { analyzeProcess } from "./app-server.js";
import { findCollectstatic, findCollectstaticMentions } from "./collectstatic.js";
import { findMigrations } from "./migrations.js";
import { loadComposeStack, looksLikeCompose, planComposeStacks, type ComposeService, type ComposeStack } from "./compose-stack.js";
import { ContainerFilesystem, normalizeContainerPath, type ServiceMount } from "./container-filesystem.js";
import type { DeploymentModel, ImageBuild, Service, ServiceRole, Stack } from "./deployment-model.js";
import { loadDjangoApp } from "./django-app.js";
import type { DjangoVersion } from "./django-version.js";
import { detectDjangoVersion, loadRequirementDocuments } from "./django-version-detect.js";
import { collectEnvFiles } from "./env-files.js";
import { loadNginxConf, loadNginxSite } from "./nginx-site.js";
import { envLibraryOptions } from "./python-packages.js";
import { isInsideRepo, joinRepoPath, normalizeRepoPath, RepoTree } from "./repo-tree.js";
import { buildServiceEnvironment, envLookup } from "./service-environment.js";
import { SourceCache } from "./source-cache.js";
import { findKeyMaterial, type KeyMaterialFile } from "./key-material.js";
import { classifyStacks } from "./stack-purpose.js";
import { planHostDeployment } from "./host-stack.js";

export interface BuildOptions {
  /** `--settings`: the production settings module, overriding what the files say. */
  settingsModule?: string;
  /** `--compose FILE` (repeatable): the compose files of the one stack to lint, as `docker compose -f`; relative to `cwd`. */
  composeFiles?: string[];
  /** Where relative `--compose` paths are resolved from (the user's working directory). */
  cwd?: string;
  /** `--django-version`: the Django whose checks and defaults apply, overriding the pins. */
  djangoVersion?: DjangoVersion;
}

const DEFAULT_COMPOSE_NAME = /(^|\/)(docker-)?compose(\.override)?\.ya?ml$/;
const COMPOSE_NAME = /(^|\/)(docker-)?compose[^/]*$|\.ya?ml$/i;
const DOCKERFILE_NAME = /(^|\/)(Dockerfile[^/]*|[^/]+\.[Dd]ockerfile)$/;
const NGINX_CANDIDATE = /\.(conf|conf\.template|conf\.tpl|template|tpl)$|(^|\/)(nginx|sites-enabled|sites-available|conf\.d)\/[^/.]+$/;
// An nginx block and an nginx-only directive: FreeRADIUS and others also write `server x {`.
const NGINX_BLOCK = /^\s*(server|http|upstream|location|events)\b[^\n;{]*\{/m;
const NGINX_DIRECTIVE = /^\s*(listen|server_name|proxy_pass|uwsgi_pass|fastcgi_pass|try_files|alias|root|worker_processes|error_page|access_log|ssl_certificate|include)\s[^\n]*;/m;

export function buildDeploymentModel(rootAbs: string, options: BuildOptions = {}): DeploymentModel {
  const discovered = discoverFiles(rootAbs);
  const repo = new RepoTree(discovered.files);
  const cache = new SourceCache(rootAbs);
  cache.record("discover", discovered.problems);

  const gitIndex = readGitIndex(rootAbs);
  const ignore = buildGitIgnoreMatcher(
    discovered.files
      .filter((f) => f === ".gitignore" || f.endsWith("/.gitignore"))
      .map((file) => ({ file, text: cache.text(file).text ?? "" })),
  );

  const stackFiles = chooseStackFiles(discovered.files, repo, cache, rootAbs, options);
  const stacks: Stack[] = [];
  let requirementDocuments: RequirementsDocument[] | undefined;
  const requirements = (): readonly RequirementsDocument[] => (requirementDocuments ??= loadRequirementDocuments(repo, cache));
  const context: BuildContext = { repo, cache, options, ignore, requirements };
  const loadStack = (files: string[]): Stack => {
    const compose = loadComposeStack(files, rootAbs, (file) => cache.text(file));
    cache.record(`compose:${compose.id}`, compose.problems);
    return buildStack(compose, context);
  };
  for (const files of stackFiles) {
    const stack = loadStack(files);
    stacks.push(stack);
    // `docker compose up` merges docker-compose.override.yml; when that turns the stack into a
    // development one (runserver), production runs the base file alone (`-f docker-compose.yml`).
    const base = files[0];
    if (files.length === 2 && base !== undefined && !options.composeFiles?.length && runsRunserver(stack) && !stackFiles.some((f) => f.length === 1 && f[0] === base)) {
      const alone = loadStack([base]);
      if (alone.services.some((s) => s.appServer !== undefined && s.appServer.kind !== "runserver")) stacks.push(alone);
    }
  }
  const purposes = classifyStacks(stacks, (options.composeFiles?.length ?? 0) > 0);
  for (const stack of stacks) stack.purpose = purposes.get(stack) ?? stack.purpose;

  const nginxConfigs = discovered.files.filter((file) => {
    if (!NGINX_CANDIDATE.test(file)) return false;
    const text = cache.text(file).text;
    return text !== undefined && NGINX_BLOCK.test(text) && NGINX_DIRECTIVE.test(text);
  });
  if (stacks.length === 0) {
    const host = planHostDeployment({ files: discovered.files, cache, nginxConfigs });
    if (host) {
      cache.record(`host:${host.stack.id}`, host.stack.problems);
      const stack = buildStack(host.stack, context);
      stacks.push({ ...stack, purpose: { kind: "production", reason: host.description }, runtime: "host" });
    }
  }

  // Files no stack loads still get their syntax checked: a broken config is a broken config.
  for (const file of discovered.files) if (DOCKERFILE_NAME.test(file)) loadDockerfile(cache, file);
  for (const file of nginxConfigs) loadNginxConf(cache, file);

  const envFiles = collectEnvFiles(discovered.files, stacks, repo, cache);
  let collectstaticMentions: SourceRange[] | undefined;
  let keyMaterial: KeyMaterialFile[] | undefined;
  return {
    root: rootAbs,
    files: discovered.files,
    stacks,
    envFiles,
    git: { index: gitIndex, ignore },
    problems: cache.problems,
    collectstaticMentions: () => (collectstaticMentions ??= findCollectstaticMentions(rootAbs, discovered.files)),
    keyMaterial: () => (keyMaterial ??= findKeyMaterial(rootAbs, discovered.files)),
    sourceTexts: () => cache.readTexts(),
    sourceText: (file) => cache.peek(file),
  };
}

function chooseStackFiles(files: string[], repo: RepoTree, cache: SourceCache, rootAbs: string, options: BuildOptions): string[][] {
  if (options.composeFiles && options.composeFiles.length > 0) {
    const cwd = options.cwd ?? process.cwd();
    return [options.composeFiles.map((f) => normalizeRepoPath(relative(rootAbs, resolve(cwd, f))))];
  }
  const candidates = files.filter((f) => COMPOSE_NAME.test(f) && repo.isFile(f)).filter((f) => {
    const text = cache.text(f).text;
    // docker compose reads its default file names whatever they hold: a broken one is a problem to report, not some other YAML.
    return text !== undefined && (looksLikeCompose(text) || DEFAULT_COMPOSE_NAME.test(f));
  });
  return planComposeStacks(candidates);
}

export function loadDockerfile(cache: SourceCache, file: string, buildArgs?: Map<string, string>): Dockerfile {
  const key = buildArgs && buildArgs.size > 0 ? `dockerfile:${[...buildArgs].map(([k, v]) => `${k}=${v}`).join(",")}` : "dockerfile";
  return cache.parse(key, file, (text) => parseDockerfile(text, file, buildArgs), () => ({ file, stages: [], problems: [] }));
}

/** What every service of every stack is built from. */
interface BuildContext {
  repo: RepoTree;
  cache: SourceCache;
  options: BuildOptions;
  ignore: GitIgnoreMatcher;
  /** The repository's dependency files, listed once and only when a Django service needs them. */
  requirements: () => readonly RequirementsDocument[];
}

function buildStack(compose: ComposeStack, context: BuildContext): Stack {
  const services = compose.services.map((service) => buildService(compose, service, context));
  // Classified once every stack is built (classifyStacks compares them).
  return { id: compose.id, compose, services, purpose: { kind: "production", reason: "" }, runtime: "compose" };
}

function buildService(stack: ComposeStack, compose: ComposeService, { repo, cache, options, ignore, requirements }: BuildContext): Service {
  const image = loadImage(compose, repo, cache);
  const dockerignore = image ? loadDockerignore(image, repo, cache) : undefined;
  const filesystem = new ContainerFilesystem(
    compose.name,
    [...compose.volumes, ...inheritedMounts(stack, compose)],
    image ? { context: image.context, copies: image.stage.copies, dockerignore, directories: stageDirectories(image.stage), fileOps: imageFileOps(image.stage.runs) } : undefined,
    repo,
  );
  const command = effectiveCommand(compose, image?.stage);
  // compose `working_dir` replaces the image's WORKDIR.
  const workdir = compose.workingDir && !compose.workingDir.unresolved?.length ? normalizeContainerPath(compose.workingDir.value) : (image?.stage.finalWorkdir ?? "/");
  const initialEnv = buildServiceEnvironment(compose, image?.stage, new Map(), cache, repo);
  const process = analyzeProcess({ service: compose.name, command, workdir, fs: filesystem, env: envLookup(initialEnv), cache, repo });
  cache.record(`process:${stack.id}:${compose.name}`, process.problems);
  const appServer = process.appServer;
  const environment = appServer && appServer.env.size > 0 ? buildServiceEnvironment(compose, image?.stage, appServer.env, cache, repo) : initialEnv;

  const roles = serviceRoles(compose, image?.stage, filesystem, appServer !== undefined);
  let nginx: Service["nginx"];
  if (roles.has("nginx")) {
    const loaded = loadNginxSite(filesystem, environment, cache);
    cache.record(`nginx-site:${stack.id}:${compose.name}`, loaded.problems);
    nginx = loaded.site;
  }
  let django: Service["django"];
  if (roles.has("django")) {
    // The pins in the service's own build context win over others in the repository.
    const documents = requirements();
    const version = detectDjangoVersion(repo, cache, options.djangoVersion, { preferDirs: image ? [image.context] : [], documents });
    django = loadDjangoApp({
      filesystem,
      environment,
      compose,
      appServer,
      workdir,
      repo,
      cache,
      image,
      version,
      libraries: envLibraryOptions(documents, version.version),
      ignore,
      ...(options.settingsModule !== undefined ? { cliSettingsModule: options.settingsModule } : {}),
    });
  }
  return {
    name: compose.name,
    stack: stack.id,
    compose,
    roles,
    image,
    filesystem,
    environment,
    command,
    appServer,
    nginx,
    django,
    collectstatic: findCollectstatic({
      image,
      composeImage: compose.image?.value,
      hasEntrypoint: compose.entrypoint !== undefined || image?.stage.entrypoint !== undefined,
      command,
      invocations: process.invocations,
      unreadScripts: process.unreadScripts,
    }),
    migrations: findMigrations({ image, invocations: process.invocations }),
  };
}

function runsRunserver(stack: Stack): boolean {
  return stack.services.some((s) => s.appServer?.kind === "runserver");
}

/** Directories the stage makes: its WORKDIRs and `RUN mkdir [-p] …` arguments (absolute ones). */
function stageDirectories(stage: DockerStage): string[] {
  const out = stage.workdirs.filter((w) => !w.unresolved?.length).map((w) => w.path);
  for (const run of stage.runs) {
    for (const match of run.text.matchAll(/\bmkdir\s+((?:-[a-z]+\s+)*)([^;&|\n]+)/g)) {
      out.push(...(match[2] ?? "").split(/\s+/).filter((p) => p.startsWith("/")));
    }
  }
  return out;
}

/** `volumes_from: [web:ro]`: every volume and bind of `web`, read-only if asked, over this service's own. */
function inheritedMounts(stack: ComposeStack, compose: ComposeService): ServiceMount[] {
  const out: ServiceMount[] = [];
  const own = new Set(compose.volumes.map((m) => m.target));
  for (const entry of compose.volumesFrom) {
    if (entry.value.startsWith("container:")) continue;
    const [name, mode] = entry.value.split(":");
    const source = stack.services.find((s) => s.name === name);
    for (const mount of source?.volumes ?? []) {
      if (mount.type === "tmpfs" || own.has(mount.target)) continue;
      out.push({ ...mount, readOnly: mode === "ro" || mount.readOnly, range: entry.range, owner: source?.name });
    }
  }
  return out;
}

function loadImage(compose: ComposeService, repo: RepoTree, cache: SourceCache): ImageBuild | undefined {
  const build = compose.build;
  if (!build || !isInsideRepo(build.dockerfile) || !repo.isFile(build.dockerfile)) return undefined;
  const args = new Map<string, string>();
  for (const [name, arg] of build.args) if (!arg.unresolved?.length) args.set(name, arg.value);
  const dockerfile = loadDockerfile(cache, build.dockerfile, args);
  const stage = build.target !== undefined ? dockerfile.stages.find((s) => s.name === build.target) : dockerfile.stages[dockerfile.stages.length - 1];
  return stage ? { dockerfile: build.dockerfile, context: build.context, stage, stages: dockerfile.stages } : undefined;
}

function loadDockerignore(image: ImageBuild, repo: RepoTree, cache: SourceCache) {
  // BuildKit prefers <Dockerfile>.dockerignore next to the Dockerfile, then <context>/.dockerignore.
  for (const file of [`${image.dockerfile}.dockerignore`, joinRepoPath(image.context, ".dockerignore")]) {
    if (repo.isFile(file)) return buildDockerIgnoreMatcher(file, cache.text(file).text ?? "");
  }
  return buildDockerIgnoreMatcher(undefined, undefined);
}

/** What the container runs: compose entrypoint/command over the image's (compose resets CMD when it sets entrypoint). */
function effectiveCommand(compose: ComposeService, stage: DockerStage | undefined): LocatedString[] {
  const entrypoint = compose.entrypoint?.argv ?? stage?.entrypoint?.argv ?? [];
  const command = compose.command?.argv ?? (compose.entrypoint ? [] : (stage?.cmd?.argv ?? []));
  return [...entrypoint, ...command];
}

const NGINX_IMAGE = /(^|\/)(nginx|openresty)[^/]*(:|$)|nginx-unprivileged/i;
const POSTGRES_IMAGE = /(^|\/)(postgres|postgis|timescaledb)[^/]*(:|$)/i;
const REDIS_IMAGE = /(^|\/)(redis|valkey|keydb)[^/]*(:|$)/i;

function serviceRoles(compose: ComposeService, stage: DockerStage | undefined, fs: ContainerFilesystem, runsAppServer: boolean): Set<ServiceRole> {
  const roles = new Set<ServiceRole>();
  const images = [compose.image?.value, stage?.baseImage.value].filter((i): i is string => i !== undefined);
  const installsNginx = stage?.runs.some((r) => /\bnginx\b/.test(r.text)) ?? false;
  if (images.some((i) => NGINX_IMAGE.test(i)) || installsNginx || fs.listFiles("/etc/nginx").length > 0) roles.add("nginx");
  if (images.some((i) => POSTGRES_IMAGE.test(i))) roles.add("postgres");
  if (images.some((i) => REDIS_IMAGE.test(i))) roles.add("redis");
  if (runsAppServer) roles.add("django");
  return roles;
}

export type { ParseProblem };
