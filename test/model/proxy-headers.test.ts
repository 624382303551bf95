import { describe, expect, it } from "vitest";
import type { NginxPass } from "../../src/model/deployment-model.js";
import { locationsWithAncestors } from "../../src/model/nginx-directives.js";
import { allowedHostsAccept, effectiveProxyHeaders, headerOfMetaKey, headerValueOverTls, metaKeyOfHeader, proxyHostOf } from "../../src/model/proxy-headers.js";
import { lintRuleFixture } from "../rules/rule-table.js";

/** [header, value] of the proxy_set_header in effect for every passing location, with the level that decides. */
function headersOf(rule: string, fixture: string): { uri: string | undefined; level: string; headers: [string, string | undefined][] }[] {
  const nginx = lintRuleFixture(rule, fixture).result.model.stacks[0]?.services.find((s) => s.name === "nginx");
  if (!nginx) return [];
  return (nginx.nginx?.servers ?? []).flatMap((server) =>
    locationsWithAncestors(server)
      .filter((l) => l.location.pass !== undefined)
      .map((l) => {
        const h = effectiveProxyHeaders(nginx, server, l);
        if (!h.known) return { uri: l.location.uri.value, level: "unknown", headers: [] };
        return { uri: l.location.uri.value, level: h.level, headers: [...h.headers.values()].map((x): [string, string | undefined] => [x.name, x.value]) };
      }),
  );
}

describe("proxy-headers", () => {
  it("a location with proxy_set_header of its own does not inherit the server's", () => {
    expect(headersOf("nginx/host-header", "bad-inheritance")).toEqual([{ uri: "/", level: "location", headers: [["X-Forwarded-Proto", "$scheme"]] }]);
    expect(headersOf("deploy/proxy-ssl-header", "bad-location-drops-header")).toEqual([{ uri: "/", level: "location", headers: [["Host", "$http_host"]] }]);
    expect(headersOf("nginx/host-header", "good")).toEqual([
      {
        uri: "/",
        level: "location",
        headers: [
          ["Host", "$host"],
          ["X-Forwarded-For", "$proxy_add_x_forwarded_for"],
          ["X-Forwarded-Proto", "$scheme"],
        ],
      },
    ]);
  });

  it("Django's META keys, TLS values and $proxy_host", () => {
    expect(metaKeyOfHeader("X-Forwarded-Proto")).toBe("HTTP_X_FORWARDED_PROTO");
    expect(headerOfMetaKey("HTTP_X_FORWARDED_PROTO")).toBe("x-forwarded-proto");
    expect(headerOfMetaKey("wsgi.url_scheme")).toBeUndefined();
    expect(headerValueOverTls("$scheme")).toBe("https");
    expect(headerValueOverTls("https")).toBe("https");
    expect(headerValueOverTls("$http_x_forwarded_proto")).toBeUndefined();
  });

  it("ALLOWED_HOSTS matching as Django's validate_host does", () => {
    expect(allowedHostsAccept(["books.example.org"], "books.example.org")).toBe(true);
    expect(allowedHostsAccept(["Books.Example.org"], "BOOKS.example.org.")).toBe(true);
    expect(allowedHostsAccept([".example.org"], "example.org")).toBe(true);
    expect(allowedHostsAccept([".example.org"], "a.b.example.org")).toBe(true);
    expect(allowedHostsAccept([".example.org"], "badexample.org")).toBe(false);
    expect(allowedHostsAccept(["*"], "anything.test")).toBe(true);
    expect(allowedHostsAccept(["books.example.org"], "www.books.example.org")).toBe(false);
    expect(allowedHostsAccept(["books.example.org:443"], "books.example.org")).toBe(false);
  });

  it("proxy_pass targets give nginx's default Host", () => {
    const pass = (value: string): NginxPass => ({
      directive: "proxy_pass",
      target: { arg: { value, raw: value, quoted: false, range: { file: "", line: 1, column: 1, endLine: 1, endColumn: 1 } }, value },
      endpoints: [],
      protocol: "http",
    });
    expect(proxyHostOf(pass("http://web:8000"))).toBe("web:8000");
    expect(proxyHostOf(pass("http://bookshelf/app/"))).toBe("bookshelf");
  });
});
