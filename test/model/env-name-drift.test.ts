import { describe, expect, it } from "vitest";
import { editDistance, nameCloseness, wellKnownConsumer } from "../../src/model/env-name-drift.js";

describe("nameCloseness", () => {
  it.each([
    ["HOST", "SITE_HOST", "affix"],
    ["DJANGO_SECRET", "DJANGO_SECRET_KEY", "affix"],
    ["DEBUG", "DJANGO_DEBUG", "affix"],
    ["DATABSE_URL", "DATABASE_URL", "typo"],
    ["ALLOWED_HOST", "ALLOWED_HOSTS", "typo"],
    ["SECERT_KEY", "SECRET_KEY", "typo"],
  ])("%s ~ %s: %s", (a, b, kind) => {
    expect(nameCloseness(a, b)?.kind).toBe(kind);
    expect(nameCloseness(b, a)?.kind).toBe(kind);
  });

  it.each([
    ["HOST", "HOST"],
    ["SITE_HOST", "SITE_NAME"],
    ["DB", "DB_X"],
    ["API", "APP"],
    ["REDIS_URL", "REDIS_HOST"],
    ["HOSTNAME", "SITE_HOST"],
  ])("%s and %s are not close", (a, b) => {
    expect(nameCloseness(a, b)).toBeUndefined();
  });

  it("short names match by affix only at an underscore boundary, never by edit distance", () => {
    expect(nameCloseness("KEY", "KEX")).toBeUndefined();
    expect(nameCloseness("KEY", "API_KEY")?.kind).toBe("affix");
    expect(nameCloseness("KEY", "MONKEY")).toBeUndefined();
  });

  it("allows 2 edits only for names of 8 characters or more", () => {
    expect(nameCloseness("EMAIL_HOST", "EMAIL_HSOT_")?.kind).toBe("typo");
    expect(nameCloseness("SITE_URL", "SITE_URL")).toBeUndefined();
    expect(nameCloseness("TIME", "TAME")?.kind).toBe("typo");
    expect(nameCloseness("TIME", "TAMS")).toBeUndefined();
  });
});

describe("editDistance", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("DATABSE_URL", "DATABASE_URL")).toBe(1);
    expect(editDistance("SECERT", "SECRET")).toBe(1);
    expect(editDistance("", "ABC")).toBe(3);
    expect(editDistance("KITTEN", "SITTING")).toBe(3);
  });
});

describe("wellKnownConsumer", () => {
  it("knows image and tool variables, not project ones", () => {
    for (const name of ["POSTGRES_PASSWORD", "PGHOST", "REDIS_PASSWORD", "PYTHONUNBUFFERED", "DJANGO_SETTINGS_MODULE", "TZ", "UWSGI_PROCESSES"]) expect(wellKnownConsumer(name)).toBe(true);
    for (const name of ["HOST", "SITE_HOST", "DJANGO_SECRET", "DATABSE_URL"]) expect(wellKnownConsumer(name)).toBe(false);
  });
});
