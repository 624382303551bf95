import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintProject } from "../../../src/lint.js";
import { REPO_ROOT, runCli } from "../../support/cli.js";
import { fixturePath } from "../../support/fixtures.js";
import { toolAvailable } from "../../support/tools.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../../scripts/materialize-fixture.mjs";

/**
 * The page as a user sees it: the built CLI writes it, Debian's Chromium opens it from disk
 * (playwright-core drives it; Playwright's own browsers are never downloaded). Checks what only
 * a real browser can: the script runs without errors, clicks and keys link the list and the
 * drawing, nothing is fetched, contrast / zoom / print, and the screenshots in docs/screenshots.
 */

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = toolAvailable("chromium", [CHROMIUM, "--version"]);
const SCREENSHOTS = join(REPO_ROOT, "docs/screenshots");
const MAX_SCREENSHOT_BYTES = 400 * 1024;

interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
}

interface Twin {
  name: string;
  dir: string;
  file: string;
  url: string;
  findings: JsonFinding[];
  /** The compose services of the production stacks, by stack id. */
  services: { stack: string; name: string }[];
}

function renderTwin(name: string): Twin {
  const dir = (materializeFixture as (d: string) => string)(fixturePath(`projects/${name}`));
  const file = join(mkdtempSync(join(tmpdir(), "dpl-browser-")), "r.html");
  const html = runCli([dir, "--format", "html", "--output", file]);
  expect(html.stderr).toBe("");
  expect([0, 1]).toContain(html.status);
  const json = runCli([dir, "--format", "json"]);
  expect([0, 1]).toContain(json.status);
  const findings = (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings;
  const services = lintProject(dir).model.stacks
    .filter((s) => s.purpose.kind === "production")
    .flatMap((s) => s.services.map((service) => ({ stack: s.id, name: service.name })));
  return { name, dir, file, url: pathToFileURL(file).href, findings, services };
}

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

let browser: Browser;

async function open(twin: Twin, options: { width?: number; height?: number } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1400, height: options.height ?? 1000 }, reducedMotion: "reduce" });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(twin.url);
  return { page, requests, errors };
}

async function close(opened: Opened): Promise<void> {
  await opened.page.context().close();
}

/** `[data-edge]` of the first edge whose id matches (edge ids are `<from node id>-><to node id>[#part]`). */
function edgeLocator(page: Page, pattern: RegExp): Promise<Locator> {
  return page.locator("[data-edge]").evaluateAll((els, source) => {
    const re = new RegExp(source);
    return els.map((el) => el.getAttribute("data-edge") ?? "").filter((id) => re.test(id));
  }, pattern.source).then((ids) => {
    expect(ids, `an edge matching ${pattern}`).toHaveLength(1);
    return page.locator(`[data-edge="${ids[0]}"]`);
  });
}

async function visibleRules(page: Page): Promise<string[]> {
  return page.locator("li.finding:visible").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-rule") ?? ""));
}

async function status(page: Page): Promise<string> {
  return (await page.locator("#filter-status").textContent()) ?? "";
}

async function highlighted(page: Page): Promise<string[]> {
  return page.locator(".highlighted").evaluateAll((els) =>
    els.map((el) => el.getAttribute("data-node") ?? el.getAttribute("data-edge") ?? `finding ${el.getAttribute("data-finding-index")}`).sort());
}

