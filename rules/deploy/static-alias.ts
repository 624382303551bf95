import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";
import { describeMismatch, servedDirectoryMismatches } from "../../src/model/static-serving.js";

export default defineRule({
  id: "deploy/static-alias",
  django: null,
  severity: "error",
  summary: "nginx serves STATIC_URL from a directory that is not STATIC_ROOT as the nginx container sees it",
  why:
    "`collectstatic` writes every static file into STATIC_ROOT inside the app container. If nginx's `location` for " +
    "STATIC_URL maps requests to another path (a missing trailing slash on `alias`, `root` where `alias` was meant, " +
    "a different directory), or to the same path on storage the app container does not share (no common volume or " +
    "bind mount), every CSS and JavaScript file answers 404 in production while everything works under runserver.",
  fix:
    "Make the location's `alias` end in STATIC_ROOT followed by `/` (with a location that ends in `/`), and mount " +
    "the directory that holds STATIC_ROOT — a named volume or the same host directory — in both the app service " +
    "and the nginx service.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "# STATIC_ROOT = BASE_DIR / 'static'  →  /code/app/static\nlocation /static/ {\n    alias /code/app/static;\n}\n",
      good: "location /static/ {\n    alias /code/app/static/;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const mismatch of servedDirectoryMismatches(stack, { urlSetting: "STATIC_URL", rootSetting: "STATIC_ROOT", probe: "admin/css/base.css" })) {
        const { message, related } = describeMismatch(mismatch, "STATIC_ROOT");
        report({ message, range: mismatch.range, related, stack: stack.id });
      }
    }
  },
});
