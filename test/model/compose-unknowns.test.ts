import { describe, expect, it } from "vitest";
import { model } from "./helpers.js";

const compose = "services:\n  web:\n    image: app:${TAG:?set TAG in .env}\n";

describe("compose variables the checkout cannot know", () => {
  it("a required variable is unknown, not an error, when the project's .env is absent (git-ignored)", () => {
    expect(model({ "docker-compose.yml": compose }).problems).toEqual([]);
  });

  it("a required variable missing from the project's .env is an error, as compose would say", () => {
    expect(model({ "docker-compose.yml": compose, ".env": "OTHER=1\n" }).problems.map((p) => [p.range.file, p.range.line, p.message])).toEqual([
      ["docker-compose.yml", 3, "required variable TAG is missing a value: set TAG in .env"],
    ]);
  });
});
