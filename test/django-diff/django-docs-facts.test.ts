/**
 * What our Django 1.11 … 3.0 model rests on, checked against Django's own documentation as
 * Debian ships it (python-django-doc: the check reference and the release notes of every
 * release, 1.11 … 3.2): each sentence below is quoted from those files, and each is paired
 * with the model's answer it justifies. A Django doc that said otherwise fails the test.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { djangoDefault } from "../../src/model/django-settings.js";
import type { DjangoVersion } from "../../src/model/django-version.js";
import { pyRepr } from "../../src/python/values.js";
import { ALL_RULES } from "../../rules/index.js";
import { toolAvailable } from "../support/tools.js";

const DOCS = "/usr/share/doc/python-django-doc/html";
const available = toolAvailable("python-django-doc", ["test", "-f", `${DOCS}/ref/checks.html`]);

/** The page as plain text: tags dropped, entities decoded, whitespace collapsed, typographic quotes made plain. */
function page(path: string): string {
  const html = readFileSync(`${DOCS}/${path}`, "utf8");
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ");
}

/** Asserts that `text` says `sentence` (a string or a pattern) without printing the whole page on failure. */
function says(text: string, sentence: string | RegExp): void {
  const found = typeof sentence === "string" ? text.includes(sentence) : sentence.test(text);
  expect(found, `the page does not say ${String(sentence)}`).toBe(true);
}

const v = (major: number, minor: number): DjangoVersion => ({ major, minor });
const def = (version: DjangoVersion, name: string) => {
  const d = djangoDefault(version, name);
  return d === undefined ? undefined : pyRepr(d);
};
const ruleFor = (djangoId: string) => ALL_RULES.find((r) => r.django === djangoId);

describe.skipIf(!available || !existsSync(`${DOCS}/releases/1.11.html`))("Django's docs (Debian python-django-doc) back the 1.11 … 3.0 model", () => {
  it("security.W007 exists until 2.2: the check reference says 3.0 removed it; our rule runs only before 3.0", () => {
    says(page("ref/checks.html"), /security\.W007: Your SECURE_BROWSER_XSS_FILTER setting is not set to True.*?This check is removed in Django 3\.0/);
    expect(ruleFor("security.W007")?.id).toBe("django/browser-xss-filter");
    expect(def(v(2, 2), "SECURE_BROWSER_XSS_FILTER")).toBe("False");
  });

  it("security.W017 (CSRF_COOKIE_HTTPONLY) went in 1.11: no rule reports it", () => {
    says(page("ref/checks.html"), /security\.W017: CSRF_COOKIE_HTTPONLY is not set to True.*?This check is removed in Django 1\.11/);
    expect(ruleFor("security.W017")).toBeUndefined();
  });

  it("1.11 added SECURE_HSTS_PRELOAD (W021) and CSRF_USE_SESSIONS (W016 passes with it)", () => {
    const notes = page("releases/1.11.html");
    says(notes, "Added the SECURE_HSTS_PRELOAD setting");
    says(notes, "Added the CSRF_USE_SESSIONS setting");
    expect(def(v(1, 11), "SECURE_HSTS_PRELOAD")).toBe("False");
    expect(def(v(1, 11), "CSRF_USE_SESSIONS")).toBe("False");
  });

  it("2.0 removed MIDDLEWARE_CLASSES: modelled up to 1.11 only", () => {
    says(page("releases/2.0.html"), "MIDDLEWARE_CLASSES is removed");
    expect(def(v(1, 11), "MIDDLEWARE")).toBe("None");
    expect(def(v(1, 11), "MIDDLEWARE_CLASSES")).not.toBeUndefined();
    expect(def(v(2, 0), "MIDDLEWARE_CLASSES")).toBeUndefined();
  });

  it("3.0 made X_FRAME_OPTIONS 'DENY' and SECURE_CONTENT_TYPE_NOSNIFF True by default", () => {
    const notes = page("releases/3.0.html");
    says(notes, "In older versions, the X_FRAME_OPTIONS setting defaults to 'SAMEORIGIN'");
    says(notes, "SECURE_CONTENT_TYPE_NOSNIFF now defaults to True");
    expect([def(v(2, 2), "X_FRAME_OPTIONS"), def(v(3, 0), "X_FRAME_OPTIONS")]).toEqual(["'SAMEORIGIN'", "'DENY'"]);
    expect([def(v(2, 2), "SECURE_CONTENT_TYPE_NOSNIFF"), def(v(3, 0), "SECURE_CONTENT_TYPE_NOSNIFF")]).toEqual(["False", "True"]);
  });

  it("3.0 added SECURE_REFERRER_POLICY (W022, E023); 3.1 made 'same-origin' its default", () => {
    says(page("releases/3.0.html"), "SecurityMiddleware can now send the Referrer-Policy header");
    says(page("releases/3.1.html"), "The SECURE_REFERRER_POLICY setting now defaults to 'same-origin'");
    expect(def(v(2, 2), "SECURE_REFERRER_POLICY")).toBeUndefined();
    expect(def(v(3, 0), "SECURE_REFERRER_POLICY")).toBe("None");
    expect(def(v(3, 1), "SECURE_REFERRER_POLICY")).toBe("'same-origin'");
  });
});
