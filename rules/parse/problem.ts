import { defineRule } from "../../src/engine/rule.js";

export default defineRule({
  id: "parse/problem",
  django: null,
  severity: "error",
  summary: "A deployment file could not be read or parsed",
  why:
    "A file the production stack reads (compose, nginx, uWSGI, Dockerfile, .env, settings) that does not parse " +
    "fails at deploy time, and every check that needs it is blind. The rest of the project is still linted.",
  fix: "Fix the syntax at the reported line, or exclude the file if it is not part of the deployment.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "server {\n    listen 80\n    location / { uwsgi_pass app; }\n}\n",
      good: "server {\n    listen 80;\n    location / { uwsgi_pass app; }\n}\n",
    },
  ],
  check(model, report) {
    for (const problem of model.problems) {
      report({ message: problem.message, range: problem.range });
    }
  },
});
