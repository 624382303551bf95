import { posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import type { RelatedLocation } from "../engine/finding.js";
import type { SettingValue } from "../python/evaluate.js";
import { describeStorage, normalizeContainerPath, sameStorage, type StorageResolution } from "./container-filesystem.js";
import { setting, type NginxLocation, type Service, type Stack } from "./deployment-model.js";
import { selectLocation, servedFile } from "./nginx-routing.js";
import { djangoServices, nginxServices, pathOrString, serverProxiesToApp, urlPathPrefix } from "./queries.js";

/** A Django URL prefix that nginx serves from files, and the directory Django puts them in. */
export interface ServedDirectoryPair {
  urlSetting: "STATIC_URL" | "MEDIA_URL";
  rootSetting: "STATIC_ROOT" | "MEDIA_ROOT";
  /** A file that exists under the directory in a real deployment, to phrase messages with. */
  probe: string;
}

export interface ServedDirectoryMismatch {
  nginx: Service;
  app: Service;
  location: NginxLocation;
  /** The alias / root argument that decides the path. */
  range: SourceRange;
  via: "alias" | "root";
  urlPrefix: string;
  uri: string;
  probe: string;
  /** Where nginx reads the probe file, in the nginx container. */
  servedPath: string;
  /** Where Django keeps it, in the app container. */
  expectedPath: string;
  directory: string;
  rootValue: SettingValue;
  nginxSees: StorageResolution;
  appWrites: StorageResolution;
}

/**
 * For each nginx that serves the Django URL prefix from files, does the file a request
 * reads live on the same storage as the file Django writes under the root setting?
 */
export function servedDirectoryMismatches(stack: Stack, pair: ServedDirectoryPair): ServedDirectoryMismatch[] {
  const out: ServedDirectoryMismatch[] = [];
  for (const app of djangoServices(stack)) {
    const url = pathOrString(setting(app.django, pair.urlSetting)?.value);
    const rootValue = setting(app.django, pair.rootSetting);
    const directory = pathOrString(rootValue?.value);
    if (url === undefined || rootValue === undefined || directory === undefined || !directory.startsWith("/")) continue;
    const urlPrefix = urlPathPrefix(url);
    if (urlPrefix === undefined) continue;
    const uri = urlPrefix + pair.probe;
    const expectedPath = posix.join(normalizeContainerPath(directory), pair.probe);
    for (const nginx of nginxServices(stack)) {
      for (const server of nginx.nginx?.servers ?? []) {
        if (!serverProxiesToApp(server)) continue;
        const location = selectLocation(server.locations, uri);
        if (!location) continue;
        const served = servedFile(location, uri);
        if (!served || served.path === undefined) continue;
        const nginxSees = nginx.filesystem.resolve(served.path);
        const appWrites = app.filesystem.resolve(expectedPath);
        if (sameStorage(nginxSees.storage, appWrites.storage)) continue;
        // Files copied into the nginx image from a build stage (one that ran collectstatic): we cannot tell.
        if (nginxSees.copy?.fromStage !== undefined) continue;
        const decider = served.via === "alias" ? location.alias : location.root;
        out.push({
          nginx,
          app,
          location,
          range: decider?.arg.range ?? location.directive.range,
          via: served.via,
          urlPrefix,
          uri,
          probe: pair.probe,
          servedPath: served.path,
          expectedPath,
          directory: normalizeContainerPath(directory),
          rootValue,
          nginxSees,
          appWrites,
        });
      }
    }
  }
  return out;
}

/** The finding text and related locations for a mismatch, shared by static-alias and media-alias. */
export function describeMismatch(m: ServedDirectoryMismatch, rootSetting: string): { message: string; related: RelatedLocation[] } {
  const related: RelatedLocation[] = [
    { range: m.rootValue.range, message: `${rootSetting} is ${m.directory} in service '${m.app.name}'` },
  ];
  const samePath = normalizeContainerPath(m.servedPath) === m.expectedPath;
  // Would fixing the path be enough, or does nginx's container not see the directory at all?
  const nginxSeesRoot = sameStorage(m.nginx.filesystem.resolve(m.expectedPath).storage, m.appWrites.storage);
  let message: string;
  if (!samePath && nginxSeesRoot) {
    message =
      `nginx serves ${m.urlPrefix} from the wrong directory: a request for ${m.uri} reads ${m.servedPath}, but ` +
      `${rootSetting} puts that file at ${m.expectedPath}${hint(m)}`;
  } else {
    const servedDirectory = m.servedPath.slice(0, m.servedPath.length - m.probe.length);
    const where = samePath ? `from ${m.directory}` : `from ${servedDirectory} (a request for ${m.uri} reads ${m.servedPath})`;
    // Describe the directories, not the example file inside them.
    const nginxDirectory = m.nginx.filesystem.resolve(samePath ? m.directory : servedDirectory).storage;
    const appDirectory = m.app.filesystem.resolve(m.directory).storage;
    message =
      `nginx (service '${m.nginx.name}') serves ${m.urlPrefix} ${where}, which is ${describeStorage(nginxDirectory)}, ` +
      `but ${rootSetting} is ${m.directory} in service '${m.app.name}', on ${describeStorage(appDirectory)}: ` +
      `nginx never sees the files Django writes; put ${rootSetting} on a volume (or host directory) mounted in both services` +
      (samePath ? "" : " and point the alias at it");
    if (m.appWrites.mount) related.push({ range: m.appWrites.mount.range, message: `'${m.app.name}' mounts ${m.appWrites.mount.target} here` });
    if (m.nginxSees.mount) related.push({ range: m.nginxSees.mount.range, message: `'${m.nginx.name}' mounts ${m.nginxSees.mount.target} here` });
  }
  return { message, related };
}

function hint(m: ServedDirectoryMismatch): string {
  const prefix = m.location.uri.value ?? "";
  if (m.via === "alias") {
    const alias = m.location.alias?.value ?? "";
    if (prefix.endsWith("/") && !alias.endsWith("/") && normalizeContainerPath(alias) === m.directory) {
      return ` (the alias lacks the trailing '/' its location has: use 'alias ${alias}/;')`;
    }
    return ` (use 'alias ${m.directory}/;' with location ${prefix})`;
  }
  return ` ('root' appends the whole URI ${m.urlPrefix}… to its path; use 'alias ${m.directory}/;' in location ${prefix})`;
}
