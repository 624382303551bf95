import { expect, it } from "vitest";
import { secretsBakedIntoImages } from "../../../src/model/image-secrets.js";
import { describeRuleTable, findingOf, lintRuleFixture, relatedRows } from "../rule-table.js";

const RULE = "docker/env-in-image";

describeRuleTable(
  RULE,
  {
    bad: [
      { fixture: "bad-env-file", plants: ".dockerignore lacks .env, which is on disk (git-ignored) and holds SECRET_KEY", rows: [[RULE, "Dockerfile", 15, 1]] },
      { fixture: "bad-ignored-env-file", plants: ".env absent from the checkout, but compose's env_file needs it on the build machine", rows: [[RULE, "Dockerfile", 15, 1]] },
      { fixture: "bad-tls-key", plants: ".dockerignore lacks deploy/certs: nginx's private key goes into the web image", rows: [[RULE, "Dockerfile", 15, 1]] },
    ],
    good: ["good"],
  },
  () => {
    it("names the file, what it holds (never its values) and the service", () => {
      const finding = findingOf(RULE, "bad-env-file");
      expect(finding.message).toContain("COPY . /code/ puts .env (it holds SECRET_KEY and POSTGRES_PASSWORD) into the image of service 'web'");
      expect(finding.message).not.toMatch(/q8Vt3n|Xk29vLq7/);
      expect(relatedRows(finding)).toEqual([[".env", 1, 1]]);
    });

    it("an absent git-ignored env file: points at the compose line that requires it", () => {
      const finding = findingOf(RULE, "bad-ignored-env-file");
      expect(finding.message).toContain("git-ignored and absent from the checkout, but compose needs it where the image is built");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 5, 15]]);
    });

    it("only services built here, and only files .dockerignore lets through", () => {
      const baked = (fixture: string) => {
        const { model } = lintRuleFixture(RULE, fixture).result;
        return model.stacks.flatMap((stack) => secretsBakedIntoImages(model, stack)).map((b) => [b.service.name, b.file, b.inCheckout]);
      };
      expect(baked("bad-tls-key")).toEqual([["web", "deploy/certs/privkey.pem", true]]);
      expect(baked("good")).toEqual([]);
    });
  },
);
