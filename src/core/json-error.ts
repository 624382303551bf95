/**
 * The reason of a `JSON.parse` error, for messages: without the position (callers locate it
 * themselves) and without the input text Node 20 quotes (`, ..."password": hunt"... is not
 * valid JSON`), which may hold a secret.
 */
export function jsonErrorReason(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/ \(line \d+ column \d+\)$/, "")
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "");
}
