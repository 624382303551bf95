import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printableModel } from "../../src/model/print-model.js";
import { fixturePath, lintFixture } from "../support/fixtures.js";
import { model } from "./helpers.js";

/** The values of a dotenv file, read with the real dotenv package (the oracle). */
async function dotenvValues(path: string): Promise<Record<string, string>> {
  const dotenv = await import("dotenv");
  return dotenv.parse(readFileSync(path, "utf8"));
}

/** Every run of `n` characters of a secret: none of them may appear in the output. */
function windows(secret: string, n = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= secret.length; i++) out.push(secret.slice(i, i + n));
  return out;
}

describe("printableModel of fixtures/projects/seed-skeleton", () => {
  it("contains no secret of its .env, masked or not, but STATIC_ROOT and the settings module in clear", async () => {
    const path = fixturePath("projects/seed-skeleton/.env");
    const env = await dotenvValues(path);
    // dotenv ends an unquoted value at `#`: the key the model reads is "q8v"; the rest of the line must not leak either.
    const secretKey = env.SECRET_KEY ?? "";
    const secretLine = /^SECRET_KEY=(.*)$/m.exec(readFileSync(path, "utf8"))?.[1] ?? "";
    const dbPassword = env.POSTGRES_PASSWORD ?? "";
    expect(secretKey).toBe("q8v");
    expect(secretLine.length).toBe(67);
    expect(dbPassword.length).toBe(20);

    const { result } = lintFixture("projects/seed-skeleton");
    const json = JSON.stringify(printableModel(result.model));
    for (const secret of [secretKey, secretLine, dbPassword]) {
      expect(json).not.toContain(secret);
      for (const part of windows(secret)) expect(json).not.toContain(part);
    }
    expect(json).toContain('"/code/django_prod_skeleton/static"');
    expect(json).toContain('"django_prod_skeleton.settings.prod"');
  });

  it("shows the masked forms where the secrets are used", () => {
    const { result } = lintFixture("projects/seed-skeleton");
    const printed = printableModel(result.model) as {
      stacks: { services: { name: string; environment: { values: Record<string, { value: string | null; source: string; at: string }> }; django: unknown }[] }[];
    };
    const services = printed.stacks[0]?.services ?? [];
    const web = services.find((s) => s.name === "web");
    const db = services.find((s) => s.name === "db");
    expect(web?.environment.values.SECRET_KEY).toEqual({ value: "q8…(67 chars)", source: "env-file", at: ".env:2:1" });
    expect(web?.environment.values.POSTGRES_PASSWORD).toEqual({ value: "Zr…(20 chars)", source: "env-file", at: ".env:6:1" });
    expect(web?.environment.values.ADMIN_EMAIL?.value).toBe("admin@your-website.com");
    expect(db?.environment.values.POSTGRES_PASSWORD).toEqual({ value: "Zr…(20 chars)", source: "compose-environment", at: "docker-compose.yml:10:9" });
    expect(web?.django).toMatchObject({
      settingsModule: { module: "django_prod_skeleton.settings.prod", source: "compose" },
      settings: {
        SECRET_KEY: { value: "q8…(67 chars)", at: "django_prod_skeleton/django_prod_skeleton/settings/prod.py:8:1" },
        STATIC_ROOT: { value: "/code/django_prod_skeleton/static" },
        DATABASES: { value: { default: { PASSWORD: "Zr…(20 chars)", HOST: "db", PORT: 5432 } } },
      },
    });
  });
});

describe("printableModel masking", () => {
  const SECRET = "django-insecure-7h1s-1s-n0t-a-r3al-k3y-at-all-okay";
  const m = model({
    Dockerfile: 'FROM python:3.12\nWORKDIR /code\nENV DJANGO_SETTINGS_MODULE=proj.settings\nCMD ["gunicorn", "proj.wsgi", "-b", ":8000"]\n',
    "proj/settings.py":
      `SECRET_KEY = "${SECRET}"\n` +
      'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "dbpassword-9876", "OPTIONS": {"url": "postgres://app:urlpass99@db/app"}}}\n' +
      'API_TOKENS = ["first-api-key-000001", "second-api-key-00002"]\n' +
      'CACHE_URL = "redis://:cachepass77@redis:6379/0"\n',
    "docker-compose.yml":
      "services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n    command: gunicorn proj.wsgi -b :8000 -e DATABASE_URL=postgres://u:cmdpass55@db/x\n    environment:\n      DATABASE_URL: postgres://app:envpass44@db/app\n      EMAIL_HOST_PASSWORD: mailpass\n",
  });
  const json = JSON.stringify(printableModel(m));

  it.each([SECRET, "dbpassword-9876", "urlpass99", "first-api-key", "second-api-key", "cachepass77", "cmdpass55", "envpass44", "mailpass"])("never prints %s", (secret) => {
    expect(json).not.toContain(secret);
  });

  it("masks by name in settings (also inside dicts and lists) and URL passwords anywhere", () => {
    const printed = printableModel(m) as { stacks: { services: { command: string[]; environment: { values: Record<string, { value: string | null }> }; django: { settings: Record<string, { value: unknown }> } }[] }[] };
    const web = printed.stacks[0]?.services[0];
    expect(web?.django.settings.SECRET_KEY?.value).toBe("dj…(50 chars)");
    expect(web?.django.settings.DATABASES?.value).toEqual({
      default: { ENGINE: "django.db.backends.postgresql", PASSWORD: "…(15 chars)", OPTIONS: { url: "postgres://app:…(9 chars)@db/app" } },
    });
    expect(web?.django.settings.API_TOKENS?.value).toEqual(["fi…(20 chars)", "se…(20 chars)"]);
    expect(web?.django.settings.CACHE_URL?.value).toBe("redis://:…(11 chars)@redis:6379/0");
    expect(web?.command).toEqual(["gunicorn", "proj.wsgi", "-b", ":8000", "-e", "DATABASE_URL=postgres://u:…(9 chars)@db/x"]);
    expect(web?.environment.values.DATABASE_URL?.value).toBe("postgres://app:…(9 chars)@db/app");
    expect(web?.environment.values.EMAIL_HOST_PASSWORD?.value).toBe("…(8 chars)");
  });
});
