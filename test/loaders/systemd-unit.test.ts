import { describe, expect, it } from "vitest";
import { parseSystemdUnit } from "../../src/parsers/systemd-unit.js";

const UNIT = [
  "[Unit]",
  "Description=gunicorn daemon",
  "",
  "[Service]",
  "# comment",
  "WorkingDirectory=/srv/app",
  'Environment="DJANGO_SETTINGS_MODULE=app.settings.prod" DEBUG=0',
  "EnvironmentFile=-/srv/app/.env",
  "ExecStart=-/srv/app/venv/bin/gunicorn --workers 3 \\",
  "    --bind unix:/run/gunicorn.sock app.wsgi:application",
  "ExecStart=/srv/app/venv/bin/gunicorn --bind unix:/run/gunicorn.sock app.wsgi",
  "",
].join("\n");

describe("parseSystemdUnit", () => {
  const unit = parseSystemdUnit(UNIT, "deploy/gunicorn.service");

  it("reads the [Service] keys with their positions; the last ExecStart wins", () => {
    expect(unit.problems).toEqual([]);
    expect(unit.workingDirectory).toEqual({ value: "/srv/app", range: { file: "deploy/gunicorn.service", line: 6, column: 18, endLine: 6, endColumn: 26 } });
    expect(unit.execStart?.map((w) => [w.value, w.range.line, w.range.column])).toEqual([
      ["/srv/app/venv/bin/gunicorn", 11, 11],
      ["--bind", 11, 38],
      ["unix:/run/gunicorn.sock", 11, 45],
      ["app.wsgi", 11, 69],
    ]);
  });

  it("splits Environment= assignments like systemd (quotes), and marks optional EnvironmentFile=", () => {
    expect(unit.environment.map((e) => [e.name, e.value, e.range.line, e.range.column])).toEqual([
      ["DJANGO_SETTINGS_MODULE", "app.settings.prod", 7, 13],
      ["DEBUG", "0", 7, 56],
    ]);
    expect(unit.environmentFiles.map((f) => [f.path.value, f.optional, f.path.range.line])).toEqual([["/srv/app/.env", true, 8]]);
  });

  it("joins continuation lines and drops ExecStart prefixes", () => {
    const continued = parseSystemdUnit("[Service]\nExecStart=-/usr/bin/uwsgi \\\n  --ini /etc/uwsgi/app.ini\n", "u.service");
    expect(continued.execStart?.map((w) => w.value)).toEqual(["/usr/bin/uwsgi", "--ini", "/etc/uwsgi/app.ini"]);
    expect(continued.entries.map((e) => [e.key, e.value.range.line, e.value.range.endLine])).toEqual([["ExecStart", 2, 3]]);
  });

  it("reports lines that are not Key=Value and unterminated headers, and goes on", () => {
    const bad = parseSystemdUnit("[Service\nnot a key\nWorkingDirectory=/srv/x\n", "bad.service");
    expect(bad.problems.map((p) => [p.range.line, p.message])).toEqual([
      [1, "systemd unit: unterminated section header '[Service'"],
      [2, "systemd unit: expected 'Key=Value', found 'not a key'"],
    ]);
    expect(bad.entries.map((e) => e.key)).toEqual(["WorkingDirectory"]);
  });
});
