import type { SourceRange } from "../../core/location.js";

/**
 * The deployment as the HTML report draws it: per stack, the parts of the request path and
 * the data paths, and which finding sits on which part. Built from the model by graph.ts,
 * laid out by layout.ts, drawn by svg.ts. Plain data (no model objects), so the page can
 * embed it as JSON.
 */

export type NodeKind =
  /** The browser / the internet: where requests enter (one per stack that publishes nginx or an app server). */
  | "client"
  /** An nginx server block (or one node per nginx service when it has a single server). */
  | "nginx"
  /** uWSGI / gunicorn / daphne / uvicorn in a service. */
  | "app-server"
  /** The WSGI/ASGI module and the settings module Django runs (one node: "django"). */
  | "django"
  | "database"
  | "cache"
  | "broker"
  /** Any other compose service (worker, beat, …) drawn so that "every service" is on the page. */
  | "service"
  /** A named volume or a bind mount that carries files between services (STATIC_ROOT → nginx alias). */
  | "volume"
  /** Where a setting's value comes from: an env file, compose `environment`, Dockerfile `ENV`, a default. */
  | "env-source";

export type EdgeKind =
  /** request path: client → nginx → app server (socket or host:port) → Django */
  | "request"
  /** data path: STATIC_ROOT / MEDIA_ROOT → volume → nginx alias/root; Django → database/cache/broker */
  | "data"
  /** configuration: env source → Django (a setting's value came from there) */
  | "config";

export interface GraphNode {
  /** Stable within a report: `<stack>/<kind>/<name>`. */
  id: string;
  kind: NodeKind;
  /** Short, shown in the box: the service name, `nginx :80`, `PostgreSQL db`. */
  label: string;
  /** Up to ~4 short lines under the label: listen addresses, socket paths, settings module, image. */
  detail: string[];
  /** The compose service the node belongs to, if any. */
  service?: string;
  /** Where the node is defined (the compose service, the nginx server block, the settings module…). */
  locations: SourceRange[];
}

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  from: string;
  to: string;
  /** Shown along the edge: `uwsgi_pass unix:/run/app.sock`, `/static/ → static_volume`, `DATABASES host db:5432`. */
  label: string;
  /** The directives / settings that make this hop (both ends when the hop spans two files). */
  locations: SourceRange[];
  /** The hop does not connect (nothing listens there, the alias reads another directory, the host is wrong). */
  broken: boolean;
}

export interface StackGraph {
  /** The stack id (the compose file, or the host stack's id). */
  stack: string;
  /** Heading: `docker-compose.yml (production)`. */
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Where one finding sits in the drawing (parallel to the report's findings). Empty: listed only. */
export interface FindingPlacement {
  nodes: string[];
  edges: string[];
}

export interface DeploymentGraph {
  stacks: StackGraph[];
  placements: FindingPlacement[];
}
