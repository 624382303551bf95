/**
 * What the official database images need before they initialise an empty data directory:
 * a superuser / root password setting in the container's environment. The postgres image
 * (and images built on its entrypoint: postgis/postgis, timescale/timescaledb) refuses to
 * start without POSTGRES_PASSWORD unless POSTGRES_HOST_AUTH_METHOD=trust; the mysql image
 * without MYSQL_ROOT_PASSWORD / MYSQL_ALLOW_EMPTY_PASSWORD / MYSQL_RANDOM_ROOT_PASSWORD; the
 * mariadb image without MARIADB_ROOT_PASSWORD(_HASH) / MARIADB_ALLOW_EMPTY_ROOT_PASSWORD /
 * MARIADB_RANDOM_ROOT_PASSWORD or their MYSQL_* names. Images with other variables
 * (bitnami/postgresql: POSTGRESQL_PASSWORD, ALLOW_EMPTY_PASSWORD; mysql/mysql-server, which
 * generates a root password) are not judged.
 */
import type { SourceRange } from "../core/location.js";
import type { DockerStage } from "../parsers/dockerfile.js";
import type { EnvValue, Service } from "./deployment-model.js";

export type DatabaseImageFamily = "postgres" | "mysql" | "mariadb";

export interface DatabaseImage {
  family: DatabaseImageFamily;
  /** The image reference as written (`postgres:16`, `postgis/postgis:16-3.4`). */
  image: string;
  /** The compose `image:` value, or the Dockerfile `FROM` image the service is built from. */
  range: SourceRange;
  /** "compose": the service pulls the image; "dockerfile": compose builds it FROM the image. */
  from: "compose" | "dockerfile";
}

/** An optional registry (Docker Hub, its mirrors) and `library/`; then the repository; then a tag and / or digest. */
const REFERENCE = (repository: string): RegExp =>
  new RegExp(`^(?:(?:docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io|mirror\\.gcr\\.io|public\\.ecr\\.aws/docker)/)?(?:library/)?(?:${repository})(?::[\\w][\\w.-]*)?(?:@sha256:[0-9a-f]+)?$`, "i");

const IMAGES: [DatabaseImageFamily, RegExp][] = [
  // postgis/postgis and timescale/timescaledb are built FROM postgres and keep its docker-entrypoint.sh.
  ["postgres", REFERENCE("postgres|postgis/postgis|timescale/timescaledb")],
  ["mysql", REFERENCE("mysql")],
  ["mariadb", REFERENCE("mariadb")],
];

export function databaseImageFamily(image: string): DatabaseImageFamily | undefined {
  return IMAGES.find(([, re]) => re.test(image))?.[0];
}

/** The stages the service's image is built from, final first (a FROM another stage follows it). */
function stageChain(service: Service): DockerStage[] {
  const build = service.image;
  if (!build) return [];
  const out: DockerStage[] = [build.stage];
  let cur: DockerStage | undefined = build.stage;
  while (cur?.baseStage !== undefined && out.length < 50) {
    const base: number = cur.baseStage;
    cur = build.stages.find((s) => s.index === base);
    if (cur) out.push(cur);
  }
  return out;
}

/**
 * The official database image a service runs with its stock entrypoint; undefined for other
 * images, for images whose name holds a variable we cannot resolve, and when compose or the
 * Dockerfile replaces the entrypoint (the initialisation then is not the image's).
 */
export function databaseImage(service: Service): DatabaseImage | undefined {
  if (service.compose.entrypoint !== undefined) return undefined;
  if (service.compose.build === undefined) {
    const image = service.compose.image;
    if (!image || (image.unresolved?.length ?? 0) > 0) return undefined;
    const family = databaseImageFamily(image.value);
    return family ? { family, image: image.value, range: image.range, from: "compose" } : undefined;
  }
  const chain = stageChain(service);
  const root = chain.at(-1);
  if (!root || root.baseStage !== undefined || (root.baseImage.unresolved?.length ?? 0) > 0) return undefined;
  if (chain.some((s) => s.entrypoint !== undefined)) return undefined;
  const family = databaseImageFamily(root.baseImage.value);
  return family ? { family, image: root.baseImage.value, range: root.baseImage.range, from: "dockerfile" } : undefined;
}

/** The variables that let each image initialise (any one of them, or its `_FILE` variant). */
const PASSWORD_SETTINGS: Record<DatabaseImageFamily, string[]> = {
  postgres: ["POSTGRES_PASSWORD"],
  mysql: ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"],
  // The mariadb entrypoint reads each MARIADB_* name, falling back to its MYSQL_* name.
  mariadb: [
    "MARIADB_ROOT_PASSWORD",
    "MARIADB_ROOT_PASSWORD_HASH",
    "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
    "MARIADB_RANDOM_ROOT_PASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "MYSQL_ALLOW_EMPTY_PASSWORD",
    "MYSQL_RANDOM_ROOT_PASSWORD",
  ],
};

/** What to add, first the usual choice. */
const SUGGESTED: Record<DatabaseImageFamily, string> = {
  postgres: "POSTGRES_PASSWORD",
  mysql: "MYSQL_ROOT_PASSWORD",
  mariadb: "MARIADB_ROOT_PASSWORD",
};

export interface MissingDatabasePassword {
  database: DatabaseImage;
  /** The variable to add (POSTGRES_PASSWORD, MYSQL_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD). */
  variable: string;
  /** Every variable (without `_FILE` variants) that would do. */
  accepted: string[];
  /** Related variables the service does set (POSTGRES_USER, MYSQL_PASSWORD…): they do not set the superuser / root password. */
  nearby: EnvValue[];
}

/**
 * The service runs an official database image whose environment provides none of the
 * settings the image needs to initialise. Undefined when one is present (whatever its value,
 * known or not), when the environment may hold variables we cannot see (an env file the
 * checkout lacks), and for PostgreSQL with POSTGRES_HOST_AUTH_METHOD set (trust needs no
 * password; other values from outside the repository are not judged).
 */
export function missingDatabasePassword(service: Service): MissingDatabasePassword | undefined {
  const database = databaseImage(service);
  if (!database) return undefined;
  const env = service.environment;
  if (!env.complete) return undefined;
  const accepted = PASSWORD_SETTINGS[database.family];
  if (accepted.some((name) => env.values.has(name) || env.values.has(`${name}_FILE`))) return undefined;
  if (database.family === "postgres") {
    const method = env.values.get("POSTGRES_HOST_AUTH_METHOD");
    if (method !== undefined && (method.value === undefined || method.value === "trust")) return undefined;
  }
  const prefix = database.family === "postgres" ? /^POSTGRES_/ : database.family === "mysql" ? /^MYSQL_/ : /^(MARIADB|MYSQL)_/;
  const nearby = [...env.values.values()].filter((v) => prefix.test(v.name));
  return { database, variable: SUGGESTED[database.family], accepted, nearby };
}
