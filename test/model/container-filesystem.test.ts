import { describe, expect, it } from "vitest";
import { buildDockerIgnoreMatcher } from "../../src/parsers/ignore-rules.js";
import {
  ContainerFilesystem,
  describeStorage,
  normalizeContainerPath,
  sameStorage,
  type ImageContent,
  type Storage,
} from "../../src/model/container-filesystem.js";
import { RepoTree } from "../../src/model/repo-tree.js";
import { bind, copy, model, service, tmpfs, volume } from "./helpers.js";

const repo = new RepoTree([
  ".dockerignore",
  ".env",
  "Dockerfile",
  "app/__init__.py",
  "app/settings.py",
  "app/static/css/site.css",
  "backend/.dockerignore",
  "backend/local.py",
  "backend/manage.py",
  "config/nginx/default.conf",
  "config/uwsgi/uwsgi.ini",
  "manage.py",
  "requirements.txt",
  "static/site.css",
]);

function image(copies: ImageContent["copies"], dockerignore?: string, context = "."): ImageContent {
  return {
    context,
    copies,
    dockerignore: dockerignore === undefined ? undefined : buildDockerIgnoreMatcher(`${context === "." ? "" : `${context}/`}.dockerignore`, dockerignore),
  };
}

describe("normalizeContainerPath", () => {
  it.each([
    ["/code/", "/code"],
    ["/code//app/../static", "/code/static"],
    ["code", "/code"],
    ["/", "/"],
    ["/./", "/"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeContainerPath(input)).toBe(expected);
  });
});

