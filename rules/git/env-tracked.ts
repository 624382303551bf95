import { fileStart } from "../../src/core/location.js";
import { defineRule } from "../../src/engine/rule.js";
import { secretNames, usedOnlyInDevelopment } from "../../src/model/env-files.js";

export default defineRule({
  id: "git/env-tracked",
  django: null,
  severity: "error",
  summary: "An env file holding secrets is tracked by git",
  why:
    "Env files hold the production SECRET_KEY, database passwords and API tokens (the rule looks for variables named " +
    "like secrets with a value). Env files only development stacks read (a committed `.env.dev` with throwaway values) are left alone. Once committed they are in every " +
    "clone, fork and CI cache, and in the history forever — adding the file to .gitignore afterwards does not untrack it.",
  fix:
    "Run `git rm --cached <file>`, add the file to .gitignore, commit a template without values (`.env.example`) " +
    "instead, and rotate every secret the file held.",
  examples: [
    {
      file: ".gitignore",
      bad: "# .env is committed\n__pycache__/\n",
      good: ".env\n__pycache__/\n",
    },
  ],
  check(model, report) {
    const index = model.git.index;
    if (!index) return;
    for (const envFile of model.envFiles) {
      if (!envFile.exists || envFile.isTemplate || !index.tracked.has(envFile.file)) continue;
      if (usedOnlyInDevelopment(model, envFile)) continue;
      // A committed env file of plain settings (COMPOSE_PROJECT_NAME, a version) is a choice, not a leak.
      const secrets = secretNames(envFile);
      if (secrets === undefined) continue;
      const ignored = model.git.ignore.check(envFile.file).ignored;
      report({
        message:
          `${envFile.file} is tracked by git and holds ${secrets}${ignored ? " (it is in .gitignore, but that does not untrack a committed file)" : ""}: ` +
          `its values are in the repository history; run 'git rm --cached ${envFile.file}', keep it git-ignored and rotate its secrets`,
        range: fileStart(envFile.file),
        related: envFile.usedBy.filter((u) => u.service !== undefined).map((u) => ({ range: u.range, message: u.via === "settings" ? `the settings of service '${u.service}' load it` : `service '${u.service}' reads it (env_file)` })),
      });
    }
  },
});
