import { hasUrlCredentials, isSecretVariable, maskSecret, maskUrlCredentials } from "../../src/core/secrets.js";
import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";

/** Values that switch a feature on or off (`USE_TOKEN_AUTH: "true"`), not secrets. */
const FLAG = /^(true|false|yes|no|on|off|y|n|0|1|none|null)$/i;
/** `DB_PASSWORD: /run/secrets/db-password`: an absolute path the app reads the secret from (compose / Docker secrets). */
const FILE_PATH = /^(\/[A-Za-z0-9._-]+){2,}$/;

export default defineRule({
  id: "compose/inline-secret",
  django: null,
  severity: "error",
  summary: "A password, key or URL with credentials is written literally in a production compose file",
  why:
    "Compose files are committed: a literal `SECRET_KEY`, `POSTGRES_PASSWORD` or `postgres://user:password@…` in " +
    "`environment` is readable by everyone with access to the repository, its forks, CI logs and backups, and it " +
    "stays in git history after it is changed. A placeholder (`changeme`, `postgres`) is no better: production then " +
    "really runs with a publicly known password, because compose passes the text as it is.",
  fix:
    "Write `NAME: ${NAME}` (or `${NAME:?set NAME in .env}`) and put the value in the git-ignored `.env` beside the " +
    "compose file, or move the service's secrets to an `env_file:` that git ignores, or use compose `secrets:` with " +
    "the image's `*_FILE` variables (`POSTGRES_PASSWORD_FILE`). Then rotate the value that was committed.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cret-db-passw0rd\n",
      good: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        for (const variable of service.compose.environment.values()) {
          const { name, value, valueRange } = variable;
          // `${VAR}` and `- NAME` take the value from the deployer's environment: nothing is written here.
          if (value === undefined || valueRange === undefined || variable.fromVariables || value.trim() === "") continue;
          const url = hasUrlCredentials(value);
          if (!url && (!isSecretVariable(name) || FLAG.test(value.trim()) || FILE_PATH.test(value.trim()))) continue;
          const key = `${valueRange.file}:${valueRange.line}:${valueRange.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const shown = url && !isSecretVariable(name) ? maskUrlCredentials(value) : maskSecret(value);
          const what = url ? "a URL with a password" : "a literal secret";
          report({
            message:
              `Service '${service.name}' sets ${name} to ${what} (${shown}) written in ${valueRange.file}, where everyone with the repository reads it: ` +
              `write ${name}: \${${name}} and keep the value in the git-ignored .env (or an ignored env_file / compose secret), then rotate it.`,
            range: valueRange,
            stack: stack.id,
          });
        }
      }
    }
  },
});
