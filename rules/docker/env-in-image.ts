import { defineRule } from "../../src/engine/rule.js";
import { secretsBakedIntoImages } from "../../src/model/image-secrets.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "docker/env-in-image",
  django: null,
  severity: "error",
  summary: "A COPY/ADD puts .env or another secret file into the image: .dockerignore does not exclude it",
  why:
    "`COPY . /code` copies the whole build context, secrets included, into an image layer. Whoever can pull the image " +
    "— a registry, a CI cache, a colleague's laptop — can read `.env`, a TLS private key or a cloud credential file " +
    "from it, and deleting the file in a later layer does not remove it. A git-ignored `.env` that the checkout lacks " +
    "is still copied: compose requires it on the machine that builds the image.",
  fix:
    "List the file in `.dockerignore` (`.env`, `.env.*`, `!.env.example`, `*.pem`, `*.key`), and hand the values to " +
    "the container at run time with compose `env_file` or secrets.",
  examples: [
    {
      file: ".dockerignore",
      bad: ".git\n__pycache__\n",
      good: ".git\n__pycache__\n.env\n.env.*\n!.env.example\n*.pem\n*.key\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const baked of secretsBakedIntoImages(model, stack)) {
        const where = baked.inCheckout
          ? `${baked.file} (it holds ${baked.holds})`
          : `${baked.file} (git-ignored and absent from the checkout, but compose needs it where the image is built: it holds ${baked.holds})`;
        report({
          message:
            `${baked.copy.instruction} ${baked.copy.sources.map((s) => s.value).join(" ")} ${baked.copy.destination.value} puts ${where} into the image of ` +
            `service '${baked.service.name}': .dockerignore does not exclude it, so everyone who can pull the image can read it; ` +
            `add it to .dockerignore and give the values at run time`,
          range: baked.copy.range,
          related: [{ range: baked.at, message: baked.inCheckout ? `${baked.file} holds ${baked.holds}` : `compose requires ${baked.file} here` }],
          stack: stack.id,
        });
      }
    }
  },
});
