import { describe, expect, it } from "vitest";
import { stringBooleans } from "../../src/model/env-booleans.js";
import { lintRuleFixture } from "../rules/rule-table.js";

function found(fixture: string): [string, string, string][] {
  const web = lintRuleFixture("deploy/string-boolean", fixture).result.model.stacks[0]?.services.find((s) => s.name === "web");
  if (!web?.django) return [];
  return stringBooleans(web.django).map((b) => [b.setting.name, b.text, b.via]);
}

describe("env-booleans", () => {
  it("an unparsed default that reads as off", () => {
    expect(found("bad-default-false")).toEqual([["EMAIL_USE_TLS", "False", "string"]]);
  });
  it("an env value that reads as off", () => {
    expect(found("bad-env-zero")).toEqual([["USE_X_FORWARDED_HOST", "0", "string"]]);
  });
  it("bool() of the env text", () => {
    expect(found("bad-bool-call")).toEqual([["SESSION_EXPIRE_AT_BROWSER_CLOSE", "false", "bool()"]]);
  });
  it("parsed values, texts that read as on, and bool(int(...)) are not string booleans", () => {
    expect(found("good")).toEqual([]);
    expect(found("good-text-on")).toEqual([]);
    expect(found("good-bool-int")).toEqual([]);
  });
});
