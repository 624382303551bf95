import { defineRule } from "../../src/engine/rule.js";
import { UNUSED_SUPPRESSION_RULE } from "../../src/engine/suppressions.js";

export default defineRule({
  id: UNUSED_SUPPRESSION_RULE,
  django: null,
  severity: "warning",
  summary: "An inline suppression suppresses nothing, names an unknown rule, repeats a rule, or is malformed",
  why:
    "A `django-prod-lint: disable=…` comment that no longer matches a finding hides the next real problem of that " +
    "rule on that line without anyone noticing, and a misspelt rule id or keyword (`disabel=`, `deploy/static-alia`) " +
    "suppresses nothing while it looks as if it did. Stale and broken directives make a config look reviewed when it is not.",
  fix:
    "Remove the directive (or the one entry the message names) when the rule no longer reports that line; correct the " +
    "rule id or keyword when it is misspelt (`--list-rules` lists the ids and families). To keep directives that are " +
    "unused on purpose in one file, add `# django-prod-lint: disable-file=lint/unused-suppression -- reason` to it.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad:
        "location /static/ {\n" +
        "    # the alias was fixed, the directive stayed\n" +
        "    alias /code/static/;  # django-prod-lint: disable=deploy/static-alias -- served by the CDN\n" +
        "}\n",
      good: "location /static/ {\n    alias /code/static/;\n}\n",
    },
    {
      file: "docker-compose.yml",
      bad: "    ports:\n      # django-prod-lint: disable=compose/exposed-backing-prot\n      - \"5432:5432\"\n",
      good: "    ports:\n      # django-prod-lint: disable=compose/exposed-backing-port -- firewalled, reached over the VPN\n      - \"5432:5432\"\n",
    },
  ],
  check() {
    // Nothing to check in the model: the engine reports these findings when it applies the
    // directives to the other rules' findings (src/engine/suppressions.ts, src/lint.ts).
  },
});
