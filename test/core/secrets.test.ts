import { describe, expect, it } from "vitest";
import { hasUrlCredentials, isSecretName, isSecretVariable, maskSecret, maskUrlCredentials, printableValue } from "../../src/core/secrets.js";

describe("isSecretName", () => {
  it.each<[string, boolean]>([
    ["SECRET_KEY", true],
    ["FERNET_KEYS", true],
    ["API_KEYS", true],
    ["DJANGO_SECRET_KEY", true],
    ["secret_key", true],
    ["POSTGRES_PASSWORD", true],
    ["EMAIL_HOST_PASSWORD", true],
    ["DB_PASS", true],
    ["MYSQL_PASSWD", true],
    ["MY_PWD", true],
    ["API_KEY", true],
    ["STRIPE_APIKEY", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["GITHUB_TOKEN", true],
    ["SENTRY_DSN", true],
    ["PRIVATE_KEY_PATH", true],
    ["GOOGLE_APPLICATION_CREDENTIALS", true],
    ["HASH_SALT", true],
    ["KEY", true],
    ["DEBUG", false],
    ["ALLOWED_HOSTS", false],
    ["DATABASE_URL", false],
    ["STATIC_ROOT", false],
    ["PASSPORT_ISSUER", false],
    ["KEYBOARD_LAYOUT", false],
    ["MONKEY_PATCH", false],
    ["CSRF_COOKIE_SECURE", false],
    ["OLDPWD", false],
  ])("%s → %s", (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });
});

describe("isSecretVariable (what leak rules count as a secret)", () => {
  it.each<[string, boolean]>([
    ["SECRET_KEY", true],
    ["DB_PASS", true],
    ["GOOGLE_CLIENT_SECRET", true],
    ["SSH_PRIVATE_KEY_PATH", false],
    ["POSTGRES_PASSWORD_FILE", false],
    ["PASSWORD_RESET_TIMEOUT", false],
    ["AUTH_PASSWORD_VALIDATORS", false],
    ["DEBUG", false],
    // nginx targets handed through the environment (DefectDojo's DD_UWSGI_PASS=uwsgi_server).
    ["DD_UWSGI_PASS", false],
    ["NGINX_PROXY_PASS", false],
  ])("%s → %s", (name, expected) => {
    expect(isSecretVariable(name)).toBe(expected);
  });
});

describe("hasUrlCredentials", () => {
  it("finds a password in a URL, not a user alone", () => {
    expect(hasUrlCredentials("postgres://app:pw@db/app")).toBe(true);
    expect(hasUrlCredentials("redis://cache:6379/0")).toBe(false);
    expect(hasUrlCredentials("postgres://app@db/app")).toBe(false);
  });
});

describe("maskSecret", () => {
  it.each<[string, string]>([
    ["", ""],
    ["a", "…(1 chars)"],
    ["hunter2", "…(7 chars)"],
    ["fifteen-chars!!", "…(15 chars)"],
    ["sixteen-chars!!!", "si…(16 chars)"],
    ["django-insecure-0123456789abcdefghijklmnopqrstuvwx", "dj…(50 chars)"],
  ])("%j → %j", (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});

describe("maskUrlCredentials", () => {
  it.each<[string, string]>([
    ["postgres://user:pass@db/x", "postgres://user:…(4 chars)@db/x"],
    ["postgres://app:p@ssw0rd@db/app", "postgres://app:…(8 chars)@db/app"],
    ["redis://:cachepassword-1234@redis:6379/0", "redis://:ca…(18 chars)@redis:6379/0"],
    ["postgresql+psycopg://app:s3cret@db:5432/app?sslmode=require", "postgresql+psycopg://app:…(6 chars)@db:5432/app?sslmode=require"],
    ["mysql://root:pw@h/db and amqp://guest:guest@rabbit//", "mysql://root:…(2 chars)@h/db and amqp://guest:…(5 chars)@rabbit//"],
    ["postgres://user@db/x", "postgres://user@db/x"],
    ["http://example.com:8000/path", "http://example.com:8000/path"],
    ["no url at all", "no url at all"],
  ])("%j → %j", (text, masked) => {
    expect(maskUrlCredentials(text)).toBe(masked);
  });
});

describe("printableValue", () => {
  it("masks the whole value under a secret name, only URL passwords under other names", () => {
    expect(printableValue("SECRET_KEY", "postgres://u:pw@db/x")).toBe("po…(20 chars)");
    expect(printableValue("DATABASE_URL", "postgres://u:pw@db/x")).toBe("postgres://u:…(2 chars)@db/x");
    expect(printableValue("DEBUG", "False")).toBe("False");
  });
});
