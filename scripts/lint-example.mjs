// `npm run example [-- --broken] [-- other CLI options]`: lints the bundled seed project
// (fixtures/projects/seed-skeleton, or its broken twin) from a temporary git checkout.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { materializeFixture } from "./materialize-fixture.mjs";

const args = process.argv.slice(2);
const broken = args.includes("--broken");
const name = broken ? "seed-broken" : "seed-skeleton";
const fixture = fileURLToPath(new URL(`../fixtures/projects/${name}`, import.meta.url));
const dir = materializeFixture(fixture);
const cli = fileURLToPath(new URL("../dist/django-prod-lint.cjs", import.meta.url));
console.log(`$ django-prod-lint ${args.filter((a) => a !== "--broken").join(" ")}  # fixtures/projects/${name}, checked out at ${dir}`);
const run = spawnSync(process.execPath, [cli, ...args.filter((a) => a !== "--broken"), dir], { stdio: "inherit" });
process.exitCode = run.status ?? 2;
