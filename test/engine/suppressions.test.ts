import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding.js";
import { applySuppressions, parseDirectives, patternCovers } from "../../src/engine/suppressions.js";

/** [kind, line, target, patterns, reason] of each directive. */
function directives(file: string, text: string) {
  return parseDirectives(file, text).directives.map((d) => [d.kind, d.line, d.target, d.entries.map((e) => e.pattern), d.reason]);
}

function problems(file: string, text: string) {
  return parseDirectives(file, text).problems.map((p) => [p.range.line, p.range.column, p.range.endColumn, p.message]);
}

function finding(rule: string, file: string, line: number): Finding {
  return { rule, django: null, severity: "error", message: `${rule} here`, range: { file, line, column: 1, endLine: line, endColumn: 5 }, related: [], stacks: [] };
}

const RULES = ["deploy/static-alias", "deploy/media-alias", "compose/runserver", "lint/unused-suppression"];
const everyRuleRan = { ruleIds: RULES, ran: () => true };

describe("parseDirectives", () => {
  it("a directive after code suppresses its own line; its entries carry their exact columns", () => {
    const text = "location /static/ {\n    alias /code/static;  # django-prod-lint: disable=deploy/static-alias -- CDN\n}\n";
    expect(directives("nginx.conf", text)).toEqual([["line", 2, 2, ["deploy/static-alias"], "CDN"]]);
    const [entry] = parseDirectives("nginx.conf", text).directives[0]?.entries ?? [];
    const line = text.split("\n")[1] ?? "";
    expect(entry?.range).toEqual({ file: "nginx.conf", line: 2, column: line.indexOf("deploy/") + 1, endLine: 2, endColumn: line.indexOf("deploy/") + 1 + "deploy/static-alias".length });
  });

  it("a directive on its own line suppresses the next line, skipping stacked directives; the next line may be a comment", () => {
    const text = [
      "# django-prod-lint: disable=deploy/static-alias",
      "   # django-prod-lint: disable=deploy/media-alias -- also",
      "# alias /old;",
      "x",
    ].join("\n");
    expect(directives("a.conf", text)).toEqual([
      ["line", 1, 3, ["deploy/static-alias"], undefined],
      ["line", 2, 3, ["deploy/media-alias"], "also"],
    ]);
  });

  it("disable-file applies anywhere in the file; whitespace around tokens is tolerated; CRLF lines work", () => {
    const text = "x = 1\r\n#django-prod-lint:disable-file =  deploy/ ,  compose   --   reason here  \r\ny = 2\r\n";
    expect(directives("settings.py", text)).toEqual([["file", 2, 2, ["deploy/", "compose"], "reason here"]]);
    const entries = parseDirectives("settings.py", text).directives[0]?.entries.map((e) => [e.range.column, e.range.endColumn]);
    expect(entries).toEqual([[35, 42], [46, 53]]);
  });

  it("counts only a comment marker at the start of the line or after whitespace", () => {
    expect(directives("a.conf", "value a#django-prod-lint: disable=deploy\n")).toEqual([]);
    expect(directives("a.py", 'x = "note: django-prod-lint: disable=deploy"\n')).toEqual([]);
    expect(directives("a.py", "x = 1 ## django-prod-lint: disable=deploy\n")).toEqual([["line", 1, 1, ["deploy"], undefined]]);
  });

  it("takes `;` as a comment marker in ini and systemd unit files only", () => {
    expect(directives("uwsgi.ini", "; django-prod-lint: disable=deploy\nsocket = /tmp/s\n")).toEqual([["line", 1, 2, ["deploy"], undefined]]);
    expect(directives("web.service", ";django-prod-lint: disable=deploy\nExecStart=x\n")).toEqual([["line", 1, 2, ["deploy"], undefined]]);
    expect(directives("nginx.conf", "; django-prod-lint: disable=deploy\n")).toEqual([]);
  });

  it("reports a directive after code in files whose comments start only at the beginning of a line", () => {
    for (const [file, kind] of [["Dockerfile", "a Dockerfile"], ["docker/web.Dockerfile", "a Dockerfile"], [".gitignore", "an ignore file"], ["app/.dockerignore", "an ignore file"], ["uwsgi.ini", "an ini file"], ["web.service", "a systemd unit"]] as const) {
      const text = "COPY . /code/ # django-prod-lint: disable=deploy\n";
      expect(directives(file, text), file).toEqual([]);
      expect(problems(file, text), file).toEqual([
        [1, 17, 49, `a comment starts only at the beginning of a line in ${kind}, so this directive is part of the line's value and suppresses nothing; put it on a line of its own above`],
      ]);
    }
    expect(directives("Dockerfile", "# django-prod-lint: disable=deploy\nCOPY . /code/\n")).toEqual([["line", 1, 2, ["deploy"], undefined]]);
  });

  it("reports malformed directives: unknown keyword (with a guess), nothing after the tag, empty list, entries not separated by commas", () => {
    expect(problems("a.py", "# django-prod-lint: disabel=deploy -- x\n")).toEqual([
      [1, 3, 35, "malformed suppression: expected `django-prod-lint: disable=<rule>[,<rule>…]` or `disable-file=<rule>[,…]` after the tag, got `disabel=deploy`; did you mean `disable`?"],
    ]);
    expect(problems("a.py", "# django-prod-lint: ignore this file\n")[0]?.[3]).toBe(
      "malformed suppression: expected `django-prod-lint: disable=<rule>[,<rule>…]` or `disable-file=<rule>[,…]` after the tag, got `ignore this file`",
    );
    expect(problems("a.py", "# django-prod-lint:\n")[0]?.[3]).toContain("got nothing");
    expect(problems("a.py", "# django-prod-lint: disable-file= , -- reason\n")).toEqual([
      [1, 3, 36, "empty rule list: name the rules to suppress, e.g. `django-prod-lint: disable-file=deploy/static-alias -- reason`"],
    ]);
    expect(problems("a.py", "# django-prod-lint: disable=deploy compose\n")).toEqual([
      [1, 29, 43, "malformed rule entry `deploy compose`: name rule ids or families separated by commas (`disable=deploy/static-alias,compose`)"],
    ]);
    expect(directives("a.py", "# django-prod-lint: disabel=deploy\n")).toEqual([]);
  });
});

