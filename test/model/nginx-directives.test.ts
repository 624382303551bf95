import { describe, expect, it } from "vitest";
import { clientMaxBodySize, httpContextKnown, inheritedDirective, locationsWithAncestors, parseNginxSize } from "../../src/model/nginx-directives.js";
import { model, nginxSite, service } from "./helpers.js";

describe("parseNginxSize", () => {
  it.each<[string, number | undefined]>([
    ["0", 0],
    ["1024", 1024],
    ["512k", 524288],
    ["512K", 524288],
    ["1m", 1048576],
    ["20M", 20971520],
    ["1g", 1073741824],
    ["1G", 1073741824],
    ["1.5m", undefined],
    ["10mb", undefined],
    ["$size", undefined],
    ["", undefined],
    ["-1", undefined],
  ])("%j → %s", (value, expected) => {
    expect(parseNginxSize(value)).toBe(expected);
  });
});

const CONF = `client_max_body_size 2m;

server {
    listen 80;
    client_max_body_size 8m;

    location /api/ {
        proxy_pass http://web:8000;

        location /api/upload/ {
            client_max_body_size 64m;
            proxy_pass http://web:8000;
        }
    }

    location /admin/ {
        include conf.d/limits/*.conf;
        proxy_pass http://web:8000;
    }
}

server {
    listen 8080;
    location / {
        proxy_pass http://web:8000;
    }
}
`;

describe("inheritedDirective", () => {
  it("location → enclosing location → server → http (conf.d top level) → default; includes expanded", () => {
    const { site, problems } = nginxSite({ "site.conf": CONF, "limits/admin.conf": "client_max_body_size 16m;\n" });
    expect(problems).toEqual([]);
    const rows = (site?.servers ?? []).flatMap((server) =>
      [undefined, ...locationsWithAncestors(server)].map((at) => {
        const d = inheritedDirective(server, at, "client_max_body_size");
        return [at?.location.uri.value ?? "(server)", d.level, d.directive?.args[0]?.value, d.directive?.range.file, d.directive?.range.line];
      }),
    );
    expect(rows).toEqual([
      ["(server)", "server", "8m", "site.conf", 5],
      ["/api/", "server", "8m", "site.conf", 5],
      ["/api/upload/", "location", "64m", "site.conf", 11],
      ["/admin/", "location", "16m", "limits/admin.conf", 1],
      ["(server)", "http", "2m", "site.conf", 1],
      ["/", "http", "2m", "site.conf", 1],
    ]);
    expect(inheritedDirective(site?.servers[1] as never, undefined, "proxy_read_timeout")).toMatchObject({ directive: undefined, level: "default" });
  });

  it("the http block of the repository's own nginx.conf", () => {
    const { site } = nginxSite(
      { "nginx.conf": "events {}\nhttp {\n    client_max_body_size 32m;\n    server {\n        listen 80;\n        location / { proxy_pass http://web:8000; }\n    }\n}\n" },
      [{ type: "bind", source: "nginx.conf", target: "/etc/nginx/nginx.conf", readOnly: true, range: { file: "x", line: 1, column: 1, endLine: 1, endColumn: 1 } }],
    );
    const server = site?.servers[0];
    const at = server ? locationsWithAncestors(server)[0] : undefined;
    expect(server && inheritedDirective(server, at, "client_max_body_size")).toMatchObject({ level: "http", directive: { args: [{ value: "32m" }] } });
  });
});

/** An nginx service with the given image lines and a conf.d file. */
function nginxService(serviceLines: string, conf: string, extra: Record<string, string> = {}) {
  const m = model({
    "docker-compose.yml": `services:\n  nginx:\n${serviceLines}    volumes:\n      - ./site.conf:/etc/nginx/conf.d/default.conf:ro\n`,
    "site.conf": conf,
    ...extra,
  });
  return service(m, "nginx");
}

const SITE = "server {\n    listen 80;\n    location / {\n        client_max_body_size ${BODY};\n        proxy_pass http://web:8000;\n    }\n}\n";

describe("httpContextKnown and clientMaxBodySize", () => {
  it("the official image's nginx.conf sets nothing: the default 1m applies", () => {
    const nginx = nginxService("    image: nginx:1.27-alpine\n", "server {\n    listen 80;\n    location / { proxy_pass http://web:8000; }\n}\n");
    expect(httpContextKnown(nginx)).toBe(true);
    const server = nginx.nginx?.servers[0];
    const at = server ? locationsWithAncestors(server)[0] : undefined;
    expect(server && at && clientMaxBodySize(nginx, server, at).bytes).toBe(1048576);
  });

  it("another image's nginx.conf may set it: unknown", () => {
    const nginx = nginxService("    image: tiangolo/uwsgi-nginx:python3.11\n", "server {\n    listen 80;\n    location / { proxy_pass http://web:8000; }\n}\n");
    expect(httpContextKnown(nginx)).toBe(false);
    const server = nginx.nginx?.servers[0];
    const at = server ? locationsWithAncestors(server)[0] : undefined;
    expect(server && at && clientMaxBodySize(nginx, server, at).bytes).toBeUndefined();
  });

  it("an image built FROM nginx is known; its tag in compose does not matter", () => {
    const nginx = nginxService("    build: .\n    image: example/frontend:1\n", "server { listen 80; }\n", { Dockerfile: "FROM nginx:1.27\n" });
    expect(httpContextKnown(nginx)).toBe(true);
  });

  it("a template's ${VAR} takes the container's value; without one it is unknown", () => {
    const render = (env: string) => {
      const m = model({
        "docker-compose.yml": `services:\n  nginx:\n    image: nginx:1.27\n${env}    volumes:\n      - ./templates:/etc/nginx/templates:ro\n`,
        "templates/default.conf.template": SITE,
      });
      const nginx = service(m, "nginx");
      const server = nginx.nginx?.servers[0];
      const at = server ? locationsWithAncestors(server)[0] : undefined;
      return server && at ? clientMaxBodySize(nginx, server, at).bytes : "no location";
    };
    expect(render("    environment:\n      BODY: 48m\n")).toBe(50331648);
    expect(render("    environment:\n      BODY: ${BODY_FROM_SHELL}\n")).toBeUndefined();
  });
});
