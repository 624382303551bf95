import { describe, expect, it } from "vitest";
import { envLookup } from "../../src/model/service-environment.js";
import { model, r, service } from "./helpers.js";

const DOCKERFILE = 'FROM python:3.12\nENV A=docker B=docker C=docker D=docker E=docker\nWORKDIR /code\nCMD ["uwsgi", "--ini", "/code/uwsgi.ini"]\n';
const UWSGI = "[uwsgi]\nsocket = :3031\nenv = B=uwsgi\nenv = C=uwsgi\nenv = D=uwsgi\n";

function compose(envFiles: string, environment = "      - E=compose\n      - PASS\n"): string {
  return `services:\n  web:\n    build: .\n    volumes:\n      - .:/code\n    env_file:\n${envFiles}    environment:\n${environment}`;
}

describe("buildServiceEnvironment (through the model builder)", () => {
  it("precedence: Dockerfile ENV < uWSGI env < env_file (later files win) < compose environment", () => {
    const m = model({
      Dockerfile: DOCKERFILE,
      "uwsgi.ini": UWSGI,
      ".env.base": "C=file1\nD=file1\n",
      ".env.override": "D=file2\n",
      "docker-compose.yml": compose("      - .env.base\n      - .env.override\n"),
    });
    const env = service(m, "web").environment;
    expect([...env.values.values()]).toEqual([
      { name: "A", value: "docker", source: "dockerfile-env", range: r("Dockerfile", 2, 5, 2, 13) },
      { name: "B", value: "uwsgi", source: "uwsgi-env", range: r("uwsgi.ini", 3, 7, 3, 14) },
      { name: "C", value: "file1", source: "env-file", range: r(".env.base", 1, 1, 1, 8) },
      { name: "D", value: "file2", source: "env-file", range: r(".env.override", 1, 1, 1, 8) },
      { name: "E", value: "compose", source: "compose-environment", range: r("docker-compose.yml", 10, 9, 10, 18) },
      // `- PASS`: set from the shell at run time; the repository does not say to what.
      { name: "PASS", value: undefined, source: "compose-environment", range: r("docker-compose.yml", 11, 9, 11, 13) },
    ]);
    expect(env.complete).toBe(true);
    expect(env.missingEnvFiles).toEqual([]);
    expect(envLookup(env)("D")).toBe("file2");
    expect(envLookup(env)("PASS")).toBeUndefined();
    expect(envLookup(env)("NOPE")).toBeUndefined();
  });

  it("a value interpolated from a variable nothing sets is unknown; a default makes it known", () => {
    const m = model({
      Dockerfile: DOCKERFILE,
      "uwsgi.ini": UWSGI,
      "docker-compose.yml": compose("      - .env.none\n", "      X: ${NOT_SET}\n      Y: ${NOT_SET:-fallback}\n"),
    });
    const env = service(m, "web").environment;
    expect(env.values.get("X")).toMatchObject({ value: undefined, source: "compose-environment" });
    expect(env.values.get("Y")).toMatchObject({ value: "fallback", source: "compose-environment" });
  });

  it("a required env_file missing from the checkout: environment incomplete, file listed", () => {
    const m = model({ Dockerfile: DOCKERFILE, "uwsgi.ini": UWSGI, "docker-compose.yml": compose("      - .env.prod\n") });
    const env = service(m, "web").environment;
    expect(env.complete).toBe(false);
    expect(env.missingEnvFiles).toEqual([{ path: ".env.prod", range: r("docker-compose.yml", 7, 9, 7, 18) }]);
    // The others still hold.
    expect(env.values.get("B")?.value).toBe("uwsgi");
  });

  it("an optional env_file (required: false) that is missing keeps the environment complete, and is still listed", () => {
    const m = model({
      Dockerfile: DOCKERFILE,
      "uwsgi.ini": UWSGI,
      ".env.base": "C=file1\n",
      "docker-compose.yml": compose("      - .env.base\n      - path: .env.local\n        required: false\n"),
    });
    const env = service(m, "web").environment;
    expect(env.complete).toBe(true);
    expect(env.missingEnvFiles.map((f) => [f.path, f.range.line, f.range.column])).toEqual([[".env.local", 8, 9]]);
    expect(env.values.get("C")?.value).toBe("file1");
  });

  it("a service without an image build has only what compose gives it", () => {
    const m = model({ "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: app\n" });
    const env = service(m, "db").environment;
    expect([...env.values.values()]).toEqual([{ name: "POSTGRES_DB", value: "app", source: "compose-environment", range: r("docker-compose.yml", 5, 7, 5, 23) }]);
    expect(env.complete).toBe(true);
  });
});
