import { describe, expect, it } from "vitest";
import type { NginxLocation, NginxSite } from "../../src/model/deployment-model.js";
import { parseEndpoint } from "../../src/model/nginx-site.js";
import { bind, copy, environment, nginxSite, r } from "./helpers.js";

function site(loaded: { site: NginxSite | undefined }): NginxSite {
  if (!loaded.site) throw new Error("no nginx site");
  return loaded.site;
}

function names(s: NginxSite): (string | undefined)[] {
  return s.servers.flatMap((server) => server.serverNames.map((n) => n.value));
}

function location(s: NginxSite, uri: string): NginxLocation {
  const found = s.servers.flatMap((server) => server.locations).find((l) => l.uri.value === uri || l.uri.arg.value === uri);
  if (!found) throw new Error(`no location ${uri}`);
  return found;
}

describe("loadNginxSite: which configs nginx loads", () => {
  it("uses the repository's nginx.conf when it is mounted, and follows its includes", () => {
    const loaded = nginxSite(
      {
        "nginx/nginx.conf": "events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n",
        "nginx/conf.d/app.conf": "server {\n    server_name app;\n}\n",
        "nginx/conf.d/notes.txt": "server {\n    server_name notes;\n}\n",
      },
      [bind("./nginx/nginx.conf", "/etc/nginx/nginx.conf"), bind("./nginx/conf.d", "/etc/nginx/conf.d")],
    );
    expect(loaded.problems).toEqual([]);
    expect(site(loaded).entryFiles).toEqual(["nginx/nginx.conf"]);
    expect(names(site(loaded))).toEqual(["app"]);
  });

  it("with its own nginx.conf, conf.d is read only if nginx.conf includes it", () => {
    const loaded = nginxSite(
      {
        "nginx/nginx.conf": "events {}\nhttp {\n    server {\n        server_name main;\n    }\n}\n",
        "nginx/conf.d/app.conf": "server {\n    server_name app;\n}\n",
      },
      [bind("./nginx/nginx.conf", "/etc/nginx/nginx.conf"), bind("./nginx/conf.d", "/etc/nginx/conf.d")],
    );
    expect(site(loaded).entryFiles).toEqual(["nginx/nginx.conf"]);
    expect(names(site(loaded))).toEqual(["main"]);
  });

  it("without one, reads what the image's nginx.conf includes: conf.d/*.conf, then sites-enabled/*", () => {
    const loaded = nginxSite(
      {
        "nginx/conf.d/b.conf": "server {\n    server_name b;\n}\n",
        "nginx/conf.d/a.conf": "server {\n    server_name a;\n}\n",
        "nginx/conf.d/readme.md": "server {\n    server_name readme;\n}\n",
        "nginx/sites/mysite": "server {\n    server_name mysite;\n}\n",
      },
      [bind("./nginx/conf.d", "/etc/nginx/conf.d"), bind("./nginx/sites", "/etc/nginx/sites-enabled")],
    );
    expect(loaded.problems).toEqual([]);
    expect(site(loaded).entryFiles).toEqual(["nginx/conf.d/a.conf", "nginx/conf.d/b.conf", "nginx/sites/mysite"]);
    expect(names(site(loaded))).toEqual(["a", "b", "mysite"]);
  });

  it("finds configs the image COPYs in, not only mounted ones", () => {
    const loaded = nginxSite({ "deploy/site.conf": "server {\n    server_name copied;\n}\n" }, [], environment({}), {
      context: ".",
      copies: [copy(["deploy/site.conf"], "/etc/nginx/conf.d/")],
      dockerignore: undefined,
    });
    expect(site(loaded).entryFiles).toEqual(["deploy/site.conf"]);
    expect(names(site(loaded))).toEqual(["copied"]);
  });

  it("is undefined when the container holds no nginx config from the repository", () => {
    expect(nginxSite({ "other/x.conf": "server {}\n" }, [bind("./other", "/srv")]).site).toBeUndefined();
  });
});

