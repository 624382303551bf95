// `npm run bench [-- --runs N] [-- --sizes 1,10,100,1000] [-- --skip-django]`
//
// The project's benchmark (docs/PERFORMANCE.md), not a timed test:
//  1. start-up: linting an empty directory vs `node -e 0`, alternating, medians and ratio;
//  2. the seed project (fixtures/projects/seed-skeleton): our lint vs real
//     `python3 manage.py check --deploy` (Debian's Django), alternating, medians and ratio;
//  2b. report formats on the seed project and its broken twin: --format json vs --format html
//     (target: html under 2 × json's time, the page under 300 KB);
//  3. synthetic repositories of 1, 10, 100 and 1000 Django projects (compose, nginx, uWSGI,
//     Dockerfile, settings each): wall time and peak memory per size, and time per project.
// Runs the built CLI (dist/): `npm run bench` builds first.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { materializeFixture } from "./materialize-fixture.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const RUNS = Number(option("--runs", "21"));
const SIZES = option("--sizes", "1,10,100,1000").split(",").map(Number);
const SKIP_DJANGO = args.includes("--skip-django");

const CLI = fileURLToPath(new URL("../dist/django-prod-lint.cjs", import.meta.url));
// Reports the child's peak resident memory on exit (kB on Linux) without wrapping the CLI in other code.
const RSS_PROBE = join(mkdtempSync(join(tmpdir(), "dpl-bench-probe-")), "rss.mjs");
writeFileSync(RSS_PROBE, 'process.on("exit", () => process.stderr.write(`\\nDPL_MAX_RSS_KB=${process.resourceUsage().maxRSS}\\n`));\n');

/** Runs a command once; returns wall milliseconds (and peak RSS when probed). */
function timed(command, commandArgs, options = {}) {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, commandArgs, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.error) throw run.error;
  if (options.expectStatus !== undefined && !options.expectStatus.includes(run.status)) {
    throw new Error(`${command} ${commandArgs.join(" ")} exited ${run.status}:\n${run.stderr}`);
  }
  const rss = /DPL_MAX_RSS_KB=(\d+)/.exec(run.stderr ?? "");
  return { ms, rssKb: rss ? Number(rss[1]) : undefined, stdout: run.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** Alternates the commands run by run so machine load hits both alike; returns each one's median. */
function alternate(label, commands) {
  const samples = commands.map(() => []);
  for (let run = 0; run < RUNS + 1; run++) {
    commands.forEach((command, i) => {
      const { ms } = command();
      if (run > 0) samples[i].push(ms); // the first round warms disk caches
    });
  }
  return samples.map(median);
}

// The default invocation (text output), as a user or a pre-commit hook runs it.
const lint = (dir) => () => timed(process.execPath, [CLI, "--fail-on", "never", dir], { expectStatus: [0] });

console.log(`django-prod-lint benchmark — node ${process.version}, ${RUNS} alternating runs per comparison (medians)\n`);

// 1. Start-up.
const empty = mkdtempSync(join(tmpdir(), "dpl-bench-empty-"));
const [nodeMs, emptyMs] = alternate("start-up", [() => timed(process.execPath, ["-e", "0"]), lint(empty)]);
console.log("start-up (lint of an empty directory)");
console.log(`  node -e 0            ${fmt(nodeMs)}`);
console.log(`  django-prod-lint     ${fmt(emptyMs)}   ratio ${(emptyMs / nodeMs).toFixed(2)} × node  (target ≤ 2)\n`);

// 2. The seed project against Django's own check.
const seed = materializeFixture(fileURLToPath(new URL("../fixtures/projects/seed-skeleton", import.meta.url)));
console.log("seed project (fixtures/projects/seed-skeleton)");
const [seedMs] = alternate("seed", [lint(seed)]);
if (SKIP_DJANGO) {
  console.log(`  django-prod-lint     ${fmt(seedMs)}   (Django comparison skipped)\n`);
} else {
  const python = findDjangoPython();
  const env = { ...process.env, ...dotenv(join(seed, ".env")), DJANGO_SETTINGS_MODULE: "django_prod_skeleton.settings.prod" };
  const django = () =>
    timed(python, ["manage.py", "check", "--deploy"], { cwd: join(seed, "django_prod_skeleton"), env, expectStatus: [0, 1] });
  const version = execFileSync(python, ["-c", "import django; print(django.get_version())"], { encoding: "utf8" }).trim();
  const [oursMs, djangoMs] = alternate("seed", [lint(seed), django]);
  console.log(`  manage.py check --deploy (Django ${version}, ${python})  ${fmt(djangoMs)}`);
  console.log(`  django-prod-lint     ${fmt(oursMs)}   ratio ${(oursMs / djangoMs).toFixed(2)} × Django  (target ≤ 0.5)\n`);
}

// 2b. Report formats: the html page (layout with dagre, SVG, snippets) against the JSON report.
console.log("report formats (--format json vs --format html, medians)");
console.log("  project        json          html          ratio   page size");
for (const name of ["seed-skeleton", "seed-broken"]) {
  const dir = materializeFixture(fileURLToPath(new URL(`../fixtures/projects/${name}`, import.meta.url)));
  const format = (f) => () => timed(process.execPath, [CLI, "--format", f, "--fail-on", "never", dir], { expectStatus: [0] });
  const [jsonMs, htmlMs] = alternate(`formats ${name}`, [format("json"), format("html")]);
  const pageBytes = Buffer.byteLength(format("html")().stdout, "utf8");
  console.log(
    `  ${name.padEnd(13)}  ${fmt(jsonMs).padStart(10)}    ${fmt(htmlMs).padStart(10)}    ${(htmlMs / jsonMs).toFixed(2).padStart(4)} ×   ${(pageBytes / 1024).toFixed(1)} KB`,
  );
}
console.log("  target: html ≤ 2 × json, page < 300 KB\n");

// 3. Synthetic repositories.
console.log("synthetic repositories (N Django projects, each: compose, nginx, uWSGI, Dockerfile, settings)");
console.log("  projects   files   median wall   per project   peak RSS");
const FILES_PER_PROJECT = Object.keys(syntheticProject("x")).length;
const sizeRuns = Math.max(3, Math.min(RUNS, 7));
for (const size of SIZES) {
  const dir = syntheticRepository(size);
  const samples = [];
  let rss = 0;
  for (let run = 0; run < sizeRuns + 1; run++) {
    const result = timed(process.execPath, ["--import", RSS_PROBE, CLI, "--format", "json", "--fail-on", "never", dir], { expectStatus: [0] });
    if (run === 0) {
      const findings = JSON.parse(result.stdout).findings.length;
      if (findings !== 0) console.log(`  (warning: ${findings} findings in the synthetic repository of ${size})`);
      continue;
    }
    samples.push(result.ms);
    rss = Math.max(rss, result.rssKb ?? 0);
  }
  const wall = median(samples);
  console.log(
    `  ${String(size).padStart(8)}   ${String(size * FILES_PER_PROJECT + 1).padStart(5)}   ${fmt(wall).padStart(11)}   ${fmt(wall / size).padStart(11)}   ${(rss / 1024).toFixed(0).padStart(5)} MB`,
  );
  rmSync(dir, { recursive: true, force: true });
}
console.log("\ntarget: 1000 projects under 10 s on a 2-core machine; time per project flat as N grows (linear growth)");

function findDjangoPython() {
  for (const candidate of [process.env.DPL_DJANGO_PYTHON, "/usr/bin/python3", "python3"]) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ["-c", "import django"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  throw new Error("no python3 with Django found (apt-get install python3-django, or set DPL_DJANGO_PYTHON); or pass --skip-django");
}

function dotenv(file) {
  const values = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2];
  }
  return values;
}