describe("applySuppressions", () => {
  const file = "nginx.conf";

  it("drops the findings of the named rules on the target line only, by id and by family", () => {
    const text = "a  # django-prod-lint: disable=deploy/static-alias\n# django-prod-lint: disable=deploy\nb\nc\n";
    const findings = [finding("deploy/static-alias", file, 1), finding("deploy/media-alias", file, 1), finding("deploy/media-alias", file, 3), finding("deploy/static-alias", file, 4), finding("deploy/static-alias", "other.conf", 1)];
    const result = applySuppressions(findings, [{ file, text }], everyRuleRan);
    expect(result.kept.map((f) => [f.rule, f.range.file, f.range.line])).toEqual([
      ["deploy/media-alias", file, 1],
      ["deploy/static-alias", file, 4],
      ["deploy/static-alias", "other.conf", 1],
    ]);
    expect(result.suppressed.map((f) => [f.rule, f.range.line])).toEqual([["deploy/static-alias", 1], ["deploy/media-alias", 3]]);
    expect(result.problems).toEqual([]);
  });

  it("disable-file drops every finding of the rule in that file", () => {
    const text = "# django-prod-lint: disable-file=deploy/media-alias\n";
    const result = applySuppressions([finding("deploy/media-alias", file, 9), finding("deploy/media-alias", "b.conf", 9)], [{ file, text }], everyRuleRan);
    expect(result.kept.map((f) => f.range.file)).toEqual(["b.conf"]);
  });

  it("reports unused, unknown (with a guess), duplicate and covered entries at their columns", () => {
    const text = [
      "a  # django-prod-lint: disable=deploy/static-alias", // unused (nothing on line 1)
      "b  # django-prod-lint: disable=deploy/static-alia,nosuchthing",
      "c  # django-prod-lint: disable=deploy/media-alias,deploy/media-alias/",
      "d  # django-prod-lint: disable=deploy/media-alias,deploy",
      "# django-prod-lint: disable-file=compose -- nothing from compose here",
    ].join("\n");
    const result = applySuppressions([finding("deploy/media-alias", file, 3), finding("deploy/media-alias", file, 4)], [{ file, text }], everyRuleRan);
    expect(result.kept).toEqual([]);
    expect(result.problems.map((p) => [p.range.line, p.range.column, p.message])).toEqual([
      [2, 32, "unknown rule `deploy/static-alia`; did you mean `deploy/static-alias`?"],
      [2, 51, "unknown rule `nosuchthing`; see --list-rules for the rule ids and families"],
      [3, 51, "`deploy/media-alias/` is listed twice in this directive; remove one"],
      [4, 32, "`deploy/media-alias` is already covered by `deploy` in this directive; remove it"],
      [1, 32, "`deploy/static-alias` is suppressed here but reported nothing on line 1; remove the directive"],
      [5, 34, "`compose` is disabled for this file but reported nothing in it; remove the directive"],
    ]);
  });

  it("does not report entries naming rules that did not run as unused", () => {
    const text = "a  # django-prod-lint: disable=deploy/static-alias\nb  # django-prod-lint: disable=deploy\nc  # django-prod-lint: disable=compose\n";
    const ran = (id: string) => id !== "deploy/static-alias";
    const result = applySuppressions([], [{ file, text }], { ruleIds: RULES, ran });
    // `deploy` names a rule that did not run: it may have been meant for it.
    expect(result.problems.map((p) => [p.range.line, p.message])).toEqual([[3, "`compose` is suppressed here but reported nothing on line 3; remove the directive"]]);
  });

  it("lint/unused-suppression can be silenced only file-wide", () => {
    const line = "a  # django-prod-lint: disable=deploy/static-alias\n# django-prod-lint: disable=lint/unused-suppression\nb  # django-prod-lint: disable=deploy/media-alias\n";
    const reported = applySuppressions([], [{ file, text: line }], everyRuleRan).problems.map((p) => [p.range.line, p.message]);
    expect(reported).toEqual([
      [2, "`lint/unused-suppression` findings can only be disabled for a whole file: use `disable-file=lint/unused-suppression`, or remove the directive they report"],
      [1, "`deploy/static-alias` is suppressed here but reported nothing on line 1; remove the directive"],
      [3, "`deploy/media-alias` is suppressed here but reported nothing on line 3; remove the directive"],
    ]);
    for (const entry of ["lint/unused-suppression", "lint"]) {
      const fileWide = `${line}# django-prod-lint: disable-file=${entry} -- kept on purpose\n`;
      expect(applySuppressions([], [{ file, text: fileWide }], everyRuleRan).problems, entry).toEqual([]);
    }
  });

  it("matches families like --select does", () => {
    expect(patternCovers("deploy", "deploy/static-alias")).toBe(true);
    expect(patternCovers("deploy/", "deploy/static-alias")).toBe(true);
    expect(patternCovers("deploy/static", "deploy/static-alias")).toBe(false);
    expect(patternCovers("dep", "deploy/static-alias")).toBe(false);
  });
});