describe("loadNginxSite: templates", () => {
  const templates = [bind("./nginx/templates", "/etc/nginx/templates")];

  it("renders /etc/nginx/templates/*.template into conf.d, as the official image does", () => {
    const loaded = nginxSite(
      {
        "nginx/templates/default.conf.template": "server {\n    server_name ${DOMAIN};\n    include /etc/nginx/conf.d/proxy;\n}\n",
        // Rendered to conf.d/proxy: not *.conf, so only loaded through the include above.
        "nginx/templates/proxy.template": "location / {\n    proxy_pass http://${APP_HOST}:8000;\n}\n",
        "nginx/templates/notes.txt": "server {\n    server_name notes;\n}\n",
      },
      templates,
      environment({ DOMAIN: "example.com", APP_HOST: "web" }),
    );
    expect(loaded.problems).toEqual([]);
    const s = site(loaded);
    expect(s.entryFiles).toEqual(["nginx/templates/default.conf.template"]);
    expect(names(s)).toEqual(["example.com"]);
    const root = location(s, "/");
    expect(root.directive.range.file).toBe("nginx/templates/proxy.template");
    expect(root.pass?.target.value).toBe("http://web:8000");
    expect(root.pass?.endpoints.map((e) => e.endpoint)).toEqual([{ kind: "tcp", host: "web", port: "8000" }]);
  });

  it("lists rendered templates and conf.d files together, sorted by their conf.d path", () => {
    const loaded = nginxSite(
      {
        "nginx/templates/b.conf.template": "server {\n    server_name b;\n}\n",
        "nginx/conf.d/a.conf": "server {\n    server_name a;\n}\n",
        "nginx/conf.d/c.conf": "server {\n    server_name c;\n}\n",
      },
      [...templates, bind("./nginx/conf.d", "/etc/nginx/conf.d")],
    );
    expect(site(loaded).entryFiles).toEqual(["nginx/conf.d/a.conf", "nginx/templates/b.conf.template", "nginx/conf.d/c.conf"]);
  });

  it("envsubst semantics: only variables the environment defines are replaced; $host stays", () => {
    const conf = "server {\n    server_name ${DOMAIN} $host www.${OTHER} $PLAIN;\n    root ${WEB_ROOT};\n}\n";
    const complete = site(nginxSite({ "nginx/templates/default.conf.template": conf }, templates, environment({ DOMAIN: "example.com", WEB_ROOT: "/srv/www" })));
    expect(names(complete)).toEqual(["example.com", "$host", "www.${OTHER}", "$PLAIN"]);
    expect(complete.servers[0]?.root?.value).toBe("/srv/www");
    expect(complete.servers[0]?.root?.arg.value).toBe("${WEB_ROOT}");
  });

  it("renders upstream servers and pass targets of a template too", () => {
    const conf = "upstream app {\n    server ${APP_HOST}:${APP_PORT};\n}\nserver {\n    location / { uwsgi_pass app; }\n    location /ws/ { proxy_pass http://${WS_HOST}; }\n}\n";
    const s = site(nginxSite({ "nginx/templates/default.conf.template": conf }, templates, environment({ APP_HOST: "web", APP_PORT: "3031", WS_HOST: undefined })));
    expect(s.upstreams.get("app")?.servers).toEqual([{ endpoint: { kind: "tcp", host: "web", port: "3031" }, range: r("nginx/templates/default.conf.template", 2, 12, 2, 35), upstream: "app" }]);
    expect(location(s, "/").pass?.endpoints.map((e) => e.endpoint)).toEqual([{ kind: "tcp", host: "web", port: "3031" }]);
    expect(location(s, "/ws/").pass?.target.value).toBeUndefined();
    expect(location(s, "/ws/").pass?.endpoints).toEqual([]);
  });

  it("a variable set without a known value (`- NAME` pass-through) makes the value unknown", () => {
    const conf = "server {\n    server_name ${DOMAIN} $DOMAIN static.example.com;\n}\n";
    const s = site(nginxSite({ "nginx/templates/default.conf.template": conf }, templates, environment({ DOMAIN: undefined })));
    expect(names(s)).toEqual([undefined, undefined, "static.example.com"]);
  });

  it("when the environment may be incomplete, an unset ${VAR} is unknown but a bare $var stays an nginx variable", () => {
    const conf = "server {\n    server_name ${DOMAIN} $host;\n}\n";
    const s = site(nginxSite({ "nginx/templates/default.conf.template": conf }, templates, environment({}, false)));
    expect(names(s)).toEqual([undefined, "$host"]);
  });

  it("does not substitute in files that are not templates", () => {
    const s = site(nginxSite({ "default.conf": "server {\n    server_name ${DOMAIN};\n}\n" }, undefined, environment({ DOMAIN: "example.com" })));
    expect(names(s)).toEqual(["${DOMAIN}"]);
  });

  it("uses a *.tpl an entrypoint renders when conf.d has nothing from the repository", () => {
    const files = {
      "nginx/default.conf.tpl": "server {\n    server_name ${DOMAIN};\n}\n",
      "nginx/templates/skip.conf.tpl": "server {\n    server_name skipped;\n}\n",
    };
    const loaded = nginxSite(files, [], environment({ DOMAIN: "example.com" }), {
      context: ".",
      copies: [copy(["nginx/default.conf.tpl"], "/etc/nginx/default.conf.tpl"), copy(["nginx/templates/skip.conf.tpl"], "/etc/nginx/templates/")],
      dockerignore: undefined,
    });
    expect(site(loaded).entryFiles).toEqual(["nginx/default.conf.tpl"]);
    expect(names(site(loaded))).toEqual(["example.com"]);
  });

  it("ignores the *.tpl when conf.d has a config", () => {
    const loaded = nginxSite(
      { "nginx/default.conf.tpl": "server {\n    server_name tpl;\n}\n", "nginx/site.conf": "server {\n    server_name conf;\n}\n" },
      [bind("./nginx/default.conf.tpl", "/etc/nginx/default.conf.tpl"), bind("./nginx/site.conf", "/etc/nginx/conf.d/site.conf")],
    );
    expect(site(loaded).entryFiles).toEqual(["nginx/site.conf"]);
  });
});

