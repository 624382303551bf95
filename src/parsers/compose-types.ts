/**
 * The public, located types of the compose loader (re-exported by compose-file.ts and
 * src/model/compose-stack.ts): what one file says, and what a merged service is.
 */
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";


export interface ComposeCommand {
  form: "string" | "list";
  /** The string form is split like compose does (shlex, POSIX); each word keeps its own range. */
  argv: LocatedString[];
  range: SourceRange;
}
export interface ComposeEnvVar {
  name: string;
  /** undefined: `- NAME` / `NAME:` with no value and none in the project's .env: taken from the shell at run time. */
  value: string | undefined;
  range: SourceRange;
  unresolved?: string[];
  /** Where the value itself is written (after `NAME=` in the list form); absent for `- NAME` / `NAME:`. */
  valueRange?: SourceRange;
  /** The value is not written literally: it comes (partly) from `${VAR}` / `$VAR` interpolation, or from the project's .env for `- NAME`. */
  fromVariables?: true;
}
export interface ComposeEnvFile {
  /** Relative to the lint root, normalised, forward slashes (raw as written inside a fragment). */
  path: string;
  required: boolean;
  range: SourceRange;
}
export interface ComposeMount {
  type: "bind" | "volume" | "tmpfs";
  /** bind: host path relative to the lint root (raw as written inside a fragment); volume: the named volume; undefined: anonymous. */
  source?: string;
  target: string;
  readOnly: boolean;
  range: SourceRange;
}
export interface ComposePort {
  hostIp?: string;
  published?: string;
  target: string;
  protocol: string;
  range: SourceRange;
}
export interface ComposeBuild {
  /** Lint-root-relative directory (a URL context stays as written). */
  context: string;
  /** Lint-root-relative file. */
  dockerfile: string;
  args: Map<string, LocatedString>;
  target?: string;
  range: SourceRange;
}
export interface ComposeNetworkAttachment {
  name: string;
  aliases: LocatedString[];
  range?: SourceRange;
}
export interface ComposeHealthcheck {
  test?: ComposeCommand;
  range: SourceRange;
}
export interface ComposeService {
  name: string;
  /** The service's key in the first file that defines it. */
  range: SourceRange;
  files: string[];
  build?: ComposeBuild;
  image?: LocatedString;
  command?: ComposeCommand;
  entrypoint?: ComposeCommand;
  environment: Map<string, ComposeEnvVar>;
  envFiles: ComposeEnvFile[];
  volumes: ComposeMount[];
  ports: ComposePort[];
  expose: LocatedString[];
  dependsOn: LocatedString[];
  /** `volumes_from`: `service`, `service:ro`, `container:name` (the model adds those services' mounts). */
  volumesFrom: LocatedString[];
  /** [{ name: "default" }] when none are listed. */
  networks: ComposeNetworkAttachment[];
  containerName?: LocatedString;
  hostname?: LocatedString;
  /** `working_dir`: the container's working directory, over the image's WORKDIR. */
  workingDir?: LocatedString;
  /** `network_mode`: `host`, `none`, `bridge`, `service:<name>`, `container:<name>`; the service then joins no compose network. */
  networkMode?: LocatedString;
  /** `links`: `service` or `service:alias` — the alias resolves to that service in this container. */
  links?: LocatedString[];
  /** `external_links`: containers outside the stack (`name` or `name:alias`) reachable under those names. */
  externalLinks?: LocatedString[];
  /** `extra_hosts`: `name:ip` / `name=ip` entries (or the keys of the mapping form) written into /etc/hosts. */
  extraHosts?: LocatedString[];
  profiles: string[];
  healthcheck?: ComposeHealthcheck;
}

// ---------------------------------------------------------------------------------------
// What one file says (fields absent from the file stay undefined so merging can tell)

export interface BuildFragment {
  range: SourceRange;
  context?: LocatedString;
  dockerfile?: LocatedString;
  args: Map<string, LocatedString>;
  target?: LocatedString;
}

export interface ServiceFragment {
  name: string;
  file: string;
  range: SourceRange;
  build?: BuildFragment;
  image?: LocatedString;
  command?: ComposeCommand;
  entrypoint?: ComposeCommand;
  environment?: Map<string, ComposeEnvVar>;
  /** Paths as written (interpolated), not yet resolved against the project directory. */
  envFiles?: ComposeEnvFile[];
  /** Bind sources as written (interpolated), not yet resolved. */
  volumes?: ComposeMount[];
  ports?: ComposePort[];
  expose?: LocatedString[];
  dependsOn?: LocatedString[];
  /** `volumes_from: [service[:ro|rw]]` (legacy, still honoured by compose). */
  volumesFrom?: LocatedString[];
  networks?: ComposeNetworkAttachment[];
  containerName?: LocatedString;
  hostname?: LocatedString;
  workingDir?: LocatedString;
  networkMode?: LocatedString;
  links?: LocatedString[];
  externalLinks?: LocatedString[];
  extraHosts?: LocatedString[];
  profiles?: string[];
  healthcheck?: ComposeHealthcheck;
  /** `extends:`: the service (in this file, or in `file`, relative to this file) it builds on. */
  extends?: { service: LocatedString; file?: LocatedString; range: SourceRange };
  /** `name: !reset null`: the override removes the service (compose v2). */
  reset?: true;
  /** Fields tagged `!reset` (removed from the merged service) and `!override` (replaced, not merged). */
  resets?: ModelledField[];
  overrides?: ModelledField[];
}

/** Compose service keys we model, and the fragment property each one fills. */
export const MODELLED_FIELDS = {
  image: "image",
  build: "build",
  command: "command",
  entrypoint: "entrypoint",
  environment: "environment",
  env_file: "envFiles",
  volumes: "volumes",
  ports: "ports",
  expose: "expose",
  depends_on: "dependsOn",
  volumes_from: "volumesFrom",
  networks: "networks",
  container_name: "containerName",
  hostname: "hostname",
  working_dir: "workingDir",
  network_mode: "networkMode",
  links: "links",
  external_links: "externalLinks",
  extra_hosts: "extraHosts",
  profiles: "profiles",
  healthcheck: "healthcheck",
  extends: "extends",
} as const satisfies Record<string, keyof ServiceFragment>;
export type ModelledField = keyof typeof MODELLED_FIELDS;

export interface TopLevelResource {
  /** The `name:` (or legacy `external: {name}`) when given, else the key. */
  name: string;
  external: boolean;
  range: SourceRange;
}

export interface ComposeFileData {
  file: string;
  /** Compose file format v1: services at the top level (no `services:` key). */
  legacyV1: boolean;
  services: ServiceFragment[];
  volumes: Map<string, TopLevelResource>;
  networks: Map<string, TopLevelResource>;
  problems: ParseProblem[];
  /**
   * The problems (objects of `problems`) for `${VAR:?…}` whose variable has no value: compose
   * refuses to start, but when the project's .env is absent from the checkout the deployer
   * supplies it, so the stack decides whether they count.
   */
  missingRequired: ParseProblem[];
}
