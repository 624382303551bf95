import { defineRule } from "../../src/engine/rule.js";
import { aliasTraversals, type AliasTraversal } from "../../src/model/alias-traversal.js";
import { productionStacks } from "../../src/model/queries.js";

const SHOWN = 6;

function reachableText(t: AliasTraversal): string {
  if (t.files.length === 0) return `everything the nginx container has in ${t.reachable}, which is ${t.storage}`;
  const shown = t.files.slice(0, SHOWN).join(", ");
  const more = t.files.length > SHOWN ? ` and ${t.files.length - SHOWN} more file${t.files.length - SHOWN === 1 ? "" : "s"}` : "";
  return `every file in ${t.reachable}, which is ${t.storage}: ${shown}${more}`;
}

export default defineRule({
  id: "nginx/alias-traversal",
  django: null,
  severity: "error",
  summary: "A prefix location without a trailing '/' has an alias with one: '/static../' reads the directory above the alias",
  why:
    "nginx replaces the matched prefix with the alias. With `location /static { alias /code/static/; }` a request for " +
    "`/static../settings.py` still matches the prefix `/static`, and nginx reads `/code/static/../settings.py`: " +
    "anyone can download every file beside the static directory — on a `.:/code` bind mount that is the whole " +
    "project, its `.env`, settings and keys. nginx normalises `..` in the URI before it picks a location, but `..` " +
    "glued to the prefix is not a path segment of the URI, so it survives into the file path.",
  fix:
    "End the location in `/` when the alias ends in `/` (`location /static/ { alias /code/static/; }`), or drop the " +
    "slash from both. Mount only the static directory into the nginx container, never the project.",
  examples: [
    {
      file: "config/nginx/default.conf",
      bad: "location /static {\n    alias /code/static/;\n}\n",
      good: "location /static/ {\n    alias /code/static/;\n}\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      // Env files compose or systemd names that the checkout lacks (git-ignored) are there at deploy time.
      const deployFiles = model.envFiles.filter((e) => !e.exists && !e.isTemplate).map((e) => e.file);
      for (const t of aliasTraversals(stack, deployFiles)) {
        const example = t.files[0] ?? "<file>";
        const reads = `${t.alias}../${example}`;
        report({
          stack: stack.id,
          range: t.location.uri.arg.range,
          message:
            `location ${t.prefix} has no trailing '/' but its alias ${t.alias} has one: a request for ${t.prefix}../${example} reads ${reads}, ` +
            `so nginx (service '${t.nginx.name}') serves ${reachableText(t)}; write 'location ${t.prefix}/'`,
          related: t.location.alias ? [{ range: t.location.alias.arg.range, message: `alias ${t.alias} ends in '/'` }] : [],
        });
      }
    }
  },
});
