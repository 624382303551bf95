import { defineRule } from "../../src/engine/rule.js";
import { productionStacks } from "../../src/model/queries.js";
import { certificateFiles } from "../../src/model/tls-termination.js";

export default defineRule({
  id: "nginx/missing-certificate",
  django: null,
  severity: "error",
  summary: "ssl_certificate / ssl_certificate_key names a file the nginx container does not have",
  why:
    "nginx loads certificate and key files when it starts: a path that is not there stops it with " +
    "`cannot load certificate … No such file or directory`, and the whole site is down, plain HTTP included. " +
    "The path is looked up in the nginx container's filesystem: a bind mount or COPY of a repository directory " +
    "must hold the file. Files on a named volume, bound from outside the repository (certbot's /etc/letsencrypt), " +
    "git-ignored (put there at deploy time), in a directory the repository lacks, or in a built image are unknown, " +
    "not missing; so are paths with nginx or template variables.",
  fix:
    "Mount the directory that holds the certificate into the nginx container at the path the config names " +
    "(`- /etc/letsencrypt:/etc/letsencrypt:ro`, or a volume certbot writes), or correct the path in the config.",
  examples: [
    {
      file: "docker-compose.yml",
      bad: "  nginx:\n    image: nginx:1.27\n    volumes:\n      - ./deploy/nginx/bookshelf.conf:/etc/nginx/conf.d/default.conf:ro\n# bookshelf.conf: ssl_certificate /etc/nginx/certs/fullchain.pem;\n",
      good: "  nginx:\n    image: nginx:1.27\n    volumes:\n      - ./deploy/nginx/bookshelf.conf:/etc/nginx/conf.d/default.conf:ro\n      - ./deploy/certs:/etc/nginx/certs:ro\n",
    },
  ],
  check(model, report) {
    for (const stack of productionStacks(model)) {
      for (const cert of certificateFiles(model, stack)) {
        if (cert.verdict.kind !== "missing") continue;
        const arg = cert.directive.args[0];
        if (!arg) continue;
        const fix = cert.verdict.mount ? "add the file there (or git-ignore it if it is put there at deploy time), or correct the path" : "mount the directory that holds it, or correct the path";
        report({
          stack: stack.id,
          message: `${cert.directive.name} ${arg.value}: the nginx container (service '${cert.nginx.name}') has no such file — ${cert.verdict.reason}; nginx refuses to start. ${fix[0]?.toUpperCase()}${fix.slice(1)}.`,
          range: arg.range,
          related: cert.verdict.mount ? [{ range: cert.verdict.mount, message: `service '${cert.nginx.name}' mounts the directory here` }] : [{ range: cert.nginx.compose.range, message: `service '${cert.nginx.name}' mounts nothing at ${cert.path}` }],
        });
      }
    }
  },
});
