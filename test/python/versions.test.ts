import { describe, expect, it } from "vitest";
import { atLeastVersion, compareVersionText, libraryVersion, versionParts } from "../../src/python/libraries/versions.js";

describe("library versions", () => {
  it.each<[string, number[]]>([
    ["0.4.4", [0, 4, 4]],
    ["==0.11.2", [0, 11, 2]],
    ["v1.2", [1, 2]],
    ["0.11.*", [0, 11]],
    ["3.8rc1", [3, 8]],
    ["latest", []],
  ])("versionParts(%s)", (text, parts) => {
    expect(versionParts(text)).toEqual(parts);
  });

  it.each<[string, string, number]>([
    ["0.4.4", "0.4.5", -1],
    ["0.10.0", "0.9.9", 1],
    ["1.2", "1.2.0", 0],
  ])("compare(%s, %s)", (a, b, sign) => {
    expect(Math.sign(compareVersionText(a, b))).toBe(sign);
  });

  it("a missing or unreadable pin means the newest release", () => {
    expect(libraryVersion(undefined, "django-environ")).toBe("0.12.0");
    expect(libraryVersion({ versions: { "django-environ": "latest" } }, "django-environ")).toBe("0.12.0");
    expect(libraryVersion({ versions: { "python-decouple": "3.6" } }, "python-decouple")).toBe("3.6");
    expect(atLeastVersion({ versions: { "python-dotenv": "1.1.0" } }, "python-dotenv", "1.2.0")).toBe(false);
    expect(atLeastVersion({}, "python-dotenv", "1.2.0")).toBe(true);
  });
});