describe("loadNginxSite: includes", () => {
  it("follows includes through the container's mounts (absolute, relative to /etc/nginx, globs); image files stay external", () => {
    const loaded = nginxSite(
      {
        "site.conf": "server {\n    include /etc/nginx/snippets/a.conf;\n    include snippets/b*.conf;\n    include uwsgi_params;\n}\n",
        "snippets/a.conf": "location /a/ { }\n",
        "snippets/b1.conf": "location /b1/ { }\n",
        "snippets/b2.conf": "location /b2/ { }\n",
        "snippets/c.conf": "location /c/ { }\n",
      },
      [bind("./site.conf", "/etc/nginx/conf.d/site.conf"), bind("./snippets", "/etc/nginx/snippets")],
    );
    expect(loaded.problems).toEqual([]);
    const s = site(loaded);
    expect(s.entryFiles).toEqual(["site.conf"]);
    expect(s.servers[0]?.locations.map((l) => [l.uri.value, l.directive.range.file])).toEqual([
      ["/a/", "snippets/a.conf"],
      ["/b1/", "snippets/b1.conf"],
      ["/b2/", "snippets/b2.conf"],
    ]);
  });

  it("reports an include loop at the include directive", () => {
    const loaded = nginxSite(
      { "site.conf": "server {\n    include /etc/nginx/conf.d/site.conf;\n}\n" },
      [bind("./site.conf", "/etc/nginx/conf.d/site.conf")],
    );
    expect(loaded.problems).toEqual([{ range: r("site.conf", 2, 5, 2, 41), message: "include loop: site.conf → site.conf" }]);
  });
});

const PASSES = `upstream app {
    server unix:/run/app.sock;
    server web:8000 weight=2;
    server backend;
}
server {
    listen 443 ssl;
    location /a/ { uwsgi_pass app; }
    location /b/ { proxy_pass http://unix:/run/x.sock:/; }
    location /c/ { proxy_pass http://api:8000/prefix; }
    location /d/ { proxy_pass https://example.com; }
    location /e/ { proxy_pass http://$backend; }
    location /f/ { uwsgi_pass unix:/run/u.sock; }
    location /g/ { proxy_pass http://app/; }
    location /h/ { uwsgi_pass 127.0.0.1:3031; }
    location /i/ { proxy_pass http://[::1]:9000; }
    location /j/ { proxy_pass http://api; }
}
`;

describe("loadNginxSite: upstreams and passes", () => {
  const s = site(nginxSite({ "default.conf": PASSES }));

  it("reads upstream servers: unix socket, host:port, host with the default port 80", () => {
    expect([...s.upstreams.keys()]).toEqual(["app"]);
    expect(s.upstreams.get("app")?.servers).toEqual([
      { endpoint: { kind: "unix", path: "/run/app.sock" }, range: r("default.conf", 2, 12, 2, 30), upstream: "app" },
      { endpoint: { kind: "tcp", host: "web", port: "8000" }, range: r("default.conf", 3, 12, 3, 20), upstream: "app" },
      { endpoint: { kind: "tcp", host: "backend", port: "80" }, range: r("default.conf", 4, 12, 4, 19), upstream: "app" },
    ]);
  });

  it("resolves each pass target to endpoints, with the protocol its directive speaks", () => {
    const row = (uri: string) => {
      const pass = location(s, uri).pass;
      return [pass?.directive, pass?.protocol, pass?.endpoints.map((e) => [e.endpoint, e.upstream])];
    };
    const upstreamApp = [
      [{ kind: "unix", path: "/run/app.sock" }, "app"],
      [{ kind: "tcp", host: "web", port: "8000" }, "app"],
      [{ kind: "tcp", host: "backend", port: "80" }, "app"],
    ];
    expect(row("/a/")).toEqual(["uwsgi_pass", "uwsgi", upstreamApp]);
    expect(row("/b/")).toEqual(["proxy_pass", "http", [[{ kind: "unix", path: "/run/x.sock" }, undefined]]]);
    expect(row("/c/")).toEqual(["proxy_pass", "http", [[{ kind: "tcp", host: "api", port: "8000" }, undefined]]]);
    expect(row("/d/")).toEqual(["proxy_pass", "http", [[{ kind: "tcp", host: "example.com", port: "443" }, undefined]]]);
    expect(row("/e/")).toEqual(["proxy_pass", "http", []]);
    expect(row("/f/")).toEqual(["uwsgi_pass", "uwsgi", [[{ kind: "unix", path: "/run/u.sock" }, undefined]]]);
    expect(row("/g/")).toEqual(["proxy_pass", "http", upstreamApp]);
    expect(row("/h/")).toEqual(["uwsgi_pass", "uwsgi", [[{ kind: "tcp", host: "127.0.0.1", port: "3031" }, undefined]]]);
    expect(row("/i/")).toEqual(["proxy_pass", "http", [[{ kind: "tcp", host: "::1", port: "9000" }, undefined]]]);
    expect(row("/j/")).toEqual(["proxy_pass", "http", [[{ kind: "tcp", host: "api", port: "80" }, undefined]]]);
  });

  it("a target that is no upstream points at the pass argument itself", () => {
    expect(location(s, "/c/").pass?.endpoints[0]?.range).toEqual(r("default.conf", 10, 31, 10, 53));
    expect(location(s, "/c/").pass?.target).toMatchObject({ value: "http://api:8000/prefix", arg: { range: r("default.conf", 10, 31, 10, 53) } });
  });

  it("marks TLS servers", () => {
    expect(s.servers.map((server) => [server.tls, server.listens.map((l) => l.args.map((a) => a.value))])).toEqual([[true, [["443", "ssl"]]]]);
  });
});

