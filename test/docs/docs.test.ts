import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../../rules/index.js";
import { renderAllRuleDocs } from "../../src/docs/rule-doc.js";
import { REPO_ROOT } from "../support/cli.js";

const docsDir = join(REPO_ROOT, "docs", "rules");

function listMarkdown(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? listMarkdown(abs) : name.endsWith(".md") ? [relative(docsDir, abs)] : [];
  });
}

describe("generated rule docs", () => {
  it("docs/rules matches the rule metadata (run `npm run docs` when this fails)", () => {
    const expected = renderAllRuleDocs(ALL_RULES);
    expect(listMarkdown(docsDir).sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) {
      expect(readFileSync(join(docsDir, path), "utf8"), path).toBe(content);
    }
  });

  it("every rule has complete metadata and a unique id in its family folder", () => {
    const ids = new Set<string>();
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^(django|deploy|nginx|compose|docker|uwsgi|env|git|parse|lint)\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ids.has(rule.id), rule.id).toBe(false);
      ids.add(rule.id);
      expect(existsSync(join(REPO_ROOT, "rules", `${rule.id}.ts`)), `rules/${rule.id}.ts`).toBe(true);
      for (const field of [rule.summary, rule.why, rule.fix]) expect(field.length).toBeGreaterThan(10);
      expect(rule.examples.length).toBeGreaterThan(0);
    }
  });
});
