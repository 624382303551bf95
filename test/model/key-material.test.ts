import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findKeyMaterial, isTestMaterialPath } from "../../src/model/key-material.js";

const root = mkdtempSync(join(tmpdir(), "key-material-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string | Buffer): string {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
  return file;
}

const PEM_BODY = "MHcCAQEEIOHhM9qA/Wb/mkKEcnILf97/DJV/VAhOs34ZdVnT0PNboAoGCCqGSM49\n";

describe("findKeyMaterial", () => {
  it("finds PEM private keys by content, PKCS#12 by extension and service account JSON; skips certificates and other files", () => {
    const files = [
      write("deploy/ssl/site.key", `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----\n`),
      write("deploy/ssl/bundle.pem", `-----BEGIN CERTIFICATE-----\n${PEM_BODY}-----END CERTIFICATE-----\n# key\n-----BEGIN PRIVATE KEY-----\n${PEM_BODY}-----END PRIVATE KEY-----\n`),
      write("deploy/ssl/chain.pem", `-----BEGIN CERTIFICATE-----\n${PEM_BODY}-----END CERTIFICATE-----\n`),
      write("deploy/ssl/client.p12", Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02])),
      write("deploy/ssl/empty.pfx", ""),
      write("config/gcp.json", '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----\\n"}'),
      write("package.json", '{"name": "x", "private_key": "none"}'),
      write("notes.txt", `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`),
    ];
    expect(findKeyMaterial(root, files).map((k) => [k.file, k.kind, k.description, k.range.line, k.range.column])).toEqual([
      ["deploy/ssl/site.key", "private-key", "an RSA private key", 1, 1],
      ["deploy/ssl/bundle.pem", "private-key", "a private key", 5, 1],
      ["deploy/ssl/client.p12", "pkcs12", "a PKCS#12 bundle (certificate with its private key)", 1, 1],
      ["config/gcp.json", "service-account", "a Google Cloud service account key", 1, 29],
    ]);
  });

  it("leaves test and example material alone", () => {
    const key = `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}-----END EC PRIVATE KEY-----\n`;
    const files = [write("app/tests/keys/signing.pem", key), write("fixtures/tls/server.key", key), write("deploy/example.key", key)];
    expect(findKeyMaterial(root, files)).toEqual([]);
  });
});

describe("isTestMaterialPath", () => {
  it("matches test, fixture, example and sample folders and names", () => {
    expect(["tests/a.pem", "src/test/b.key", "docs/examples/c.pem", "samples/d.pem", "deploy/server.sample.key", "ssl/test-key.pem"].map(isTestMaterialPath)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["deploy/certs/privkey.pem", "latest/site.key", "contest/site.key"].map(isTestMaterialPath)).toEqual([false, false, false]);
  });
});
