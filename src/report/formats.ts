import { formatJson } from "./json.js";
import type { LintReport } from "./report.js";
import { formatText } from "./text.js";
// (imports: github format)
// (imports: sarif format)
// (imports: gitlab format)

/** Every `--format`, by name: each turns one report into the text written to stdout or --output. */
export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  // (formats: github)
  // (formats: sarif)
  // (formats: gitlab)
} satisfies Record<string, (report: LintReport) => string>;

export type FormatName = keyof typeof FORMATTERS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}
