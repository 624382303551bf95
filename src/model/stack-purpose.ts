/**
 * Which stacks are production. Repositories keep a development stack (runserver, source
 * bind-mounted, DEBUG on) beside the production one; reporting DEBUG=1 of `local.yml` as a
 * production problem is the false alarm users drop a linter for.
 */
import { posix } from "node:path";
import type { Stack, StackPurpose } from "./deployment-model.js";

const PRODUCTION_WORDS = new Set(["prod", "production", "live", "deploy", "deployment", "release", "staging", "stage", "server"]);
const DEVELOPMENT_WORDS = new Set(["dev", "develop", "development", "local", "test", "tests", "testing", "ci", "debug", "e2e", "devcontainer"]);

/** The development word a path's file and folder names carry (`.env.dev`, `env_file_app_ci`, `compose/local/…`), if any. */
export function developmentWordIn(path: string): string | undefined {
  return path
    .split(/[/._-]+/)
    .map((w) => w.toLowerCase())
    .find((w) => DEVELOPMENT_WORDS.has(w));
}

/** The words of the stack's file names and folders: `compose/production/docker-compose.prod.yml` → compose, production, docker, prod. */
function nameWords(stack: Stack): string[] {
  return stack.compose.files.flatMap((file) =>
    file
      .replace(/\.ya?ml$/i, "")
      .split(/[/._-]+/)
      .map((w) => w.toLowerCase())
      .filter((w) => w !== "" && w !== "override"),
  );
}

function nameSignal(stack: Stack): { kind: StackPurpose["kind"]; word: string } | undefined {
  const words = nameWords(stack);
  const dev = words.find((w) => DEVELOPMENT_WORDS.has(w));
  if (dev) return { kind: "development", word: dev };
  const prod = words.find((w) => PRODUCTION_WORDS.has(w));
  if (prod) return { kind: "production", word: prod };
  return undefined;
}

/** What the stack's Django services run: runserver is a development server, anything else a production one. */
function contentSignal(stack: Stack): { kind: StackPurpose["kind"]; service: string; server: string } | undefined {
  let runserver: { service: string } | undefined;
  for (const service of stack.services) {
    const kind = service.appServer?.kind;
    if (kind === undefined) continue;
    if (kind !== "runserver") return { kind: "production", service: service.name, server: kind };
    runserver ??= { service: service.name };
  }
  return runserver ? { kind: "development", service: runserver.service, server: "runserver" } : undefined;
}

/**
 * Decides each stack's purpose: a file or folder name that says development (`local.yml`,
 * `docker-compose.dev.yml`) or production (`production.yml`, `docker-compose.prod.yml`) wins;
 * otherwise a stack running `manage.py runserver` is development when another stack of the
 * repository is production, and every remaining stack is production (a repository's only
 * stack is its deployment). Stacks picked with `--compose` are production.
 */
export function classifyStacks(stacks: Stack[], chosenOnCommandLine: boolean): Map<Stack, StackPurpose> {
  const out = new Map<Stack, StackPurpose>();
  if (chosenOnCommandLine) {
    for (const stack of stacks) out.set(stack, { kind: "production", reason: "chosen with --compose" });
    return out;
  }
  const pending: Stack[] = [];
  for (const stack of stacks) {
    const name = nameSignal(stack);
    const content = contentSignal(stack);
    if (name) out.set(stack, { kind: name.kind, reason: `its file names say '${name.word}'` });
    else if (content?.kind === "production") out.set(stack, { kind: "production", reason: `service '${content.service}' runs ${content.server}` });
    else pending.push(stack);
  }
  const someProduction = [...out.values()].some((p) => p.kind === "production");
  for (const stack of pending) {
    const content = contentSignal(stack);
    if (content?.kind === "development" && someProduction) {
      out.set(stack, { kind: "development", reason: `service '${content.service}' runs manage.py runserver and another stack is production` });
    } else {
      out.set(stack, { kind: "production", reason: someProduction || stacks.length > 1 ? "nothing marks it as development" : "the repository's only stack" });
    }
  }
  return out;
}

/** Folder of the first compose file, for messages. */
export function stackDirectory(stack: Stack): string {
  return posix.dirname(stack.compose.files[0] ?? ".");
}
