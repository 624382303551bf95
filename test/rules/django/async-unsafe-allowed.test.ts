import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, relatedRows } from "./django-table.js";

const RULE = "django/async-unsafe-allowed";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "compose environment DJANGO_ALLOW_ASYNC_UNSAFE: \"false\"", rows: [[RULE, "docker-compose.yml", 7, 7]], ids: ["async.E001"] },
      { fixture: "bad-env-file", plants: "DJANGO_ALLOW_ASYNC_UNSAFE=1 in the .env compose hands over", rows: [[RULE, ".env", 2, 1]], ids: ["async.E001"] },
      {
        fixture: "bad-loaded-by-settings",
        plants: "the settings load_dotenv() app/.env, which sets DJANGO_ALLOW_ASYNC_UNSAFE=true",
        rows: [[RULE, "app/.env", 2, 1]],
        ids: ["async.E001"],
      },
    ],
    // Django 3.0 has no async.E001; an empty value is falsy for os.environ.get.
    good: ["good", "good-3.0", "good-empty"],
  },
  () => {
    it("points at the compose line, and says that 'false' counts", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("async.E001");
      expect(finding.severity).toBe("error");
      expect(finding.message).toBe(
        "You should not set the DJANGO_ALLOW_ASYNC_UNSAFE environment variable in deployment. This disables async safety protection. " +
          "Service 'web' gets DJANGO_ALLOW_ASYNC_UNSAFE=false in the compose environment (docker-compose.yml line 7) (any non-empty value counts, \"false\" included).",
      );
      expect(finding.related).toEqual([]);
    });

    it("a value the settings load themselves points at that file's line", () => {
      const finding = djangoFinding(RULE, "bad-loaded-by-settings");
      expect(finding.message).toContain("Service 'web' gets DJANGO_ALLOW_ASYNC_UNSAFE=true from app/.env (line 2), an env file the settings load themselves");
    });

    it("an env file value points at the file line, with the env_file entry in related", () => {
      const finding = djangoFinding(RULE, "bad-env-file");
      expect(finding.message).toContain("DJANGO_ALLOW_ASYNC_UNSAFE=1 in .env (line 2)");
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 4, 15]]);
    });
  },
);
