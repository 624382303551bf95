import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ALL_RULES } from "../../rules/index.js";
import { unknownPatterns } from "../../src/engine/selection.js";
import { REPO_ROOT } from "../support/cli.js";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "docs/config.schema.json"), "utf8")) as {
  $schema: string;
  additionalProperties: boolean;
  properties: Record<string, { description?: string }>;
};
const doc = readFileSync(join(REPO_ROOT, "docs/configuration.md"), "utf8");

/** The fenced code blocks of one `### \`key\`` section of docs/configuration.md. */
function blocksOf(key: string): { lang: string; text: string }[] {
  const start = doc.indexOf(`### \`${key}\``);
  const end = doc.indexOf("\n#", start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
}

describe("docs/config.schema.json", () => {
  const validate = new Ajv({ strict: true }).compile(schema);

  it("is a draft-07 schema ajv compiles in strict mode, closed, with a description on every key", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toMatch(/\S/);
    expect(validate({})).toBe(true);
    expect(validate({ "fail-on": "sometimes" })).toBe(false);
    expect(validate({ verbose: true })).toBe(false);
  });

  it("has every key documented in docs/configuration.md, with a valid example in JSON, YAML and TOML", () => {
    for (const key of Object.keys(schema.properties)) {
      const blocks = blocksOf(key);
      expect(blocks.map((b) => b.lang), key).toEqual(["json", "yaml", "toml"]);
      for (const { lang, text } of blocks) {
        const data =
          lang === "json" ? JSON.parse(text) : lang === "yaml" ? parseYaml(text) : (parseToml(text) as { tool: Record<string, unknown> }).tool["django-prod-lint"];
        expect(validate(data), `${key} (${lang}): ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(Object.keys(data as object), `${key} (${lang})`).toEqual([key]);
      }
    }
  });

  it("has a complete example that validates and names only existing rules", () => {
    const section = doc.slice(doc.indexOf("## A complete example"));
    const example = parseYaml(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as Record<string, unknown>;
    expect(Object.keys(example)).toEqual(Object.keys(schema.properties));
    expect(validate(example)).toBe(true);
    const names = [
      ...(example.select as string[]),
      ...(example.ignore as string[]),
      ...Object.keys(example.severity as object),
      ...Object.values(example["per-file-ignores"] as Record<string, string[]>).flat().filter((n) => n !== "*"),
    ];
    expect(unknownPatterns(names, ALL_RULES.map((r) => r.id))).toEqual([]);
  });

  it("documents only keys the schema has", () => {
    const documented = [...doc.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(schema.properties));
  });
});
