import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "deploy/migrations",
  django: null,
  severity: "warning",
  summary: "makemigrations runs in the production image or container, or migrate runs while the image is built",
  why:
    "Migration files are source code: `makemigrations` writes new ones from the models. Run in a Dockerfile or when a " +
    "container starts (usually because the migration files are not committed), every image or container invents its " +
    "own schema history — names and dependencies that differ from the database's `django_migrations` table and from " +
    "the next deploy's, so migrations fail or are skipped and data migrations are lost. `migrate` in a Dockerfile RUN " +
    "runs while the image is built, where the production database is not reachable (or a throwaway one is migrated), " +
    "so the real database never gets the schema.",
  fix:
    "Run `makemigrations` on a development machine and commit the migration files (a CI step may run " +
    "`makemigrations --check --dry-run` to catch missing ones). Run `python manage.py migrate --noinput` when the " +
    "container starts (entrypoint script or command, before the app server) or as a release step, not in a Dockerfile RUN.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "web:\n  build: .\n  command: sh -c \"python manage.py makemigrations && python manage.py migrate && exec gunicorn bookshelf.wsgi\"\n",
      good: "web:\n  build: .\n  command: sh -c \"python manage.py migrate --noinput && exec gunicorn bookshelf.wsgi\"\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        for (const run of service.migrations.makemigrations) {
          const where =
            run.when === "build"
              ? `the image of service '${service.name}' runs 'manage.py makemigrations' while it is built`
              : `service '${service.name}' runs 'manage.py makemigrations' when its container starts`;
          report({
            stack: stack.id,
            range: run.range,
            related: [{ range: service.compose.range, message: `service '${service.name}' is defined here` }],
            message:
              `${where}, so each ${run.when === "build" ? "image" : "container"} invents its own migration files and schema history: ` +
              `run makemigrations in development, commit the migration files, and only run 'manage.py migrate' at start or as a release step`,
          });
        }
        for (const run of service.migrations.migrate) {
          if (run.when !== "build") continue;
          report({
            stack: stack.id,
            range: run.range,
            related: [{ range: service.compose.range, message: `service '${service.name}' is built from that image here` }],
            message:
              `the image of service '${service.name}' runs 'manage.py migrate' while it is built, where the production database is not reachable: ` +
              `run it when the container starts (entrypoint script or command, before the app server) or as a release step`,
          });
        }
      }
    }
  },
});
