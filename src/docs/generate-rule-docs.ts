import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ALL_RULES } from "../../rules/index.js";
import { renderAllRuleDocs } from "./rule-doc.js";

// dist/src/docs → repository root
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const docsDir = join(repoRoot, "docs", "rules");
for (const [path, content] of renderAllRuleDocs(ALL_RULES)) {
  const target = join(docsDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}
console.log(`wrote ${ALL_RULES.length} rule pages and the index to docs/rules/`);
