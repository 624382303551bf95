/**
 * The page's CSS, inlined (the page loads nothing). Flexible layout: the drawing first at full
 * width with the findings under it, side by side only on a very wide window; the drawings
 * scale by their viewBox. Colours
 * pass WCAG AA on white; the severity colours are those of svg.ts.
 */
export const PAGE_STYLE = `
:root { color-scheme: light; --error: #b00020; --warning: #8a5a00; --info: #005a9c; --ink: #1a1a1a; --muted: #4a4a4a; --line: #8a8a8a; --hl: #5b2a86; --hl-bg: #f1e9f8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
a { color: var(--info); }
header.summary { padding: 1rem 1.25rem; border-bottom: 1px solid var(--line); }
header.summary h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
.summary dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; overflow-wrap: anywhere; }
.summary ul { margin: 0; padding-left: 1.2rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; list-style: none; padding: 0; margin: .5rem 0 0; font-weight: 600; }
.sev-error-text { color: var(--error); }
.sev-warning-text { color: var(--warning); }
.sev-info-text { color: var(--info); }
main { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1rem; padding: 1rem 1.25rem; }
.drawings { flex: 1 1 100%; min-width: 0; }
.findings { flex: 1 1 100%; min-width: 0; }
@media (min-width: 120rem) { .drawings { flex: 3 1 60rem; } .findings { flex: 2 1 36rem; } }
.stack { margin-bottom: 1.5rem; }
.stack h2, .findings h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
.drawing-frame { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: .25rem; max-height: 80vh; }
/* Drawn at its own size (text stays legible); the frame scrolls. Print fits it to the page. */
svg.drawing { display: block; max-width: none; height: auto; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; }
.drawings.fit svg.drawing { max-width: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .875rem; color: var(--muted); margin: .25rem 0 .75rem; padding: 0; list-style: none; }
.node .box { fill: #ffffff; stroke: #4a4a4a; stroke-width: 1.5; }
.node.kind-client .box { fill: #f4f4f4; }
.node.kind-volume .box, .node.kind-env-source .box { fill: #fafafa; stroke-dasharray: 4 3; }
.node.sev-error .box { stroke: var(--error); stroke-width: 2.5; }
.node.sev-warning .box { stroke: var(--warning); stroke-width: 2.5; }
.node.sev-info .box { stroke: var(--info); stroke-width: 2; }
.node .label { font-weight: 700; fill: var(--ink); }
.node .detail { fill: var(--muted); }
.node .glyph { fill: var(--ink); }
.edge .edge-label { fill: var(--ink); }
.edge.broken .edge-label { fill: var(--error); font-weight: 700; }
.edge-label-bg { fill: #ffffff; stroke: #d0d0d0; }
.edge.broken .edge-label-bg { stroke: var(--error); }
.node, .edge { cursor: pointer; }
.node:focus, .edge:focus { outline: none; }
.node:focus-visible .box, .node:focus .box { stroke: var(--ink); stroke-width: 4; }
.edge:focus-visible .edge-label-bg, .edge:focus .edge-label-bg { stroke: var(--ink); stroke-width: 3; }
.edge:focus-visible .edge-hit, .edge:focus .edge-hit { stroke: rgba(26,26,26,.25); }
.node.highlighted .box { stroke: var(--hl); stroke-width: 5; fill: var(--hl-bg); }
.edge.highlighted .edge-hit { stroke: rgba(91,42,134,.35); }
.edge.highlighted .edge-label-bg { stroke: var(--hl); stroke-width: 3; fill: var(--hl-bg); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: .5rem; }
.filters fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .25rem .6rem; margin: 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
.filters legend { font-size: .875rem; padding: 0 .25rem; }
.filters input[type=search], .filters select { font: inherit; padding: .25rem .4rem; border: 1px solid var(--muted); border-radius: 4px; max-width: 100%; }
button { font: inherit; padding: .2rem .6rem; border: 1px solid var(--muted); border-radius: 4px; background: #f4f4f4; color: var(--ink); cursor: pointer; }
:focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; }
.status { font-size: .9rem; color: var(--muted); margin: .25rem 0 .5rem; }
.selection { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; background: var(--hl-bg); border: 1px solid var(--hl); border-radius: 6px; padding: .3rem .6rem; margin-bottom: .5rem; }
ol.finding-list { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid #c8c8c8; border-left: 6px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin-bottom: .6rem; cursor: pointer; }
li.finding.sev-error { border-left-color: var(--error); }
li.finding.sev-warning { border-left-color: var(--warning); }
li.finding.sev-info { border-left-color: var(--info); }
li.finding.highlighted { outline: 3px solid var(--hl); background: var(--hl-bg); }
li.finding .head { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
li.finding .sev { font-weight: 700; }
li.finding .rule { font-weight: 600; }
li.finding .where { color: var(--muted); overflow-wrap: anywhere; }
li.finding .message { margin: .3rem 0; overflow-wrap: anywhere; }
li.finding .related { margin: .2rem 0; padding-left: 1.2rem; font-size: .92rem; overflow-wrap: anywhere; }
li.finding details { margin-top: .3rem; }
li.finding summary { cursor: pointer; color: var(--info); }
li.finding .unplaced { font-size: .85rem; color: var(--muted); }
pre.snippet { margin: .4rem 0 0; padding: .4rem 0; background: #f6f6f6; border: 1px solid #d0d0d0; border-radius: 4px; overflow-x: auto; font-size: .85rem; line-height: 1.4; }
pre.snippet span.line { display: block; padding: 0 .5rem; white-space: pre; }
pre.snippet span.line.marked { background: #fff1c2; box-shadow: inset 3px 0 0 var(--warning); }
pre.snippet .num { display: inline-block; min-width: 3.5ch; color: var(--muted); user-select: none; text-align: right; margin-right: 1ch; }
.no-snippet { font-size: .85rem; color: var(--muted); font-style: italic; }
@media print {
  body { font-size: 10pt; }
  .filters, .selection, .status, .no-print { display: none !important; }
  main { display: block; padding: 0; }
  .drawing-frame { overflow: visible; max-height: none; border: none; }
  .stack { break-inside: avoid; }
  svg.drawing { width: 100%; height: auto; }
  li.finding { break-inside: avoid; cursor: auto; }
  li.finding[hidden] { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
