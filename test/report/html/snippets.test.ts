import { describe, expect, it } from "vitest";
import type { DeploymentModel } from "../../../src/model/deployment-model.js";
import { maskSnippetLine, maskSnippetLines, SnippetSource } from "../../../src/report/html/snippets.js";

const SECRET = "Qp9Lm2Xv8Rt4Kw7Nb3Hc6Jd";

function modelOf(files: Record<string, string>, envFiles: string[] = [], keys: string[] = []): DeploymentModel {
  return {
    envFiles: envFiles.map((file) => ({ file, isTemplate: false, exists: true, entries: [], usedBy: [] })),
    keyMaterial: () => keys.map((file) => ({ file, kind: "private-key", description: "a key", range: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } })),
    sourceText: (file: string) => files[file],
  } as unknown as DeploymentModel;
}

const at = (file: string, line: number, endLine = line) => ({ file, line, column: 1, endLine, endColumn: 1 });

describe("maskSnippetLine", () => {
  it.each([
    [`SECRET_KEY = "${SECRET}"`],
    [`      - POSTGRES_PASSWORD=${SECRET}`],
    [`        "PASSWORD": "${SECRET}",`],
    [`ENV DJANGO_SECRET_KEY ${SECRET}`],
    [`    command: redis-server --requirepass ${SECRET}`],
    [`    proxy_set_header Authorization "Bearer ${SECRET}";`],
    [`DATABASE_URL=postgres://app:${SECRET}@db/app`],
    [`x = "${SECRET}"  # the SECRET_KEY`],
    [`    "${SECRET}",`],
  ])("shows no secret in %s", (line) => {
    expect(maskSnippetLine(line)).not.toContain(SECRET.slice(2, 10));
  });

  it("leaves ordinary lines alone", () => {
    for (const line of ["    alias /code/static/;", "DEBUG = False", "      - DJANGO_SETTINGS_MODULE=config.settings.prod", "upstream uwsgi_app {"]) {
      expect(maskSnippetLine(line)).toBe(line);
    }
  });
});

describe("maskSnippetLines", () => {
  it("masks the continuation lines of a multi-line secret value", () => {
    const lines = maskSnippetLines(["SECRET_KEY_FALLBACKS = [", "    'short-one',", "    'hunter22',", "]", "DEBUG = False"]);
    expect(lines.join("\n")).not.toMatch(/short-one|hunter22/);
    expect(lines[4]).toBe("DEBUG = False");
  });

  it("masks a YAML block under a secret key until the indentation returns", () => {
    const lines = maskSnippetLines(["  private_key: |", "    abcdefgh", "    ijklmnop", "  name: web"]);
    expect(lines.join("\n")).not.toMatch(/abcdefgh|ijklmnop/);
    expect(lines[3]).toBe("  name: web");
  });
});

describe("SnippetSource", () => {
  const files = {
    "nginx.conf": "a\nb\nc\nd\ne\nf\ng\n",
    ".env": `SECRET_KEY=${SECRET}\n`,
    "deploy/prod.env": "X=1\n",
    "certs/server.key": "k\n",
    "secrets/db_password.txt": "pw\n",
    "settings.py": `A = 1\nSECRET_KEY_FALLBACKS = [\n    "short",\n]\nB = 2\n`,
  };
  const source = new SnippetSource(modelOf(files, ["deploy/prod.env"], ["certs/server.key"]));

  it("gives ±2 lines around the finding, marking its lines", () => {
    expect(source.snippet(at("nginx.conf", 4, 5))).toEqual([
      { number: 2, text: "b", marked: false },
      { number: 3, text: "c", marked: false },
      { number: 4, text: "d", marked: true },
      { number: 5, text: "e", marked: true },
      { number: 6, text: "f", marked: false },
      { number: 7, text: "g", marked: false },
    ]);
    expect(source.snippet(at("nginx.conf", 1))?.map((l) => l.number)).toEqual([1, 2, 3]);
  });

  it("gives nothing from env files, key material or files named like secrets", () => {
    for (const file of [".env", "deploy/prod.env", "certs/server.key", "secrets/db_password.txt"]) {
      expect(source.allowed(file), file).toBe(false);
      expect(source.snippet(at(file, 1)), file).toBeUndefined();
    }
    expect(source.allowed("nginx.conf")).toBe(true);
  });

  it("masks a multi-line secret that opens above the snippet", () => {
    const text = source.snippet(at("settings.py", 5))?.map((l) => l.text).join("\n") ?? "";
    expect(text).toContain("B = 2");
    expect(text).not.toContain("short");
  });
});
