import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.js";
import { fixturePath } from "../../support/fixtures.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../../scripts/materialize-fixture.mjs";

/** The built CLI (npm test builds first), as a user runs it. */
let dir: string;

beforeAll(() => {
  dir = (materializeFixture as (d: string) => string)(fixturePath("projects/seed-broken"));
});

describe("--format html from the built launcher", () => {
  it("writes the page with --output, and the same page to stdout", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dpl-html-")), "r.html");
    const written = runCli(["--format", "html", "--output", file, dir]);
    expect(written.status).toBe(1);
    expect(written.stdout).toBe("");
    const page = readFileSync(file, "utf8");
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).toContain('<svg class="drawing"');
    expect(page).toContain("deploy/socket-drift");
    const printed = runCli(["--format", "html", dir]);
    expect(printed.status).toBe(1);
    expect(printed.stdout.length).toBeGreaterThan(10_000);
    expect(printed.stdout).toContain('<script type="application/json" id="dpl-data">');
  });

  it("keeps dagre out of the bundle: only the html format loads it", () => {
    const bundle = readFileSync(fileURLToPath(new URL("../../../dist/bundle.cjs", import.meta.url)), "latin1");
    expect(bundle).toContain("@dagrejs/dagre");
    // dagre's own code (its network-simplex ranker) is not in the bundle.
    expect(bundle).not.toContain("network-simplex");
  });
});
