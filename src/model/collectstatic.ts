/**
 * Where `manage.py collectstatic` runs: in a service's image build (a Dockerfile RUN of the
 * final stage, of a stage it is built FROM, or of a stage it COPYs files from) or when the
 * container starts (its command, through wrappers and the scripts it runs), and which other
 * files of the repository mention it (a Makefile, a CI workflow, a deploy script, the README):
 * a deploy step we cannot see may run it from there.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { LocatedString, SourceRange } from "../core/location.js";
import { readSourceText } from "../core/source-file.js";
import type { DockerStage } from "../parsers/dockerfile.js";
import { findInvocations, type ProcessInvocation } from "../parsers/process-command.js";
import { parseShellScript } from "../parsers/shell-words.js";
import type { CollectstaticRun, ImageBuild, ServiceCollectstatic } from "./deployment-model.js";

export interface CollectstaticInput {
  /** The image compose builds, or undefined for a pulled image. */
  image: ImageBuild | undefined;
  /** compose `image:` (a pulled image when there is no build). */
  composeImage: string | undefined;
  /** True when compose or the image's final stage sets an ENTRYPOINT. */
  hasEntrypoint: boolean;
  /** The container's command words (entrypoint + command); empty when unknown. */
  command: LocatedString[];
  /** Everything the command runs, scripts followed (app-server.ts analyzeProcess). */
  invocations: readonly ProcessInvocation[];
  /** Scripts the command runs that could not be read (their program word). */
  unreadScripts: readonly LocatedString[];
}

/** Where collectstatic runs for one service, and whether something we cannot see may run it too. */
export function findCollectstatic(input: CollectstaticInput): ServiceCollectstatic {
  return { runs: findManageCommandRuns(input, "collectstatic"), unknown: unknownReason(input) };
}

/**
 * Where `manage.py <subcommand>` (or `django-admin <subcommand>`) runs for one service: a RUN of
 * its image build (range: the RUN instruction) or its start command and the scripts it runs (range:
 * the subcommand word). `accept` filters invocations by their words (e.g. to leave out `--dry-run`).
 */
export function findManageCommandRuns(
  input: Pick<CollectstaticInput, "image" | "invocations">,
  subcommand: string,
  accept: (argv: readonly LocatedString[]) => boolean = () => true,
): CollectstaticRun[] {
  const matches = (invocation: ProcessInvocation): boolean => isManageCommand(invocation, subcommand) && accept(invocation.argv);
  const runs: CollectstaticRun[] = [];
  if (input.image) {
    for (const stage of buildStages(input.image)) {
      for (const run of stage.runs) {
        if (runWords(run.text, run.range).some((words) => findInvocations(words).some(matches))) runs.push({ when: "build", range: run.range });
      }
    }
  }
  for (const invocation of input.invocations) {
    if (matches(invocation)) runs.push({ when: "start", range: subcommandWord(invocation, subcommand).range });
  }
  return runs;
}

/** `manage.py <subcommand>`, also with options before the subcommand (`manage.py --settings=x collectstatic`). */
function isManageCommand(invocation: ProcessInvocation, subcommand: string): boolean {
  if (invocation.kind === subcommand) return true;
  if (invocation.kind !== "other") return false;
  const program = invocation.argv[0]?.value ?? "";
  return /(^|\/)(manage\.py|django-admin(\.py)?)$/.test(program) && invocation.argv.some((w) => w.value === subcommand);
}

function subcommandWord(invocation: ProcessInvocation, subcommand: string): LocatedString {
  return invocation.argv.find((w) => w.value === subcommand) ?? (invocation.argv[0] as LocatedString);
}

/** The final stage, the stages it is built FROM, and (recursively) the stages it COPYs --from. */
function buildStages(image: ImageBuild): DockerStage[] {
  const out: DockerStage[] = [];
  const visit = (stage: DockerStage | undefined): void => {
    if (!stage || out.includes(stage)) return;
    out.push(stage);
    visit(stage.baseStage !== undefined ? image.stages[stage.baseStage] : undefined);
    for (const copy of stage.copies) if (copy.fromStage !== undefined) visit(stageNamed(image.stages, copy.fromStage, stage.index));
  };
  visit(image.stage);
  return out;
}

