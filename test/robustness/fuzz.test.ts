// A mutation fuzzer (issue 7, item 1): corrupts 1–3 files of the fixture projects per iteration and lints in
// process, asserting what bad input must never break: no exception, no internal rule error, a JSON report valid
// against the schema, every location inside an existing file, and an unrelated broken file still reported.
//
// DPL_FUZZ_SEED=<n> replays a run, DPL_FUZZ_SECONDS=<s> sets the budget (default 30). Cases it found are kept
// as regression tests in bad-input.test.ts and next to the modules fixed.
import { Ajv } from "ajv";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";
// @ts-expect-error plain JavaScript module shared with scripts/lint-example.mjs
import { materializeFixture } from "../../scripts/materialize-fixture.mjs";

// The built modules: importing them is far faster than vitest transforming the sources, or spawning the CLI.
const { lintProject } = (await import(join(REPO_ROOT, "dist/src/lint.js"))) as typeof import("../../src/lint.js");
const { formatJson } = (await import(join(REPO_ROOT, "dist/src/report/json.js"))) as typeof import("../../src/report/json.js");
const { ALL_RULES } = (await import(join(REPO_ROOT, "dist/rules/index.js"))) as typeof import("../../rules/index.js");

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "docs", "report.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

const SEED = process.env.DPL_FUZZ_SEED ? Number(process.env.DPL_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const SECONDS = process.env.DPL_FUZZ_SECONDS ? Number(process.env.DPL_FUZZ_SECONDS) : 30;
/** A broken file no mutation touches and nothing else needs: its parse/problem must always be reported. */
const SENTINEL = "zz-fuzz-sentinel/docker-compose.yml";

/** mulberry32: small, seeded, good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

const TOKENS = ["{", "}", "[", "]", ":", "-", "#", '"', "'", "\t", "\0", "${", "\\", "*", "&a", "*a", "<<: *a", "from .base import *", "include x;"];

interface Project {
  name: string;
  dir: string;
  files: string[];
}

function listFiles(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.name === ".git" || path === dirname(SENTINEL)) return [];
    if (e.isDirectory()) return listFiles(dir, path);
    return e.isFile() ? [path] : [];
  });
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** One random corruption of `bytes`; `other` is another file's content (another kind, often). */
function mutate(bytes: Buffer, other: Buffer): { bytes: Buffer; op: string } {
  const lines = splitLines(bytes);
  const at = int(bytes.length + 1);
  const line = int(lines.length + 1);
  const insert = (chunk: Buffer | string): Buffer => Buffer.concat([bytes.subarray(0, at), Buffer.from(chunk), bytes.subarray(at)]);
  const ops: [string, () => Buffer][] = [
    ["delete line", () => Buffer.concat(lines.filter((_, i) => i !== line))],
    ["insert line from another file", () => Buffer.concat([...lines.slice(0, line), pick(splitLines(other).concat([Buffer.from("\n")])), ...lines.slice(line)])],
    ["duplicate line", () => Buffer.concat([...lines.slice(0, line + 1), ...(lines[line] ? [lines[line]] : []), ...lines.slice(line + 1)])],
    ["swap lines", () => {
      const copy = [...lines];
      const j = int(copy.length);
      if (copy[line] && copy[j]) [copy[line], copy[j]] = [copy[j], copy[line]];
      return Buffer.concat(copy);
    }],
    ["insert random bytes", () => insert(Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256))))],
    ["insert token", () => insert(pick(TOKENS))],
    ["truncate", () => bytes.subarray(0, at)],
    ["replace a token with a very long one", () => {
      const text = bytes.toString("latin1");
      const words = [...text.matchAll(/[A-Za-z_][\w.]*/g)];
      const word = words.length > 0 ? pick(words) : undefined;
      if (!word || word.index === undefined) return insert("x".repeat(100_000));
      return Buffer.from(text.slice(0, word.index) + pick(["a", "/", "{", "9"]).repeat(50_000 + int(100_000)) + text.slice(word.index + word[0].length), "latin1");
    }],
    ["splice bytes from another file", () => insert(other.subarray(int(other.length), int(other.length) + 1 + int(400)))],
    ["replace with another file", () => Buffer.from(other)],
    ["make binary", () => insert("\0\0\x01\x02")],
    ["invalid UTF-8", () => insert(Buffer.from([0xff, 0xfe, 0xc3]))],
    ["deep nesting", () => insert(pick(["[", "{", "(", "location / {\n", "- "]).repeat(2_000 + int(8_000)))],
  ];
  const [op, run] = pick(ops);
  return { bytes: run(), op };
}

function lineCount(abs: string): number {
  if (!statSync(abs).isFile()) return 1;
  return readFileSync(abs, "latin1").split(/\r\n|\r|\n/).length;
}

