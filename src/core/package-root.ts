import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Files that ship with the package (package.json, docs/config.schema.json) are found from the
 * package root, which sits at a different depth above the running module depending on how it runs:
 * src/ (vitest), dist/src/ (tsc output) or dist/ (the bundled CLI). Walk up to our package.json.
 */
let root: string | undefined;
let manifest: { name?: string; version?: string } | undefined;

export function packageRoot(): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
      const found = readManifest(join(dir, "package.json"));
      if (found?.name === "django-prod-lint") {
        manifest = found;
        root = dir;
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) {
        root = dirname(fileURLToPath(import.meta.url));
        manifest = {};
        break;
      }
      dir = parent;
    }
  }
  return root;
}

export function packageManifest(): { name?: string; version?: string } {
  packageRoot();
  return manifest ?? {};
}

function readManifest(path: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}