/** WCAG relative-luminance contrast of two `rgb()` / `rgba()` colours (alpha ignored: callers pass opaque ones). */
function contrast(a: string, b: string): number {
  const luminance = (css: string): number => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Every severity-coloured text on the page: [its colour, the colour behind it, a description]. */
async function severityColours(page: Page): Promise<[string, string, string][]> {
  return page.evaluate(() => {
    const opaque = (c: string) => c !== "" && c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c);
    const background = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (opaque(bg)) return bg;
      }
      return "rgb(255, 255, 255)";
    };
    const pairs: [string, string, string][] = [];
    // Badges: the text's fill on the pill's fill.
    document.querySelectorAll("g.badge").forEach((badge) => {
      const text = badge.querySelector("text");
      const rect = badge.querySelector("rect");
      if (text && rect) pairs.push([getComputedStyle(text).fill, getComputedStyle(rect).fill, `badge ${text.textContent}`]);
    });
    // Severity words in the list, the filters, the counts and the legend.
    document.querySelectorAll(".sev-error-text, .sev-warning-text, .sev-info-text").forEach((el) => {
      if ((el as HTMLElement).offsetParent === null) return;
      pairs.push([getComputedStyle(el).color, background(el), `${el.className} "${el.textContent?.trim()}"`]);
    });
    // Broken edges' "✕ broken" on the label's background.
    document.querySelectorAll(".edge.broken").forEach((edge) => {
      const text = edge.querySelector("text.edge-label");
      const rect = edge.querySelector("rect.edge-label-bg");
      if (text && rect) pairs.push([getComputedStyle(text).fill, getComputedStyle(rect).fill, `edge label ${text.textContent}`]);
    });
    return pairs;
  });
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!HAS_CHROMIUM)("the html report in Chromium", () => {
  const twins = new Map<string, Twin>();

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
    for (const name of ["seed-broken", "seed-skeleton"]) twins.set(name, renderTwin(name));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  function twin(name: string): Twin {
    const t = twins.get(name);
    if (!t) throw new Error(`twin ${name} was not rendered`);
    return t;
  }

  describe.each(["seed-broken", "seed-skeleton"])("%s", (name) => {
    it("lists every finding of the JSON report with its rule and file:line:column", async () => {
      const t = twin(name);
      const opened = await open(t);
      const { page } = opened;
      const items = await page.locator("li.finding").evaluateAll((lis) => lis.map((li) => ({
        index: Number(li.getAttribute("data-finding-index")),
        rule: li.getAttribute("data-rule"),
        where: li.querySelector(".where")?.textContent,
        visible: (li as HTMLElement).offsetParent !== null,
      })));
      expect(items).toEqual(t.findings.map((f, index) => ({
        index,
        rule: f.rule,
        where: `${f.file}:${f.line}:${f.column}`,
        visible: true,
      })));
      expect(await status(page)).toBe(`Showing ${t.findings.length} of ${t.findings.length} findings`);
      if (t.findings.length === 0) await expect(page.locator("section.findings").textContent()).resolves.toContain("No findings.");
      await close(opened);
    });

    it("draws every compose service of the production stack", async () => {
      const t = twin(name);
      expect(t.services.length).toBeGreaterThanOrEqual(3);
      const opened = await open(t);
      const nodes = await opened.page.locator("svg.drawing [data-node]").evaluateAll((els) =>
        els.map((el) => ({ id: el.getAttribute("data-node") ?? "", text: el.querySelector("text.label")?.textContent ?? "" })));
      for (const service of t.services) {
        const drawn = nodes.filter((n) => n.id.startsWith(`${service.stack}/`) && n.id.endsWith(`/${service.name}`) && n.text.split(/\s+/).includes(service.name));
        expect(drawn, `service ${service.name} of ${service.stack} is drawn; nodes: ${nodes.map((n) => n.id).join(", ")}`).not.toHaveLength(0);
      }
      await close(opened);
    });

    it("fetches nothing but the file itself and logs no error while clicked through", async () => {
      const t = twin(name);
      const opened = await open(t);
      const { page } = opened;
      for (const li of await page.locator("li.finding").all()) await li.click();
      for (const edge of await page.locator("[data-edge]").all()) {
        await edge.focus();
        await page.keyboard.press("Enter");
        await page.keyboard.press("Enter");
      }
      await page.locator("#fit-toggle").click();
      await page.locator("#filter-search").fill("nginx");
      await page.locator("#filter-family").selectOption({ index: 0 });
      await page.locator("input[data-severity=warning]").uncheck();
      await page.emulateMedia({ media: "print" });
      await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
      expect(opened.requests).toEqual([t.url]);
      expect(opened.errors).toEqual([]);
      await close(opened);
    });

    it("names every [role=button] and gives severity colours 4.5:1 contrast", async () => {
      const t = twin(name);
      const opened = await open(t);
      const { page } = opened;
      const buttons = page.locator("[role=button]");
      const count = await buttons.count();
      expect(count).toBeGreaterThan(5);
      // Playwright computes the accessible name as assistive technology does (accname).
      expect(await page.getByRole("button", { name: /\S/ }).and(buttons).count()).toBe(count);
      const firstFinding = page.locator("li.finding").first();
      if (await firstFinding.count()) await firstFinding.click(); // a highlighted finding has a tinted background
      const pairs = await severityColours(page);
      expect(pairs.length).toBeGreaterThan(3);
      const failing = pairs.map(([fg, bg, what]) => ({ what, fg, bg, ratio: Math.round(contrast(fg, bg) * 100) / 100 })).filter((p) => p.ratio < 4.5);
      expect(failing).toEqual([]);
      await close(opened);
    });

    it("reflows at 200% zoom (640 px) without horizontal overflow of the findings", async () => {
      const t = twin(name);
      const opened = await open(t, { width: 640, height: 900 });
      const { page } = opened;
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide: string[] = [];
        if (document.documentElement.scrollWidth > width + 1) wide.push(`document ${document.documentElement.scrollWidth} > ${width}`);
        document.querySelectorAll("section.findings, section.findings li.finding, section.findings .filters").forEach((el) => {
          const box = el.getBoundingClientRect();
          if (box.right > width + 1) wide.push(`${el.className || el.tagName} ends at ${box.right} > ${width}`);
          if (el.scrollWidth > el.clientWidth + 1) wide.push(`${el.className || el.tagName} scrolls ${el.scrollWidth} > ${el.clientWidth}`);
        });
        return wide;
      });
      expect(overflow).toEqual([]);
      // One column: the list sits under the drawing.
      const drawings = await page.locator("section.drawings").boundingBox();
      const findings = await page.locator("section.findings").boundingBox();
      expect(findings!.y).toBeGreaterThanOrEqual(drawings!.y + drawings!.height - 1);
      await close(opened);
    });

    it("keeps the drawing and the findings when printed", async () => {
      const t = twin(name);
      const opened = await open(t);
      const { page } = opened;
      await page.emulateMedia({ media: "print" });
      await expect(page.locator("svg.drawing").first().isVisible()).resolves.toBe(true);
      const svg = await page.locator("svg.drawing").first().boundingBox();
      expect(svg!.width).toBeGreaterThan(200);
      await expect(page.locator("section.findings").isVisible()).resolves.toBe(true);
      expect(await page.locator("li.finding:visible").count()).toBe(t.findings.length);
      await expect(page.locator(".filters").isVisible()).resolves.toBe(false);
      await close(opened);
    });

    it(`screenshots the drawing and the top of the list to docs/screenshots/${name}.png`, async () => {
      const t = twin(name);
      const opened = await open(t, { width: 1400, height: 1000 });
      const { page } = opened;
      await page.locator("#fit-toggle").click();
      // The drawing and the top of the list: down to whichever ends lower, the drawing or 500 px of the list.
      const bottom = await page.evaluate(() => {
        const drawings = document.querySelector("section.drawings")!.getBoundingClientRect();
        const list = document.querySelector("section.findings")!.getBoundingClientRect();
        return Math.ceil(Math.min(document.documentElement.scrollHeight, Math.max(drawings.bottom, list.top + 500)));
      });
      const png = await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: 1400, height: bottom }, animations: "disabled" });
      await close(opened);
      expect(png.length).toBeLessThan(MAX_SCREENSHOT_BYTES);
      const size = pngSize(png);
      expect(size.width).toBe(1400);
      const committed = join(SCREENSHOTS, `${name}.png`);
      if (process.env.DPL_UPDATE_SCREENSHOTS === "1" || !existsSync(committed)) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        writeFileSync(committed, png);
        return;
      }
      // Loose: the same layout gives the same size within 10% (fonts and the temp path differ by machine).
      const fresh = join(mkdtempSync(join(tmpdir(), "dpl-screenshot-")), `${name}.png`);
      writeFileSync(fresh, png);
      const before = pngSize(readFileSync(committed));
      const hint = `${committed} is ${before.width}×${before.height}, now ${size.width}×${size.height} (${fresh}); DPL_UPDATE_SCREENSHOTS=1 rewrites it`;
      expect(Math.abs(size.width - before.width) / before.width, hint).toBeLessThanOrEqual(0.1);
      expect(Math.abs(size.height - before.height) / before.height, hint).toBeLessThanOrEqual(0.1);
    });
  });

  describe("seed-broken: the broken hops on the drawing", () => {
    const SOCKET = /\/nginx\/[^>]*->[^#]*\/app-server\//;
    const STATIC = /\/volume\/[^>]*->[^#]*\/nginx\/[^#]*#static$/;
    const MEDIA = /\/volume\/[^>]*->[^#]*\/nginx\/[^#]*#media$/;

    it("marks the socket-drift, static and media alias edges broken, each carrying its finding", async () => {
      const t = twin("seed-broken");
      const opened = await open(t);
      const { page } = opened;
      for (const [pattern, rule] of [[SOCKET, "deploy/socket-drift"], [STATIC, "deploy/static-alias"], [MEDIA, "deploy/media-alias"]] as const) {
        const edge = await edgeLocator(page, pattern);
        expect(await edge.getAttribute("class")).toMatch(/\bbroken\b.*\bsev-error\b/);
        expect(await edge.getAttribute("aria-label")).toMatch(/; broken; 1 finding, worst error$/);
        expect(await edge.locator("text.edge-label").first().textContent()).toBe("✕ broken");
        expect(await edge.locator("g.badge text").textContent()).toBe("✖ 1");
        // Its finding is the one a click narrows the list to (on the label: a slanted line's box centre misses it).
        await edge.locator("text.edge-label").first().click();
        expect(await visibleRules(page)).toEqual([rule]);
        expect(await status(page)).toBe(`Showing 1 of ${t.findings.length} findings`);
        // A second click on the same edge clears the selection.
        await edge.locator("text.edge-label").first().click();
        expect(await status(page)).toBe(`Showing ${t.findings.length} of ${t.findings.length} findings`);
      }
      expect(await page.locator(".edge.broken").count()).toBe(3);
      await close(opened);
    });

    it("puts the exposed-port finding on the db node", async () => {
      const t = twin("seed-broken");
      const opened = await open(t);
      const { page } = opened;
      const db = page.locator("[data-node$='/database/db']");
      expect(await db.getAttribute("class")).toMatch(/\bhas-findings\b.*\bsev-warning\b/);
      expect(await db.locator("g.badge text").textContent()).toBe("▲ 1");
      await db.click();
      expect(await visibleRules(page)).toEqual(["compose/exposed-backing-port"]);
      await page.locator("#selection-clear").click();
      expect(await visibleRules(page)).toHaveLength(t.findings.length);
      await close(opened);
    });

    it("highlights exactly the nodes and edges of the finding clicked", async () => {
      const t = twin("seed-broken");
      const opened = await open(t);
      const { page } = opened;
      const socket = await (await edgeLocator(page, SOCKET)).getAttribute("data-edge");
      const drift = t.findings.findIndex((f) => f.rule === "deploy/socket-drift");
      await page.locator(`li.finding[data-finding-index="${drift}"]`).click();
      expect(await highlighted(page)).toEqual([`finding ${drift}`, socket].sort());
      const exposed = t.findings.findIndex((f) => f.rule === "compose/exposed-backing-port");
      await page.locator(`li.finding[data-finding-index="${exposed}"] .message`).click();
      const db = await page.locator("[data-node$='/database/db']").getAttribute("data-node");
      expect(await highlighted(page)).toEqual([`finding ${exposed}`, db].sort());
      // Every finding: what it highlights is its placement in the embedded data, nothing more.
      const placements = await page.evaluate(() => (JSON.parse(document.getElementById("dpl-data")!.textContent!) as { placements: { nodes: string[]; edges: string[] }[] }).placements);
      for (const [i, p] of placements.entries()) {
        await page.locator(`li.finding[data-finding-index="${i}"] .head`).click();
        expect(await highlighted(page)).toEqual([`finding ${i}`, ...new Set([...p.nodes, ...p.edges])].sort());
      }
      await close(opened);
    });

    it("works from the keyboard: Tab reaches the drawing and the findings, Enter / Space activate", async () => {
      const t = twin("seed-broken");
      const opened = await open(t);
      const { page } = opened;
      const reached = new Set<string>();
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press("Tab");
        const kind = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el) return "none";
          if (el.matches("li.finding")) return "finding";
          if (el.matches("[data-node]")) return "node";
          if (el.matches("[data-edge]")) return "edge";
          return el.tagName.toLowerCase();
        });
        reached.add(kind);
        if (kind === "finding") break;
      }
      expect([...reached]).toEqual(expect.arrayContaining(["node", "edge", "finding"]));
      // Focus is on the first finding: Enter highlights it, Space on the next one moves the highlight.
      await page.keyboard.press("Enter");
      expect(await highlighted(page)).toContain("finding 0");
      // The finding's own "Why and how to fix" comes next in the tab order, then the next finding.
      for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.getAttribute("data-finding-index"))) !== "1"; i++) await page.keyboard.press("Tab");
      await page.keyboard.press(" ");
      expect(await highlighted(page)).toContain("finding 1");
      expect(await highlighted(page)).not.toContain("finding 0");
      // Enter on the socket edge narrows the list, Space on it again widens it back.
      const socket = await edgeLocator(page, SOCKET);
      await socket.focus();
      await page.keyboard.press("Enter");
      expect(await visibleRules(page)).toEqual(["deploy/socket-drift"]);
      expect(await page.locator("#selection").isVisible()).toBe(true);
      await page.keyboard.press(" ");
      expect(await visibleRules(page)).toHaveLength(t.findings.length);
      expect(await page.locator("#selection").isVisible()).toBe(false);
      await close(opened);
    });
  });

  it("seed-skeleton: no broken edge and no finding badge", async () => {
    const opened = await open(twin("seed-skeleton"));
    const { page } = opened;
    expect(await page.locator("[data-edge]").count()).toBeGreaterThan(3);
    expect(await page.locator(".edge.broken").count()).toBe(0);
    expect(await page.locator(".has-findings, g.badge").count()).toBe(0);
    expect(await page.locator("svg.drawing").textContent()).not.toContain("✕ broken");
    await close(opened);
  });
});
