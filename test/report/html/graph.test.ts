import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { productionStacks } from "../../../src/model/queries.js";
import { buildDeploymentGraph } from "../../../src/report/html/graph.js";
import type { DeploymentGraph, GraphEdge, StackGraph } from "../../../src/report/html/graph-types.js";
import { fixturePath, lintFixture } from "../../support/fixtures.js";

type Lint = ReturnType<typeof lintFixture>["result"];

const STACK = "docker-compose.yml";
const id = (kind: string, name: string): string => `${STACK}/${kind}/${name}`;
const edgeId = (from: string, to: string, tag?: string): string => `${from}->${to}${tag ? `#${tag}` : ""}`;

const CLIENT = id("client", "client");
const NGINX = id("nginx", "nginx");
const APP = id("app-server", "web");
const DJANGO = id("django", "web");
const DB = id("database", "db");
const CACHE = id("cache", "cache");
const VOLUME = id("volume", "./");
const DOTENV = id("env-source", "file:.env");
const COMPOSE_ENV = id("env-source", "compose:web");

function only(graph: DeploymentGraph): StackGraph {
  expect(graph.stacks.map((s) => s.stack)).toEqual([STACK]);
  return graph.stacks[0] as StackGraph;
}

function edge(stack: StackGraph, wanted: string): GraphEdge {
  const found = stack.edges.find((e) => e.id === wanted);
  expect(found, `edge ${wanted} in ${stack.edges.map((e) => e.id).join("\n")}`).toBeDefined();
  return found as GraphEdge;
}

/** Every KEY=VALUE value of every .env* file of a fixture (quotes stripped). */
function envValues(fixture: string): { name: string; value: string; file: string }[] {
  const dir = fixturePath(fixture);
  const out: { name: string; value: string; file: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith(".env"))) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      const value = m?.[2]?.replace(/^(['"])(.*)\1$/, "$2");
      if (m?.[1] && value) out.push({ name: m[1], value, file });
    }
  }
  return out;
}

