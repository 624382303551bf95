import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NginxLocation, NginxServer } from "../../src/model/deployment-model.js";
import { locationsFor, selectLocation, servedFile } from "../../src/model/nginx-routing.js";
import { toolAvailable } from "../support/tools.js";
import { environment, nginxSite } from "./helpers.js";

/** The servers of one conf.d file, loaded as the model loads them. */
function servers(conf: string, env = environment({})): NginxServer[] {
  const { site, problems } = nginxSite({ "default.conf": conf }, undefined, env);
  expect(problems).toEqual([]);
  return site?.servers ?? [];
}

function onlyServer(conf: string): NginxServer {
  const [server, ...rest] = servers(conf);
  expect(rest).toEqual([]);
  if (!server) throw new Error("no server");
  return server;
}

/** Line of the chosen location's directive (undefined: nothing matched). */
function chosenLine(locations: readonly NginxLocation[], uri: string): number | undefined {
  return selectLocation(locations, uri)?.directive.range.line;
}

// Each location answers with its own line number, so real nginx can be asked the same question.
const ROUTING = `server {
    listen 80;
    root /srv/www;
    location = / { return 200 "L4"; }
    location / { return 200 "L5"; }
    location /static/ { alias /code/static/; return 200 "L6"; }
    location /static/admin/ { alias /code/admin/; return 200 "L7"; }
    location ^~ /media/ { alias /data/media/; return 200 "L8"; }
    location ~ \\.(png|jpg)$ { return 200 "L9"; }
    location ~* \\.CSS$ { return 200 "L10"; }
    location ~ \\.css$ { return 200 "L11"; }
    location @fallback { return 200 "L12"; }
    location /api/ {
        location /api/v2/ { return 200 "L14"; }
        location ~ ^/api/.*\\.json$ { return 200 "L15"; }
        return 200 "L13";
    }
    location ~ (?i)\\.pdf$ { return 200 "L18"; }
}
`;

/** URI → line of the location nginx picks (verified against real nginx below). */
const EXPECTED: [string, number, string][] = [
  ["/", 4, "exact = wins over the prefix /"],
  ["/index.html", 5, "only the / prefix"],
  ["/static/js/app.js", 6, "longest prefix"],
  ["/static/admin/base.js", 7, "the longer of two prefixes"],
  ["/static/css/site.css", 10, "a regex beats a plain prefix; ~* is case-insensitive"],
  ["/media/a.png", 8, "^~ stops the regex search"],
  ["/media", 5, "/media/ is not a prefix of /media"],
  ["/x.png", 9, "regex after the / prefix"],
  ["/X.PNG", 5, "~ is case-sensitive"],
  ["/a.css", 10, "regexes in order: the first that matches wins (~* before ~)"],
  ["/A.CSS", 10, "~* matches upper case"],
  ["/api/other", 13, "prefix with nested locations, none of which matches"],
  ["/api/v2/users", 14, "nested prefix inside the chosen prefix"],
  ["/api/data.json", 15, "nested regex inside the chosen prefix"],
  ["/api/v2/data.json", 15, "a nested regex beats the nested prefix"],
  ["/api/v2/logo.png", 9, "an outer regex beats a prefix nested inside the chosen prefix"],
];

