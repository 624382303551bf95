import { describe, expect, it } from "vitest";
import { backingEngine, imageBaseName } from "../../src/model/backing-images.js";
import type { Service } from "../../src/model/deployment-model.js";

const at = { file: "docker-compose.yml", line: 1, column: 1, endLine: 1, endColumn: 2 };

/** A service with only what backingEngine reads: the compose image and the Dockerfile's base image. */
function service(image: string | undefined, baseImage?: string, unresolved?: string[]): Service {
  return {
    compose: { image: image === undefined ? undefined : { value: image, range: at, ...(unresolved ? { unresolved } : {}) } },
    image: baseImage === undefined ? undefined : { stage: { baseImage: { value: baseImage, range: at } } },
  } as unknown as Service;
}

describe("imageBaseName", () => {
  it("drops registry, namespace, tag and digest", () => {
    expect(imageBaseName("postgres:16")).toBe("postgres");
    expect(imageBaseName("docker.elastic.co/elasticsearch/elasticsearch:8.13.4")).toBe("elasticsearch");
    expect(imageBaseName("localhost:5000/bitnami/postgresql:16@sha256:abc")).toBe("postgresql");
    expect(imageBaseName("RabbitMQ:3-management")).toBe("rabbitmq");
    expect(imageBaseName("${DB_IMAGE}")).toBeUndefined();
  });
});

describe("backingEngine", () => {
  it.each([
    ["postgres:16-alpine", "PostgreSQL", "5432"],
    ["postgis/postgis:16-3.4", "PostgreSQL", "5432"],
    ["timescale/timescaledb-ha:pg16", "PostgreSQL", "5432"],
    ["bitnami/postgresql:16", "PostgreSQL", "5432"],
    ["mysql:8.4", "MySQL", "3306"],
    ["percona/percona-server:8.0", "MySQL", "3306"],
    ["mariadb:11.4", "MariaDB", "3306"],
    ["redis:7-alpine", "Redis", "6379"],
    ["valkey/valkey:8", "Redis", "6379"],
    ["redis/redis-stack-server:latest", "Redis", "6379"],
    ["memcached:1.6", "Memcached", "11211"],
    ["rabbitmq:3.13-management", "RabbitMQ", "5672"],
    ["bitnami/rabbitmq:3.13", "RabbitMQ", "5672"],
    ["mongo:7.0", "MongoDB", "27017"],
    ["mongodb/mongodb-community-server:7.0-ubi8", "MongoDB", "27017"],
    ["elasticsearch:8.13.4", "Elasticsearch", "9200"],
    ["opensearchproject/opensearch:2", "OpenSearch", "9200"],
  ])("%s → %s on %s", (image, name, port) => {
    const engine = backingEngine(service(image));
    expect(engine?.name).toBe(name);
    expect(engine?.mainPort).toBe(port);
  });

  it("RabbitMQ's management UI and Elasticsearch's transport port are among its ports", () => {
    const rabbit = backingEngine(service("rabbitmq:3-management"));
    expect(rabbit?.ports.get("15672")).toBe("the management UI");
    expect(rabbit?.uiPorts.has("15672")).toBe(true);
    expect(rabbit?.uiPorts.has("5672")).toBe(false);
    expect(backingEngine(service("elasticsearch:8.13.4"))?.ports.get("9300")).toBe("the transport port");
  });

  it("reads the Dockerfile's base image when compose builds the service", () => {
    expect(backingEngine(service(undefined, "postgres:16"))?.kind).toBe("postgres");
  });

  it("admin UIs, exporters, app images and unresolved references are not backing servers", () => {
    for (const image of [
      "mongo-express:1.0",
      "rediscommander/redis-commander:latest",
      "prometheuscommunity/postgres-exporter:v0.15.0",
      "prom/mysqld-exporter",
      "kbudde/rabbitmq-exporter",
      "kibana:8.13.4",
      "dpage/pgadmin4",
      "python:3.12-slim",
      "nginx:1.27",
    ]) {
      expect(backingEngine(service(image)), image).toBeUndefined();
    }
    expect(backingEngine(service("postgres:${PG_VERSION}", undefined, ["PG_VERSION"]))).toBeUndefined();
  });
});
