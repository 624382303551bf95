import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import type { DotenvEntry } from "../parsers/dotenv.js";
import type { DockerStage } from "../parsers/dockerfile.js";
import type { GitIndex } from "../parsers/git-index.js";
import type { GitIgnoreMatcher } from "../parsers/ignore-rules.js";
import type { NginxArg, NginxDirective } from "../parsers/nginx.js";
import type { AppServerKind } from "../parsers/process-command.js";
import type { ModuleEvaluation, SettingValue } from "../python/evaluate.js";
import type { ComposeService, ComposeStack } from "./compose-stack.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import type { DjangoVersionChoice } from "./django-version.js";

/**
 * The one linked picture of a deployment that every rule reads. Loaders fill it, the
 * model builder links it; rules never read files.
 */
export interface DeploymentModel {
  /** Absolute path of the lint root. */
  root: string;
  /** Every regular file under the root (root-relative). */
  files: string[];
  /** One per compose stack (a base file with its override, or a production variant on its own). */
  stacks: Stack[];
  /** Every env file in the repository or named by a compose file. */
  envFiles: EnvFile[];
  git: GitState;
  /** Every file problem found while loading (unreadable, broken syntax, include loops...). */
  problems: ParseProblem[];
}

export interface GitState {
  /** Undefined when the root is not inside a git work tree (nothing can be "tracked"). */
  index: GitIndex | undefined;
  ignore: GitIgnoreMatcher;
}

export interface EnvFile {
  file: string;
  /** `.env.example`, `.env.sample`, `env.template`...: committed on purpose, holds no real secrets. */
  isTemplate: boolean;
  exists: boolean;
  entries: DotenvEntry[];
  /** Compose `env_file:` entries and stacks that interpolate from it. */
  usedBy: { stack: string; service?: string; range: SourceRange }[];
}

export interface Stack {
  id: string;
  compose: ComposeStack;
  services: Service[];
  /** Production stacks are linted; development ones (local.yml, runserver beside a production stack) are not. */
  purpose: StackPurpose;
}

export interface StackPurpose {
  kind: "production" | "development";
  /** Why, for --print-model: "its file names say 'prod'", "service 'web' runs gunicorn"… */
  reason: string;
}

export type ServiceRole = "django" | "nginx" | "postgres" | "redis";

export interface Service {
  name: string;
  stack: string;
  compose: ComposeService;
  roles: Set<ServiceRole>;
  /** The final stage of the Dockerfile compose builds this service from. */
  image: ImageBuild | undefined;
  /** Container path → repository path / named volume / image content. */
  filesystem: ContainerFilesystem;
  /** The environment the container's processes get, as far as the repository declares it. */
  environment: ServiceEnvironment;
  /** The command the container runs (compose entrypoint/command over the image's), when known. */
  command: LocatedString[];
  appServer: AppServer | undefined;
  nginx: NginxSite | undefined;
  django: DjangoApp | undefined;
}

export interface ImageBuild {
  dockerfile: string;
  context: string;
  stage: DockerStage;
}

export type EnvSourceKind = "cli" | "compose-environment" | "env-file" | "uwsgi-env" | "dockerfile-env";

export interface EnvValue {
  name: string;
  /** Undefined when the variable is set but its value is not in the repository (shell pass-through, absent env file). */
  value: string | undefined;
  source: EnvSourceKind;
  range: SourceRange;
}

export interface ServiceEnvironment {
  values: Map<string, EnvValue>;
  /**
   * False when something may set variables we cannot see (an env_file absent from the
   * checkout): a variable missing from `values` is then unknown rather than unset.
   */
  complete: boolean;
  /** Env files compose names but the checkout does not have. */
  missingEnvFiles: { path: string; range: SourceRange }[];
}

export type Protocol = "uwsgi" | "http";

/** Where an app server (or nginx upstream) listens. */
export type Endpoint =
  | { kind: "unix"; path: string }
  | { kind: "tcp"; host: string; port: string };

export interface Listener {
  endpoint: Endpoint;
  protocol: Protocol;
  /** The option that declares it (`socket`, `http-socket`, `--bind`...). */
  option: string;
  range: SourceRange;
}

export interface AppServer {
  kind: AppServerKind;
  /** Where the app server was found to be started (the command word, or a line of an entrypoint script). */
  range: SourceRange;
  listeners: Listener[];
  /** WSGI/ASGI application (`proj.wsgi:application`, uWSGI `module`). */
  application: LocatedString | undefined;
  /** Working directory of the app server process inside the container. */
  workingDir: string | undefined;
  /** uWSGI `env = KEY=VALUE` options. */
  env: Map<string, EnvValue>;
  /** Config files read (uWSGI ini, gunicorn.conf.py), repo-relative. */
  configFiles: string[];
}

export interface NginxSite {
  /** Entry configs the nginx process loads, with includes expanded. */
  entryFiles: string[];
  servers: NginxServer[];
  upstreams: Map<string, NginxUpstream>;
}

/** An nginx argument with template variables (envsubst) substituted from the container's environment. */
export interface NginxValue {
  arg: NginxArg;
  /** The rendered value; undefined when it depends on a variable whose value is unknown. */
  value: string | undefined;
}

export interface NginxServer {
  directive: NginxDirective;
  listens: NginxDirective[];
  serverNames: NginxValue[];
  /** A `listen … ssl` (or `ssl on`) is present. */
  tls: boolean;
  locations: NginxLocation[];
  /** `root` of the server block (or of http), inherited by locations without their own. */
  root: NginxValue | undefined;
}

export type LocationModifier = "" | "=" | "~" | "~*" | "^~" | "@";

export interface NginxLocation {
  directive: NginxDirective;
  modifier: LocationModifier;
  /** The URI or regex (template variables substituted when known). */
  uri: NginxValue;
  alias: NginxValue | undefined;
  /** The effective root: the location's own, else the enclosing location's, server's or http's. */
  root: NginxValue | undefined;
  pass: NginxPass | undefined;
  tryFiles: NginxDirective | undefined;
  children: NginxLocation[];
}

export interface NginxPass {
  directive: "uwsgi_pass" | "proxy_pass";
  target: NginxValue;
  /** The endpoints behind the target (an upstream's servers, or the target itself); empty when unknown. */
  endpoints: NginxEndpoint[];
  protocol: Protocol;
}

export interface NginxEndpoint {
  endpoint: Endpoint;
  range: SourceRange;
  /** The upstream the endpoint was found in, when the target names one. */
  upstream: string | undefined;
}

export interface NginxUpstream {
  name: string;
  directive: NginxDirective;
  servers: NginxEndpoint[];
}

export type SettingsModuleSource = "cli" | "compose" | "uwsgi-env" | "dockerfile" | "wsgi.py" | "manage.py";

export interface SettingsModuleChoice {
  module: string;
  source: SettingsModuleSource;
  /** Where the choice was read (undefined for the CLI). */
  range: SourceRange | undefined;
}

export interface DjangoApp {
  settingsModule: SettingsModuleChoice | undefined;
  /** Undefined when the settings module could not be found in the repository. */
  settings: ModuleEvaluation | undefined;
  /** The Django version whose checks and defaults apply. */
  version: DjangoVersionChoice;
}

/** Looks up one evaluated setting of a Django app. */
export function setting(app: DjangoApp | undefined, name: string): SettingValue | undefined {
  return app?.settings?.values.get(name);
}
