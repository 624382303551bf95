/**
 * Which drawn part each finding concerns: its range (and related ranges) against the
 * nodes' and edges' locations. An edge wins over a node: a finding on a hop (a uwsgi_pass,
 * an alias) is about the connection, not the box at one end of it.
 */
import type { SourceRange } from "../../core/location.js";
import type { Finding } from "../../engine/finding.js";
import type { FindingPlacement, GraphEdge, GraphNode, StackGraph } from "./graph-types.js";

function overlaps(a: SourceRange, b: SourceRange): boolean {
  return a.file === b.file && a.line <= b.endLine && b.line <= a.endLine;
}

/** `fileStart(file)`: findings about a whole file (a tracked .env) and nodes that stand for one. */
function isFileLevel(r: SourceRange): boolean {
  return r.line === 1 && r.column === 1 && r.endLine === 1 && r.endColumn === 1;
}

/** The tightest location of `part` a range overlaps (line span), or undefined when none does. */
function tightness(part: { locations: SourceRange[] }, ranges: readonly SourceRange[]): number | undefined {
  let best: number | undefined;
  for (const loc of part.locations) {
    if (isFileLevel(loc)) continue; // a file-level location only matches file-level findings
    for (const r of ranges) {
      if (!overlaps(loc, r)) continue;
      const span = loc.endLine - loc.line;
      if (best === undefined || span < best) best = span;
    }
  }
  return best;
}

/** The parts the ranges hit most tightly (a directive beats the server block around it). */
function tightest<T extends { locations: SourceRange[] }>(parts: readonly T[], ranges: readonly SourceRange[]): T[] {
  const scored = parts.map((p) => ({ p, t: tightness(p, ranges) })).filter((s): s is { p: T; t: number } => s.t !== undefined);
  if (scored.length === 0) return [];
  const min = Math.min(...scored.map((s) => s.t));
  return scored.filter((s) => s.t === min).map((s) => s.p);
}

export function placeFindings(stacks: readonly StackGraph[], findings: readonly Finding[]): FindingPlacement[] {
  return findings.map((f) => {
    const relevant = f.stacks.length > 0 ? stacks.filter((s) => f.stacks.includes(s.stack)) : stacks;
    const nodes = relevant.flatMap((s) => s.nodes);
    const edges = relevant.flatMap((s) => s.edges);
    return placeOne(f, nodes, edges);
  });
}

function placeOne(f: Finding, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): FindingPlacement {
  const primary = [f.range];
  const related = f.related.map((r) => r.range);
  if (isFileLevel(f.range)) {
    const fileNodes = nodes.filter((n) => n.kind === "env-source" && n.locations.some((l) => isFileLevel(l) && l.file === f.range.file));
    if (fileNodes.length > 0) return ids(fileNodes, []);
  } else {
    const onEdges = tightest(edges, primary);
    if (onEdges.length > 0) {
      // Follow the path: related ranges on an adjacent hop (STATIC_ROOT before the alias) belong to the same problem.
      const ends = new Set(onEdges.flatMap((e) => [e.from, e.to]));
      const adjacent = tightest(edges, related).filter((e) => !onEdges.includes(e) && (ends.has(e.from) || ends.has(e.to)));
      return ids([], [...onEdges, ...adjacent]);
    }
    const onNodes = tightest(nodes, primary);
    // A finding whose ranges touch both ends of a hop is about the hop.
    const touched = new Set(nodes.filter((n) => tightness(n, [...primary, ...related]) !== undefined).map((n) => n.id));
    for (const n of onNodes) touched.add(n.id);
    const between = edges.filter((e) => touched.has(e.from) && touched.has(e.to) && onNodes.some((n) => n.id === e.from || n.id === e.to));
    if (between.length > 0) return ids([], between);
    if (onNodes.length > 0) return ids(onNodes, []);
  }
  const relatedEdges = tightest(edges, related);
  if (relatedEdges.length > 0) return ids([], relatedEdges);
  return ids(tightest(nodes, related), []);
}

function ids(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): FindingPlacement {
  return { nodes: [...new Set(nodes.map((n) => n.id))], edges: [...new Set(edges.map((e) => e.id))] };
}
