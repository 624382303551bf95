import type { RelatedLocation } from "../../src/engine/finding.js";
import { defineRule } from "../../src/engine/rule.js";
import { describeStorage } from "../../src/model/container-filesystem.js";
import { productionStacks } from "../../src/model/queries.js";
import { staticCollection, type StaticCollection } from "../../src/model/static-collection.js";

function servedNote(c: StaticCollection): RelatedLocation {
  return { range: c.servedBy, message: `nginx (service '${c.nginx.name}') serves ${c.urlPrefix} from ${c.nginxDirectory} here` };
}

export default defineRule({
  id: "deploy/static-not-collected",
  django: null,
  severity: "error",
  summary: "nginx serves STATIC_ROOT, but collectstatic never fills it (or fills it only at the first deploy)",
  why:
    "nginx serves STATIC_URL straight from STATIC_ROOT, and only `manage.py collectstatic` puts files there: the " +
    "admin's and the apps' CSS, JavaScript and images. When no Dockerfile RUN, container command, entrypoint script or " +
    "one-shot service runs it, every static file answers 404 in production. When it runs only while the image is " +
    "built and STATIC_ROOT is a named volume in the app container, Docker copies the image's files into the volume " +
    "only while the volume is empty — at the first deploy; every later deploy keeps serving the first deploy's files, " +
    "so changed CSS and JavaScript never reach users.",
  fix:
    "Run `python manage.py collectstatic --noinput` when the app container starts (in its entrypoint script or " +
    "command, before the app server) or in a one-shot service that mounts the same volume. To collect at build time " +
    "instead, do not put STATIC_ROOT on a volume: serve the files from the image (nginx and the app in one image, or " +
    "COPY --from the build stage into the nginx image).",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "# Dockerfile: RUN python manage.py collectstatic --noinput\nweb:\n  build: .\n  command: uwsgi --ini /etc/uwsgi/app.ini\n  volumes:\n    - static:/app/static\n",
      good: "web:\n  build: .\n  command: sh -c \"python manage.py collectstatic --noinput && exec uwsgi --ini /etc/uwsgi/app.ini\"\n  volumes:\n    - static:/app/static\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const c of staticCollection(stack, model.collectstaticMentions)) {
        const v = c.verdict;
        const start: RelatedLocation[] = c.app.appServer
          ? [{ range: c.app.appServer.range, message: `service '${c.app.name}' starts ${c.app.appServer.kind} here: run collectstatic before it` }]
          : [];
        if (v.kind === "never") {
          report({
            stack: stack.id,
            range: c.rootValue.range,
            message:
              `nginx (service '${c.nginx.name}') serves ${c.urlPrefix} from STATIC_ROOT ${c.directory} (${describeStorage(c.appStorage.storage)}), ` +
              `but nothing runs collectstatic to fill it — no Dockerfile RUN, container command, entrypoint script or file of the repository ` +
              `mentions it — so every static file answers 404: run 'python manage.py collectstatic --noinput' when service '${c.app.name}' starts`,
            related: [servedNote(c), ...start],
          });
        } else if (v.kind === "build-only-volume") {
          const volume = describeStorage(c.appStorage.storage);
          report({
            stack: stack.id,
            severity: "warning",
            range: v.mount.range,
            message:
              `STATIC_ROOT ${c.directory} is on ${volume} in service '${c.app.name}', but collectstatic runs only when the image is built ` +
              `(${v.builds[0]?.range.file}:${v.builds[0]?.range.line}): Docker copies the image's files into the volume only while it is empty, ` +
              `so after the first deploy nginx keeps serving old static files; run collectstatic when the container starts, or serve the files from the image`,
            related: [
              ...v.builds.map((b) => ({ range: b.range, message: `collectstatic runs here, while the image of service '${c.app.name}' is built` })),
              { range: c.rootValue.range, message: `STATIC_ROOT is ${c.directory} in service '${c.app.name}'` },
              servedNote(c),
              ...start,
            ],
          });
        }
      }
    }
  },
});
