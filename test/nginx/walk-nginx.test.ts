import { describe, expect, it } from "vitest";
import { parseNginxConf, walkNginx, type NginxDirective } from "../../src/parsers/nginx.js";

const text = [
  "http {",
  "    server {",
  "        location / {",
  "            if ($bad) { return 403; }",
  "            uwsgi_pass app;",
  "        }",
  "        listen 80;",
  "    }",
  "}",
  "events {}",
].join("\n");

describe("walkNginx", () => {
  const conf = parseNginxConf(text, "nginx/nginx.conf");

  it("visits depth-first in source order with the enclosing blocks outermost first", () => {
    const seen: Array<[string, string[], string, number]> = [];
    walkNginx(conf.directives, (d, ancestors, file) => seen.push([d.name, ancestors.map((a) => a.name), file, d.range.line]), conf.file);
    expect(seen).toEqual([
      ["http", [], "nginx/nginx.conf", 1],
      ["server", ["http"], "nginx/nginx.conf", 2],
      ["location", ["http", "server"], "nginx/nginx.conf", 3],
      ["if", ["http", "server", "location"], "nginx/nginx.conf", 4],
      ["return", ["http", "server", "location", "if"], "nginx/nginx.conf", 4],
      ["uwsgi_pass", ["http", "server", "location"], "nginx/nginx.conf", 5],
      ["listen", ["http", "server"], "nginx/nginx.conf", 7],
      ["events", [], "nginx/nginx.conf", 10],
    ]);
  });

  it("passes the ancestor directives themselves, in arrays that stay valid after the walk", () => {
    const kept: Array<[NginxDirective, NginxDirective[]]> = [];
    walkNginx(conf.directives, (d, ancestors) => kept.push([d, ancestors]));
    const [pass, passAncestors] = kept.find(([d]) => d.name === "uwsgi_pass")!;
    expect(passAncestors).toEqual([conf.directives[0], conf.directives[0]!.block![0], conf.directives[0]!.block![0]!.block![0]]);
    expect(passAncestors[2]!.block).toContain(pass);
    const [, listenAncestors] = kept.find(([d]) => d.name === "listen")!;
    expect(listenAncestors.map((a) => a.name)).toEqual(["http", "server"]);
  });

  it("takes the file from the directive ranges when no file is given", () => {
    const files = new Set<string>();
    walkNginx(conf.directives, (_d, _a, file) => files.add(file));
    expect([...files]).toEqual(["nginx/nginx.conf"]);
  });

  it("does nothing on an empty list", () => {
    let calls = 0;
    walkNginx([], () => calls++, "x.conf");
    expect(calls).toBe(0);
  });
});
