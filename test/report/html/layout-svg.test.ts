import { describe, expect, it } from "vitest";
import type { GraphEdge, GraphNode, StackGraph } from "../../../src/report/html/graph-types.js";
import { layoutStack, type NodeBox } from "../../../src/report/html/layout.js";
import { escapeXml, renderStackSvg } from "../../../src/report/html/svg.js";

const range = { file: "docker-compose.yml", line: 1, column: 1, endLine: 1, endColumn: 1 };

function node(id: string, kind: GraphNode["kind"], label: string, detail: string[] = []): GraphNode {
  return { id, kind, label, detail, locations: [range] };
}

function edge(id: string, kind: GraphEdge["kind"], from: string, to: string, label: string, broken = false): GraphEdge {
  return { id, kind, from, to, label, broken, locations: [range] };
}

/** A stack shaped like the seed project: request path, data paths, config sources. */
function seedLike(): StackGraph {
  return {
    stack: "docker-compose.yml",
    title: "docker-compose.yml (production)",
    nodes: [
      node("s/client/internet", "client", "internet"),
      node("s/nginx/nginx", "nginx", "nginx :80", ["listen 80", "server_name example.com"]),
      node("s/app-server/web", "app-server", "uWSGI web", ["socket /run/uwsgi/app.sock"]),
      node("s/django/web", "django", "Django", ["config.wsgi", "config.settings.prod"]),
      node("s/database/db", "database", "PostgreSQL db", ["postgres:16", "port 5432"]),
      node("s/cache/cache", "cache", "Redis cache"),
      node("s/volume/static", "volume", "static_volume"),
      node("s/env-source/.env", "env-source", ".env"),
    ],
    edges: [
      edge("e1", "request", "s/client/internet", "s/nginx/nginx", ":80"),
      edge("e2", "request", "s/nginx/nginx", "s/app-server/web", "uwsgi_pass unix:/run/uwsgi/other.sock", true),
      edge("e3", "request", "s/app-server/web", "s/django/web", "config.wsgi:application"),
      edge("e4", "data", "s/django/web", "s/database/db", "DATABASES host db:5432"),
      edge("e5", "data", "s/django/web", "s/cache/cache", "CACHES redis://cache:6379"),
      edge("e6", "data", "s/django/web", "s/volume/static", "STATIC_ROOT /app/static"),
      edge("e7", "data", "s/volume/static", "s/nginx/nginx", "/static/ → alias /srv/static/"),
      edge("e8", "config", "s/env-source/.env", "s/django/web", "SECRET_KEY, POSTGRES_*"),
    ],
  };
}

function overlaps(a: NodeBox, b: NodeBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("layoutStack", () => {
  it("gives the same numbers for the same graph", () => {
    expect(layoutStack(seedLike())).toEqual(layoutStack(seedLike()));
  });

  it("places every node inside the drawing, no two boxes overlapping", () => {
    const layout = layoutStack(seedLike());
    expect(layout.nodes).toHaveLength(8);
    for (const box of layout.nodes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(layout.width);
      expect(box.y + box.height).toBeLessThanOrEqual(layout.height);
    }
    const boxes = layout.nodes;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.node.id} / ${boxes[j]!.node.id}`).toBe(false);
    }
  });

  it("runs the request path top to bottom (a page is taller than wide)", () => {
    const layout = layoutStack(seedLike());
    const y = (id: string) => layout.nodes.find((b) => b.node.id === id)!.y;
    expect(y("s/client/internet")).toBeLessThan(y("s/nginx/nginx"));
    expect(y("s/nginx/nginx")).toBeLessThan(y("s/app-server/web"));
    expect(y("s/app-server/web")).toBeLessThan(y("s/django/web"));
  });

  it("sizes boxes by their text", () => {
    const stack: StackGraph = { stack: "s", title: "s", nodes: [node("a", "service", "w"), node("b", "service", "a-much-longer-service-name-here")], edges: [] };
    const [short, long] = layoutStack(stack).nodes;
    expect(long!.width).toBeGreaterThan(short!.width);
  });

  it("routes every edge between known nodes and drops edges to unknown ones", () => {
    const stack = seedLike();
    stack.edges.push(edge("dangling", "data", "s/django/web", "s/nowhere", "x"));
    const layout = layoutStack(stack);
    expect(layout.edges.map((e) => e.edge.id)).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"]);
    for (const route of layout.edges) expect(route.points.length).toBeGreaterThanOrEqual(2);
  });

  it("lays out an empty stack as nothing", () => {
    expect(layoutStack({ stack: "s", title: "s", nodes: [], edges: [] })).toMatchObject({ width: 0, height: 0, nodes: [], edges: [] });
  });
});

describe("renderStackSvg", () => {
  it("escapes labels, details, edge labels and ids", () => {
    const stack: StackGraph = {
      stack: "s",
      title: "<b>&title</b>",
      nodes: [node("s/service/<x>", "service", "<script>alert(1)</script>", ['a "quoted" & <tag>']), node("s/service/y", "service", "y")],
      edges: [edge("e<1>", "request", "s/service/<x>", "s/service/y", "</text><script>")],
    };
    const svg = renderStackSvg(layoutStack(stack), 0, new Map());
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<b>");
    expect(svg).not.toContain("<tag>");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).toContain('data-node="s/service/&lt;x&gt;"');
    expect(svg).toContain('data-edge="e&lt;1&gt;"');
    expect(svg).toContain("a &quot;quoted&quot; &amp; &lt;tag&gt;");
    expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&#39;");
  });

  it("makes every node and edge a focusable, labelled button", () => {
    const svg = renderStackSvg(layoutStack(seedLike()), 0, new Map());
    const elements = [...svg.matchAll(/<g class="(node|edge)[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(elements).toHaveLength(16);
    for (const el of elements) {
      expect(el).toMatch(/data-(node|edge)="[^"]+"/);
      expect(el).toContain('tabindex="0"');
      expect(el).toContain('role="button"');
      expect(el).toMatch(/aria-label="[^"]+"/);
    }
  });

  it("draws edge kinds with different strokes and marks a broken edge in words", () => {
    const svg = renderStackSvg(layoutStack(seedLike()), 3, new Map());
    const group = (id: string) => new RegExp(`<g [^>]*data-edge="${id}"[^>]*>.*?</g>(?=<g |\\n|$)`, "s").exec(svg)?.[0] ?? "";
    expect(group("e1")).not.toContain("stroke-dasharray");
    expect(group("e4")).toContain('stroke-dasharray="7 5"');
    expect(group("e8")).toContain('stroke-dasharray="2 4"');
    const broken = group("e2");
    expect(broken).toContain('class="edge kind-request broken"');
    expect(broken).toContain("✕ broken");
    expect(broken).toContain('stroke="#b00020"');
    expect(broken).toContain("url(#arrow-broken-3)");
    expect(broken).toMatch(/aria-label="[^"]*broken/);
  });

  it("puts a severity badge (icon and count) on marked nodes and edges", () => {
    const marks = new Map([
      ["s/nginx/nginx", { severity: "error" as const, count: 2 }],
      ["e4", { severity: "warning" as const, count: 1 }],
    ]);
    const svg = renderStackSvg(layoutStack(seedLike()), 0, marks);
    expect(svg).toMatch(/data-node="s\/nginx\/nginx"[^>]*aria-label="[^"]*2 findings, worst error/);
    expect(svg).toContain("✖ 2");
    expect(svg).toContain("▲ 1");
    expect(svg).toContain('class="node kind-nginx has-findings sev-error"');
  });
});