describe("selectLocation", () => {
  const locations = onlyServer(ROUTING).locations;

  it.each(EXPECTED)("%s → line %i (%s)", (uri, line) => {
    expect(chosenLine(locations, uri)).toBe(line);
  });

  it("treats a regex JavaScript cannot compile (PCRE's (?i)) as not matching", () => {
    const pdf = locations.find((l) => l.directive.range.line === 18);
    expect(pdf?.modifier).toBe("~");
    expect(pdf?.uri.value).toBe("(?i)\\.pdf$");
    expect(chosenLine(locations, "/doc.pdf")).toBe(5);
  });

  it("never matches a named location, not even by its own name", () => {
    const server = onlyServer(`server {
    location @app { proxy_pass http://app:8000; }
    location = /health { return 200; }
}
`);
    expect(selectLocation(server.locations, "@app")).toBeUndefined();
    expect(selectLocation(server.locations, "/app")).toBeUndefined();
    expect(chosenLine(server.locations, "/health")).toBe(3);
  });

  it("is undefined when nothing matches (no / location)", () => {
    const server = onlyServer("server {\n    location /static/ { }\n    location = /x { }\n}\n");
    expect(selectLocation(server.locations, "/other")).toBeUndefined();
    expect(selectLocation(server.locations, "/x/")).toBeUndefined();
    expect(chosenLine(server.locations, "/x")).toBe(3);
  });

  it("matches an exact location only on the whole URI", () => {
    const server = onlyServer("server {\n    location = /static { }\n    location /static { }\n}\n");
    expect(chosenLine(server.locations, "/static")).toBe(2);
    expect(chosenLine(server.locations, "/static/")).toBe(3);
    expect(chosenLine(server.locations, "/staticfiles/a.css")).toBe(3);
  });

  it("takes an exact location nested inside a prefix", () => {
    const server = onlyServer("server {\n    location /api/ {\n        location = /api/ping { }\n    }\n    location ~ ping$ { }\n}\n");
    expect(chosenLine(server.locations, "/api/ping")).toBe(3);
    expect(chosenLine(server.locations, "/x/ping")).toBe(5);
  });

  it("a ^~ prefix that is not the longest does not stop the regex search", () => {
    const server = onlyServer("server {\n    location ^~ /static/ { }\n    location /static/img/ { }\n    location ~ \\.png$ { }\n}\n");
    expect(chosenLine(server.locations, "/static/img/a.png")).toBe(4);
    expect(chosenLine(server.locations, "/static/a.png")).toBe(2);
  });

  it("locationsFor answers with one location per server that has a match", () => {
    const all = servers(`server {
    server_name a;
    location / { }
}
server {
    server_name b;
    location /only/ { }
}
server {
    server_name c;
    location ~ ^/x { }
}
`);
    expect(locationsFor(all, "/x").map(({ server, location }) => [server.serverNames[0]?.value, location.directive.range.line])).toEqual([
      ["a", 3],
      ["c", 11],
    ]);
    expect(locationsFor(all, "/only/y").map(({ server, location }) => [server.serverNames[0]?.value, location.directive.range.line])).toEqual([
      ["a", 3],
      ["b", 7],
    ]);
  });
});

