import { expect, it } from "vitest";
import { backingConnections, hostReach, portVerdict } from "../../../src/model/backing-services.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "deploy/db-port";
const SETTINGS = "app/bookshelf/settings.py";

function verdicts(fixture: string): [string, string][] {
  const { model } = lintRuleFixture(RULE, fixture).result;
  const web = model.stacks[0]?.services.find((s) => s.name === "web");
  return (web ? backingConnections(web) : []).map((c) => {
    const reach = hostReach(model, c);
    return [`${c.host?.text}:${c.port?.text ?? "default"}`, reach.kind === "service" ? portVerdict(c, reach.target).kind : reach.kind];
  });
}

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-published-port", plants: "PORT 5433, the host side of ports 127.0.0.1:5433:5432", rows: [[RULE, SETTINGS, 40, 17]] },
      { fixture: "bad-url-port", plants: "DATABASE_URL with port 5433, postgres:16 listens on 5432", rows: [[RULE, ".env", 3, 1]] },
    ],
    good: ["good", "good-custom-port"],
  },
  () => {
    it("a published port: names the mapping, the container port and the ports: line", () => {
      const finding = findingOf(RULE, "bad-published-port");
      expect(finding.message).toBe(
        "DATABASES['default'] PORT is 5433, the host port service 'db' publishes (\"5433:5432\"); from another container the service is db:5432: use port 5432",
      );
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 5, 9]]);
      expect(finding.related[0]?.message).toBe("service 'db' maps host port 5433 to container port 5432");
    });

    it("a port the image does not listen on: says why 5432 is known", () => {
      const finding = findingOf(RULE, "bad-url-port");
      expect(finding.message).toContain("PORT is 5433 (DATABASE_URL in .env line 3), but service 'db' listens on 5432");
      expect(finding.message).toContain("the postgres:16 image listens on 5432");
      expect(finding.message).not.toContain("s3cret");
      expect(relatedRows(finding)).toEqual([
        [SETTINGS, 37, 25],
        ["docker-compose.yml", 13, 15],
        ["docker-compose.yml", 3, 12],
      ]);
    });

    it("good fixtures: the container port, and a port the command moves (declared in expose)", () => {
      expect(verdicts("good")).toEqual([["db:5432", "ok"]]);
      expect(verdicts("good-custom-port")).toEqual([["db:5433", "ok"]]);
    });
  },
);
