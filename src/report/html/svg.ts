import type { Severity } from "../../engine/finding.js";
import type { EdgeKind, NodeKind } from "./graph-types.js";
import { edgeLabelLines, METRICS, nodeLines, type EdgeRoute, type NodeBox, type StackLayout } from "./layout.js";

/**
 * Draws one laid-out stack as SVG. Meaning never rests on colour alone: edge kinds differ by
 * dash pattern, a broken edge says "✕ broken", a severity badge carries an icon and a count.
 * Every node and edge is a focusable button (`data-node` / `data-edge`) for page-script.ts.
 */

/** What sits on one node or edge: the worst severity and how many findings. */
export interface Mark {
  severity: Severity;
  count: number;
}

export const SEVERITY_STYLE: Record<Severity, { color: string; icon: string; word: string }> = {
  // Contrast on white: 7.6:1, 5.9:1 and 7.0:1 (WCAG AA asks 4.5:1).
  error: { color: "#b00020", icon: "✖", word: "error" },
  warning: { color: "#8a5a00", icon: "▲", word: "warning" },
  info: { color: "#005a9c", icon: "ℹ", word: "info" },
};

const KIND_GLYPH: Record<NodeKind, string> = {
  client: "◎",
  nginx: "⇄",
  "app-server": "⚙",
  django: "◆",
  database: "⛁",
  cache: "⚡",
  broker: "✉",
  service: "▣",
  volume: "▤",
  "env-source": "≡",
};

const KIND_NAME: Record<NodeKind, string> = {
  client: "client",
  nginx: "nginx",
  "app-server": "app server",
  django: "Django",
  database: "database",
  cache: "cache",
  broker: "broker",
  service: "service",
  volume: "volume",
  "env-source": "setting source",
};

const EDGE_DASH: Record<EdgeKind, string | undefined> = { request: undefined, data: "7 5", config: "2 4" };
const EDGE_NAME: Record<EdgeKind, string> = { request: "request path", data: "data path", config: "configuration" };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" } as Record<string, string>)[c]};`);
}

export function markText(mark: Mark | undefined): string {
  if (!mark) return "no findings";
  return `${mark.count} ${mark.count === 1 ? "finding" : "findings"}, worst ${mark.severity}`;
}

/** `index` keeps marker ids unique when the page holds several stacks. */
export function renderStackSvg(layout: StackLayout, index: number, marks: ReadonlyMap<string, Mark>): string {
  const width = Math.max(layout.width, 1);
  const height = Math.max(layout.height, 1);
  const names = new Map(layout.nodes.map((box) => [box.node.id, box.node.label]));
  const parts = [
    `<svg class="drawing" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="${escapeXml(`Deployment drawing of ${layout.stack.title}`)}">`,
    `<defs>${marker(`arrow-${index}`, "#333333")}${marker(`arrow-broken-${index}`, SEVERITY_STYLE.error.color)}</defs>`,
    ...layout.edges.map((route) => renderEdge(route, index, names, marks.get(route.edge.id))),
    ...layout.nodes.map((box) => renderNode(box, marks.get(box.node.id))),
    "</svg>",
  ];
  return parts.join("\n");
}

