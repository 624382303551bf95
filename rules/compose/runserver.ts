import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "compose/runserver",
  django: null,
  severity: "error",
  summary: "A production service runs Django's development server (manage.py runserver)",
  why:
    "`manage.py runserver` (and `django-admin runserver`, django-extensions' `runserver_plus`) is a development " +
    "server: Django's documentation says not to use it in production — it has not gone through security audits or " +
    "performance tests, runs one process with an auto-reloader, and serves static files only while DEBUG is on, so " +
    "turning DEBUG off to be safe also breaks the site's CSS and JavaScript.",
  fix:
    "Start a WSGI server instead, e.g. `gunicorn myproject.wsgi:application --bind 0.0.0.0:8000` or uWSGI, and let " +
    "nginx (or WhiteNoise) serve the collected static files. Keep runserver in a development compose file " +
    "(`docker-compose.dev.yml`, `local.yml`).",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n",
      good: "services:\n  web:\n    build: .\n    command: gunicorn bookshelf.wsgi:application --bind 0.0.0.0:8000 --workers 3\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const service of stack.services) {
        const server = service.appServer;
        // A runserver in one branch of a start script (`if [ "$DEBUG" ]`) may never run in production.
        if (server?.kind !== "runserver" || server.conditional) continue;
        const runs = stack.runtime === "host" ? `The host deployment ${stack.id} runs` : `Service '${service.name}' of the production stack ${stack.id} runs`;
        report({
          message:
            `${runs} Django's development server (manage.py runserver): it is not security-audited or built for load, ` +
            `and serves static files only while DEBUG is on; start gunicorn or uWSGI with the project's WSGI application instead.`,
          range: server.range,
          // Found in a start script: point at the service that runs it.
          related: server.range.file === service.compose.range.file ? [] : [{ range: service.compose.range, message: `service '${service.name}' starts it` }],
          stack: stack.id,
        });
      }
    }
  },
});
