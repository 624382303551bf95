import { describe, expect, it } from "vitest";
import { expandIncludes, type IncludeResolver } from "../../src/model/nginx-includes.js";
import { parseNginxConf, walkNginx, type NginxDirective } from "../../src/parsers/nginx.js";
import { MemoryResolver } from "./memory-resolver.js";

function range(file: string, line: number, column: number, endLine: number, endColumn: number) {
  return { file, line, column, endLine, endColumn };
}

/** name + args, blocks nested, and included files as `=> file` entries. */
function shape(list: NginxDirective[]): unknown[] {
  return list.map((d) => {
    const head = [d.name, ...d.args.map((a) => a.value)].join(" ");
    if (d.block) return { [head]: shape(d.block) };
    if (d.included) return { [head]: d.included.map((inc) => ({ [`=> ${inc.file}`]: shape(inc.directives) })) };
    return head;
  });
}

const ROOT = "deploy/nginx";
const MOUNTS = { "/etc/nginx/nginx.conf": `${ROOT}/nginx.conf`, "/etc/nginx/conf.d": `${ROOT}/conf.d` };

function setup(files: Record<string, string>, entry = `${ROOT}/nginx.conf`, mounts: Record<string, string> = MOUNTS) {
  const resolver = new MemoryResolver(files, mounts);
  const conf = parseNginxConf(files[entry]!, entry);
  return { resolver, conf };
}

