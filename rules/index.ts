import type { RuleDefinition } from "../src/engine/rule.js";
import exposedBackingPort from "./compose/exposed-backing-port.js";
import mediaAlias from "./deploy/media-alias.js";
import socketDrift from "./deploy/socket-drift.js";
import staticAlias from "./deploy/static-alias.js";
import envNotIgnored from "./git/env-not-ignored.js";
import envTracked from "./git/env-tracked.js";
import parseProblem from "./parse/problem.js";

/** Every rule, in the order `--list-rules` and the docs index show them. */
export const ALL_RULES: readonly RuleDefinition[] = [
  staticAlias,
  mediaAlias,
  socketDrift,
  envTracked,
  envNotIgnored,
  exposedBackingPort,
  parseProblem,
];
