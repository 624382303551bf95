/**
 * nginx's "off-by-slash" alias traversal: a prefix location without a trailing `/`
 * (`location /static`) whose alias ends in `/` (`alias /code/static/;`) maps
 * `/static../x` to `/code/static/../x`, one directory above the alias. This lists those
 * locations and what the nginx container has in that directory.
 */
import { posix } from "node:path";
import { describeStorage, normalizeContainerPath } from "./container-filesystem.js";
import type { NginxLocation, NginxServer, Service, Stack } from "./deployment-model.js";
import { allLocations } from "./queries.js";

export interface AliasTraversal {
  nginx: Service;
  server: NginxServer;
  location: NginxLocation;
  prefix: string;
  alias: string;
  /** The directory a `..` after the prefix reaches: the alias directory's parent. */
  reachable: string;
  /** Where its bytes live in the nginx container, for messages. */
  storage: string;
  /** Repository files nginx can serve through the traversal (paths relative to `reachable`), sensitive ones first. */
  files: string[];
  /** How many of `files` look sensitive (env files, settings, keys, databases). */
  sensitive: number;
}

const SENSITIVE: RegExp[] = [
  /(^|\/)\.env([._-][^/]*)?$|(^|\/)[^/]*\.env$/,
  /(^|\/)(settings|local_settings|secrets?)[^/]*\.py$|(^|\/)settings\/[^/]+\.py$/,
  /\.(pem|key|p12|pfx|jks|keystore)$|(^|\/)(id_rsa|id_ed25519|id_ecdsa)[^/]*$|(^|\/)(secrets?|credentials)[^/]*$/i,
  /\.(sqlite3?|db)$/,
  /(^|\/)(docker-compose[^/]*|compose[^/]*)\.ya?ml$|(^|\/)\.git(\/|$)|(^|\/)[^/]*\.ini$/,
];

function sensitivity(file: string): number {
  const i = SENSITIVE.findIndex((re) => re.test(file));
  return i < 0 ? SENSITIVE.length : i;
}

/**
 * Prefix locations (no modifier or `^~`, nested ones too) open to the off-by-slash traversal,
 * in every nginx of the stack. `deployFiles` are repository paths that exist at deploy time
 * although the checkout lacks them (git-ignored env files compose or systemd names).
 */
export function aliasTraversals(stack: Stack, deployFiles: readonly string[] = []): AliasTraversal[] {
  const out: AliasTraversal[] = [];
  for (const nginx of stack.services) {
    for (const server of nginx.nginx?.servers ?? []) {
      for (const location of allLocations(server)) {
        if (location.modifier !== "" && location.modifier !== "^~") continue;
        const prefix = location.uri.value;
        const alias = location.alias?.value;
        if (prefix === undefined || alias === undefined || prefix.endsWith("/") || !alias.endsWith("/") || alias.includes("$")) continue;
        const aliasDir = normalizeContainerPath(alias.startsWith("/") ? alias : posix.join("/etc/nginx", alias));
        if (aliasDir === "/") continue;
        const reachable = posix.dirname(aliasDir);
        const visible = nginx.filesystem.listFiles(reachable).map((f) => f.containerPath);
        for (const file of deployFiles) {
          const at = nginx.filesystem.runtimePath(file);
          if (at !== undefined && at.startsWith(`${reachable === "/" ? "" : reachable}/`) && !visible.includes(at)) visible.push(at);
        }
        const files = visible
          .map((path) => posix.relative(reachable, path))
          .filter((rel) => rel !== posix.relative(reachable, aliasDir) && !rel.startsWith(`${posix.relative(reachable, aliasDir)}/`))
          .sort((a, b) => sensitivity(a) - sensitivity(b) || a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
        out.push({
          nginx,
          server,
          location,
          prefix,
          alias,
          reachable,
          storage: describeStorage(nginx.filesystem.resolve(reachable).storage),
          files,
          sensitive: files.filter((f) => sensitivity(f) < SENSITIVE.length).length,
        });
      }
    }
  }
  return out;
}
