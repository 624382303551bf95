/**
 * Which backing server a service's container runs, from its image (compose `image:` or the
 * Dockerfile's base image): PostgreSQL, MySQL / MariaDB, Redis, Memcached, RabbitMQ, MongoDB,
 * Elasticsearch / OpenSearch, and what their well-known ports are. Admin UIs and exporters for
 * those servers (`mongo-express`, `redis-commander`, `postgres-exporter`…) are not the server.
 */
import type { Service } from "./deployment-model.js";

export type BackingKind = "postgres" | "mysql" | "mariadb" | "redis" | "memcached" | "rabbitmq" | "mongodb" | "elasticsearch" | "opensearch";

export interface BackingEngine {
  kind: BackingKind;
  /** "PostgreSQL", "RabbitMQ"… for messages. */
  name: string;
  /** The image reference it was recognised in. */
  image: string;
  /** The server's own port (5432, 3306, 6379, 5672…). */
  mainPort: string;
  /** Container port → what speaks there ("the management UI"), the main port first. */
  ports: ReadonlyMap<string, string>;
  /** Ports that serve a web UI for people (RabbitMQ management, RedisInsight), not other services. */
  uiPorts: ReadonlySet<string>;
}

interface EngineSpec {
  kind: BackingKind;
  name: string;
  /** Image names (the last path segment, without tag or digest). */
  names: RegExp;
  ports: [string, string][];
  uiPorts?: string[];
}

const ENGINES: EngineSpec[] = [
  {
    kind: "postgres",
    name: "PostgreSQL",
    names: /^(postgres|postgresql|postgis|pgvector|timescaledb|timescaledb-ha|timescaledb-postgis|postgresql-repmgr)$/,
    ports: [["5432", "the database"]],
  },
  { kind: "mysql", name: "MySQL", names: /^(mysql|mysql-server|percona|percona-server)$/, ports: [["3306", "the database"], ["33060", "the X protocol"]] },
  { kind: "mariadb", name: "MariaDB", names: /^(mariadb|mariadb-galera)$/, ports: [["3306", "the database"]] },
  {
    kind: "redis",
    name: "Redis",
    names: /^(redis|redis-stack|redis-stack-server|valkey|keydb)$/,
    ports: [["6379", "the data store"], ["8001", "the RedisInsight UI"]],
    uiPorts: ["8001"],
  },
  { kind: "memcached", name: "Memcached", names: /^memcached$/, ports: [["11211", "the cache"]] },
  {
    kind: "rabbitmq",
    name: "RabbitMQ",
    names: /^rabbitmq$/,
    ports: [
      ["5672", "the AMQP broker"],
      ["5671", "the AMQPS broker"],
      ["15672", "the management UI"],
      ["15692", "the Prometheus metrics"],
      ["25672", "Erlang distribution"],
      ["4369", "epmd"],
    ],
    uiPorts: ["15672"],
  },
  { kind: "mongodb", name: "MongoDB", names: /^(mongo|mongodb|mongodb-community-server|mongodb-enterprise-server)$/, ports: [["27017", "the database"]] },
  { kind: "elasticsearch", name: "Elasticsearch", names: /^elasticsearch$/, ports: [["9200", "the HTTP API"], ["9300", "the transport port"]] },
  { kind: "opensearch", name: "OpenSearch", names: /^opensearch$/, ports: [["9200", "the HTTP API"], ["9300", "the transport port"], ["9600", "the performance analyzer"]] },
];

/** `docker.io/bitnami/postgresql:16@sha256:…` → `postgresql`; undefined for references built from variables. */
export function imageBaseName(reference: string): string | undefined {
  if (reference.includes("$")) return undefined;
  const withoutDigest = reference.split("@")[0] ?? "";
  const last = withoutDigest.split("/").pop() ?? "";
  const name = last.split(":")[0]?.toLowerCase();
  return name === "" ? undefined : name;
}

/** The backing server a service runs, from its compose image or its Dockerfile's base image; undefined for anything else. */
export function backingEngine(service: Service): BackingEngine | undefined {
  const images = [service.compose.image, service.image?.stage.baseImage].filter(
    (i): i is NonNullable<typeof i> => i !== undefined && !(i.unresolved?.length),
  );
  for (const image of images) {
    const name = imageBaseName(image.value);
    if (name === undefined) continue;
    const spec = ENGINES.find((e) => e.names.test(name));
    if (spec) return { kind: spec.kind, name: spec.name, image: image.value, mainPort: spec.ports[0]?.[0] ?? "", ports: new Map(spec.ports), uiPorts: new Set(spec.uiPorts ?? []) };
  }
  return undefined;
}
