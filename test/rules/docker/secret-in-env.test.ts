import { expect, it } from "vitest";
import { describeRuleTable, findingOf } from "../rule-table.js";

const RULE = "docker/secret-in-env";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-env", plants: "ENV DJANGO_SECRET_KEY with a literal key in the final stage", rows: [[RULE, "Dockerfile", 4, 5]] },
      {
        fixture: "bad-arg-default",
        plants: "ARG default with a package-index URL holding a password, in a build stage",
        rows: [[RULE, "Dockerfile", 3, 5]],
      },
    ],
    good: ["good"],
  },
  () => {
    it("names the variable and service, and masks the key", () => {
      const finding = findingOf(RULE, "bad-env");
      expect(finding.message).toContain("Dockerfile sets ENV DJANGO_SECRET_KEY to a literal secret (9f…(50 chars))");
      expect(finding.message).toContain("service 'web'");
      expect(finding.message).toContain("docker inspect");
      expect(finding.message).not.toContain("9f2c7a1e5b8d3f6a");
      expect(finding.related).toEqual([]);
    });

    it("masks the password of a URL in an ARG default and says it is in the image history", () => {
      const finding = findingOf(RULE, "bad-arg-default");
      expect(finding.message).toContain("ARG PIP_INDEX_URL a literal secret default ('https://deploy:…(12 chars)@pypi.books.example.org/simple/')");
      expect(finding.message).toContain("image history");
      expect(finding.message).not.toContain("Xk7pQ2wN9vR4");
    });
  },
);
