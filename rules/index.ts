import type { RuleDefinition } from "../src/engine/rule.js";
import parseProblem from "./parse/problem.js";

/** Every rule, in the order `--list-rules` and the docs index show them. */
export const ALL_RULES: readonly RuleDefinition[] = [parseProblem];
