import { describe, expect, it } from "vitest";
import { imageFileOps, runFileOps } from "../../src/model/image-file-ops.js";

const run = (text: string) => runFileOps(text, "Dockerfile", 7);

describe("runFileOps", () => {
  it("reads ln -s, cp, mv and rm joined by && or ;", () => {
    expect(run("rm -f /etc/nginx/conf.d/default.conf && ln -sf /etc/nginx/sites-available/app /etc/nginx/sites-enabled/ ; cp -r /src/conf /etc/nginx/extra && mv /a /b")).toEqual([
      { kind: "remove", paths: ["/etc/nginx/conf.d/default.conf"], recursive: false, line: 7 },
      { kind: "link", source: "/etc/nginx/sites-available/app", destination: "/etc/nginx/sites-enabled/", intoDirectory: true, noTargetDirectory: false, recursive: true, line: 7 },
      { kind: "copy", source: "/src/conf", destination: "/etc/nginx/extra", intoDirectory: false, noTargetDirectory: false, recursive: true, line: 7 },
      { kind: "move", source: "/a", destination: "/b", intoDirectory: false, noTargetDirectory: false, recursive: true, line: 7 },
    ]);
  });

  it("resolves a relative symlink target against the directory the link sits in", () => {
    expect(run("ln -s ../sites-available/app.conf /etc/nginx/sites-enabled/")[0]).toMatchObject({ kind: "link", source: "/etc/nginx/sites-available/app.conf" });
    expect(run("ln -sT ../sites-available/app.conf /etc/nginx/sites-enabled/app.conf")[0]).toMatchObject({ kind: "link", source: "/etc/nginx/sites-available/app.conf", noTargetDirectory: true });
  });

  it("resolves relative cp paths only after a literal cd", () => {
    expect(run("cd /etc/nginx && cp sites-available/app conf.d/app.conf")[0]).toMatchObject({ kind: "copy", source: "/etc/nginx/sites-available/app", destination: "/etc/nginx/conf.d/app.conf" });
  });

  it("makes the named paths unknown for writes it does not follow", () => {
    expect(run("sed -i 's/80/8080/' /etc/nginx/conf.d/app.conf")).toEqual([{ kind: "opaque", paths: ["/etc/nginx/conf.d/app.conf"], line: 7 }]);
    expect(run("envsubst < /tmpl/site.template > /etc/nginx/sites-available/site.conf")).toEqual([
      { kind: "opaque", paths: ["/etc/nginx/sites-available/site.conf"], line: 7 },
    ]);
    // A conditional link, a link with a variable, a long option: not followed.
    expect(run("test -f /x || ln -s /x /etc/nginx/conf.d/x.conf")).toEqual([{ kind: "opaque", paths: ["/etc/nginx/conf.d/x.conf"], line: 7 }]);
    expect(run("ln -s $SITE /etc/nginx/conf.d/site.conf")).toEqual([{ kind: "opaque", paths: ["/etc/nginx/conf.d/site.conf"], line: 7 }]);
    expect(run("cp --no-clobber /a /etc/nginx/conf.d/a.conf")[0]?.kind).toBe("opaque");
    // Inside if/for the commands may not run.
    expect(run("if [ -n \"$TLS\" ]; then ln -s /etc/nginx/tls.conf /etc/nginx/conf.d/; fi")[0]?.kind).toBe("opaque");
  });

  it("ignores commands that write no named file", () => {
    expect(run("sed -i 's/\\r$//g' /entrypoint && chmod +x /entrypoint")).toEqual([]);
    expect(run("apt-get update && apt-get install -y nginx && chown -R www:www /etc/nginx && pip install -r /tmp/requirements.txt")).toEqual([]);
  });

  it("keeps each RUN's line", () => {
    const ops = imageFileOps([
      { text: "rm /a", range: { file: "Dockerfile", line: 3 } },
      { text: "rm /b", range: { file: "Dockerfile", line: 9 } },
    ]);
    expect(ops.map((o) => o.line)).toEqual([3, 9]);
  });
});