function marker(id: string, color: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

function renderNode(box: NodeBox, mark: Mark | undefined): string {
  const { node } = box;
  const { label, detail } = nodeLines(node);
  const aria = `${KIND_NAME[node.kind]} ${node.label}${node.detail.length > 0 ? `: ${node.detail.join(", ")}` : ""}; ${markText(mark)}`;
  const x = box.x + METRICS.padX;
  let y = box.y + METRICS.padY + METRICS.labelSize;
  const lines = [
    `<text class="glyph" x="${x}" y="${y}" font-size="${METRICS.labelSize}" aria-hidden="true">${KIND_GLYPH[node.kind]}</text>`,
    `<text class="label" x="${x + METRICS.glyphWidth}" y="${y}" font-size="${METRICS.labelSize}">${escapeXml(label)}</text>`,
  ];
  for (const line of detail) {
    y += METRICS.detailSize + METRICS.lineGap;
    lines.push(`<text class="detail" x="${x}" y="${y}" font-size="${METRICS.detailSize}">${escapeXml(line)}</text>`);
  }
  const badge = mark ? renderBadge(mark, box.x + box.width - 4, box.y + 4) : "";
  return [
    `<g class="node kind-${node.kind}${mark ? ` has-findings sev-${mark.severity}` : ""}" data-node="${escapeXml(node.id)}" tabindex="0" role="button" aria-label="${escapeXml(aria)}">`,
    `<rect class="box" x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6"/>`,
    ...lines,
    badge,
    "</g>",
  ].join("");
}

function renderEdge(route: EdgeRoute, index: number, names: ReadonlyMap<string, string>, mark: Mark | undefined): string {
  const { edge } = route;
  if (route.points.length === 0) return "";
  const d = route.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ");
  const dash = EDGE_DASH[edge.kind];
  const lines = edgeLabelLines(edge);
  const aria = `${EDGE_NAME[edge.kind]} from ${names.get(edge.from) ?? edge.from} to ${names.get(edge.to) ?? edge.to}${edge.label ? `: ${edge.label}` : ""}${edge.broken ? "; broken" : ""}; ${markText(mark)}`;
  const stroke = edge.broken ? SEVERITY_STYLE.error.color : "#333333";
  const top = route.label.y - route.labelHeight / 2;
  const lineHeight = METRICS.edgeLabelSize + METRICS.lineGap;
  const label = lines.length === 0
    ? ""
    : `<rect class="edge-label-bg" x="${route.label.x - route.labelWidth / 2}" y="${top}" width="${route.labelWidth}" height="${route.labelHeight}" rx="3"/>` +
      lines.map((line, i) => `<text class="edge-label${edge.broken && i === 0 ? " broken-word" : ""}" x="${route.label.x}" y="${top + 3 + METRICS.edgeLabelSize + i * lineHeight}" font-size="${METRICS.edgeLabelSize}" text-anchor="middle">${escapeXml(line)}</text>`).join("");
  // The badge sits on the label's top-right corner (or on the line's middle when there is no label).
  const badge = mark ? renderBadge(mark, route.label.x + route.labelWidth / 2 + 10, top - 12) : "";
  return [
    `<g class="edge kind-${edge.kind}${edge.broken ? " broken" : ""}${mark ? ` has-findings sev-${mark.severity}` : ""}" data-edge="${escapeXml(edge.id)}" tabindex="0" role="button" aria-label="${escapeXml(aria)}">`,
    // A wide transparent twin makes the thin line easy to click.
    `<path class="edge-hit" d="${d}" fill="none" stroke="transparent" stroke-width="12"/>`,
    `<path class="edge-line" d="${d}" fill="none" stroke="${stroke}" stroke-width="${edge.broken ? 3.5 : 1.6}"${dash ? ` stroke-dasharray="${dash}"` : ""} marker-end="url(#arrow${edge.broken ? "-broken" : ""}-${index})"/>`,
    label,
    badge,
    "</g>",
  ].join("");
}

/** A pill at (right, top): icon and count in the severity's colour on white, with a coloured border. */
function renderBadge(mark: Mark, right: number, top: number): string {
  const style = SEVERITY_STYLE[mark.severity];
  const text = `${style.icon} ${mark.count}`;
  const width = 12 + Array.from(text).length * 7;
  return `<g class="badge" aria-hidden="true"><rect x="${right - width}" y="${top}" width="${width}" height="18" rx="9" fill="#ffffff" stroke="${style.color}" stroke-width="1.5"/>` +
    `<text x="${right - width / 2}" y="${top + 13}" font-size="11" font-weight="bold" text-anchor="middle" fill="${style.color}">${text}</text></g>`;
}