interface Failure {
  message: string;
}

/** The properties every lint of any input must have; returns what broke. */
function check(project: Project): Failure[] {
  const failures: Failure[] = [];
  let result;
  try {
    result = lintProject(project.dir);
  } catch (error) {
    return [{ message: `lintProject threw: ${error instanceof Error ? error.stack : String(error)}` }];
  }
  for (const e of result.internalErrors) failures.push({ message: `internal error in rule ${e.rule}: ${String(e.error)}` });
  const json = JSON.parse(formatJson({ root: project.dir, findings: result.findings, rules: ALL_RULES, cwd: project.dir, color: false })) as unknown;
  if (!validate(json)) failures.push({ message: `JSON report invalid: ${JSON.stringify(validate.errors)}` });
  const lines = new Map<string, number>();
  for (const f of result.findings) {
    for (const [range, what] of [[f.range, f.rule], ...f.related.map((r) => [r.range, `${f.rule} related`] as const)] as const) {
      const abs = join(project.dir, range.file);
      if (range.file.startsWith("../") || range.file.startsWith("/") || !existsSync(abs)) {
        failures.push({ message: `${what}: file ${range.file} does not exist under the root` });
        continue;
      }
      let count = lines.get(range.file);
      if (count === undefined) lines.set(range.file, (count = lineCount(abs)));
      if (range.line < 1 || range.line > count + 1 || range.column < 1) {
        failures.push({ message: `${what}: ${range.file}:${range.line}:${range.column} outside the file (${count} lines): ${f.message.slice(0, 200)}` });
      }
    }
  }
  if (!result.findings.some((f) => f.rule === "parse/problem" && f.range.file === SENTINEL && f.range.line === 1)) {
    failures.push({ message: `the unrelated broken file ${SENTINEL} is no longer reported` });
  }
  return failures;
}

const projects: Project[] = [];
afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true });
});

describe(`mutation fuzzer (seed ${SEED}, ${SECONDS} s; DPL_FUZZ_SEED / DPL_FUZZ_SECONDS override)`, () => {
  it("keeps every property on corrupted fixture projects", () => {
    console.log(`fuzz: seed ${SEED}, budget ${SECONDS} s`);
    const root = join(REPO_ROOT, "fixtures", "projects");
    for (const name of readdirSync(root).sort()) {
      if (!statSync(join(root, name)).isDirectory()) continue;
      const dir = (materializeFixture as (d: string) => string)(join(root, name));
      mkdirSync(join(dir, dirname(SENTINEL)), { recursive: true });
      writeFileSync(join(dir, SENTINEL), "- not\n- a compose file\n");
      projects.push({ name, dir, files: listFiles(dir) });
    }
    // Unmutated, every project must already pass (else the fuzzer blames the wrong mutation).
    for (const p of projects) expect(check(p), p.name).toEqual([]);

    const deadline = Date.now() + SECONDS * 1000;
    let iteration = 0;
    while (Date.now() < deadline) {
      iteration++;
      const project = pick(projects);
      const originals = new Map<string, Buffer>();
      const ops: string[] = [];
      for (let n = 1 + int(3); n > 0; n--) {
        const file = pick(project.files);
        const current = originals.has(file) ? readFileSync(join(project.dir, file)) : readFileSync(join(project.dir, file));
        if (!originals.has(file)) originals.set(file, current);
        const otherProject = pick(projects);
        const other = readFileSync(join(otherProject.dir, pick(otherProject.files)));
        const { bytes, op } = mutate(current, other);
        writeFileSync(join(project.dir, file), bytes);
        ops.push(`${op} in ${file}`);
      }
      const failures = check(project);
      if (failures.length > 0) {
        const keep = mkdtempSync(join(tmpdir(), `dpl-fuzz-failure-${SEED}-${iteration}-`));
        for (const file of originals.keys()) {
          mkdirSync(dirname(join(keep, file)), { recursive: true });
          writeFileSync(join(keep, file), readFileSync(join(project.dir, file)));
        }
        const report = [
          `fuzz failure: seed ${SEED}, iteration ${iteration}, project fixtures/projects/${project.name}`,
          `mutations: ${ops.join("; ")}`,
          `mutated files written to ${keep} (copy them over the project to reproduce)`,
          ...failures.map((f) => `- ${f.message.length > 2000 ? `${f.message.slice(0, 2000)}…` : f.message}`),
        ].join("\n");
        console.error(report);
        expect.fail(report);
      }
      for (const [file, bytes] of originals) writeFileSync(join(project.dir, file), bytes);
    }
    console.log(`fuzz: ${iteration} iterations over ${projects.length} projects, no failure`);
    expect(iteration).toBeGreaterThan(0);
  }, (SECONDS + 120) * 1000);
});
