import { describe, expect, it } from "vitest";
import type { DockerCopy } from "../../src/parsers/dockerfile.js";
import { ContainerFilesystem } from "../../src/model/container-filesystem.js";
import { runFileOps } from "../../src/model/image-file-ops.js";
import { RepoTree } from "../../src/model/repo-tree.js";
import { bind, copy } from "./helpers.js";

const repo = new RepoTree(["nginx/site.conf", "nginx/old.conf", "nginx/nginx.conf", "conf/site.conf"]);

function at(line: number, c: DockerCopy): DockerCopy {
  return { ...c, range: { ...c.range, line } };
}

/** An image from COPY instructions and RUN lines, each at its own Dockerfile line. */
function fs(steps: (DockerCopy | string)[], mounts = [] as ReturnType<typeof bind>[], directories: string[] = []): ContainerFilesystem {
  const copies: DockerCopy[] = [];
  const fileOps = steps.flatMap((step, i) => {
    if (typeof step === "string") return runFileOps(step, "Dockerfile", i + 2);
    copies.push(at(i + 2, step));
    return [];
  });
  return new ContainerFilesystem("nginx", mounts, { context: ".", copies, dockerignore: undefined, directories, fileOps }, repo);
}

const list = (f: ContainerFilesystem, dir: string) => f.listFiles(dir).map((x) => [x.containerPath, x.repoFile]);

describe("ContainerFilesystem with RUN file operations", () => {
  it("follows ln -s from sites-available into sites-enabled/", () => {
    const f = fs([copy(["nginx/site.conf"], "/etc/nginx/sites-available/site.conf"), "ln -s /etc/nginx/sites-available/site.conf /etc/nginx/sites-enabled/"]);
    expect(f.repoPath("/etc/nginx/sites-enabled/site.conf")).toBe("nginx/site.conf");
    expect(list(f, "/etc/nginx/sites-enabled")).toEqual([["/etc/nginx/sites-enabled/site.conf", "nginx/site.conf"]]);
  });

  it("does not link what the RUN line before the COPY names (Dockerfile order)", () => {
    const f = fs(["rm -f /etc/nginx/conf.d/site.conf", copy(["nginx/site.conf"], "/etc/nginx/conf.d/")]);
    expect(f.repoPath("/etc/nginx/conf.d/site.conf")).toBe("nginx/site.conf");
    const g = fs([copy(["nginx/site.conf"], "/etc/nginx/conf.d/"), "rm -f /etc/nginx/conf.d/site.conf"]);
    expect(g.repoPath("/etc/nginx/conf.d/site.conf")).toBeUndefined();
    expect(list(g, "/etc/nginx/conf.d")).toEqual([]);
  });

  it("moves and copies files at the point of the RUN", () => {
    const f = fs([copy(["nginx/site.conf", "nginx/old.conf"], "/tmp/"), "mv /tmp/site.conf /etc/nginx/conf.d/ && cp /tmp/old.conf /etc/nginx/conf.d/old.conf"]);
    expect(list(f, "/etc/nginx/conf.d")).toEqual([
      ["/etc/nginx/conf.d/old.conf", "nginx/old.conf"],
      ["/etc/nginx/conf.d/site.conf", "nginx/site.conf"],
    ]);
    expect(f.repoPath("/tmp/site.conf")).toBeUndefined();
    expect(f.repoPath("/tmp/old.conf")).toBe("nginx/old.conf");
  });

  it("follows a symbolic link through a bind mount, as the running container does", () => {
    const f = fs(["ln -s /conf/site.conf /etc/nginx/conf.d/site.conf"], [bind("./conf", "/conf")]);
    expect(f.repoPath("/etc/nginx/conf.d/site.conf")).toBe("conf/site.conf");
    expect(list(f, "/etc/nginx/conf.d")).toEqual([["/etc/nginx/conf.d/site.conf", "conf/site.conf"]]);
  });

  it("leaves a file unknown when a RUN writes it in a way not followed", () => {
    const f = fs([copy(["nginx/site.conf"], "/etc/nginx/sites-available/site.conf"), "sed -i 's/x/y/' /etc/nginx/sites-available/site.conf", "ln -s /etc/nginx/sites-available/site.conf /etc/nginx/sites-enabled/"]);
    expect(f.repoPath("/etc/nginx/sites-enabled/site.conf")).toBeUndefined();
    expect(list(f, "/etc/nginx")).toEqual([]);
  });

  it("guesses nothing when a link may go into or be named sites-enabled", () => {
    const f = fs([copy(["nginx/site.conf"], "/etc/nginx/sites-available/site.conf"), "ln -s /etc/nginx/sites-available/site.conf /etc/nginx/sites-enabled"]);
    expect(list(f, "/etc/nginx/sites-enabled")).toEqual([]);
    // After `mkdir` it is a directory: the link goes inside.
    const g = fs([copy(["nginx/site.conf"], "/etc/nginx/sites-available/site.conf"), "ln -s /etc/nginx/sites-available/site.conf /etc/nginx/sites-enabled"], [], ["/etc/nginx/sites-enabled"]);
    expect(list(g, "/etc/nginx/sites-enabled")).toEqual([["/etc/nginx/sites-enabled/site.conf", "nginx/site.conf"]]);
  });

  it("gives nothing for a link loop", () => {
    const f = fs(["ln -s /etc/nginx/conf.d/b.conf /etc/nginx/conf.d/a.conf && ln -s /etc/nginx/conf.d/a.conf /etc/nginx/conf.d/b.conf"]);
    expect(f.repoPath("/etc/nginx/conf.d/a.conf")).toBeUndefined();
    expect(list(f, "/etc/nginx/conf.d")).toEqual([]);
  });

  it("treats a glob picomatch refuses (over 65,536 characters) as covering everything, without throwing", () => {
    // Found by the fuzzer: a mutated Dockerfile whose RUN rm named a 100 000-character glob.
    const f = fs([copy(["nginx/site.conf"], "/etc/nginx/conf.d/"), `rm -f /etc/nginx/conf.d/*${"x".repeat(100_000)}*`]);
    expect(() => f.repoPath("/etc/nginx/conf.d/site.conf")).not.toThrow();
    expect(f.repoPath("/etc/nginx/conf.d/site.conf")).toBeUndefined();
  });
});