/** `COPY --from=builder` / `--from=0`: an earlier stage (anything else is an image from a registry). */
function stageNamed(stages: readonly DockerStage[], name: string, before: number): DockerStage | undefined {
  const byName = stages.find((s) => s.index < before && s.name !== undefined && s.name.toLowerCase() === name.toLowerCase());
  if (byName) return byName;
  return /^\d+$/.test(name) && Number(name) < before ? stages[Number(name)] : undefined;
}

/** A RUN's commands as word lists: exec form (a JSON array) or a shell script (heredocs too). */
function runWords(text: string, range: SourceRange): LocatedString[][] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === "string")) return [parsed.map((value: string) => ({ value, range }))];
    } catch {
      // Not JSON: Docker runs it with /bin/sh -c.
    }
  }
  // Only the words matter: findings point at the RUN instruction, not inside it.
  return parseShellScript(text, range.file).commands.map((c) => c.words);
}

/** Official images (and a few well-known build bases) start no Django commands of their own. */
const STOCK_IMAGE = /^(?:(?:docker\.io\/)?(?:library\/)?[a-z0-9._-]+|ghcr\.io\/astral-sh\/uv|continuumio\/miniconda3)(?::[^/]*)?(?:@.*)?$/i;

/** Scripts that only set up the environment (`. venv/bin/activate`, `source /etc/profile`). */
const SETUP_SCRIPT = /(^|\/)(activate|profile|\.?bashrc|\.?profile|[^/]*\.env)$/;

function unknownReason(input: CollectstaticInput): string | undefined {
  if (!input.image) {
    // A pulled image, or a host deployment (systemd): its deploy steps run outside the repository.
    return input.composeImage !== undefined ? `it runs image '${input.composeImage}', built outside the repository` : "it is not built from a Dockerfile of the repository";
  }
  if (input.command.length === 0) return "its command comes from the base image";
  if (!input.hasEntrypoint) {
    const base = rootBaseImage(input.image);
    if (base.unresolved?.length || !STOCK_IMAGE.test(base.value)) return `its base image '${base.value}' may have an ENTRYPOINT of its own`;
  }
  const unread = input.unreadScripts.find((s) => !SETUP_SCRIPT.test(s.value));
  if (unread) return `it runs ${unread.value} (${unread.range.file}:${unread.range.line}), which is not in the repository`;
  return undefined;
}

function rootBaseImage(image: ImageBuild): LocatedString {
  let stage = image.stage;
  for (let guard = 0; stage.baseStage !== undefined && guard < image.stages.length; guard++) {
    const base = image.stages[stage.baseStage];
    if (!base) break;
    stage = base;
  }
  return stage.baseImage;
}

/** Files that may hold a deploy step: docs, Makefiles, CI workflows, scripts, Python task files, configs. */
const MENTION_CANDIDATE =
  /(^|\/)(Makefile|makefile|GNUmakefile|Justfile|justfile|Procfile[^/]*|Dockerfile[^/]*|Vagrantfile|package\.json|[^/]+\.(md|rst|txt|sh|bash|zsh|py|ya?ml|toml|ini|cfg|conf|j2|jinja2?|tpl|template|mk|[Dd]ockerfile|service))$/;
const MENTION_MAX_BYTES = 512 * 1024;
const MENTION = /\bcollectstatic\b/;

/** The first line of each candidate file that mentions collectstatic (read quietly: this is a search, not a parse). */
export function findCollectstaticMentions(rootAbs: string, files: readonly string[]): SourceRange[] {
  const out: SourceRange[] = [];
  for (const file of files) {
    if (!MENTION_CANDIDATE.test(file)) continue;
    const path = join(rootAbs, file);
    try {
      if (statSync(path).size > MENTION_MAX_BYTES) continue;
    } catch {
      continue;
    }
    const text = readSourceText(path, file).text;
    if (text === undefined) continue;
    const match = MENTION.exec(text);
    if (!match) continue;
    const before = text.slice(0, match.index);
    const line = before.split("\n").length;
    const column = match.index - before.lastIndexOf("\n");
    out.push({ file, line, column, endLine: line, endColumn: column + match[0].length });
  }
  return out;
}
