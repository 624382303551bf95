import { createRequire } from "node:module";
import type { GraphEdge, GraphNode, StackGraph } from "./graph-types.js";

/**
 * Places one stack's nodes and edges with dagre (left to right: the request path reads like a
 * sentence). Box sizes come from the text they hold, estimated for a monospace-ish font, so
 * the layout needs no browser. Sync and deterministic: same graph, same numbers.
 */

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  node: GraphNode;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeRoute {
  edge: GraphEdge;
  points: Point[];
  /** Centre of the edge label (dagre reserves room for it). */
  label: Point;
  labelWidth: number;
  labelHeight: number;
}

export interface StackLayout {
  stack: StackGraph;
  width: number;
  height: number;
  nodes: NodeBox[];
  edges: EdgeRoute[];
}

/** Text metrics of the drawing (svg.ts draws with the same numbers). */
export const METRICS = {
  labelSize: 14,
  detailSize: 11,
  edgeLabelSize: 11,
  /** Width of one character as a share of the font size: a monospace font's advance is ~0.6 em. */
  charWidth: 0.62,
  lineGap: 4,
  padX: 12,
  padY: 10,
  /** Room for the kind glyph left of the label. */
  glyphWidth: 22,
  maxDetailLines: 4,
  maxLabelChars: 30,
  maxDetailChars: 34,
  /** Edge labels wrap onto two lines: one long line would widen the whole rank it sits in. */
  maxEdgeLabelChars: 26,
  maxEdgeLabelLines: 2,
  margin: 16,
} as const;

export function textWidth(text: string, fontSize: number): number {
  return Math.ceil(Array.from(text).length * fontSize * METRICS.charWidth);
}

/** Long names are cut with an ellipsis: the full text is in the aria-label and the findings list. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export function nodeLines(node: GraphNode): { label: string; detail: string[] } {
  return {
    label: clip(node.label, METRICS.maxLabelChars),
    detail: node.detail.slice(0, METRICS.maxDetailLines).map((line) => clip(line, METRICS.maxDetailChars)),
  };
}

/** The label's lines: a broken edge says so first, in words. */
export function edgeLabelLines(edge: GraphEdge): string[] {
  const lines = wrap(edge.label, METRICS.maxEdgeLabelChars, METRICS.maxEdgeLabelLines);
  return edge.broken ? ["✕ broken", ...lines] : lines;
}

/** Greedy word wrap; a word longer than a line is cut, and the last line ends in … when text is left over. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let current = "";
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    const next = current === "" ? word : `${current} ${word}`;
    if (Array.from(next).length <= width) {
      current = next;
      continue;
    }
    if (current !== "") lines.push(current);
    current = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && current !== "") {
    lines.push(current);
    current = "";
  }
  const clipped = lines.map((line) => clip(line, width));
  const last = clipped.length - 1;
  if ((i < words.length || current !== "") && last >= 0 && !clipped[last]!.endsWith("…")) {
    clipped[last] = `${Array.from(clipped[last]!).slice(0, width - 1).join("")}…`;
  }
  return clipped;
}

export function edgeLabelSize(edge: GraphEdge): { width: number; height: number } {
  const lines = edgeLabelLines(edge);
  if (lines.length === 0) return { width: 0, height: 0 };
  return {
    width: Math.max(...lines.map((line) => textWidth(line, METRICS.edgeLabelSize))) + 8,
    height: lines.length * (METRICS.edgeLabelSize + METRICS.lineGap) + 6,
  };
}

export function nodeSize(node: GraphNode): { width: number; height: number } {
  const { label, detail } = nodeLines(node);
  const width = Math.max(
    textWidth(label, METRICS.labelSize) + METRICS.glyphWidth,
    ...detail.map((line) => textWidth(line, METRICS.detailSize)),
    90,
  );
  const height = METRICS.labelSize + detail.length * (METRICS.detailSize + METRICS.lineGap);
  // Room on the right for a severity badge.
  return { width: width + 2 * METRICS.padX + 28, height: height + 2 * METRICS.padY + 4 };
}

interface DagreGraph {
  setGraph(label: object): void;
  setDefaultEdgeLabel(fn: () => object): void;
  setNode(id: string, label: { width: number; height: number }): void;
  setEdge(v: string, w: string, label: object, name: string): void;
  node(id: string): { x: number; y: number; width: number; height: number };
  edge(v: string, w: string, name: string): { points?: Point[]; x?: number; y?: number };
  graph(): { width?: number; height?: number };
}

interface Dagre {
  graphlib: { Graph: new (options: { multigraph: boolean }) => DagreGraph };
  layout(graph: DagreGraph): void;
}

let dagre: Dagre | undefined;

/** Loaded on the first layout: the other formats never pay for it (it stays outside the bundle). */
function loadDagre(): Dagre {
  dagre ??= createRequire(import.meta.url)("@dagrejs/dagre") as Dagre;
  return dagre;
}

export function layoutStack(stack: StackGraph): StackLayout {
  if (stack.nodes.length === 0) return { stack, width: 0, height: 0, nodes: [], edges: [] };
  const { graphlib, layout } = loadDagre();
  const graph = new graphlib.Graph({ multigraph: true });
  // Top to bottom: the request path reads down the page; left to right, the seed stack was 2100 px wide.
  graph.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 36, edgesep: 18, marginx: METRICS.margin, marginy: METRICS.margin });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of stack.nodes) {
    graph.setNode(node.id, nodeSize(node));
    known.add(node.id);
  }
  // An edge to a node the graph lacks would make dagre invent an empty one: leave it out.
  const edges = stack.edges.filter((edge) => known.has(edge.from) && known.has(edge.to) && edge.from !== edge.to);
  for (const edge of edges) {
    const size = edgeLabelSize(edge);
    graph.setEdge(edge.from, edge.to, {
      width: size.width,
      height: size.height,
      labelpos: "c",
      // The request path is the spine of the picture: keep it straight.
      weight: edge.kind === "request" ? 4 : 1,
    }, edge.id);
  }
  layout(graph);

  const nodes: NodeBox[] = stack.nodes.map((node) => {
    const placed = graph.node(node.id);
    return { node, x: round(placed.x - placed.width / 2), y: round(placed.y - placed.height / 2), width: placed.width, height: placed.height };
  });
  const routes: EdgeRoute[] = edges.map((edge) => {
    const placed = graph.edge(edge.from, edge.to, edge.id);
    const points = (placed.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    const size = edgeLabelSize(edge);
    return {
      edge,
      points,
      label: { x: round(placed.x ?? middle.x), y: round(placed.y ?? middle.y) },
      labelWidth: size.width,
      labelHeight: size.height,
    };
  });
  const size = graph.graph();
  return { stack, width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes, edges: routes };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
