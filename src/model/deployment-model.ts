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
import type { KeyMaterialFile } from "./key-material.js";

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
  /**
   * Lines of repository files (docs, Makefiles, CI, scripts…) that mention `collectstatic`: a deploy
   * step may run it where we cannot see. A memoized query: it reads many files, so only when asked.
   */
  collectstaticMentions: () => SourceRange[];
  /** Files holding private keys or credentials JSON (src/model/key-material.ts). A memoized query: it reads candidate files only when asked. */
  keyMaterial: () => KeyMaterialFile[];
  /** The texts the loaders read (root-relative file and text), for the engine's inline suppressions; rules do not read files. */
  sourceTexts: () => { file: string; text: string }[];
  /** One file's text: the loaders' copy, or read now for a file they never read (a finding on key material); undefined if unreadable. */
  sourceText: (file: string) => string | undefined;
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
  /** Compose `env_file:` entries, stacks that interpolate from it, and settings that load it themselves (`via: "settings"`). */
  usedBy: { stack: string; service?: string; range: SourceRange; via?: "settings" }[];
}

export interface Stack {
  id: string;
  compose: ComposeStack;
  services: Service[];
  /** Production stacks are linted; development ones (local.yml, runserver beside a production stack) are not. */
  purpose: StackPurpose;
  /** `host`: no compose file, one machine runs nginx and the app server (host-stack.ts); `localhost` is that machine. */
  runtime: "compose" | "host";
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
  /** Where `manage.py collectstatic` runs for this service: its image build or its start (src/model/collectstatic.ts). */
  collectstatic: ServiceCollectstatic;
  /** Where `manage.py makemigrations` / `migrate` run for this service (src/model/migrations.ts). */
  migrations: ServiceMigrations;
}

export interface CollectstaticRun {
  /** "build": a RUN of the image (its final stage, a stage it is built FROM or COPYs from); "start": the command or a script it runs. */
  when: "build" | "start";
  /** The RUN instruction, or the `manage.py` (`django-admin`) word of the command or script line. */
  range: SourceRange;
}

export interface ServiceCollectstatic {
  runs: CollectstaticRun[];
  /** Why the service may run commands the repository does not show (an image pulled or built FROM a non-stock base, a script outside the repository); undefined when all are visible. */
  unknown: string | undefined;
}

export interface ServiceMigrations {
  /** Runs that write migration files (`--check` / `--dry-run` left out): build or start. */
  makemigrations: CollectstaticRun[];
  /** `manage.py migrate` runs: build or start. */
  migrate: CollectstaticRun[];
}

export interface ImageBuild {
  dockerfile: string;
  context: string;
  stage: DockerStage;
  /** Every stage of the Dockerfile: the image is built FROM and COPYs from some of them. */
  stages: DockerStage[];
}

export type EnvSourceKind = "cli" | "compose-environment" | "env-file" | "uwsgi-env" | "dockerfile-env";

export interface EnvValue {
  name: string;
  /** Undefined when the variable is set but its value is not in the repository (shell pass-through, absent env file). */
  value: string | undefined;
  source: EnvSourceKind;
  range: SourceRange;
  /** Read from a committed template (`.env.prod-sample`) standing in for this env file, which the checkout lacks. */
  templateFor?: string;
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
  /** The option that moved the working directory (uWSGI `chdir`, gunicorn `--chdir`), when one did. */
  chdir?: LocatedString;
  /** Directories the server's own options put on sys.path (uWSGI `pythonpath`, gunicorn `--pythonpath`), as absolute container paths. */
  pythonPath?: LocatedString[];
  /** The application is a file path (uWSGI `wsgi-file`), not a dotted module. */
  applicationFile?: true;
  /** uWSGI `callable`: the application's name in the module (default `application`). */
  callable?: LocatedString;
  /** Sockets the server opens besides those for requests (uWSGI `stats`, `https`, `fastcgi-socket`…): they count for published ports. */
  otherListeners?: Listener[];
  /** Variables the start command or its scripts assign before the server runs (`export PYTHONPATH=…`, `PORT=8000 gunicorn …`). */
  startEnv?: LocatedString[];
  /** What the model cannot see about the process; each reason is set only when it applies. */
  unknown?: AppServerUnknowns;
  /** Started only in a branch of the start script (`if`/`case`): which branch runs is not known. */
  conditional?: true;
}

export interface AppServerUnknowns {
  /** Why `listeners` / `otherListeners` may be incomplete (an ini outside the repository, a bind from an unknown variable…). */
  listeners?: string;
  /** Why the working directory or sys.path may differ from what the options say (a `cd` in the start script…). */
  searchPath?: string;
  /** Why the container may run other programs that listen (supervisord, a second server, a script we cannot read…). */
  processes?: string;
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
  /** The enclosing http block's directives, includes expanded (for conf.d / sites-enabled files: the top level of every such file). */
  http: NginxDirective[];
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
  /** The compose value is written with `${…}`: without the project's .env in the checkout, the deployer's value may differ. */
  interpolated?: true;
}

/** The precedence of the places that choose the settings module, highest first. */
export const SETTINGS_MODULE_PRECEDENCE: readonly SettingsModuleSource[] = ["cli", "compose", "uwsgi-env", "dockerfile", "wsgi.py", "manage.py"];

export interface DjangoApp {
  settingsModule: SettingsModuleChoice | undefined;
  /**
   * Every place that names a settings module for this service, highest precedence first
   * (CLI > compose environment > env_file > uWSGI env= > Dockerfile ENV > wsgi.py > manage.py):
   * the winner and the choices it overrides. Layers whose value is unknown are left out.
   */
  settingsCandidates: SettingsModuleChoice[];
  /** Where the app server's wsgi.py changes sys.path (`sys.path.append`, `site.addsitedir`) before Django imports the settings. */
  wsgiSysPathChange?: SourceRange;
  /** Undefined when the settings module could not be found in the repository. */
  settings: ModuleEvaluation | undefined;
  /** The Django version whose checks and defaults apply. */
  version: DjangoVersionChoice;
}

/** Looks up one evaluated setting of a Django app. */
export function setting(app: DjangoApp | undefined, name: string): SettingValue | undefined {
  return app?.settings?.values.get(name);
}