describe("loadNginxSite: locations", () => {
  it("reads modifiers, also glued to the URI, and named locations", () => {
    const s = site(
      nginxSite({
        "default.conf":
          "server {\n    location = /x { }\n    location =/y { }\n    location ~\\.php$ { }\n    location ~* \\.jpg$ { }\n    location ^~ /media/ { }\n    location @app { }\n    location / { }\n}\n",
      }),
    );
    expect(s.servers[0]?.locations.map((l) => [l.modifier, l.uri.value])).toEqual([
      ["=", "/x"],
      ["=", "/y"],
      ["~", "\\.php$"],
      ["~*", "\\.jpg$"],
      ["^~", "/media/"],
      ["@", "@app"],
      ["", "/"],
    ]);
  });

  it("inherits root from http to server to location to nested location; a location's own root wins", () => {
    const loaded = nginxSite(
      {
        "nginx.conf":
          "events {}\nhttp {\n    root /srv/http;\n    server {\n        location / {\n            location /inner/ { }\n        }\n        location /own/ {\n            root /srv/own;\n            location /own/inner/ { }\n        }\n    }\n}\n",
      },
      [bind("./nginx.conf", "/etc/nginx/nginx.conf")],
    );
    const [server] = site(loaded).servers;
    expect(server?.root?.value).toBe("/srv/http");
    expect(server?.locations.map((l) => [l.uri.value, l.root?.value, l.children.map((c) => [c.uri.value, c.root?.value])])).toEqual([
      ["/", "/srv/http", [["/inner/", "/srv/http"]]],
      ["/own/", "/srv/own", [["/own/inner/", "/srv/own"]]],
    ]);
  });

  it("keeps alias, try_files and the pass of each location", () => {
    const s = site(
      nginxSite({ "default.conf": "server {\n    location /static/ {\n        alias /code/static/;\n        try_files $uri =404;\n    }\n}\n" }),
    );
    const l = location(s, "/static/");
    expect(l.alias?.value).toBe("/code/static/");
    expect(l.alias?.arg.range).toEqual(r("default.conf", 3, 15, 3, 28));
    expect(l.tryFiles?.args.map((a) => a.value)).toEqual(["$uri", "=404"]);
    expect(l.pass).toBeUndefined();
  });
});

describe("parseEndpoint", () => {
  it.each([
    ["unix:///run/app.sock", "80", { kind: "unix", path: "/run/app.sock" }],
    ["unix:/run/app.sock", "80", { kind: "unix", path: "/run/app.sock" }],
    ["web:8000", "80", { kind: "tcp", host: "web", port: "8000" }],
    ["web", "80", { kind: "tcp", host: "web", port: "80" }],
    ["web", "443", { kind: "tcp", host: "web", port: "443" }],
    ["[::1]:8000", "80", { kind: "tcp", host: "::1", port: "8000" }],
    ["[::1]", "80", { kind: "tcp", host: "::1", port: "80" }],
    ["$backend", "80", undefined],
    ["web:$port", "80", undefined],
    ["", "80", undefined],
  ])("%s (default port %s)", (address, defaultPort, expected) => {
    expect(parseEndpoint(address, defaultPort)).toEqual(expected);
  });
});