/** A git repository of `count` correct Django deployments, one per folder. */
function syntheticRepository(count) {
  const root = mkdtempSync(join(tmpdir(), `dpl-bench-${count}-`));
  for (let i = 0; i < count; i++) {
    const name = `site${i}`;
    const dir = join(root, name);
    mkdirSync(join(dir, "app", "config", "settings"), { recursive: true });
    mkdirSync(join(dir, "nginx"), { recursive: true });
    const files = syntheticProject(name);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  }
  writeFileSync(join(root, ".gitignore"), ".env\n");
  execFileSync("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: root });
  execFileSync("git", ["add", "-A"], { cwd: root });
  return root;
}

function syntheticProject(name) {
  return {
    "docker-compose.yml": `services:
  web:
    build: .
    command: sh -c "python manage.py collectstatic --noinput && uwsgi --ini /app/uwsgi.ini"
    environment:
      DJANGO_SETTINGS_MODULE: config.settings.prod
      DJANGO_ALLOWED_HOST: ${name}.example.com
    env_file: .env
    volumes:
      - static:/app/static
      - sockets:/run/uwsgi
    depends_on: [db, cache]
  nginx:
    image: nginx:1.27
    ports: ["80:80", "443:443"]
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
      - certs:/etc/letsencrypt:ro
      - static:/srv/static:ro
      - sockets:/run/uwsgi
    depends_on: [web]
  db:
    image: postgres:16
    env_file: .env
  cache:
    image: redis:7
volumes:
  static:
  sockets:
  certs:
`,
    Dockerfile: `FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app/ /app/
COPY uwsgi.ini /app/uwsgi.ini
`,
    "requirements.txt": "Django==4.2.16\nuwsgi==2.0.28\npsycopg2-binary==2.9.10\n",
    "uwsgi.ini": `[uwsgi]
chdir = /app
module = config.wsgi:application
master = true
processes = 4
socket = /run/uwsgi/app.sock
chmod-socket = 666
`,
    "nginx/default.conf": `upstream app {
    server unix:/run/uwsgi/app.sock;
}
server {
    listen 80;
    server_name ${name}.example.com;
    return 301 https://$host$request_uri;
}
server {
    listen 443 ssl;
    server_name ${name}.example.com;
    ssl_certificate /etc/letsencrypt/live/${name}.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/${name}.example.com/privkey.pem;
    location /static/ {
        alias /srv/static/;
    }
    location / {
        include uwsgi_params;
        uwsgi_param HTTP_X_FORWARDED_PROTO $scheme;
        uwsgi_pass app;
    }
}
`,
    "app/manage.py": `import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
`,
    "app/config/__init__.py": "",
    "app/config/wsgi.py": `import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
`,
    "app/config/settings/__init__.py": "",
    "app/config/settings/prod.py": `import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [os.environ["DJANGO_ALLOWED_HOST"]]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.staticfiles"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
STATIC_URL = "/static/"
STATIC_ROOT = "/app/static"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["POSTGRES_DB"],
        "USER": os.environ["POSTGRES_USER"],
        "PASSWORD": os.environ["POSTGRES_PASSWORD"],
        "HOST": "db",
        "PORT": 5432,
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
`,
    ".env.example": "SECRET_KEY=\nPOSTGRES_DB=site\nPOSTGRES_USER=site\nPOSTGRES_PASSWORD=\n",
  };
}
