/**
 * Differential test: our merged stack against real `docker-compose config` (Debian's
 * docker-compose 1.29.2, which needs no Docker daemon for `config`), on every fixture
 * under fixtures/loaders/compose/.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readSourceText } from "../../src/core/source-file.js";
import { loadComposeStack, type ComposeService } from "../../src/model/compose-stack.js";
import { dotenvValues, parseDotenv } from "../../src/parsers/dotenv.js";
import { toolAvailable } from "../support/tools.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/loaders/compose");

const CASES: { fixture: string; files: string[] }[] = [
  { fixture: "base-override", files: ["docker-compose.yml", "docker-compose.override.yml"] },
  { fixture: "base-override", files: ["docker-compose.yml"] },
  { fixture: "subdir-project", files: ["docker/default.yml", "docker/postgres.override.yml", "docker/nginx.override.yml"] },
  { fixture: "subdir-project", files: ["docker/default.yml"] },
  { fixture: "long-syntax", files: ["compose.yaml"] },
  { fixture: "legacy-v1", files: ["docker-compose.yml"] },
  { fixture: "interpolation", files: ["docker-compose.yml"] },
  { fixture: "extends", files: ["docker-compose.yml"] },
];

const composeAvailable = toolAvailable("docker-compose", ["docker-compose", "version"]);
const pythonAvailable = toolAvailable("python3", ["python3", "--version"]);

/** The comparable essence of one service. */
interface Essence {
  image: string | null;
  command: string[] | null;
  entrypoint: string[] | null;
  environment: Record<string, string | null>;
  volumes: string[];
  ports: string[];
  dependsOn: string[];
  expose: string[];
  build: { context: string; dockerfile: string; args: Record<string, string>; target: string | null } | null;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function runConfig(root: string, projectDir: string, files: string[]): Record<string, Record<string, Json>> {
  const project = join(root, projectDir);
  const result = spawnSync(
    "docker-compose",
    ["--project-directory", project, ...files.flatMap((f) => ["-f", join(root, f)]), "config"],
    { cwd: project, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root" }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`docker-compose config failed: ${result.stderr}`);
  // `config` escapes `$` as `$$` in its output; undo that to compare values.
  const unescape = (v: Json): Json =>
    typeof v === "string" ? v.replace(/\$\$/g, "$") : Array.isArray(v) ? v.map(unescape) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescape(x)])) : v;
  const doc = unescape(parse(result.stdout) as Json) as { services: Record<string, Record<string, Json>> };
  return doc.services;
}

/** Python's own shlex is the oracle for how compose-era tooling splits a command string. */
function shlexSplit(command: string): string[] {
  const out = spawnSync("python3", ["-c", "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))", command], { encoding: "utf8" });
  return JSON.parse(out.stdout) as string[];
}

function splitPorts(hostIp: string, published: string, target: string, protocol: string): string[] {
  const range = (s: string): number[] => {
    if (s === "") return [];
    const [a = "0", b = a] = s.split("-");
    const out: number[] = [];
    for (let p = Number(a); p <= Number(b); p++) out.push(p);
    return out;
  };
  const targets = range(target);
  const published_ = range(published);
  return targets.map((t, i) => `${hostIp}|${published_[i] ?? ""}|${t}|${protocol}`);
}

