#!/usr/bin/env node
// The installed `django-prod-lint` command. Start-up is most of a lint's time on a small
// repository, so the CLI ships as one bundled file (dist/bundle.cjs, scripts/bundle.mjs) and this
// launcher runs it with V8's code cache (dist/bundle.cache, written at build time by linting the
// seed fixture): Node then skips parsing and compiling the functions a lint needs. A cache made by
// another Node version is rejected by V8, and the bundle simply compiles as usual.
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");
const Module = require("node:module");

const bundle = join(__dirname, "bundle.cjs");
const cacheFile = join(__dirname, "bundle.cache");
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache (a build without the fixtures): compile normally.
}
// The bundle is ASCII (esbuild escapes the rest), so latin1 decodes it byte for byte, faster than UTF-8.
const script = new Script(Module.wrap(readFileSync(bundle, "latin1")), { filename: bundle, cachedData });
if (process.env.DPL_WRITE_CODE_CACHE === "1") {
  // Build time only (scripts/bundle.mjs): after a lint, the cache holds every function it compiled.
  process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
}
const module_ = { exports: {} };
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(bundle), module_, bundle, __dirname);