describe("ContainerFilesystem.resolve", () => {
  it("lets the longest mount target win, whatever order compose lists the mounts in", () => {
    const fs = new ContainerFilesystem("web", [bind(".", "/code"), volume("static", "/code/static"), tmpfs("/code/static/cache")], undefined, repo);
    expect(fs.resolve("/code/app/settings.py").storage).toEqual({ kind: "bind", hostPath: "app/settings.py" });
    expect(fs.resolve("/code/static/css/site.css").storage).toEqual({ kind: "volume", volume: "static", subpath: "css/site.css" });
    expect(fs.resolve("/code/static/cache/x").storage).toEqual({ kind: "tmpfs", service: "web", target: "/code/static/cache", subpath: "x" });
    // The mount point itself.
    expect(fs.resolve("/code/static").storage).toEqual({ kind: "volume", volume: "static", subpath: "" });
    expect(fs.resolve("/code").storage).toEqual({ kind: "bind", hostPath: "." });
  });

  it("matches whole path segments only: /code2 is not below /code", () => {
    const fs = new ContainerFilesystem("web", [bind(".", "/code")], undefined, repo);
    expect(fs.resolve("/code2/manage.py")).toEqual({
      storage: { kind: "image", service: "web", path: "/code2/manage.py", repoPath: undefined },
      mount: undefined,
      copy: undefined,
    });
  });

  it("normalises the asked path and the mount target (trailing slash, dot segments)", () => {
    const fs = new ContainerFilesystem("web", [bind("./config/nginx/", "/etc/nginx/conf.d/")], undefined, repo);
    expect(fs.resolve("/etc/nginx/conf.d/./sub/../default.conf/").storage).toEqual({ kind: "bind", hostPath: "config/nginx/default.conf" });
  });

  it("tells bind, named volume, anonymous volume and tmpfs apart, and returns the mount", () => {
    const mounts = [bind("./config/uwsgi", "/etc/uwsgi"), volume("media", "/media"), volume(undefined, "/code/node_modules"), tmpfs("/run")];
    const fs = new ContainerFilesystem("web", mounts, undefined, repo);
    expect(fs.resolve("/etc/uwsgi/uwsgi.ini")).toEqual({ storage: { kind: "bind", hostPath: "config/uwsgi/uwsgi.ini" }, mount: mounts[0], copy: undefined });
    expect(fs.resolve("/media/avatars/a.png")).toEqual({ storage: { kind: "volume", volume: "media", subpath: "avatars/a.png" }, mount: mounts[1], copy: undefined });
    expect(fs.resolve("/code/node_modules/x/index.js")).toEqual({
      storage: { kind: "anonymous-volume", service: "web", target: "/code/node_modules", subpath: "x/index.js" },
      mount: mounts[2],
      copy: undefined,
    });
    expect(fs.resolve("/run/app.sock")).toEqual({ storage: { kind: "tmpfs", service: "web", target: "/run", subpath: "app.sock" }, mount: mounts[3], copy: undefined });
  });

  it("keeps bind sources outside the repository as written", () => {
    const fs = new ContainerFilesystem("web", [bind("../shared", "/shared"), bind("/var/run/docker.sock", "/var/run/docker.sock")], undefined, repo);
    expect(fs.resolve("/shared/x.conf").storage).toEqual({ kind: "bind", hostPath: "../shared/x.conf" });
    expect(fs.resolve("/var/run/docker.sock").storage).toEqual({ kind: "bind", hostPath: "/var/run/docker.sock" });
    expect(fs.repoPath("/shared/x.conf")).toBeUndefined();
    expect(fs.repoPath("/var/run/docker.sock")).toBeUndefined();
  });

  it("`.:/code` over `COPY . /code/`: the mount wins", () => {
    const copies = [copy(["."], "/code/")];
    const fs = new ContainerFilesystem("web", [bind(".", "/code")], image(copies), repo);
    const resolved = fs.resolve("/code/manage.py");
    expect(resolved.storage).toEqual({ kind: "bind", hostPath: "manage.py" });
    expect(resolved.copy).toBeUndefined();
    expect(resolved.mount?.target).toBe("/code");
  });

  it("COPY of a file into a directory (`COPY requirements.txt /code/`)", () => {
    const copies = [copy(["requirements.txt"], "/code/")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    expect(fs.resolve("/code/requirements.txt")).toEqual({
      storage: { kind: "image", service: "web", path: "/code/requirements.txt", repoPath: "requirements.txt" },
      mount: undefined,
      copy: copies[0],
    });
    // Not also at the directory itself.
    expect(fs.resolve("/code").storage).toEqual({ kind: "image", service: "web", path: "/code", repoPath: undefined });
  });

  it("COPY of a file to a file path (`COPY requirements.txt /tmp/reqs.txt`), and several sources into a directory", () => {
    const copies = [copy(["requirements.txt"], "/tmp/reqs.txt"), copy(["manage.py", "requirements.txt"], "/srv")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    expect(fs.repoPath("/tmp/reqs.txt")).toBe("requirements.txt");
    expect(fs.repoPath("/tmp/reqs.txt/requirements.txt")).toBeUndefined();
    // Several sources make the destination a directory even without a trailing slash.
    expect(fs.repoPath("/srv/manage.py")).toBe("manage.py");
    expect(fs.repoPath("/srv/requirements.txt")).toBe("requirements.txt");
  });

  it("COPY of a directory copies its contents (`COPY ./app /app`)", () => {
    const copies = [copy(["./app"], "/app")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    expect(fs.repoPath("/app/settings.py")).toBe("app/settings.py");
    expect(fs.repoPath("/app/static/css")).toBe("app/static/css");
    expect(fs.repoPath("/app")).toBe("app");
    // Not /app/app/…
    expect(fs.repoPath("/app/app/settings.py")).toBeUndefined();
    // A file the directory does not hold is not in the image.
    expect(fs.resolve("/app/missing.py")).toEqual({
      storage: { kind: "image", service: "web", path: "/app/missing.py", repoPath: undefined },
      mount: undefined,
      copy: undefined,
    });
  });

  it("`COPY . .` after WORKDIR /srv (destination resolved by the Dockerfile loader to /srv)", () => {
    const copies = [copy(["."], "/srv")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    expect(fs.repoPath("/srv/manage.py")).toBe("manage.py");
    expect(fs.repoPath("/srv/config/uwsgi/uwsgi.ini")).toBe("config/uwsgi/uwsgi.ini");
    expect(fs.repoPath("/srv")).toBe(".");
  });

  it("the later COPY wins for the same container path", () => {
    const copies = [copy(["."], "/code/"), copy(["static/site.css"], "/code/app/settings.py")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    const resolved = fs.resolve("/code/app/settings.py");
    expect(resolved.storage).toEqual({ kind: "image", service: "web", path: "/code/app/settings.py", repoPath: "static/site.css" });
    expect(resolved.copy).toBe(copies[1]);
  });

  it("COPY --from=<stage> files come from another stage, not the repository: image content with the copy named", () => {
    const copies = [copy(["/build/static"], "/code/static/", "builder"), copy(["static"], "/elsewhere/", "builder")];
    const fs = new ContainerFilesystem("web", [], image(copies), repo);
    expect(fs.resolve("/code/static/site.css")).toEqual({
      storage: { kind: "image", service: "web", path: "/code/static/site.css", repoPath: undefined },
      mount: undefined,
      copy: copies[0],
    });
    expect(fs.resolve("/code/other.txt").copy).toBeUndefined();
    expect(fs.repoPath("/elsewhere/site.css")).toBeUndefined();
    expect(fs.listFiles("/")).toEqual([]);
    expect(fs.runtimePath("static/site.css")).toBeUndefined();
  });

  it("skips sources with glob characters (not modelled: unknown, not absent)", () => {
    const fs = new ContainerFilesystem("web", [], image([copy(["*.py"], "/code/")]), repo);
    expect(fs.repoPath("/code/manage.py")).toBeUndefined();
    expect(fs.listFiles("/code")).toEqual([]);
  });

  it("leaves .dockerignore'd files out of the image", () => {
    const copies = [copy(["."], "/code/"), copy([".env"], "/etc/app.env")];
    const fs = new ContainerFilesystem("web", [], image(copies, ".env\napp/static\n"), repo);
    expect(fs.repoPath("/code/.env")).toBeUndefined();
    expect(fs.repoPath("/etc/app.env")).toBeUndefined();
    expect(fs.repoPath("/code/app/static/css/site.css")).toBeUndefined();
    expect(fs.repoPath("/code/app/settings.py")).toBe("app/settings.py");
    expect(fs.listFiles("/code").map((f) => f.repoFile)).toEqual([
      ".dockerignore",
      "Dockerfile",
      "app/__init__.py",
      "app/settings.py",
      "backend/.dockerignore",
      "backend/local.py",
      "backend/manage.py",
      "config/nginx/default.conf",
      "config/uwsgi/uwsgi.ini",
      "manage.py",
      "requirements.txt",
      "static/site.css",
    ]);
    expect(fs.runtimePath(".env")).toBeUndefined();
  });

  it("matches .dockerignore patterns relative to a sub-directory build context", () => {
    const copies = [copy(["."], "/app/")];
    const fs = new ContainerFilesystem("api", [], image(copies, "local.py\n", "backend"), repo);
    expect(fs.repoPath("/app/manage.py")).toBe("backend/manage.py");
    expect(fs.repoPath("/app/local.py")).toBeUndefined();
    expect(fs.listFiles("/app")).toEqual([
      { containerPath: "/app/.dockerignore", repoFile: "backend/.dockerignore" },
      { containerPath: "/app/manage.py", repoFile: "backend/manage.py" },
    ]);
  });
});

describe("ContainerFilesystem.repoPath", () => {
  it("answers through bind mounts only for paths that exist in the repository", () => {
    const fs = new ContainerFilesystem("web", [bind(".", "/code"), volume("static", "/code/static")], undefined, repo);
    expect(fs.repoPath("/code/manage.py")).toBe("manage.py");
    expect(fs.repoPath("/code/app")).toBe("app");
    expect(fs.repoPath("/code")).toBe(".");
    expect(fs.repoPath("/code/nope.py")).toBeUndefined();
    // Hidden by the named volume, although the repository has static/site.css.
    expect(fs.repoPath("/code/static/site.css")).toBeUndefined();
    // Nothing there at all.
    expect(fs.repoPath("/etc/nginx/nginx.conf")).toBeUndefined();
  });

  it("answers through a single-file bind mount", () => {
    const fs = new ContainerFilesystem("nginx", [bind("./config/nginx/default.conf", "/etc/nginx/conf.d/default.conf")], undefined, repo);
    expect(fs.repoPath("/etc/nginx/conf.d/default.conf")).toBe("config/nginx/default.conf");
    expect(fs.repoPath("/etc/nginx/conf.d")).toBeUndefined();
  });
});

describe("ContainerFilesystem.listFiles", () => {
  it("lists a bind mount's files under their container paths, sorted", () => {
    const fs = new ContainerFilesystem("nginx", [bind("./config", "/etc/app")], undefined, repo);
    expect(fs.listFiles("/etc/app")).toEqual([
      { containerPath: "/etc/app/nginx/default.conf", repoFile: "config/nginx/default.conf" },
      { containerPath: "/etc/app/uwsgi/uwsgi.ini", repoFile: "config/uwsgi/uwsgi.ini" },
    ]);
    expect(fs.listFiles("/etc/app/uwsgi")).toEqual([{ containerPath: "/etc/app/uwsgi/uwsgi.ini", repoFile: "config/uwsgi/uwsgi.ini" }]);
    // Asking above the mount point lists what is below it.
    expect(fs.listFiles("/etc")).toEqual(fs.listFiles("/etc/app"));
    expect(fs.listFiles("/var")).toEqual([]);
  });

  it("lists a single-file mount", () => {
    const fs = new ContainerFilesystem("nginx", [bind("config/nginx/default.conf", "/etc/nginx/conf.d/site.conf")], undefined, repo);
    expect(fs.listFiles("/etc/nginx")).toEqual([{ containerPath: "/etc/nginx/conf.d/site.conf", repoFile: "config/nginx/default.conf" }]);
    expect(fs.listFiles("/etc/nginx/conf.d/site.conf")).toEqual([{ containerPath: "/etc/nginx/conf.d/site.conf", repoFile: "config/nginx/default.conf" }]);
  });

  it("a mount hides the image content below it", () => {
    const copies = [copy(["."], "/code/")];
    const fs = new ContainerFilesystem("web", [volume("static", "/code/static"), bind("./config/nginx", "/code/config")], image(copies), repo);
    expect(fs.listFiles("/code/static")).toEqual([]);
    expect(fs.listFiles("/code/config")).toEqual([{ containerPath: "/code/config/default.conf", repoFile: "config/nginx/default.conf" }]);
    const all = fs.listFiles("/code").map((f) => f.containerPath);
    expect(all).not.toContain("/code/static/site.css");
    expect(all).not.toContain("/code/config/uwsgi/uwsgi.ini");
    expect(all).toContain("/code/manage.py");
    expect(all).toContain("/code/config/default.conf");
  });

  it("a more specific mount hides part of a bind mount", () => {
    const fs = new ContainerFilesystem("web", [volume(undefined, "/code/app"), bind(".", "/code")], undefined, repo);
    const listed = fs.listFiles("/code/app");
    expect(listed).toEqual([]);
    expect(fs.listFiles("/code").some((f) => f.repoFile.startsWith("app/"))).toBe(false);
  });
});

describe("ContainerFilesystem.runtimePath", () => {
  it("finds a repository file through a bind mount, the most specific first", () => {
    const fs = new ContainerFilesystem("nginx", [bind(".", "/code"), bind("./config/nginx", "/etc/nginx/conf.d")], undefined, repo);
    expect(fs.runtimePath("config/nginx/default.conf")).toBe("/etc/nginx/conf.d/default.conf");
    expect(fs.runtimePath("./manage.py")).toBe("/code/manage.py");
  });

  it("skips a bind whose container path a more specific mount hides", () => {
    const fs = new ContainerFilesystem("web", [bind(".", "/code"), volume("static", "/code/static")], undefined, repo);
    expect(fs.runtimePath("static/site.css")).toBeUndefined();
    expect(fs.runtimePath("app/static/css/site.css")).toBe("/code/app/static/css/site.css");
  });

  it("finds a copied file, the last COPY first, unless a mount hides it", () => {
    const copies = [copy(["."], "/code/"), copy(["requirements.txt"], "/tmp/")];
    expect(new ContainerFilesystem("web", [], image(copies), repo).runtimePath("requirements.txt")).toBe("/tmp/requirements.txt");
    expect(new ContainerFilesystem("web", [tmpfs("/tmp")], image(copies), repo).runtimePath("requirements.txt")).toBe("/code/requirements.txt");
    expect(new ContainerFilesystem("web", [], image(copies), repo).runtimePath("app/settings.py")).toBe("/code/app/settings.py");
  });

  it("is undefined for a file the container never sees", () => {
    const fs = new ContainerFilesystem("web", [bind("./config", "/config")], image([copy(["requirements.txt"], "/code/")]), repo);
    expect(fs.runtimePath("manage.py")).toBeUndefined();
    expect(fs.runtimePath("nope.txt")).toBeUndefined();
  });
});

describe("sameStorage", () => {
  const cases: [string, Storage, Storage, boolean][] = [
    ["bind, same host path", { kind: "bind", hostPath: "static" }, { kind: "bind", hostPath: "static" }, true],
    ["bind, other host path", { kind: "bind", hostPath: "static" }, { kind: "bind", hostPath: "static/x" }, false],
    ["bind vs volume", { kind: "bind", hostPath: "static" }, { kind: "volume", volume: "static", subpath: "" }, false],
    ["volume, same name and subpath", { kind: "volume", volume: "v", subpath: "a" }, { kind: "volume", volume: "v", subpath: "a" }, true],
    ["volume, other subpath", { kind: "volume", volume: "v", subpath: "a" }, { kind: "volume", volume: "v", subpath: "b" }, false],
    ["volume, other name", { kind: "volume", volume: "v", subpath: "a" }, { kind: "volume", volume: "w", subpath: "a" }, false],
    [
      "anonymous volume, same service/target/subpath",
      { kind: "anonymous-volume", service: "web", target: "/t", subpath: "x" },
      { kind: "anonymous-volume", service: "web", target: "/t", subpath: "x" },
      true,
    ],
    [
      "anonymous volume, other service",
      { kind: "anonymous-volume", service: "web", target: "/t", subpath: "x" },
      { kind: "anonymous-volume", service: "nginx", target: "/t", subpath: "x" },
      false,
    ],
    ["tmpfs, same", { kind: "tmpfs", service: "web", target: "/tmp", subpath: "s" }, { kind: "tmpfs", service: "web", target: "/tmp", subpath: "s" }, true],
    ["tmpfs, other target", { kind: "tmpfs", service: "web", target: "/tmp", subpath: "s" }, { kind: "tmpfs", service: "web", target: "/run", subpath: "s" }, false],
    [
      "tmpfs vs anonymous volume with the same fields",
      { kind: "tmpfs", service: "web", target: "/tmp", subpath: "s" },
      { kind: "anonymous-volume", service: "web", target: "/tmp", subpath: "s" },
      false,
    ],
    [
      "image, same service and path (repoPath does not matter)",
      { kind: "image", service: "app", path: "/tmp/app.sock", repoPath: undefined },
      { kind: "image", service: "app", path: "/tmp/app.sock", repoPath: "x" },
      true,
    ],
    [
      "image, two services",
      { kind: "image", service: "web", path: "/tmp/app.sock", repoPath: undefined },
      { kind: "image", service: "nginx", path: "/tmp/app.sock", repoPath: undefined },
      false,
    ],
    ["image vs bind", { kind: "image", service: "web", path: "/x", repoPath: "x" }, { kind: "bind", hostPath: "x" }, false],
  ];
  it.each(cases)("%s", (_name, a, b, expected) => {
    expect(sameStorage(a, b)).toBe(expected);
    expect(sameStorage(b, a)).toBe(expected);
  });

  it("two services sharing a named volume see the same storage at different paths", () => {
    const web = new ContainerFilesystem("web", [volume("static", "/code/static")], undefined, repo);
    const nginx = new ContainerFilesystem("nginx", [volume("static", "/usr/share/nginx/static")], undefined, repo);
    expect(sameStorage(web.resolve("/code/static/admin/base.css").storage, nginx.resolve("/usr/share/nginx/static/admin/base.css").storage)).toBe(true);
    expect(sameStorage(web.resolve("/code/static/admin").storage, nginx.resolve("/usr/share/nginx/static").storage)).toBe(false);
  });

  it("the same /tmp path in two services' images is not shared", () => {
    const web = new ContainerFilesystem("web", [], undefined, repo);
    const nginx = new ContainerFilesystem("nginx", [], undefined, repo);
    expect(sameStorage(web.resolve("/tmp/app.sock").storage, nginx.resolve("/tmp/app.sock").storage)).toBe(false);
    expect(sameStorage(web.resolve("/tmp/app.sock").storage, web.resolve("/tmp//app.sock").storage)).toBe(true);
  });
});

describe("describeStorage", () => {
  it.each<[Storage, string]>([
    [{ kind: "bind", hostPath: "." }, "the repository root (bind mount)"],
    [{ kind: "bind", hostPath: "config/nginx" }, "./config/nginx (bind mount)"],
    [{ kind: "volume", volume: "static", subpath: "" }, "named volume 'static'"],
    [{ kind: "volume", volume: "static", subpath: "admin/css" }, "named volume 'static' at admin/css"],
    [{ kind: "anonymous-volume", service: "web", target: "/x", subpath: "y" }, "an anonymous volume of service 'web'"],
    [{ kind: "tmpfs", service: "web", target: "/tmp", subpath: "" }, "a tmpfs of service 'web'"],
    [{ kind: "image", service: "nginx", path: "/x", repoPath: undefined }, "the image filesystem of service 'nginx'"],
  ])("%j → %s", (storage, text) => {
    expect(describeStorage(storage)).toBe(text);
  });
});

describe("a service's filesystem built from its Dockerfile", () => {
  it("COPY requirements.txt . lands inside WORKDIR (BuildKit treats `.` as a directory)", () => {
    const m = model({
      "docker-compose.yml": "services:\n  web:\n    build: .\n",
      Dockerfile: "FROM python:3.12\nWORKDIR /code\nCOPY requirements.txt .\nCOPY app/ ./app/\n",
      "requirements.txt": "Django==5.0\n",
      "app/settings.py": "DEBUG = False\n",
    });
    const fs = service(m, "web").filesystem;
    expect(fs.repoPath("/code/requirements.txt")).toBe("requirements.txt");
    expect(fs.repoPath("/code/app/settings.py")).toBe("app/settings.py");
    expect(fs.runtimePath("requirements.txt")).toBe("/code/requirements.txt");
  });

  it("a file copied onto a directory that exists lands inside it: base-image directories, WORKDIRs, RUN mkdir", () => {
    const m = model({
      "docker-compose.yml": "services:\n  nginx:\n    build: ./nginx\n  web:\n    build: ./web\n",
      "nginx/Dockerfile": "FROM nginx:1.27\nRUN rm /etc/nginx/conf.d/default.conf\nCOPY nginx.conf /etc/nginx/conf.d\n",
      "nginx/nginx.conf": "server { listen 80; }\n",
      "web/Dockerfile": "FROM python:3.12\nWORKDIR /code\nRUN mkdir -p /code/deploy /srv/keys\nCOPY uwsgi.ini /code/deploy\nCOPY key.pem /srv/key.pem\nWORKDIR /app\nCOPY start.sh /code\n",
      "web/uwsgi.ini": "[uwsgi]\n",
      "web/key.pem": "",
      "web/start.sh": "",
    });
    expect(service(m, "nginx").filesystem.repoPath("/etc/nginx/conf.d/nginx.conf")).toBe("nginx/nginx.conf");
    const web = service(m, "web").filesystem;
    expect(web.repoPath("/code/deploy/uwsgi.ini")).toBe("web/uwsgi.ini");
    expect(web.repoPath("/srv/key.pem")).toBe("web/key.pem");
    expect(web.repoPath("/code/start.sh")).toBe("web/start.sh");
    // A destination nothing made is the file's new name.
    expect(web.repoPath("/code/deploy")).toBeUndefined();
  });

  it("copyOf: the COPY that brings a context file in, present or not, unless .dockerignore excludes it", () => {
    const m = model({
      "docker-compose.yml": "services:\n  web:\n    build: .\n",
      Dockerfile: "FROM python:3.12\nWORKDIR /code\nCOPY certs/site.key /etc/site.key\nCOPY . /code/\n",
      ".dockerignore": "*.log\n",
      "certs/site.key": "",
      "app.log": "",
    });
    const fs = service(m, "web").filesystem;
    expect(fs.copyOf(".env")?.range.line).toBe(4);
    expect(fs.copyOf("certs/site.key")?.range.line).toBe(3);
    expect(fs.copyOf("certs/site.key", { viaDirectoryOnly: true })?.range.line).toBe(4);
    expect(fs.copyOf("app.log")).toBeUndefined();
  });
});