/** The text the page shows: titles, labels and details. */
function shownTexts(graph: DeploymentGraph): string[] {
  return graph.stacks.flatMap((s) => [s.title, ...s.nodes.flatMap((n) => [n.label, ...n.detail]), ...s.edges.map((e) => e.label)]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("buildDeploymentGraph on seed-skeleton (the correct deployment)", () => {
  let lint: Lint;
  let graph: DeploymentGraph;
  beforeAll(() => {
    lint = lintFixture("projects/seed-skeleton").result;
    graph = buildDeploymentGraph(lint.model, lint.findings);
  });

  it("draws every compose service of the production stack, by role", () => {
    const stack = only(graph);
    const services = productionStacks(lint.model).flatMap((s) => s.services.map((x) => x.name));
    expect(services.sort()).toEqual(["cache", "db", "nginx", "web"]);
    for (const name of services) expect(stack.nodes.some((n) => n.service === name), name).toBe(true);
    const kinds = Object.fromEntries(stack.nodes.map((n) => [n.id, n.kind]));
    expect(kinds).toMatchObject({ [NGINX]: "nginx", [APP]: "app-server", [DJANGO]: "django", [DB]: "database", [CACHE]: "cache", [CLIENT]: "client" });
    expect(stack.nodes.find((n) => n.id === DJANGO)?.detail).toEqual([
      "WSGI django_prod_skeleton.wsgi:application",
      "settings django_prod_skeleton.settings.prod",
      "Django 4.2.11",
    ]);
  });

  it("connects client → nginx → app server → django, and nothing is broken", () => {
    const stack = only(graph);
    expect(edge(stack, edgeId(CLIENT, NGINX)).label).toBe(":80 (published 80), :443 (published 443)");
    const pass = edge(stack, edgeId(NGINX, APP));
    expect(pass.label).toBe("uwsgi_pass unix:/code/django_prod_skeleton/uwsgi_app.sock");
    expect(pass.locations.map((l) => `${l.file}:${l.line}`)).toEqual(expect.arrayContaining(["config/nginx/default.conf.template:23", "config/uwsgi/uwsgi.ini:2"]));
    expect(edge(stack, edgeId(APP, DJANGO)).label).toBe("WSGI django_prod_skeleton.wsgi:application");
    for (const e of [edgeId(CLIENT, NGINX), edgeId(NGINX, APP), edgeId(APP, DJANGO)]) expect(edge(stack, e).kind).toBe("request");
    expect(stack.edges.filter((e) => e.broken).map((e) => e.id)).toEqual([]);
    // Every edge joins drawn nodes, and every node and edge but the client says where it is defined.
    const ids = new Set(stack.nodes.map((n) => n.id));
    for (const e of stack.edges) expect(ids.has(e.from) && ids.has(e.to), e.id).toBe(true);
    for (const part of [...stack.nodes.filter((n) => n.kind !== "client"), ...stack.edges]) expect(part.locations.length, part.id).toBeGreaterThan(0);
  });

  it("draws the data paths: database, cache, STATIC_ROOT and MEDIA_ROOT through the bind mount to nginx", () => {
    const stack = only(graph);
    expect(edge(stack, edgeId(DJANGO, DB, "database:default")).label).toBe("DATABASES['default'] HOST db:5432");
    expect(edge(stack, edgeId(DJANGO, CACHE, "cache:default")).kind).toBe("data");
    expect(edge(stack, edgeId(DJANGO, VOLUME, "static")).label).toBe("STATIC_ROOT /code/django_prod_skeleton/static");
    expect(edge(stack, edgeId(VOLUME, NGINX, "static")).label).toBe("/static/ alias /code/django_prod_skeleton/static/");
    expect(edge(stack, edgeId(DJANGO, VOLUME, "media")).label).toBe("MEDIA_ROOT /code/django_prod_skeleton/media");
    expect(edge(stack, edgeId(VOLUME, NGINX, "media")).label).toBe("/media/ alias /code/django_prod_skeleton/media/");
  });

  it("draws where the settings' environment comes from, grouped by source, names only", () => {
    const stack = only(graph);
    expect(stack.nodes.filter((n) => n.kind === "env-source").map((n) => n.id).sort()).toEqual([COMPOSE_ENV, DOTENV].sort());
    expect(edge(stack, edgeId(DOTENV, DJANGO)).label).toBe("SECRET_KEY, ADMIN_EMAIL, POSTGRES_DB, …");
    expect(edge(stack, edgeId(COMPOSE_ENV, DJANGO)).label).toBe("DJANGO_SETTINGS_MODULE");
    expect(edge(stack, edgeId(DOTENV, DJANGO)).kind).toBe("config");
  });

  it("shows no value of any of the fixture's env files", () => {
    const values = envValues("projects/seed-skeleton");
    expect(values.map((v) => v.name)).toEqual(["SECRET_KEY", "ADMIN_EMAIL", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"]);
    const texts = shownTexts(graph);
    // Whole words: POSTGRES_DB=skeleton must not flag the module name django_prod_skeleton.
    for (const { name, value } of values) {
      const word = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(value)}($|[^A-Za-z0-9_])`);
      expect(texts.filter((t) => word.test(t)), name).toEqual([]);
    }
    // Secrets nowhere in the embedded data, not even inside a longer word.
    const json = JSON.stringify(graph);
    for (const { name, value } of values.filter((v) => /SECRET|PASSWORD/.test(v.name))) expect(json.includes(value), name).toBe(false);
  });

  it("keeps one placement per finding", () => {
    expect(graph.placements).toHaveLength(lint.findings.length);
  });
});

describe("buildDeploymentGraph on seed-broken", () => {
  let lint: Lint;
  let graph: DeploymentGraph;
  beforeAll(() => {
    lint = lintFixture("projects/seed-broken").result;
    graph = buildDeploymentGraph(lint.model, lint.findings);
  });

  it("marks the drifted socket and the misdirected static and media aliases broken, from the model", () => {
    const stack = only(graph);
    const pass = edge(stack, edgeId(NGINX, APP));
    expect(pass.broken).toBe(true);
    expect(pass.label).toContain("unix:/code/django_prod_skeleton/uwsgi_app.sock");
    expect(stack.edges.filter((e) => e.broken).map((e) => e.id).sort()).toEqual(
      [edgeId(NGINX, APP), edgeId(VOLUME, NGINX, "static"), edgeId(VOLUME, NGINX, "media")].sort(),
    );
    expect(edge(stack, edgeId(DJANGO, VOLUME, "static")).broken).toBe(false);
    // Broken although the findings are not given: the model decides.
    const bare = only(buildDeploymentGraph(lint.model, []));
    expect(bare.edges.filter((e) => e.broken)).toHaveLength(3);
    expect(buildDeploymentGraph(lint.model, []).placements).toEqual([]);
  });

  it("places each finding on the part it concerns", () => {
    expect(graph.placements).toHaveLength(lint.findings.length);
    const placed = Object.fromEntries(lint.findings.map((f, i) => [f.rule, graph.placements[i]]));
    expect(placed["deploy/socket-drift"]).toEqual({ nodes: [], edges: [edgeId(NGINX, APP)] });
    expect(placed["deploy/static-alias"]).toEqual({ nodes: [], edges: [edgeId(VOLUME, NGINX, "static"), edgeId(DJANGO, VOLUME, "static")] });
    expect(placed["deploy/media-alias"]).toEqual({ nodes: [], edges: [edgeId(VOLUME, NGINX, "media"), edgeId(DJANGO, VOLUME, "media")] });
    expect(placed["compose/exposed-backing-port"]).toEqual({ nodes: [DB], edges: [] });
    expect(placed["git/env-tracked"]).toEqual({ nodes: [DOTENV], edges: [] });
    // COPY . /code/ bakes .env.prod into the web image: the service, since no setting reads that file.
    expect(placed["docker/env-in-image"]).toEqual({ nodes: [APP], edges: [] });
    // Nothing drawn: listed beside the drawing.
    expect(placed["git/env-not-ignored"]).toEqual({ nodes: [], edges: [] });
    expect(placed["parse/problem"]).toEqual({ nodes: [], edges: [] });
  });

  it("builds in well under 10 ms", () => {
    const first = performance.now();
    buildDeploymentGraph(lint.model, lint.findings);
    const cold = performance.now() - first;
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      buildDeploymentGraph(lint.model, lint.findings);
      times.push(performance.now() - t);
    }
    const median = times.sort((a, b) => a - b)[10] as number;
    console.log(`buildDeploymentGraph seed-broken: first ${cold.toFixed(2)} ms, median ${median.toFixed(2)} ms`);
    expect(median).toBeLessThan(10);
  });
});

describe("buildDeploymentGraph on other project shapes", () => {
  const cases: { fixture: string; stack: string; nginx: string; app: string; pass: string }[] = [
    { fixture: "projects/shape-host", stack: "host (deploy/systemd/mysite.service)", nginx: "nginx/host", app: "app-server/host", pass: "uwsgi_pass unix:/run/uwsgi/mysite.sock" },
    { fixture: "projects/shape-tutorial", stack: "docker-compose.prod.yml", nginx: "nginx/nginx", app: "app-server/web", pass: "proxy_pass web:8000" },
    { fixture: "projects/shape-cookiecutter", stack: "docker-compose.production.yml", nginx: "nginx/nginx", app: "app-server/django", pass: "proxy_pass django:5000" },
  ];
  for (const c of cases) {
    it(`${c.fixture}: connects client → nginx → app server → django with nothing broken`, () => {
      const { result } = lintFixture(c.fixture);
      const graph = buildDeploymentGraph(result.model, result.findings);
      expect(graph.stacks.map((s) => s.stack)).toEqual([c.stack]);
      const stack = graph.stacks[0] as StackGraph;
      const nid = (suffix: string): string => `${c.stack}/${suffix}`;
      const django = nid(c.app.replace("app-server", "django"));
      edge(stack, `${nid("client/client")}->${nid(c.nginx)}`);
      expect(edge(stack, `${nid(c.nginx)}->${nid(c.app)}`).label).toBe(c.pass);
      edge(stack, `${nid(c.app)}->${django}`);
      expect(stack.edges.some((e) => e.id.startsWith(`${django}->`) && e.id.endsWith("#static"))).toBe(true);
      expect(stack.nodes.some((n) => n.kind === "env-source")).toBe(true);
      expect(stack.edges.filter((e) => e.broken).map((e) => e.id)).toEqual([]);
      expect(graph.placements).toHaveLength(result.findings.length);
    });
  }

  it("shape-host-broken-socket-moved: the moved socket is a broken hop to the host's uWSGI", () => {
    const { result } = lintFixture("projects/shape-host-broken-socket-moved");
    const stack = buildDeploymentGraph(result.model, result.findings).stacks[0] as StackGraph;
    const broken = stack.edges.filter((e) => e.broken);
    expect(broken.map((e) => [e.from.split("/").slice(-2).join("/"), e.to.split("/").slice(-2).join("/")])).toEqual([["nginx/host", "app-server/host"]]);
  });
});

describe("values that come from the settings' own defaults", () => {
  it("draws a 'defaults in the settings' source and puts env-name-drift's finding on it", () => {
    const { result } = lintFixture("rules/deploy/env-name-drift/bad-host");
    const graph = buildDeploymentGraph(result.model, result.findings);
    const stack = only(graph);
    const defaults = stack.nodes.find((n) => n.id === id("env-source", "defaults"));
    expect(defaults?.label).toBe("defaults in the settings");
    const toDjango = stack.edges.find((e) => e.from === defaults?.id && e.kind === "config");
    expect(toDjango?.label).toContain("SITE_HOST");
    const drift = result.findings.findIndex((f) => f.rule === "deploy/env-name-drift");
    expect(drift).toBeGreaterThanOrEqual(0);
    const placement = graph.placements[drift];
    expect([...(placement?.nodes ?? []), ...(placement?.edges ?? [])].some((p) => p.includes("env-source/defaults"))).toBe(true);
  });
});
