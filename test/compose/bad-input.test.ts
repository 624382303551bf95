import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseComposeFile } from "../../src/parsers/compose-file.js";
import { toolAvailable } from "../support/tools.js";

const FILE = "c.yml";

/** [line, column, endLine, endColumn, message] of every problem. */
function problems(text: string, env: Record<string, string> = {}) {
  const data = parseComposeFile(FILE, text, new Map(Object.entries(env)));
  return data.problems.map((p) => [p.range.line, p.range.column, p.range.endLine, p.range.endColumn, p.message]);
}

describe("broken YAML and wrong shapes", () => {
  it("reports YAML syntax errors at their place and still reads what it can", () => {
    const text = "services:\n  web:\n    image: [unclosed\n  db:\n    image: pg\n";
    expect(problems(text)).toEqual([
      [3, 12, 4, 3, "services.web.image must be a string, not a list"],
      [4, 3, 4, 4, "YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ]);
    const data = parseComposeFile(FILE, text, new Map());
    expect(data.services.map((s) => [s.name, s.image?.value])).toEqual([
      ["web", undefined],
      ["db", "pg"],
    ]);
  });

  it("reports tab indentation", () => {
    expect(problems("services:\n\tweb:\n    image: x\n")).toEqual([[2, 1, 2, 2, "YAML: Tabs are not allowed as indentation"]]);
  });

  it.each([
    ["- a\n- b\n", [1, 1, 3, 1, "the top level of a compose file must be a mapping, not a list"]],
    ["just text\n", [1, 1, 1, 10, 'the top level of a compose file must be a mapping, not the string "just text"']],
    ["", [1, 1, 1, 1, "compose file is empty"]],
    ["# only a comment\n", [1, 1, 1, 1, "compose file is empty"]],
    ["services:\n  - web\n", [2, 3, 3, 1, "services must be a mapping, not a list"]],
    ["services: 3\n", [1, 11, 1, 12, "services must be a mapping, not the number 3"]],
    ["services: {}\nvolumes: [a]\n", [2, 10, 2, 13, "volumes must be a mapping, not a list"]],
  ])("rejects the root %j", (text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  it("skips a service that is not a mapping and keeps the others", () => {
    const data = parseComposeFile(FILE, "services:\n  web: nginx\n  db:\n    image: pg\n", new Map());
    expect(data.problems.map((p) => [p.range.line, p.range.column, p.message])).toEqual([[2, 8, 'services.web must be a mapping, not the string "nginx"']]);
    expect(data.services.map((s) => s.name)).toEqual(["db"]);
  });

  it("reports fields of the wrong type and keeps the rest of the service", () => {
    const text = [
      "services:",
      "  web:",
      "    ports: 8000",
      "    environment: 5",
      "    volumes: /data",
      "    command: {a: 1}",
      "    depends_on: db",
      "    networks: front",
      "    build: [a]",
      "    healthcheck: yes-please",
      "    image: nginx",
      "",
    ].join("\n");
    expect(problems(text)).toEqual([
      [3, 12, 3, 16, "services.web.ports must be a list, not the number 8000"],
      [4, 18, 4, 19, "services.web.environment must be a mapping or a list, not the number 5"],
      [5, 14, 5, 19, 'services.web.volumes must be a list, not the string "/data"'],
      [6, 14, 6, 20, "services.web.command must be a string, not a mapping"],
      [7, 17, 7, 19, 'services.web.depends_on must be a list, not the string "db"'],
      [8, 15, 8, 20, 'services.web.networks must be a list or a mapping, not the string "front"'],
      [9, 12, 9, 15, "services.web.build must be a string or a mapping, not a list"],
      [10, 18, 10, 28, 'services.web.healthcheck must be a mapping, not the string "yes-please"'],
    ]);
    const data = parseComposeFile(FILE, text, new Map());
    expect(data.services[0]?.image?.value).toBe("nginx");
    expect(data.services[0]?.ports).toEqual([]);
  });

  it("reports bad ports and volumes one by one", () => {
    const text = [
      "services:",
      "  web:",
      "    ports:",
      `      - "80:http"`,
      "      - {published: 80}",
      "      - [1]",
      "      - 8000:8000",
      "    volumes:",
      "      - a:b:c:d",
      "      - {type: bind, target: /x}",
      "      - {type: weird, target: /x}",
      "      - {source: data, target: /y}",
      "      - {type: tmpfs, source: x, target: /z}",
      "      - :/nothing",
      "      - {type: volume}",
      "",
    ].join("\n");
    expect(problems(text)).toEqual([
      [4, 9, 4, 18, 'services.web.ports[0]: invalid port "80:http", should be [[ip:]published:]target[/protocol]'],
      [5, 9, 5, 24, "services.web.ports[1].target is required"],
      [6, 9, 6, 12, "services.web.ports[2] must be a string, not a list"],
      [9, 9, 9, 16, 'services.web.volumes[0]: volume "a:b:c:d" has incorrect format, should be [source:]target[:mode]'],
      [10, 9, 10, 33, "services.web.volumes[1].source is required for a bind mount"],
      [11, 16, 11, 21, 'services.web.volumes[2].type must be one of bind, volume, tmpfs, npipe, cluster, image, not "weird"'],
      [12, 9, 12, 35, "services.web.volumes[3].type is required"],
      [13, 31, 13, 32, "services.web.volumes[4]: tmpfs mounts can not specify a source"],
      [14, 9, 14, 18, 'services.web.volumes[5]: volume ":/nothing" has incorrect format, should be [source:]target[:mode]'],
      [15, 9, 15, 23, "services.web.volumes[6].target is required"],
    ]);
    const web = parseComposeFile(FILE, text, new Map()).services[0]!;
    // YAML 1.2 reads an unquoted 8000:8000 as a string, as compose v2 does.
    expect(web.ports?.map((p) => `${p.published}:${p.target}`)).toEqual(["8000:8000"]);
    expect(web.volumes?.map((v) => `${v.type} ${v.source} ${v.target}`)).toEqual(["volume data /y", "tmpfs undefined /z"]);
  });

  it("is silent when a volume or port is malformed only because a variable has no value here (a wrapper sets it at deploy)", () => {
    expect(problems("services:\n  web:\n    volumes: ['${SETTINGS}:/app/settings.py']\n    ports: ['${HOST_PORT}:${PORT}']\n", {})).toEqual([]);
    expect(problems("services:\n  web:\n    volumes: ['::/app']\n    ports: ['a:b']\n", {})).toEqual([
      [3, 15, 3, 23, 'services.web.volumes[0]: volume "::/app" has incorrect format, should be [source:]target[:mode]'],
      [4, 13, 4, 18, 'services.web.ports[0]: invalid port "a:b", should be [[ip:]published:]target[/protocol]'],
    ]);
  });

  it("reports environment names with whitespace or no name", () => {
    expect(problems('services:\n  web:\n    environment:\n      - "A B=1"\n      - =x\n')).toEqual([
      [4, 9, 4, 16, "services.web.environment: variable name 'A B' may not be empty or contain whitespace"],
      [5, 9, 5, 11, "services.web.environment: variable name '' may not be empty or contain whitespace"],
    ]);
  });

  it("reports non-string mapping keys", () => {
    expect(problems("services:\n  web:\n    environment:\n      [a]: 1\n")).toEqual([[4, 7, 4, 10, "services.web.environment: mapping keys must be strings"]]);
  });

  it("reports duplicate keys and a second document like YAML does", () => {
    expect(problems("services:\n  web:\n    image: a\n    image: b\n")).toEqual([
      [4, 5, 4, 10, "services.web: duplicate key 'image' (first at line 3): docker compose v2 refuses the file; keep one of them"],
    ]);
    expect(problems("services:\n  web:\n    image: a\n---\nservices: {}\n")).toEqual([
      [4, 1, 6, 1, "YAML: Source contains multiple documents; please use YAML.parseAllDocuments()"],
    ]);
  });

  it("reports every duplicate key at its repeat, naming the first, like compose v2 (go-yaml)", () => {
    // `services:` twice at the top level
    expect(problems("services:\n  web:\n    image: a\nservices:\n  db:\n    image: b\n")).toEqual([
      [4, 1, 4, 9, "duplicate key 'services' (first at line 1): docker compose v2 refuses the file; keep one of them"],
    ]);
    // a service defined twice
    expect(problems("services:\n  web:\n    image: a\n  web:\n    image: b\n")).toEqual([
      [4, 3, 4, 6, "services: duplicate key 'web' (first at line 2): docker compose v2 refuses the file; keep one of them"],
    ]);
    // `environment:` twice, a variable three times in the mapping form, a flow mapping
    const env = 'services:\n  web:\n    image: a\n    environment:\n      - A=1\n    environment:\n      A: "1"\n      A: "2"\n      A: "3"\n    labels: {a: "1", a: "2"}\n';
    expect(problems(env)).toEqual([
      [6, 5, 6, 16, "services.web: duplicate key 'environment' (first at line 4): docker compose v2 refuses the file; keep one of them"],
      [8, 7, 8, 8, "services.web.environment: duplicate key 'A' (first at line 7): docker compose v2 refuses the file; keep one of them"],
      [9, 7, 9, 8, "services.web.environment: duplicate key 'A' (first at line 7): docker compose v2 refuses the file; keep one of them"],
      [10, 22, 10, 23, "services.web.labels: duplicate key 'a' (first at line 10): docker compose v2 refuses the file; keep one of them"],
    ]);
  });

  it("compares keys by their written text like go-yaml, `<<` included", () => {
    // `"1"` and `1` are the same key for go-yaml; `01` is another (the yaml package compares 1 and 01 as numbers).
    expect(problems('services:\n  web:\n    image: a\n    labels:\n      "1": x\n      1: y\n      01: z\n')).toEqual([
      [6, 7, 6, 8, "services.web.labels: duplicate key '1' (first at line 5): docker compose v2 refuses the file; keep one of them"],
    ]);
    // two `<<` merges in one mapping (the yaml package accepts them; compose v2 does not)
    expect(problems("x-a: &x\n  image: a\nx-b: &y\n  command: c\nservices:\n  web:\n    <<: *x\n    <<: *y\n")).toEqual([
      [8, 5, 8, 7, "services.web: duplicate key '<<' (first at line 7): docker compose v2 refuses the file; write one `<<: [*a, *b]` to merge several anchors"],
    ]);
    // an anchored mapping with a duplicate is reported once, where it is written
    expect(problems("x-a: &x\n  image: a\n  image: b\nservices:\n  web: *x\n  db: *x\n")).toEqual([
      [3, 3, 3, 8, "x-a: duplicate key 'image' (first at line 2): docker compose v2 refuses the file; keep one of them"],
    ]);
    // the same key in different mappings is fine
    expect(problems("services:\n  web:\n    image: a\n  db:\n    image: b\n")).toEqual([]);
  });

  it.skipIf(!toolAvailable("docker-compose", ["docker-compose", "version"]))(
    "says 'compose v2' because docker-compose 1.29 accepts duplicate keys and keeps the last one",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "dpl-dupkeys-"));
      try {
        const cases: [string, (config: { services: Record<string, Record<string, unknown>> }) => unknown, unknown][] = [
          ["services:\n  web:\n    image: a\nservices:\n  db:\n    image: b\n", (c) => Object.keys(c.services), ["db"]],
          ["services:\n  web:\n    image: a\n  web:\n    image: b\n", (c) => c.services.web?.image, "b"],
          ['services:\n  web:\n    image: a\n    environment:\n      A: "1"\n      A: "2"\n', (c) => c.services.web?.environment, { A: "2" }],
          ['services:\n  web:\n    image: a\n    environment:\n      - A=1\n    environment:\n      B: "2"\n', (c) => c.services.web?.environment, { B: "2" }],
        ];
        for (const [text, pick, expected] of cases) {
          expect(problems(text)).toHaveLength(1); // we report it...
          const file = join(dir, "docker-compose.yml");
          writeFileSync(file, text);
          const run = spawnSync("docker-compose", ["-f", file, "config"], { cwd: dir, encoding: "utf8" });
          expect(run.status, run.stderr).toBe(0); // ...1.29 silently keeps the last
          expect(pick(parse(run.stdout) as { services: Record<string, Record<string, unknown>> })).toEqual(expected);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("reports a `<<` merge of something that is not a mapping", () => {
    expect(problems("x: &x [1]\nservices:\n  web:\n    <<: *x\n")).toEqual([[1, 8, 1, 9, "services.web: a << merge key needs a mapping or a list of mappings"]]);
    expect(problems("x: &x text\nservices:\n  web:\n    <<: *x\n")).toEqual([[1, 7, 1, 11, "services.web: a << merge key needs a mapping or a list of mappings"]]);
  });

  it("reports a `<<` merge that includes itself instead of looping", () => {
    const data = parseComposeFile(FILE, "x: &a\n  image: app\n  <<: *a\nservices:\n  web: *a\n", new Map());
    expect(data.problems.map((p) => [p.range.line, p.range.column, p.message])).toEqual([[3, 3, "services.web: a << merge key that includes itself"]]);
    expect(data.services[0]?.image?.value).toBe("app");
  });

  it("reports a non-boolean where compose wants a boolean", () => {
    expect(problems("services:\n  web:\n    volumes:\n      - {type: bind, source: ., target: /x, read_only: maybe}\n")).toEqual([
      [4, 56, 4, 61, 'services.web.volumes[0].read_only must be a boolean, not "maybe"'],
    ]);
  });
});

describe("interpolation problems", () => {
  it("reports a missing required variable, an invalid `$` and an unsplittable command, in file order", () => {
    const text = 'services:\n  web:\n    command: echo "unclosed\n    labels:\n      a: "$1"\n    image: ${TAG:?tag is required}\n';
    expect(problems(text)).toEqual([
      [3, 14, 3, 28, "services.web.command: cannot split the command into words: No closing quotation"],
      [5, 11, 5, 13, 'invalid interpolation format for services.web.labels.a: "$1"; you may need to escape any $ with another $'],
      [6, 12, 6, 35, "required variable TAG is missing a value: tag is required"],
    ]);
    expect(problems(text, { TAG: "1" })).toHaveLength(2);
  });

  it("reports an interpolation error once even when the scalar is read twice through an alias", () => {
    const text = "x-img: &img ${A:?}\nservices:\n  web: {image: *img}\n  db: {image: *img}\n";
    expect(problems(text)).toEqual([[1, 13, 1, 19, "required variable A is missing a value"]]);
  });

  it("reports interpolation errors in options it does not model, and in top-level volumes", () => {
    expect(problems("services:\n  web:\n    restart: ${R:?}\nvolumes:\n  v:\n    name: ${N?no name}\n")).toEqual([
      [3, 14, 3, 20, "required variable R is missing a value"],
      [6, 11, 6, 23, "required variable N is missing a value: no name"],
    ]);
  });

  it("does not interpolate keys or x- extensions", () => {
    expect(problems("x-note: cost $1\nservices:\n  web:\n    environment:\n      $WEIRD_KEY: 1\n")).toEqual([]);
  });
});

describe("hostile input", () => {
  it("survives a billion-laughs alias bomb quickly, with bounded problems", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const text = `${levels.join("\n")}\nservices:\n  web:\n    image: x\n    environment: *i\n    command: *i\n    ports: *i\nvolumes: *i\n`;
    const started = performance.now();
    const data = parseComposeFile(FILE, text, new Map());
    expect(performance.now() - started).toBeLessThan(2000);
    expect(data.services.map((s) => s.name)).toEqual(["web"]);
    expect(data.problems.length).toBeLessThanOrEqual(101);
    expect(data.problems.at(-1)?.message).toBe("volumes must be a mapping, not a list");
  });

  it("stops resolving after 10000 aliases and says so once", () => {
    const text = `x: &a A=1\nservices:\n  web:\n    environment:\n${"      - *a\n".repeat(10_005)}`;
    const data = parseComposeFile(FILE, text, new Map());
    expect(data.problems).toEqual([
      { range: { file: FILE, line: 10_005, column: 9, endLine: 10_005, endColumn: 11 }, message: "too many YAML aliases (more than 10000); the rest are ignored" },
    ]);
    expect(data.services[0]?.environment?.get("A")?.value).toBe("1");
  });

  it("lists at most 100 problems and then says that it stopped", () => {
    const text = `services:\n  web:\n    ports:\n${"      - bad\n".repeat(150)}`;
    const list = problems(text);
    expect(list).toHaveLength(101);
    expect(list[99]).toEqual([103, 9, 103, 12, 'services.web.ports[99]: invalid port "bad", should be [[ip:]published:]target[/protocol]']);
    expect(list[100]).toEqual([104, 9, 104, 12, "more than 100 problems; the rest are not reported"]);
  });

  it("never throws on truncated or mutated fixtures, and every problem lies inside the file", () => {
    const root = resolve(import.meta.dirname, "../../fixtures/loaders/compose");
    const sources = [
      "base-override/docker-compose.yml",
      "base-override/docker-compose.override.yml",
      "long-syntax/compose.yaml",
      "subdir-project/docker/default.yml",
      "interpolation/docker-compose.yml",
    ].map((f) => readFileSync(join(root, f), "utf8"));
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const noise = ["\t", ":", "-", "[", "{", "&a", "*a", "<<", '"', "'", "$", "${", "\n", "  ", "#", "|", ">", "?", "!!int", "\u00e9", "\r"];
    let runs = 0;
    for (const source of sources) {
      for (let cut = 0; cut <= source.length; cut += 7) {
        const variants = [source.slice(0, cut), source.slice(0, cut) + noise[random(noise.length)] + source.slice(cut + random(5))];
        for (const text of variants) {
          runs++;
          const lines = text.split(/\r\n|\r|\n/).length;
          const data = parseComposeFile(FILE, text, new Map([["A", "1"]]));
          for (const p of data.problems) {
            expect(p.range.line).toBeGreaterThanOrEqual(1);
            expect(p.range.endLine).toBeLessThanOrEqual(lines);
            expect(p.message.length).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(500);
  });
});

describe("hostile YAML", () => {
  const bomb = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (const [name, prev] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"], ["h", "g"]]) {
    bomb.push(`x-${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
  }

  it("reports an alias bomb even where nothing uses it, at the key that crosses the limit", () => {
    const text = `${bomb.join("\n")}\nservices:\n  web:\n    image: nginx\n`;
    expect(problems(text)).toEqual([
      [7, 1, 7, 4, "YAML aliases under 'x-g' expand to more than 1,000,000 nodes (an alias bomb): docker compose refuses the file as excessive aliasing; we read the aliases only as far as our alias limit"],
    ]);
    expect(parseComposeFile(FILE, text, new Map()).services.map((s) => s.image?.value)).toEqual(["nginx"]);
  });

  it("leaves ordinary anchors alone, however often they are used", () => {
    const text = `x-env: &env {A: "1", B: "2"}\nservices:\n${Array.from({ length: 200 }, (_, i) => `  s${i}:\n    image: x\n    environment: *env\n`).join("")}`;
    expect(problems(text)).toEqual([]);
  });

  it("says that nesting too deep to read is the problem, not the parser's stack", () => {
    const depth = 10_000;
    const found = problems(`services: {}\nx-deep: ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.[0]).toBe(2);
    expect(found.map((p) => p[4])).toContain("YAML nested too deeply to read (the parser ran out of stack); not read further");
    expect(JSON.stringify(found)).not.toContain("Maximum call stack");
  });
});
