import { describe, expect, it } from "vitest";
import { absentEnvReads } from "../../src/model/env-reads.js";
import { lintRuleFixture } from "../rules/rule-table.js";

/** [name, fatal?, .env line] of every absent read of service 'web'. */
function absent(rule: string, fixture: string): [string, boolean, number | undefined][] {
  const { model } = lintRuleFixture(rule, fixture).result;
  const stack = model.stacks[0];
  const web = stack?.services.find((s) => s.name === "web");
  if (!stack || !web) return [];
  return absentEnvReads(model, stack, web).map((a) => [a.read.name, a.read.fatal !== undefined, a.dotenvEntry?.range.line]);
}

describe("env-reads", () => {
  it("a variable nothing gives the service: absent and fatal, not in .env", () => {
    expect(absent("deploy/env-missing", "bad-os-environ")).toEqual([["EMAIL_HOST", true, undefined]]);
  });

  it("a read inside try/except KeyError is absent but not fatal", () => {
    expect(absent("deploy/env-missing", "good-caught")).toEqual([["EMAIL_HOST", false, undefined]]);
  });

  it("variables only in the compose project's .env: absent, with their .env line", () => {
    expect(absent("deploy/env-not-injected", "bad-no-env-file")).toEqual([
      ["DJANGO_SECRET_KEY", true, 1],
      ["POSTGRES_PASSWORD", true, 2],
    ]);
  });

  it("provided variables are not absent", () => {
    expect(absent("deploy/env-missing", "good")).toEqual([]);
    expect(absent("deploy/env-not-injected", "good-explicit")).toEqual([]);
  });
});