describe("expandIncludes", () => {
  const files = {
    [`${ROOT}/nginx.conf`]: "events {}\nhttp {\n    include mime.types;\n    include conf.d/*.conf;\n    sendfile on;\n}\n",
    [`${ROOT}/conf.d/b-api.conf`]: "server { listen 8001; }\n",
    [`${ROOT}/conf.d/a-site.conf`]: "server {\n    listen 80;\n    include /etc/nginx/conf.d/snippets/static.inc;\n}\n",
    [`${ROOT}/conf.d/snippets/static.inc`]: "location /static/ { alias /srv/static/; }\n",
    [`${ROOT}/conf.d/notes.txt`]: "not nginx at all {",
  };

  it("follows a glob in nginx's (alphabetical) order and nested includes, leaving image-provided files unexpanded", () => {
    const { resolver, conf } = setup(files);
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([]);
    expect(expanded.file).toBe(`${ROOT}/nginx.conf`);
    expect(expanded.files).toEqual([
      `${ROOT}/nginx.conf`,
      `${ROOT}/conf.d/a-site.conf`,
      `${ROOT}/conf.d/snippets/static.inc`,
      `${ROOT}/conf.d/b-api.conf`,
    ]);
    expect(shape(expanded.directives)).toEqual([
      { events: [] },
      {
        http: [
          "include mime.types",
          {
            "include conf.d/*.conf": [
              {
                [`=> ${ROOT}/conf.d/a-site.conf`]: [
                  {
                    server: [
                      "listen 80",
                      {
                        "include /etc/nginx/conf.d/snippets/static.inc": [
                          { [`=> ${ROOT}/conf.d/snippets/static.inc`]: [{ "location /static/": ["alias /srv/static/"] }] },
                        ],
                      },
                    ],
                  },
                ],
              },
              { [`=> ${ROOT}/conf.d/b-api.conf`]: [{ server: ["listen 8001"] }] },
            ],
          },
          "sendfile on",
        ],
      },
    ]);
    // "external" (mime.types from the image) stays unexpanded.
    expect(expanded.directives[1]!.block![0]!.included).toBeUndefined();
    expect(resolver.resolved).toEqual([
      ["mime.types", `${ROOT}/nginx.conf`],
      ["conf.d/*.conf", `${ROOT}/nginx.conf`],
      ["/etc/nginx/conf.d/snippets/static.inc", `${ROOT}/conf.d/a-site.conf`],
    ]);
    expect(resolver.loads).toEqual([`${ROOT}/conf.d/a-site.conf`, `${ROOT}/conf.d/snippets/static.inc`, `${ROOT}/conf.d/b-api.conf`]);
  });

  it("keeps the ranges of included directives in their own file", () => {
    const { resolver, conf } = setup(files);
    const expanded = expandIncludes(conf, resolver);
    const seen: Array<[string, string, string[], unknown]> = [];
    walkNginx(
      expanded.directives,
      (d, ancestors, file) => {
        if (d.name === "alias" || d.name === "listen") seen.push([d.name, file, ancestors.map((a) => a.name), d.args[0]!.range]);
      },
      expanded.file,
    );
    expect(seen).toEqual([
      ["listen", `${ROOT}/conf.d/a-site.conf`, ["http", "server"], range(`${ROOT}/conf.d/a-site.conf`, 2, 12, 2, 14)],
      ["alias", `${ROOT}/conf.d/snippets/static.inc`, ["http", "server", "location"], range(`${ROOT}/conf.d/snippets/static.inc`, 1, 27, 1, 39)],
      ["listen", `${ROOT}/conf.d/b-api.conf`, ["http", "server"], range(`${ROOT}/conf.d/b-api.conf`, 1, 17, 1, 21)],
    ]);
  });

  it("returns a new tree: the parsed files are not mutated and untouched directives are shared", () => {
    const { resolver, conf } = setup(files);
    const before = structuredClone(conf);
    const expanded = expandIncludes(conf, resolver);
    expect(conf).toEqual(before);
    expect(expanded.directives).not.toBe(conf.directives);
    // `events` has no include below it: shared as is. `http` is on the path to an include: copied.
    expect(expanded.directives[0]).toBe(conf.directives[0]);
    expect(expanded.directives[1]).not.toBe(conf.directives[1]);
    expect(expanded.directives[1]!.block![2]).toBe(conf.directives[1]!.block![2]);
    expect(conf.directives[1]!.block![1]!.included).toBeUndefined();
  });

  it("gives `included: []` for a glob that matches nothing, without a problem", () => {
    const { resolver, conf } = setup({ [`${ROOT}/nginx.conf`]: "http { include conf.d/*.conf; }" });
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([]);
    expect(expanded.directives[0]!.block![0]!.included).toEqual([]);
    expect(expanded.files).toEqual([`${ROOT}/nginx.conf`]);
  });

  it("reports a plain include path that the repository should provide but does not", () => {
    const { resolver, conf } = setup({ [`${ROOT}/nginx.conf`]: "http {\n  include conf.d/site.conf;\n}" });
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([
      { range: range(`${ROOT}/nginx.conf`, 2, 11, 2, 27), message: `include "conf.d/site.conf" names no file in the repository` },
    ]);
    expect(expanded.directives[0]!.block![0]!.included).toEqual([]);
  });

  it("reports an include without exactly one argument and does not follow it", () => {
    const { resolver, conf } = setup({ [`${ROOT}/nginx.conf`]: "include;\ninclude a.conf b.conf;\n" });
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([
      { range: range(`${ROOT}/nginx.conf`, 1, 1, 1, 9), message: `invalid number of arguments in "include" directive (0, expected 1)` },
      { range: range(`${ROOT}/nginx.conf`, 2, 1, 2, 23), message: `invalid number of arguments in "include" directive (2, expected 1)` },
    ]);
    expect(resolver.resolved).toEqual([]);
  });

  it("reports an include loop at the include that closes it, and does not follow it", () => {
    const loop = {
      [`${ROOT}/nginx.conf`]: "include conf.d/a.conf;\n",
      [`${ROOT}/conf.d/a.conf`]: "server_tokens off;\ninclude conf.d/b.conf;\n",
      [`${ROOT}/conf.d/b.conf`]: "gzip on;\n  include conf.d/a.conf;\n",
    };
    const { resolver, conf } = setup(loop);
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([
      {
        range: range(`${ROOT}/conf.d/b.conf`, 2, 3, 2, 25),
        message: `include loop: ${ROOT}/conf.d/a.conf → ${ROOT}/conf.d/b.conf → ${ROOT}/conf.d/a.conf`,
      },
    ]);
    expect(shape(expanded.directives)).toEqual([
      {
        "include conf.d/a.conf": [
          {
            [`=> ${ROOT}/conf.d/a.conf`]: [
              "server_tokens off",
              { "include conf.d/b.conf": [{ [`=> ${ROOT}/conf.d/b.conf`]: ["gzip on", { "include conf.d/a.conf": [] }] }] },
            ],
          },
        ],
      },
    ]);
    expect(expanded.files).toEqual([`${ROOT}/nginx.conf`, `${ROOT}/conf.d/a.conf`, `${ROOT}/conf.d/b.conf`]);
  });

  it("reports a file that includes itself, and a loop back to the entry", () => {
    const self = { [`${ROOT}/nginx.conf`]: "include nginx.conf;\n" };
    const { resolver, conf } = setup(self);
    expect(expandIncludes(conf, resolver).problems).toEqual([
      { range: range(`${ROOT}/nginx.conf`, 1, 1, 1, 20), message: `include loop: ${ROOT}/nginx.conf → ${ROOT}/nginx.conf` },
    ]);
    const back = { [`${ROOT}/nginx.conf`]: "include conf.d/x.conf;\n", [`${ROOT}/conf.d/x.conf`]: "include nginx.conf;" };
    const second = setup(back);
    expect(expandIncludes(second.conf, second.resolver).problems.map((p) => p.message)).toEqual([
      `include loop: ${ROOT}/nginx.conf → ${ROOT}/conf.d/x.conf → ${ROOT}/nginx.conf`,
    ]);
  });

  it("stops at maxDepth with a problem at the include that goes too deep", () => {
    const chain: Record<string, string> = { [`${ROOT}/nginx.conf`]: "include conf.d/1.conf;" };
    for (let i = 1; i <= 5; i++) chain[`${ROOT}/conf.d/${i}.conf`] = i < 5 ? `level ${i};\ninclude conf.d/${i + 1}.conf;` : "level 5;";
    const { resolver, conf } = setup(chain);
    const expanded = expandIncludes(conf, resolver, 3);
    expect(expanded.problems).toEqual([
      {
        range: range(`${ROOT}/conf.d/3.conf`, 2, 1, 2, 23),
        message: `includes nested more than 3 levels deep: ${ROOT}/nginx.conf → ${ROOT}/conf.d/1.conf → ${ROOT}/conf.d/2.conf → ${ROOT}/conf.d/3.conf → ${ROOT}/conf.d/4.conf`,
      },
    ]);
    const levels: string[] = [];
    walkNginx(expanded.directives, (d) => d.name === "level" && levels.push(d.args[0]!.value));
    expect(levels).toEqual(["1", "2", "3"]);
    // With the default depth (16) the whole chain is followed.
    const full = expandIncludes(conf, new MemoryResolver(chain, MOUNTS));
    expect(full.problems).toEqual([]);
    expect(full.files).toHaveLength(6);
  });

  it("carries the problems of included files once per file, even when a file is included twice", () => {
    const broken = {
      [`${ROOT}/nginx.conf`]: "http {\n  server { include conf.d/common.inc; }\n  server { include conf.d/common.inc; }\n}\n",
      [`${ROOT}/conf.d/common.inc`]: "gzip on\n}\n",
    };
    const { resolver, conf } = setup(broken);
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems).toEqual([{ range: range(`${ROOT}/conf.d/common.inc`, 2, 1, 2, 2), message: `unexpected "}": directive "gzip" is not terminated by ";"` }]);
    expect(expanded.files).toEqual([`${ROOT}/nginx.conf`, `${ROOT}/conf.d/common.inc`]);
    const gzips: string[][] = [];
    walkNginx(expanded.directives, (d, ancestors, file) => d.name === "gzip" && gzips.push([file, ...ancestors.map((a) => a.name)]));
    expect(gzips).toEqual([
      [`${ROOT}/conf.d/common.inc`, "http", "server"],
      [`${ROOT}/conf.d/common.inc`, "http", "server"],
    ]);
    expect(resolver.loads).toEqual([`${ROOT}/conf.d/common.inc`]);
  });

  it("keeps the entry's own problems first", () => {
    const { resolver, conf } = setup({
      [`${ROOT}/nginx.conf`]: "include conf.d/x.conf;\n}\n",
      [`${ROOT}/conf.d/x.conf`]: "listen 80",
    });
    expect(expandIncludes(conf, resolver).problems).toEqual([
      { range: range(`${ROOT}/nginx.conf`, 2, 1, 2, 2), message: `unexpected "}"` },
      { range: range(`${ROOT}/conf.d/x.conf`, 1, 1, 1, 10), message: `unexpected end of file: directive "listen" is not terminated by ";"` },
    ]);
  });

  it("expands a file included from many places once (no exponential blow-up on diamond includes)", () => {
    // Each level includes the next one twice: 2^16 paths, 17 files.
    const diamonds: Record<string, string> = { [`${ROOT}/nginx.conf`]: "include conf.d/d1.conf;" };
    for (let i = 1; i <= 16; i++) {
      diamonds[`${ROOT}/conf.d/d${i}.conf`] = i < 16 ? `include conf.d/d${i + 1}.conf;\ninclude conf.d/d${i + 1}.conf;` : "leaf on;";
    }
    const { resolver, conf } = setup(diamonds);
    const resolve = resolver.resolve.bind(resolver);
    let resolveCalls = 0;
    const counting: IncludeResolver = {
      resolve: (pattern, from) => {
        resolveCalls++;
        return resolve(pattern, from);
      },
      load: (file) => resolver.load(file),
    };
    const started = performance.now();
    const expanded = expandIncludes(conf, counting);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(expanded.problems).toEqual([]);
    expect(expanded.files).toHaveLength(17);
    expect(resolveCalls).toBe(1 + 15 * 2);
    let leaves = 0;
    walkNginx(expanded.directives, (d) => {
      if (d.name === "leaf") leaves++;
    });
    expect(leaves).toBe(2 ** 15);
  });

  it("does not reuse an expansion that was cut by a loop somewhere else in the chain", () => {
    // b.conf is first reached from a.conf (where its include of a.conf is a loop), then from the entry directly.
    const files2 = {
      [`${ROOT}/nginx.conf`]: "include conf.d/a.conf;\ninclude conf.d/b.conf;",
      [`${ROOT}/conf.d/a.conf`]: "include conf.d/b.conf;\nfrom_a on;",
      [`${ROOT}/conf.d/b.conf`]: "include conf.d/a.conf;\nfrom_b on;",
    };
    const { resolver, conf } = setup(files2);
    const expanded = expandIncludes(conf, resolver);
    expect(expanded.problems.map((p) => p.message)).toEqual([
      `include loop: ${ROOT}/conf.d/a.conf → ${ROOT}/conf.d/b.conf → ${ROOT}/conf.d/a.conf`,
      `include loop: ${ROOT}/conf.d/b.conf → ${ROOT}/conf.d/a.conf → ${ROOT}/conf.d/b.conf`,
    ]);
    const order: string[] = [];
    walkNginx(expanded.directives, (d) => d.name.startsWith("from_") && order.push(d.name));
    // entry → a → (b → a cut) from_b, from_a; entry → b → (a → b cut) from_a, from_b
    expect(order).toEqual(["from_b", "from_a", "from_a", "from_b"]);
  });
});
