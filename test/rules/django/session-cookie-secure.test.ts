import { expect, it } from "vitest";
import { describeDjangoRule, djangoFinding, djangoIds, lintDjangoFixture, relatedRows } from "./django-table.js";

const RULE = "django/session-cookie-secure";
const SETTINGS = "app/ledger/settings.py";

describeDjangoRule(
  RULE,
  {
    bad: [
      { fixture: "bad", plants: "SESSION_COOKIE_SECURE = 1 under Django 5.2 (`is True`)", rows: [[RULE, SETTINGS, 44, 1]], ids: ["security.W012"] },
      { fixture: "bad-4.1", plants: "SESSION_COOKIE_SECURE = 1 under Django 4.1, the first to require True", rows: [[RULE, SETTINGS, 44, 1]], ids: ["security.W012"] },
      {
        fixture: "bad-env",
        plants: "compose sets DJANGO_SECURE_COOKIES='true', the settings compare it with '1'",
        rows: [[RULE, SETTINGS, 44, 1]],
        ids: ["security.W012"],
      },
    ],
    // SESSION_COOKIE_SECURE = 1 passes while the check tests truthiness: 3.2 and 4.0.
    good: ["good", "good-truthy-3.2", "good-truthy-4.0"],
  },
  () => {
    it("says that 4.1 and later need True itself", () => {
      const finding = djangoFinding(RULE, "bad");
      expect(finding.django).toBe("security.W012");
      expect(finding.message).toContain("SESSION_COOKIE_SECURE is not set to True.");
      expect(finding.message).toContain(`SESSION_COOKIE_SECURE is 1 (${SETTINGS}:44).`);
      expect(finding.message).toContain("Django 4.1 and later accept only True itself here; a truthy int passed up to 4.0.");
    });

    it("the same settings under each version: 3.2 and 4.0 pass, 4.1 … 5.2 warn", () => {
      for (const [major, minor, ids] of [
        [3, 0, []],
        [3, 1, []],
        [3, 2, []],
        [4, 0, []],
        [4, 1, ["security.W012"]],
        [4, 2, ["security.W012"]],
        [5, 0, ["security.W012"]],
        [5, 1, ["security.W012"]],
        [5, 2, ["security.W012"]],
      ] as const) {
        expect([`${major}.${minor}`, djangoIds(lintDjangoFixture(RULE, "bad", RULE, { major, minor }))]).toEqual([`${major}.${minor}`, ids]);
      }
    });

    it("points at the compose environment entry the comparison read", () => {
      const finding = djangoFinding(RULE, "bad-env");
      expect(finding.message).toContain(
        `SESSION_COOKIE_SECURE is False: DJANGO_SECURE_COOKIES=true in the compose environment (docker-compose.yml line 7), read at ${SETTINGS}:44.`,
      );
      expect(relatedRows(finding)).toEqual([["docker-compose.yml", 7, 7]]);
    });
  },
);
