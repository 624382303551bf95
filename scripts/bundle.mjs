// Bundles the compiled CLI (dist/src/cli.js, from tsc) into one file, dist/bundle.cjs, run by the
// launcher dist/django-prod-lint.cjs (scripts/cli-launcher.cjs) with a V8 code cache made here.
// Start-up is most of a lint's time on a small repository: Node spends it resolving, loading and
// compiling ~300 module files; one cached file starts several times faster (docs/PERFORMANCE.md).
// Native and lazily loaded packages stay outside: tree-sitter (a native addon, loaded on the first
// Python file), ajv (loaded only when a configuration file exists) and dagre (the html format).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli.js"],
  outfile: "dist/bundle.cjs",
  bundle: true,
  platform: "node",
  // CommonJS, because vm.Script (which takes a code cache) runs scripts, not ES modules.
  format: "cjs",
  target: "node20",
  // dagre lays out the html format's drawing: loaded (createRequire) only when that format runs.
  external: ["tree-sitter", "tree-sitter-python", "ajv", "@dagrejs/dagre"],
  define: { "import.meta.url": "__dplModuleUrl" },
  banner: { js: 'const __dplModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: "none",
  // The launcher reads the bundle as latin1 (faster than UTF-8): keep it ASCII.
  charset: "ascii",
  // Less source to read and hash at every start (minified names: ~4 ms of the seed's ~125 ms). An internal
  // error still names its rule; for a readable stack trace run the unbundled tsc output, `node dist/src/cli.js`.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  logLevel: "warning",
});
// The launcher wraps the bundle in a function: the `#!` line esbuild keeps from src/cli.ts cannot stay.
// It reads the bundle as latin1 (faster than UTF-8), so what esbuild leaves non-ASCII (regular
// expression literals, comments) becomes a \u escape, which means the same there.
const bundled = readFileSync("dist/bundle.cjs", "utf8")
  .replace(/^#!.*\n/, "")
  .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
writeFileSync("dist/bundle.cjs", bundled);
copyFileSync("scripts/cli-launcher.cjs", "dist/django-prod-lint.cjs");
chmodSync("dist/django-prod-lint.cjs", 0o755);

// Warm the cache with a lint of the broken seed project (text output, most rules fire).
rmSync("dist/bundle.cache", { force: true });
const seed = "fixtures/projects/seed-broken";
const args = existsSync(seed) ? [seed] : ["--list-rules"];
const run = spawnSync(process.execPath, ["dist/django-prod-lint.cjs", ...args], {
  env: { ...process.env, DPL_WRITE_CODE_CACHE: "1", NO_COLOR: "1" },
  stdio: ["ignore", "ignore", "pipe"],
  encoding: "utf8",
});
if (![0, 1].includes(run.status ?? -1) || !existsSync("dist/bundle.cache")) {
  console.error(`bundle: the bundled CLI failed on ${args.join(" ")} (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
