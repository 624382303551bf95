/**
 * Does anything fill the STATIC_ROOT that nginx serves? nginx serves the directory from
 * storage it shares with the Django container (a volume, a host directory, one image), and
 * only `manage.py collectstatic` puts files there. This answers whether it runs (in an image
 * build or when a container starts, see collectstatic.ts) and whether a build-time run ever
 * reaches the storage nginx reads.
 */
import { posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import type { SettingValue } from "../python/evaluate.js";
import type { ComposeMount } from "./compose-stack.js";
import { normalizeContainerPath, sameStorage, type StorageResolution } from "./container-filesystem.js";
import { setting, type CollectstaticRun, type NginxLocation, type Service, type Stack } from "./deployment-model.js";
import { selectLocation, servedFile } from "./nginx-routing.js";
import { containsString, effectiveSetting } from "./django-settings.js";
import { djangoServices, nginxServices, pathOrString, serverProxiesToApp, urlPathPrefix } from "./queries.js";

/** A file every Django project with the admin has under STATIC_ROOT, to ask nginx where it reads it. */
const PROBE = "admin/css/base.css";

/** nginx serving STATIC_URL from the storage STATIC_ROOT names in the Django container. */
export interface ServedStaticRoot {
  app: Service;
  nginx: Service;
  location: NginxLocation;
  /** The alias / root argument that maps the location to the directory. */
  servedBy: SourceRange;
  urlPrefix: string;
  /** STATIC_ROOT, normalised (the app container's path). */
  directory: string;
  /** The same directory as nginx's container sees it (its alias or root). */
  nginxDirectory: string;
  rootValue: SettingValue;
  /** STATIC_ROOT in the Django container. */
  appStorage: StorageResolution;
}

export type StaticCollectionVerdict =
  /** Some run reaches the storage, or something we cannot see may run it. */
  | { kind: "collected" | "unknown" }
  /** No service, image or file of the repository runs (or mentions) collectstatic. */
  | { kind: "never" }
  /** Only image builds run it, and STATIC_ROOT is on a volume in the Django container: Docker fills a volume from the image only while it is empty. */
  | { kind: "build-only-volume"; builds: CollectstaticRun[]; mount: ComposeMount };

export interface StaticCollection extends ServedStaticRoot {
  verdict: StaticCollectionVerdict;
}

/** Every nginx → STATIC_ROOT pair of the stack whose storage only collectstatic fills. */
export function servedStaticRoots(stack: Stack): ServedStaticRoot[] {
  const out: ServedStaticRoot[] = [];
  for (const app of djangoServices(stack)) {
    const url = pathOrString(setting(app.django, "STATIC_URL")?.value);
    const rootValue = setting(app.django, "STATIC_ROOT");
    const root = pathOrString(rootValue?.value);
    if (url === undefined || rootValue === undefined || root === undefined || !root.startsWith("/")) continue;
    const urlPrefix = urlPathPrefix(url);
    if (urlPrefix === undefined || !hasStaticfiles(app)) continue;
    const directory = normalizeContainerPath(root);
    const expected = posix.join(directory, PROBE);
    const appStorage = app.filesystem.resolve(directory);
    const appWrites = app.filesystem.resolve(expected);
    for (const nginx of nginxServices(stack)) {
      for (const server of nginx.nginx?.servers ?? []) {
        if (!serverProxiesToApp(server)) continue;
        const location = selectLocation(server.locations, urlPrefix + PROBE);
        const served = location ? servedFile(location, urlPrefix + PROBE) : undefined;
        if (!location || served?.path === undefined) continue;
        if (!sameStorage(nginx.filesystem.resolve(served.path).storage, appWrites.storage)) continue;
        const decider = served.via === "alias" ? location.alias : location.root;
        const nginxDirectory = normalizeContainerPath(served.path.slice(0, served.path.length - PROBE.length));
        out.push({ app, nginx, location, servedBy: decider?.arg.range ?? location.directive.range, urlPrefix, directory, nginxDirectory, rootValue, appStorage });
        break;
      }
    }
  }
  return out;
}

/** Without django.contrib.staticfiles there is no collectstatic (and no static files to collect); unknown counts as present. */
function hasStaticfiles(app: Service): boolean {
  if (!app.django) return false;
  const apps = effectiveSetting(app.django, "INSTALLED_APPS").value;
  const names = ["django.contrib.staticfiles", "django.contrib.staticfiles.apps.StaticFilesConfig"];
  return names.some((name) => containsString(apps, name) !== false);
}

const DOCKERFILE = /(^|\/)(Dockerfile[^/]*|[^/]+\.[Dd]ockerfile)$/;

/**
 * For each STATIC_ROOT nginx serves: is it ever filled? `mentions` are the repository's lines
 * that mention collectstatic (DeploymentModel.collectstaticMentions).
 */
export function staticCollection(stack: Stack, mentions: () => readonly SourceRange[]): StaticCollection[] {
  return servedStaticRoots(stack).map((served) => ({ ...served, verdict: verdict(stack, served, mentions) }));
}

function verdict(stack: Stack, served: ServedStaticRoot, mentions: () => readonly SourceRange[]): StaticCollectionVerdict {
  const { app, nginx, directory } = served;
  // Files the repository itself puts there (collected and committed, or copied in): not our question.
  if (app.filesystem.listFiles(directory).length > 0 || nginx.filesystem.listFiles(directory).length > 0) return { kind: "collected" };
  const runs = stack.services.flatMap((s) => s.collectstatic.runs);
  // Services that may run Django's commands: the app, and services from the same image.
  const djangoLike = stack.services.filter((s) => s === app || s.roles.has("django") || sameImage(s, app));
  if (djangoLike.some((s) => s.collectstatic.unknown !== undefined)) return { kind: "unknown" };
  if (runs.length === 0) return mentions().length === 0 ? { kind: "never" } : { kind: "unknown" };
  if (runs.some((r) => r.when === "start")) return { kind: "collected" };
  const builds = app.collectstatic.runs.filter((r) => r.when === "build");
  const mount = served.appStorage.mount;
  const onVolume = served.appStorage.storage.kind === "volume" || served.appStorage.storage.kind === "anonymous-volume";
  // A deploy script, Makefile or README may run it at deploy time.
  if (builds.length === 0 || !onVolume || mount === undefined) return { kind: "collected" };
  if (mentions().some((m) => !DOCKERFILE.test(m.file))) return { kind: "collected" };
  return { kind: "build-only-volume", builds, mount };
}

function sameImage(a: Service, b: Service): boolean {
  if (a.image && b.image && a.image.dockerfile === b.image.dockerfile && a.image.context === b.image.context) return true;
  const ai = a.compose.image?.value;
  return ai !== undefined && ai === b.compose.image?.value;
}
