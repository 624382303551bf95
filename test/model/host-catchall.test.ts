import { describe, expect, it } from "vitest";
import type { Service } from "../../src/model/deployment-model.js";
import { defaultServers, passedHost, serverAnswersItself } from "../../src/model/host-catchall.js";
import { locationsWithAncestors } from "../../src/model/nginx-directives.js";
import { model, service } from "./helpers.js";

function nginxService(conf: string, env = ""): Service {
  const m = model({
    "docker-compose.yml": `services:\n  nginx:\n    image: nginx:1.27\n${env}    volumes:\n      - ./templates:/etc/nginx/templates:ro\n`,
    "templates/default.conf.template": conf,
  });
  return service(m, "nginx");
}

/** [socket, first server_name (or "-"), explicit] of every default server. */
function defaults(conf: string, env = ""): [string, string, boolean][] | undefined {
  return defaultServers(nginxService(conf, env))?.map((d) => [d.socket, d.server.serverNames[0]?.value ?? "-", d.explicit]);
}

/** passedHost of every passing location: the kind, and the directive's text when there is one. */
function hosts(conf: string): [string, string | undefined][] {
  const nginx = nginxService(conf);
  return (nginx.nginx?.servers ?? []).flatMap((server) =>
    locationsWithAncestors(server)
      .filter((at) => at.location.pass !== undefined)
      .map((at): [string, string | undefined] => {
        const pass = at.location.pass;
        if (!pass) return ["none", undefined];
        const host = passedHost({ nginx, server, at, pass, app: nginx });
        return [host.kind, host.kind === "unknown" ? undefined : host.directive?.args.map((a) => a.value).join(" ")];
      }),
  );
}

describe("defaultServers", () => {
  it("the first server on a socket, unless another is marked default_server", () => {
    expect(defaults("server { listen 80; server_name a.test; }\nserver { listen 80; server_name b.test; }\n")).toEqual([["*:80", "a.test", false]]);
    expect(defaults("server { listen 80; server_name a.test; }\nserver { listen 0.0.0.0:80 default_server; server_name b.test; }\n")).toEqual([["*:80", "b.test", true]]);
    expect(defaults("server { server_name a.test; }\nserver { listen [::]:443 ssl; listen 127.0.0.1:8080; server_name b.test; }\n")).toEqual([
      ["*:80", "a.test", false],
      ["[::]:443", "b.test", false],
      ["127.0.0.1:8080", "b.test", false],
    ]);
  });

  it("a listen address from an unknown template variable: unknown", () => {
    expect(defaults("server { listen ${PORT}; server_name a.test; }\n", "    environment:\n      PORT: ${FROM_SHELL}\n")).toBeUndefined();
    expect(defaults("server { listen ${PORT}; server_name a.test; }\n", "    environment:\n      PORT: 8000\n")).toEqual([["*:8000", "a.test", false]]);
  });

  it("a server-level return (or an if that may return) answers by itself", () => {
    const [d444, dIf, dPass] = nginxService(
      "server { listen 80 default_server; return 444; }\nserver { listen 81; if ($host !~ ^a\\.test$) { return 400; } location / { proxy_pass http://web:8000; } }\nserver { listen 82; location / { proxy_pass http://web:8000; } }\n",
    ).nginx?.servers ?? [];
    expect(d444 && serverAnswersItself(d444)?.name).toBe("return");
    expect(dIf && serverAnswersItself(dIf)?.name).toBe("if");
    expect(dPass && serverAnswersItself(dPass)).toBeUndefined();
  });
});

describe("passedHost", () => {
  it("proxy_pass: Host $host / $http_host is the client's, a literal is pinned, none is $proxy_host", () => {
    expect(hosts("server { location / { proxy_pass http://web:8000; proxy_set_header Host $host; } }\n")).toEqual([["client", "Host $host"]]);
    expect(hosts("server { proxy_set_header Host $http_host; location / { proxy_pass http://web:8000; } }\n")).toEqual([["client", "Host $http_host"]]);
    expect(hosts("server { location / { proxy_pass http://web:8000; proxy_set_header Host books.example.org; } }\n")).toEqual([["pinned", "Host books.example.org"]]);
    expect(hosts("server { location / { proxy_pass http://web:8000; } }\n")).toEqual([["pinned", "http://web:8000"]]);
  });

  it("uwsgi_pass forwards the client's Host unless a uwsgi_param HTTP_HOST in effect pins it", () => {
    expect(hosts("server { location / { include uwsgi_params; uwsgi_pass web:8000; } }\n")).toEqual([["client", undefined]]);
    expect(hosts("server { location / { include uwsgi_params; uwsgi_param HTTP_HOST books.example.org; uwsgi_pass web:8000; } }\n")).toEqual([["pinned", "HTTP_HOST books.example.org"]]);
    // The location's own uwsgi_params include stops the server's uwsgi_param from being inherited.
    expect(hosts("server { uwsgi_param HTTP_HOST books.example.org; location / { include uwsgi_params; uwsgi_pass web:8000; } }\n")).toEqual([["client", undefined]]);
    expect(hosts("server { uwsgi_param HTTP_HOST books.example.org; location / { uwsgi_pass web:8000; } }\n")).toEqual([["pinned", "HTTP_HOST books.example.org"]]);
  });

  it("a location-level if that may return: unknown", () => {
    expect(hosts("server { location / { if ($host = evil.test) { return 444; } proxy_pass http://web:8000; proxy_set_header Host $host; } }\n")).toEqual([["unknown", undefined]]);
  });
});
