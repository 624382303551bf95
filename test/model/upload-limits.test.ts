import { describe, expect, it } from "vitest";
import { DJANGO_UPLOAD_DEFAULT, formatBytes, nginxSizeFor, uploadExpectations, uploadLimitMismatches } from "../../src/model/upload-limits.js";
import { model, service } from "./helpers.js";

/** web (gunicorn, the given settings) behind nginx:1.27 with the given conf.d file. */
function project(settings: string, conf: string) {
  return model({
    "docker-compose.yml": [
      "services:",
      "  web:",
      "    build: .",
      "    environment:",
      "      DJANGO_SETTINGS_MODULE: proj.settings",
      "  nginx:",
      "    image: nginx:1.27",
      "    volumes:",
      "      - ./site.conf:/etc/nginx/conf.d/default.conf:ro",
      "",
    ].join("\n"),
    Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY app/ /app/\nCMD ["gunicorn", "proj.wsgi", "--bind", "0.0.0.0:8000"]\n',
    "app/manage.py": "",
    "app/proj/__init__.py": "",
    "app/proj/wsgi.py": "",
    "app/proj/settings.py": `SECRET_KEY = "x"\n${settings}`,
    "site.conf": conf,
  });
}

const PROXY = (extra = "") => `server {\n    listen 80;\n${extra}    location / {\n        proxy_pass http://web:8000;\n    }\n}\n`;

function expectations(settings: string): [string, number | string, number][] {
  const app = service(project(settings, PROXY()), "web").django;
  return app ? uploadExpectations(app).map((e) => [e.setting, e.value, e.atLeast]) : [];
}

describe("uploadExpectations", () => {
  it("only sizes the settings raise above Django's default, largest first", () => {
    expect(expectations("")).toEqual([]);
    expect(expectations(`DATA_UPLOAD_MAX_MEMORY_SIZE = ${DJANGO_UPLOAD_DEFAULT}\nFILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024\n`)).toEqual([]);
    expect(expectations("DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024\nFILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024\n")).toEqual([
      ["FILE_UPLOAD_MAX_MEMORY_SIZE", 20971520, 20971520],
      ["DATA_UPLOAD_MAX_MEMORY_SIZE", 5242880, 5242880],
    ]);
  });

  it("DATA_UPLOAD_MAX_MEMORY_SIZE = None lifts the limit (bodies above 2.5 MB expected); FILE_… = None is not a size", () => {
    expect(expectations("DATA_UPLOAD_MAX_MEMORY_SIZE = None\nFILE_UPLOAD_MAX_MEMORY_SIZE = None\n")).toEqual([["DATA_UPLOAD_MAX_MEMORY_SIZE", "unlimited", DJANGO_UPLOAD_DEFAULT]]);
  });

  it("unknown values stay silent", () => {
    expect(expectations('import os\nDATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ["MAX_BODY"])\n')).toEqual([]);
  });
});

describe("uploadLimitMismatches", () => {
  const mismatches = (settings: string, conf: string) => {
    const stack = project(settings, conf).stacks[0];
    return (stack ? uploadLimitMismatches(stack) : []).map((m) => [
      m.nginx.name,
      m.app.name,
      m.limit.bytes,
      m.limit.decided.level,
      m.locations.map((l) => l.uri.value),
      m.expectations.map((e) => e.setting),
    ]);
  };

  it("nginx's default against a raised DATA_UPLOAD_MAX_MEMORY_SIZE", () => {
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024\n", PROXY())).toEqual([["nginx", "web", 1048576, "default", ["/"], ["DATA_UPLOAD_MAX_MEMORY_SIZE"]]]);
  });

  it("silent when nginx allows it, allows anything, or a location for uploads does", () => {
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024\n", PROXY("    client_max_body_size 10m;\n"))).toEqual([]);
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = None\n", PROXY("    client_max_body_size 0;\n"))).toEqual([]);
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = None\n", PROXY("    client_max_body_size 4m;\n"))).toEqual([]);
    const uploads = "    location /upload/ {\n        client_max_body_size 100m;\n        proxy_pass http://web:8000;\n    }\n";
    expect(mismatches("FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024\n", PROXY(uploads))).toEqual([]);
  });

  it("silent for locations that pass requests elsewhere, or to an unknown target", () => {
    const elsewhere = "server {\n    listen 80;\n    location / {\n        proxy_pass http://frontend:3000;\n    }\n}\n";
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024\n", elsewhere)).toEqual([]);
    const variable = "server {\n    listen 80;\n    location / {\n        proxy_pass http://$upstream;\n    }\n}\n";
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024\n", variable)).toEqual([]);
  });

  it("one mismatch per deciding directive: a server limit shared by two locations", () => {
    const conf = "server {\n    listen 80;\n    client_max_body_size 2m;\n    location /api/ {\n        proxy_pass http://web:8000;\n    }\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n";
    expect(mismatches("DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024\n", conf)).toEqual([["nginx", "web", 2097152, "server", ["/api/", "/"], ["DATA_UPLOAD_MAX_MEMORY_SIZE"]]]);
  });
});

describe("formatBytes / nginxSizeFor", () => {
  it.each<[number, string, string]>([
    [1048576, "1 MB", "1m"],
    [2621440, "2.5 MB", "3m"],
    [524288, "512 KB", "1m"],
    [1073741824, "1 GB", "1024m"],
    [1000, "1000 bytes", "1m"],
  ])("%d → %s, %s", (bytes, text, size) => {
    expect(formatBytes(bytes)).toBe(text);
    expect(nginxSizeFor(bytes)).toBe(size);
  });
});