describe("servedFile", () => {
  function served(locationLines: string, uri: string, serverRoot = "") {
    const server = onlyServer(`server {\n${serverRoot}${locationLines}\n}\n`);
    const location = selectLocation(server.locations, uri);
    if (!location) throw new Error(`no location for ${uri}`);
    return servedFile(location, uri);
  }

  it("alias replaces the location prefix", () => {
    expect(served("location /static/ { alias /code/static/; }", "/static/css/site.css")).toEqual({ path: "/code/static/css/site.css", via: "alias" });
  });

  it("does not normalise: an alias without its trailing slash shows", () => {
    expect(served("location /static/ { alias /code/static; }", "/static/css/site.css")).toEqual({ path: "/code/staticcss/site.css", via: "alias" });
    expect(served("location /static { alias /code/static/; }", "/static/css/site.css")).toEqual({ path: "/code/static//css/site.css", via: "alias" });
  });

  it("root is prepended to the whole URI", () => {
    expect(served("location /static/ { root /code; }", "/static/css/site.css")).toEqual({ path: "/code/static/css/site.css", via: "root" });
  });

  it("a location without its own root uses the server's", () => {
    expect(served("location / { }", "/index.html", "root /srv/www;\n")).toEqual({ path: "/srv/www/index.html", via: "root" });
  });

  it("a nested location inherits the enclosing location's root", () => {
    expect(served("location /a/ { root /data; location /a/b/ { } }", "/a/b/c.txt")).toEqual({ path: "/data/a/b/c.txt", via: "root" });
  });

  it("relative root and alias resolve against /etc/nginx", () => {
    expect(served("location / { root html; }", "/index.html")).toEqual({ path: "/etc/nginx/html/index.html", via: "root" });
    expect(served("location /s/ { alias static/; }", "/s/a.css")).toEqual({ path: "/etc/nginx/static/a.css", via: "alias" });
  });

  it("a location that passes the request on serves no file, unless try_files tries files first", () => {
    expect(served("location / { uwsgi_pass app:8000; }", "/x", "root /srv;\n")).toBeUndefined();
    expect(served("location / { proxy_pass http://app:8000; }", "/x", "root /srv;\n")).toBeUndefined();
    expect(served("location / { try_files $uri @app; proxy_pass http://app:8000; }", "/x", "root /srv;\n")).toEqual({ path: "/srv/x", via: "root" });
  });

  it("nothing to serve from: no root anywhere, no alias", () => {
    expect(served("location / { }", "/x")).toBeUndefined();
  });

  it("alias in a regex location depends on captures: path unknown", () => {
    expect(served("location ~ ^/static/(.*)$ { alias /code/static/$1; }", "/static/a.css")).toEqual({ path: undefined, via: "alias" });
  });

  it("an alias or root whose template value is unknown gives an unknown path", () => {
    const { site } = nginxSite(
      { "templates/default.conf.template": "server {\n    location /static/ { alias ${STATIC_DIR}/; }\n    location / { root ${WEB_ROOT}; }\n}\n" },
      [{ type: "bind", source: "templates", target: "/etc/nginx/templates", readOnly: false, range: { file: "x", line: 1, column: 1, endLine: 1, endColumn: 1 } }],
      environment({ WEB_ROOT: undefined }, false),
    );
    const [server] = site?.servers ?? [];
    const locations = server?.locations ?? [];
    expect(servedFile(locations[0]!, "/static/a.css")).toEqual({ path: undefined, via: "alias" });
    expect(servedFile(locations[1]!, "/a")).toEqual({ path: undefined, via: "root" });
  });
});

// ---------------------------------------------------------------------------------------
// The same routing table asked of real nginx.

const nginxAvailable = toolAvailable("nginx", ["nginx", "-v"]);

const temps: string[] = [];
let running: ChildProcess | undefined;
afterAll(() => {
  if (running?.pid !== undefined && running.exitCode === null) process.kill(running.pid, "SIGTERM");
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function ask(port: number, uri: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${uri}`);
  return response.text();
}

describe("selectLocation agrees with real nginx", () => {
  it.skipIf(!nginxAvailable)("on every URI of the routing table", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dpl-routing-"));
    temps.push(dir);
    mkdirSync(join(dir, "tmp"));
    const port = await freePort();
    writeFileSync(join(dir, "site.conf"), ROUTING.replace("listen 80;", `listen 127.0.0.1:${port};`));
    const tmp = join(dir, "tmp");
    writeFileSync(
      join(dir, "nginx.conf"),
      `daemon off;\npid ${join(dir, "nginx.pid")};\nevents {}\nhttp {\n  access_log off;\n` +
        `  client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};\n` +
        `  include ${join(dir, "site.conf")};\n}\n`,
    );
    running = spawn("nginx", ["-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], { stdio: "ignore" });
    let ready = false;
    for (let attempt = 0; attempt < 100 && !ready; attempt++) {
      try {
        await ask(port, "/");
        ready = true;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(ready).toBe(true);
    const fromNginx: [string, string][] = [];
    for (const [uri] of EXPECTED) fromNginx.push([uri, await ask(port, uri)]);
    expect(fromNginx).toEqual(EXPECTED.map(([uri, line]) => [uri, `L${line}`]));
    // Where PCRE and JavaScript differ, nginx matches (?i): the model stays silent instead.
    expect(await ask(port, "/doc.PDF")).toBe("L18");
    if (running.pid !== undefined) process.kill(running.pid, "SIGTERM");
  });
});
