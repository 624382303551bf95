import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { certificateFiles, tlsTermination } from "../../src/model/tls-termination.js";
import { lintFixture } from "../support/fixtures.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function model(fixture: string) {
  const linted = lintFixture(fixture);
  dirs.push(linted.dir);
  return linted.result.model;
}

describe("tlsTermination", () => {
  it("a stack whose nginx listens with ssl terminates TLS in nginx", () => {
    const m = model("rules/deploy/secure-cookies-without-tls/good");
    expect(tlsTermination(m.stacks[0]!).kind).toBe("nginx");
  });

  it("plain HTTP published to the host, nothing in front: 'none', with the listen, the port and the app", () => {
    const m = model("rules/deploy/secure-cookies-without-tls/bad-plain-http");
    const tls = tlsTermination(m.stacks[0]!);
    expect(tls.kind).toBe("none");
    if (tls.kind !== "none") return;
    expect(tls.entries.map((e) => [e.nginx.name, e.listen.range.line, e.port?.published, e.apps.map((a) => a.name)])).toEqual([["nginx", 6, "80", ["web"]]]);
  });

  it("a traefik service, or nginx told the scheme by a proxy, means TLS ends in front", () => {
    expect(tlsTermination(model("rules/deploy/secure-cookies-without-tls/good-traefik").stacks[0]!).kind).toBe("proxy");
    expect(tlsTermination(model("rules/deploy/secure-cookies-without-tls/good-host-proxy").stacks[0]!).kind).toBe("proxy");
  });

  it("a stack without nginx is unknown", () => {
    const m = model("rules/deploy/healthcheck-rejected/good");
    // That fixture has nginx with TLS; drop its nginx service to see the no-nginx verdict.
    const stack = { ...m.stacks[0]!, services: m.stacks[0]!.services.filter((s) => s.nginx === undefined) };
    expect(tlsTermination(stack)).toMatchObject({ kind: "unknown" });
  });
});

describe("certificateFiles", () => {
  it("found / unknown / missing, by where the container path leads", () => {
    const noMount = model("rules/nginx/missing-certificate/bad-no-mount");
    expect(certificateFiles(noMount, noMount.stacks[0]!).map((c) => c.verdict.kind)).toEqual(["missing", "missing"]);
    const wrongName = model("rules/nginx/missing-certificate/bad-wrong-name");
    expect(certificateFiles(wrongName, wrongName.stacks[0]!).map((c) => [c.path, c.verdict.kind])).toEqual([
      ["/etc/nginx/certs/bookshelf.crt", "missing"],
      ["/etc/nginx/certs/privkey.pem", "unknown"],
    ]);
  });
});
