import { expect, it } from "vitest";
import { describeRuleTable, findingOf, lintRuleFixture } from "../rule-table.js";

const RULE = "parse/problem";
const EXPOSED = "compose/exposed-backing-port";

/**
 * One bad fixture per loader kind. Each also plants one other finding, which the lint must
 * still report next to the parse problem: a broken file does not stop the rest.
 */
const CASES: { fixture: string; plants: string; problem: [string, number, number]; other: [string, string, number, number]; message: string }[] = [
  {
    fixture: "bad-compose-yaml",
    plants: "`restart unless-stopped` without a colon",
    problem: ["docker-compose.yml", 36, 5],
    other: ["git/env-tracked", ".env", 1, 1],
    message: "YAML",
  },
  {
    fixture: "bad-nginx-braces",
    plants: "location /media/ never closed",
    problem: ["deploy/nginx/bookshelf.conf", 11, 8],
    other: [EXPOSED, "docker-compose.yml", 11, 9],
    message: "unexpected end of file",
  },
  {
    fixture: "bad-settings-syntax",
    plants: "ALLOWED_HOSTS list never closed",
    problem: ["app/bookshelf/settings.py", 9, 17],
    other: [EXPOSED, "docker-compose.yml", 11, 9],
    message: "'[' was never closed",
  },
  {
    fixture: "bad-binary-env",
    plants: ".env with NUL bytes",
    problem: [".env", 1, 1],
    other: [EXPOSED, "docker-compose.yml", 11, 9],
    message: "binary",
  },
  {
    fixture: "bad-dockerfile-junk",
    plants: "COPPY instead of COPY",
    problem: ["Dockerfile", 11, 1],
    other: [EXPOSED, "docker-compose.yml", 11, 9],
    message: "COPPY",
  },
  {
    fixture: "bad-uwsgi-garbage",
    plants: "`socket /run/uwsgi/bookshelf.sock` without '='",
    problem: ["deploy/uwsgi.ini", 6, 1],
    other: [EXPOSED, "docker-compose.yml", 11, 9],
    message: "not an option line",
  },
];

describeRuleTable(
  RULE,
  {
    bad: CASES.map(({ fixture, plants, problem }) => ({ fixture, plants, rows: [[RULE, ...problem]] })),
    good: ["good"],
  },
  () => {
    for (const { fixture, problem, other, message } of CASES) {
      it(`${fixture}: every rule still runs, and reports the other planted finding`, () => {
        const { result, rows } = lintRuleFixture(RULE, fixture);
        expect(result.internalErrors).toEqual([]);
        expect([...rows].sort()).toEqual([[RULE, ...problem], other].sort());
        expect(findingOf(RULE, fixture).message).toContain(message);
      });
    }

    it("good: the same project, every file parses", () => {
      const { model } = lintRuleFixture(RULE, "good").result;
      expect(model.problems).toEqual([]);
      expect(model.stacks[0]?.services.map((s) => s.name)).toEqual(["db", "web", "nginx"]);
    });
  },
);
