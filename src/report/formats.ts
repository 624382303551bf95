import { formatJson } from "./json.js";
import type { LintReport } from "./report.js";
import { formatText } from "./text.js";
import { formatGithub } from "./github.js";
// (imports: github format)
import { formatSarif } from "./sarif.js";
// (imports: sarif format)
import { formatGitlab } from "./gitlab.js";
// (imports: gitlab format)
import { formatHtml } from "./html.js";
// (imports: html format)

/** Every `--format`, by name: each turns one report into the text written to stdout or --output. */
export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  // (formats: github)
  sarif: formatSarif,
  // (formats: sarif)
  gitlab: formatGitlab,
  // (formats: gitlab)
  html: formatHtml,
  // (formats: html)
} satisfies Record<string, (report: LintReport) => string>;

export type FormatName = keyof typeof FORMATTERS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}
