import { fileStart } from "../../src/core/location.js";
import { defineRule } from "../../src/engine/rule.js";
import { secretNames, usedOnlyInDevelopment } from "../../src/model/env-files.js";

export default defineRule({
  id: "git/env-not-ignored",
  django: null,
  severity: "warning",
  summary: "An env file holding secrets is not matched by .gitignore",
  why:
    "An env file that .gitignore does not cover is one `git add .` away from being committed with the production " +
    "secrets in it (variables named like secrets — SECRET_KEY, *_PASSWORD, *_TOKEN — with a value). Env files only " +
    "development stacks read (`.env.dev` with throwaway values) are left alone.",
  fix: "Add the file (or a pattern such as `.env` / `.env.*` with `!.env.example`) to .gitignore.",
  examples: [
    {
      file: ".gitignore",
      bad: "__pycache__/\n",
      good: "__pycache__/\n.env\n.env.*\n!.env.example\n",
    },
  ],
  check(model, report) {
    const index = model.git.index;
    if (!index) return;
    for (const envFile of model.envFiles) {
      if (!envFile.exists || envFile.isTemplate || index.tracked.has(envFile.file)) continue;
      if (usedOnlyInDevelopment(model, envFile)) continue;
      if (model.git.ignore.check(envFile.file).ignored) continue;
      const secrets = secretNames(envFile);
      if (secrets === undefined) continue;
      report({
        message: `${envFile.file} is not git-ignored and holds ${secrets}: 'git add .' would commit it; add it to .gitignore`,
        range: fileStart(envFile.file),
        related: envFile.usedBy.filter((u) => u.service !== undefined).map((u) => ({ range: u.range, message: u.via === "settings" ? `the settings of service '${u.service}' load it` : `service '${u.service}' reads it (env_file)` })),
      });
    }
  },
});
