import { defineRule } from "../../src/engine/rule.js";
import { maskSecret, maskUrlCredentials, hasUrlCredentials } from "../../src/core/secrets.js";
import { productionStacks } from "../../src/model/queries.js";
import { isLiteralSecret } from "../../src/model/secret-literals.js";

function masked(value: string): string {
  return hasUrlCredentials(value) ? `'${maskUrlCredentials(value)}'` : maskSecret(value);
}

export default defineRule({
  id: "docker/secret-in-env",
  django: null,
  severity: "error",
  summary: "A Dockerfile ENV or ARG default carries a secret value",
  why:
    "A value written in the Dockerfile is in the repository for everyone who can clone it, and an `ENV` is stored in " +
    "the image's config: `docker inspect` and `docker history` show it to anyone who can pull the image, and every " +
    "container started from it inherits it. An `ARG` default ends up in the image history the same way. Only " +
    "secret-named variables (SECRET_KEY, *_PASSWORD, *_TOKEN…) with a literal value, or URLs with a password, are " +
    "reported; stand-ins such as `dummy`, `change-me` or `${SECRET_KEY}` and an `ARG` without a default are not.",
  fix:
    "Remove the value from the Dockerfile and give it to the container at run time (compose `env_file:` with a " +
    "git-ignored file, or `environment:` from the deployer's shell); for a secret a build step needs, use a BuildKit " +
    "secret mount (`RUN --mount=type=secret,id=…`). Rotate the secret: it is in the git history and in pushed images.",
  examples: [
    {
      file: "Dockerfile",
      bad: "FROM python:3.12-slim\nENV DJANGO_SECRET_KEY=q8v$2m…(50 random characters)\n",
      good: "FROM python:3.12-slim\n# DJANGO_SECRET_KEY comes from the env_file compose gives the service\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const image = service.image;
        if (!image) continue;
        for (const stage of image.stages) {
          for (const entry of stage.env.values()) {
            if (entry.unresolved?.length || !isLiteralSecret(entry.name, entry.value)) continue;
            report({
              message:
                `${image.dockerfile} sets ENV ${entry.name} to a literal secret (${masked(entry.value)}), built into the image of service '${service.name}': ` +
                `it is committed to git and readable with 'docker inspect' by anyone who has the image; remove it and pass ${entry.name} at run time (compose env_file or environment), then rotate it`,
              range: entry.range,
              stack: stack.id,
            });
          }
          for (const entry of stage.args.values()) {
            const value = entry.defaultValue;
            if (value === undefined || !isLiteralSecret(entry.name, value)) continue;
            report({
              message:
                `${image.dockerfile} gives ARG ${entry.name} a literal secret default (${masked(value)}) in the build of service '${service.name}': ` +
                `it is committed to git and recorded in the image history; drop the default (use a BuildKit secret mount for build-time secrets) and rotate it`,
              range: entry.range,
              stack: stack.id,
            });
          }
        }
      }
    }
  },
});
