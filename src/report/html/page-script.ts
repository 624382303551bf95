/**
 * The page's client script, inlined (ES2017, no libraries). It reads the embedded JSON
 * (`#dpl-data`: placements per finding) and wires: the filters (severity, rule family,
 * search), finding → drawing highlight, drawing → findings highlight and filter, keyboard
 * activation (Enter / Space) of every `role="button"` element. The page reads fine without it.
 */
export const PAGE_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dpl-data").textContent);
  var placements = data.placements;
  var items = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var search = document.getElementById("filter-search");
  var family = document.getElementById("filter-family");
  var severityBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-severity]"));
  var status = document.getElementById("filter-status");
  var selection = document.getElementById("selection");
  var selectionText = document.getElementById("selection-text");
  var clearButton = document.getElementById("selection-clear");
  /** The drawn element the list is narrowed to: { attr: "data-node" | "data-edge", id } or null. */
  var selected = null;

  function drawn(attr, id) {
    return Array.prototype.filter.call(document.querySelectorAll("[" + attr + "]"), function (el) { return el.getAttribute(attr) === id; });
  }
  function clearHighlight() {
    Array.prototype.forEach.call(document.querySelectorAll(".highlighted"), function (el) { el.classList.remove("highlighted"); });
  }
  function findingTouches(index, attr, id) {
    var p = placements[index] || { nodes: [], edges: [] };
    return (attr === "data-node" ? p.nodes : p.edges).indexOf(id) >= 0;
  }

  function applyFilters() {
    var severities = {};
    severityBoxes.forEach(function (box) { severities[box.getAttribute("data-severity")] = box.checked; });
    var fam = family ? family.value : "";
    var words = (search ? search.value : "").toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var index = Number(li.getAttribute("data-finding-index"));
      var text = li.getAttribute("data-search") || "";
      var visible = severities[li.getAttribute("data-severity")] !== false &&
        (fam === "" || li.getAttribute("data-family") === fam) &&
        words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (selected === null || findingTouches(index, selected.attr, selected.id));
      li.hidden = !visible;
      if (visible) shown++;
    });
    status.textContent = "Showing " + shown + " of " + items.length + " findings";
  }

  function selectFinding(li) {
    clearHighlight();
    li.classList.add("highlighted");
    var p = placements[Number(li.getAttribute("data-finding-index"))] || { nodes: [], edges: [] };
    var targets = [];
    p.nodes.forEach(function (id) { targets = targets.concat(drawn("data-node", id)); });
    p.edges.forEach(function (id) { targets = targets.concat(drawn("data-edge", id)); });
    targets.forEach(function (el) { el.classList.add("highlighted"); });
    if (targets.length > 0 && targets[0].scrollIntoView) targets[0].scrollIntoView({ block: "nearest", inline: "nearest", behavior: "smooth" });
  }

  function selectDrawn(el) {
    var attr = el.hasAttribute("data-node") ? "data-node" : "data-edge";
    var id = el.getAttribute(attr);
    if (selected && selected.attr === attr && selected.id === id) { clearSelection(); return; }
    clearHighlight();
    el.classList.add("highlighted");
    selected = { attr: attr, id: id };
    items.forEach(function (li) {
      if (findingTouches(Number(li.getAttribute("data-finding-index")), attr, id)) li.classList.add("highlighted");
    });
    selectionText.textContent = "Findings on " + (el.getAttribute("aria-label") || id).split(";")[0];
    selection.hidden = false;
    applyFilters();
    var first = items.filter(function (li) { return !li.hidden; })[0];
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function clearSelection() {
    selected = null;
    clearHighlight();
    selection.hidden = true;
    applyFilters();
  }

  function activate(target) {
    var li = target.closest("li.finding");
    if (li) {
      // Links, summaries and text selection inside a finding keep their own behaviour.
      if (target.closest("a, summary, details > :not(summary)")) return;
      selectFinding(li);
      return;
    }
    var el = target.closest("[data-node], [data-edge]");
    if (el) selectDrawn(el);
  }

  document.addEventListener("click", function (event) { activate(event.target); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var t = event.target;
    if (!t.matches || !t.matches("li.finding, [data-node], [data-edge]")) return;
    event.preventDefault();
    activate(t);
  });
  severityBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  if (family) family.addEventListener("change", applyFilters);
  if (search) search.addEventListener("input", applyFilters);
  clearButton.addEventListener("click", function (event) { event.stopPropagation(); clearSelection(); });
  var fit = document.getElementById("fit-toggle");
  if (fit) fit.addEventListener("click", function () {
    var on = fit.getAttribute("aria-pressed") !== "true";
    fit.setAttribute("aria-pressed", String(on));
    document.querySelector(".drawings").classList.toggle("fit", on);
  });
  // Printing shows the why / fix texts too.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("li.finding details"), function (d) { d.open = true; });
  });
  applyFilters();
})();
`;