function normalizeTarget(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function theirEssence(svc: Record<string, Json>): Essence {
  const asCommand = (v: Json | undefined): string[] | null =>
    v === undefined || v === null ? null : Array.isArray(v) ? v.map(String) : shlexSplit(String(v));
  const volumes = ((svc.volumes ?? []) as Json[]).map((v) => {
    if (typeof v === "string") {
      const parts = v.split(":");
      if (parts.length === 1) return `volume||${normalizeTarget(v)}|false`;
      const [source = "", target = "", mode = "rw"] = parts;
      return `${source.startsWith("/") ? "bind" : "volume"}|${source}|${normalizeTarget(target)}|${mode.split(",").includes("ro")}`;
    }
    const m = v as Record<string, Json>;
    return `${String(m.type)}|${String(m.source ?? "")}|${normalizeTarget(String(m.target))}|${m.read_only === true}`;
  });
  const ports = ((svc.ports ?? []) as Json[]).flatMap((p) => {
    if (typeof p === "string" || typeof p === "number") {
      const [spec = "", protocol = "tcp"] = String(p).split("/");
      const parts = spec.split(":");
      const target = parts.pop() ?? "";
      const published = parts.pop() ?? "";
      return splitPorts(parts.join(":"), published, target, protocol);
    }
    const m = p as Record<string, Json>;
    return splitPorts(String(m.external_ip ?? ""), m.published == null ? "" : String(m.published), String(m.target), String(m.protocol ?? "tcp"));
  });
  const env = (svc.environment ?? {}) as Record<string, Json>;
  const build = svc.build as Record<string, Json> | undefined;
  return {
    image: svc.image === undefined ? null : String(svc.image),
    command: asCommand(svc.command),
    entrypoint: asCommand(svc.entrypoint),
    environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? null : String(v)])),
    volumes: volumes.sort(),
    ports: ports.sort(),
    dependsOn: Object.keys((svc.depends_on ?? {}) as Record<string, Json>).sort(),
    expose: ((svc.expose ?? []) as Json[]).map(String).sort(),
    build: build
      ? {
          context: String(build.context),
          dockerfile: resolve(String(build.context), String(build.dockerfile ?? "Dockerfile")),
          args: Object.fromEntries(Object.entries((build.args ?? {}) as Record<string, Json>).map(([k, v]) => [k, String(v)])),
          target: build.target === undefined ? null : String(build.target),
        }
      : null,
  };
}

function ourEssence(svc: ComposeService, root: string): Essence {
  // docker-compose prints env_file variables merged into environment; do the same.
  const environment: Record<string, string | null> = {};
  for (const envFile of svc.envFiles) {
    const text = readFileSync(join(root, envFile.path), "utf8");
    for (const [name, entry] of dotenvValues(parseDotenv(text, envFile.path))) environment[name] = entry.value;
  }
  for (const [name, v] of svc.environment) environment[name] = v.value ?? null;
  const abs = (p: string): string => (p.startsWith("/") ? p : resolve(root, p));
  return {
    image: svc.image?.value ?? null,
    command: svc.command ? svc.command.argv.map((a) => a.value) : null,
    entrypoint: svc.entrypoint ? svc.entrypoint.argv.map((a) => a.value) : null,
    environment,
    volumes: svc.volumes
      .map((m) => `${m.type}|${m.type === "bind" ? abs(m.source ?? "") : (m.source ?? "")}|${m.target}|${m.readOnly}`)
      .sort(),
    ports: svc.ports.flatMap((p) => splitPorts(p.hostIp ?? "", p.published ?? "", p.target, p.protocol)).sort(),
    dependsOn: svc.dependsOn.map((d) => d.value).sort(),
    expose: svc.expose.map((e) => e.value).sort(),
    build: svc.build
      ? {
          context: abs(svc.build.context),
          dockerfile: abs(svc.build.dockerfile),
          args: Object.fromEntries([...svc.build.args].map(([k, v]) => [k, v.value])),
          target: svc.build.target ?? null,
        }
      : null,
  };
}

describe.skipIf(!composeAvailable || !pythonAvailable)("differential: docker-compose 1.29 config", () => {
  for (const { fixture, files } of CASES) {
    it(`${fixture}: ${files.join(" + ")}`, () => {
      const root = join(FIXTURES, fixture);
      const stack = loadComposeStack(files, root, (f) => readSourceText(join(root, f), f));
      expect(stack.problems).toEqual([]);
      const theirs = runConfig(root, stack.projectDir, files);
      expect(stack.services.map((s) => s.name).sort()).toEqual(Object.keys(theirs).sort());
      for (const service of stack.services) {
        const their = theirs[service.name] ?? {};
        expect({ service: service.name, ...ourEssence(service, root) }).toEqual({ service: service.name, ...theirEssence(their) });
      }
      expect(posix.isAbsolute(stack.projectDir)).toBe(false);
    });
  }
});
