import type { SourceRange } from "../../src/core/location.js";
import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import type { NginxLocation } from "../../src/model/deployment-model.js";
import { productionStacks } from "../../src/model/queries.js";
import { formatBytes, nginxSizeFor, uploadLimitMismatches, type UploadExpectation, type UploadLimitMismatch } from "../../src/model/upload-limits.js";

function describeExpectation(e: UploadExpectation): string {
  if (e.value === "unlimited") return `${e.setting} is None (no limit)`;
  return `${e.setting} is ${formatBytes(e.value)} (${e.value})`;
}

/** `location /` — from the keyword to the URI. */
function locationHead(location: NginxLocation): SourceRange {
  const uri = location.uri.arg.range;
  return { ...location.directive.nameRange, endLine: uri.endLine, endColumn: uri.endColumn };
}

function where(m: UploadLimitMismatch): string {
  const d = m.limit.decided;
  if (d.directive === undefined) return "nginx's default: no client_max_body_size in the http, server or location block";
  const at = d.level === "location" ? `location ${d.location?.uri.value ?? ""}` : `the ${d.level} block`;
  return `client_max_body_size ${d.directive.args[0]?.value ?? ""} in ${at}`;
}

export default defineRule({
  id: "deploy/upload-size",
  django: null,
  severity: "warning",
  summary: "The settings raise Django's upload sizes above nginx's client_max_body_size: larger requests end in 413",
  why:
    "nginx refuses any request body larger than `client_max_body_size` (1 MB unless set; inherited from http to server " +
    "to location) with 413 Request Entity Too Large, before Django sees it. DATA_UPLOAD_MAX_MEMORY_SIZE is the largest " +
    "non-file request body Django accepts: raising it (or setting None) says the project expects bigger form or JSON " +
    "posts. FILE_UPLOAD_MAX_MEMORY_SIZE does not limit uploads — it is the size below which Django keeps an uploaded " +
    "file in memory instead of streaming it to a temporary file — but a project only raises it when it expects uploads " +
    "that big (it is also the setting most often mistaken for an upload limit). Either way, requests between nginx's " +
    "limit and the setting fail at nginx while the settings say they should work. Django's defaults (2.5 MB) are not " +
    "reported: only sizes the settings raise.",
  fix:
    "Set `client_max_body_size` at least as large as the biggest request the settings allow, in the server (or the " +
    "location that receives uploads) that passes requests to Django, e.g. `client_max_body_size 20m;` for 20 MB, or " +
    "lower the settings to what nginx lets through.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "# settings.py: DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024\nlocation / {\n    uwsgi_pass app;\n}\n",
      good: "location / {\n    client_max_body_size 20m;\n    uwsgi_pass app;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const m of uploadLimitMismatches(stack)) {
        const largest = m.expectations[0] as UploadExpectation;
        const limit = formatBytes(m.limit.bytes);
        const directive = m.limit.decided.directive;
        const first = m.locations[0] as NginxLocation;
        const between = largest.value === "unlimited" ? `above ${limit}` : `between ${limit} and ${formatBytes(largest.value)}`;
        const expects = largest.setting === "FILE_UPLOAD_MAX_MEMORY_SIZE" ? ", so uploads that big are expected" : "";
        const fix =
          largest.value === "unlimited"
            ? "set client_max_body_size to the largest request you accept (0 for no limit)"
            : `set 'client_max_body_size ${nginxSizeFor(largest.value)};' (or more)`;
        const related: RelatedLocation[] = m.expectations.map((e) => ({ range: e.assignment.range, message: `${describeExpectation(e)} in service '${m.app.name}'` }));
        if (directive) {
          for (const l of m.locations) related.push({ range: locationHead(l), message: `location ${l.uri.value ?? ""} passes requests to service '${m.app.name}' under this limit` });
        }
        report({
          stack: stack.id,
          range: directive?.args[0]?.range ?? locationHead(first),
          message:
            `nginx (service '${m.nginx.name}') rejects request bodies above ${limit} for location ${m.locations.map((l) => l.uri.value ?? "").join(", ")} ` +
            `with 413 (${where(m)}), but ${describeExpectation(largest)} in service '${m.app.name}'${expects}: requests ${between} never reach Django; ${fix}`,
          related,
        });
      }
    }
  },
});
