import { posix } from "node:path";
import picomatch from "picomatch";
import type { ParseProblem } from "../core/problems.js";
import { parseNginxConf, type NginxArg, type NginxConfFile, type NginxDirective } from "../parsers/nginx.js";
import type { ContainerFilesystem } from "./container-filesystem.js";
import { normalizeContainerPath } from "./container-filesystem.js";
import type {
  Endpoint,
  LocationModifier,
  NginxEndpoint,
  NginxLocation,
  NginxPass,
  NginxServer,
  NginxSite,
  NginxUpstream,
  NginxValue,
  ServiceEnvironment,
} from "./deployment-model.js";
import { duplicateDirectiveProblems } from "./nginx-duplicates.js";
import { expandIncludes, type IncludeResolver } from "./nginx-includes.js";
import type { SourceCache } from "./source-cache.js";

/** nginx's compiled-in prefix in the official image and Debian's package: relative paths resolve from it. */
const NGINX_PREFIX = "/etc/nginx";
const TEMPLATE_DIR = "/etc/nginx/templates";
const CONF_D = "/etc/nginx/conf.d";
const TEMPLATE_SUFFIX = /\.(template|tpl)$|\.template\.conf$/;

export function loadNginxConf(cache: SourceCache, file: string): NginxConfFile {
  return cache.parse("nginx", file, (text) => withoutTemplatePlaceholderProblems(parseNginxConf(text, file)), () => ({ file, directives: [], problems: [] }));
}

/**
 * A template may hold whole directives or blocks as placeholders (`${NGINX_EVENTS_BLOCK}`)
 * that envsubst fills at start: a syntax problem at such a placeholder is unknown, not wrong.
 */
function withoutTemplatePlaceholderProblems(conf: NginxConfFile): NginxConfFile {
  if (!TEMPLATE_SUFFIX.test(conf.file) && !/\.template\./.test(conf.file)) return conf;
  return { ...conf, problems: conf.problems.filter((p) => !p.message.includes("${")) };
}

/**
 * The nginx configuration one container loads, as nginx reads it: its nginx.conf if the
 * repository provides one (else the image's, which includes conf.d/*.conf and
 * sites-enabled/*), the official image's templates rendered into conf.d, includes
 * followed through the container's filesystem.
 */
export function loadNginxSite(
  fs: ContainerFilesystem,
  environment: ServiceEnvironment,
  cache: SourceCache,
): { site: NginxSite | undefined; problems: ParseProblem[] } {
  const templates = fs
    .listFiles(TEMPLATE_DIR)
    .filter((f) => f.containerPath.endsWith(".template"))
    .map((f) => ({ ...f, rendered: posix.join(CONF_D, posix.relative(TEMPLATE_DIR, f.containerPath).replace(/\.template$/, "")) }));

  const resolver: IncludeResolver = {
    resolve(pattern) {
      const path = normalizeContainerPath(pattern.startsWith("/") ? pattern : posix.join(NGINX_PREFIX, pattern));
      if (/[*?[]/.test(path)) {
        const isMatch = picomatch(path, { dot: true });
        const staticDir = path.slice(0, path.search(/[*?[]/)).replace(/\/[^/]*$/, "") || "/";
        const files = new Map<string, string>();
        for (const f of fs.listFiles(staticDir)) if (isMatch(f.containerPath)) files.set(f.containerPath, f.repoFile);
        for (const t of templates) if (isMatch(t.rendered)) files.set(t.rendered, t.repoFile);
        return [...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, repoFile]) => repoFile);
      }
      const rendered = templates.find((t) => t.rendered === path);
      if (rendered) return [rendered.repoFile];
      const repoFile = fs.repoPath(path);
      return repoFile !== undefined && cache.text(repoFile).text !== undefined ? [repoFile] : "external";
    },
    load: (file) => loadNginxConf(cache, file),
  };

  const mainConf = fs.repoPath(`${NGINX_PREFIX}/nginx.conf`);
  let entries: string[];
  if (mainConf !== undefined) {
    entries = [mainConf];
  } else {
    // The image's own nginx.conf includes these inside http {}.
    const fromConfD = resolver.resolve(`${CONF_D}/*.conf`, "");
    const fromSites = resolver.resolve(`${NGINX_PREFIX}/sites-enabled/*`, "");
    entries = [...(Array.isArray(fromConfD) ? fromConfD : []), ...(Array.isArray(fromSites) ? fromSites : [])];
    if (entries.length === 0) {
      // Templates an entrypoint renders with envsubst (e.g. /etc/nginx/default.conf.tpl → conf.d).
      entries = fs
        .listFiles(NGINX_PREFIX)
        .filter((f) => TEMPLATE_SUFFIX.test(f.containerPath) && !f.containerPath.startsWith(`${TEMPLATE_DIR}/`))
        .map((f) => f.repoFile);
    }
  }
  if (entries.length === 0) return { site: undefined, problems: [] };

  const problems: ParseProblem[] = [];
  const servers: NginxServer[] = [];
  const upstreams = new Map<string, NginxUpstream>();
  const render = templateRenderer(environment);
  const parsedServers: ParsedServer[] = [];
  // conf.d and sites-enabled files are all included inside the image's one http block.
  const imageHttp: NginxDirective[] = [];

  for (const entry of [...new Set(entries)]) {
    const expanded = expandIncludes(loadNginxConf(cache, entry), resolver);
    problems.push(...expanded.problems, ...duplicateDirectiveProblems(expanded.directives));
    const top = flatten(expanded.directives);
    if (entry !== mainConf) imageHttp.push(...top);
    collectContexts(top, undefined, render, parsedServers, upstreams, entry === mainConf ? [] : imageHttp);
  }
  for (const { directive, inheritedRoot, http } of parsedServers) {
    servers.push({ ...buildServer(directive, inheritedRoot, render, upstreams), http });
  }
  return { site: { entryFiles: [...new Set(entries)], servers, upstreams }, problems };
}

interface ParsedServer {
  directive: NginxDirective;
  inheritedRoot: NginxValue | undefined;
  http: NginxDirective[];
}

/** A block's directives with `include`s replaced by what they pulled in (nginx's view). */
export function flatten(directives: readonly NginxDirective[]): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (const d of directives) {
    if (d.name === "include" && d.included) {
      for (const inc of d.included) out.push(...flatten(inc.directives));
    } else {
      out.push(d);
    }
  }
  return out;
}

export type Renderer = (arg: NginxArg) => NginxValue;

/**
 * envsubst as the official image runs it: only variables defined in the container's
 * environment are replaced; `$host` and other nginx variables stay as they are. Only
 * template files are rendered.
 */
export function templateRenderer(environment: ServiceEnvironment): Renderer {
  return (arg) => {
    if (!TEMPLATE_SUFFIX.test(arg.range.file)) return { arg, value: arg.value };
    let unknown = false;
    const value = arg.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
      const name = (braced ?? bare) as string;
      const env = environment.values.get(name);
      if (env === undefined) {
        if (braced !== undefined && !environment.complete) unknown = true;
        return whole;
      }
      if (env.value === undefined) {
        unknown = true;
        return whole;
      }
      return env.value;
    });
    return { arg, value: unknown ? undefined : value };
  };
}

function collectContexts(
  directives: NginxDirective[],
  inheritedRoot: NginxValue | undefined,
  render: Renderer,
  servers: ParsedServer[],
  upstreams: Map<string, NginxUpstream>,
  http: NginxDirective[],
): void {
  const rootDirective = directives.find((d) => d.name === "root" && d.args.length === 1);
  const root = rootDirective?.args[0] ? render(rootDirective.args[0]) : inheritedRoot;
  for (const d of directives) {
    if (!d.block) continue;
    if (d.name === "http") {
      const body = flatten(d.block);
      collectContexts(body, root, render, servers, upstreams, body);
    } else if (d.name === "server") servers.push({ directive: d, inheritedRoot: root, http });
    else if (d.name === "upstream" && d.args[0]) {
      const name = d.args[0].value;
      const members = flatten(d.block)
        .filter((s) => s.name === "server" && s.args[0])
        .flatMap((s): NginxEndpoint[] => {
          const value = render(s.args[0] as NginxArg).value;
          const endpoint = value === undefined ? undefined : parseEndpoint(value, "80");
          return endpoint ? [{ endpoint, range: (s.args[0] as NginxArg).range, upstream: name }] : [];
        });
      upstreams.set(name, { name, directive: d, servers: members });
    }
    // `stream {}` servers proxy TCP, not HTTP: not part of the web path.
  }
}

function buildServer(
  directive: NginxDirective,
  inheritedRoot: NginxValue | undefined,
  render: Renderer,
  upstreams: Map<string, NginxUpstream>,
): Omit<NginxServer, "http"> {
  const body = flatten(directive.block ?? []);
  const listens = body.filter((d) => d.name === "listen");
  const serverNames = body.filter((d) => d.name === "server_name").flatMap((d) => d.args.map(render));
  const tls =
    listens.some((l) => l.args.some((a) => a.value === "ssl")) ||
    body.some((d) => d.name === "ssl" && d.args[0]?.value === "on");
  const rootDirective = body.find((d) => d.name === "root" && d.args.length === 1);
  const root = rootDirective?.args[0] ? render(rootDirective.args[0]) : inheritedRoot;
  const locations = body
    .filter((d) => d.name === "location" && d.block)
    .map((d) => buildLocation(d, root, render, upstreams))
    .filter((l): l is NginxLocation => l !== undefined);
  return { directive, listens, serverNames, tls, locations, root };
}

const MODIFIERS: LocationModifier[] = ["=", "~*", "~", "^~"];

function buildLocation(
  directive: NginxDirective,
  inheritedRoot: NginxValue | undefined,
  render: Renderer,
  upstreams: Map<string, NginxUpstream>,
): NginxLocation | undefined {
  let modifier: LocationModifier = "";
  let uriArg: NginxArg | undefined;
  let uriText: string | undefined;
  const [first, second] = directive.args;
  if (!first) return undefined;
  if (second && (MODIFIERS as string[]).includes(first.value)) {
    modifier = first.value as LocationModifier;
    uriArg = second;
  } else {
    uriArg = first;
    if (first.value.startsWith("@")) modifier = "@";
    else {
      // nginx also accepts the modifier glued to the URI: `location =/x`, `location ~\.php$`.
      const glued = MODIFIERS.find((m) => first.value.startsWith(m) && first.value.length > m.length);
      if (glued) {
        modifier = glued;
        uriText = first.value.slice(glued.length);
      }
    }
  }
  const renderedUri = render(uriArg);
  const uri: NginxValue = uriText !== undefined && renderedUri.value !== undefined ? { arg: uriArg, value: renderedUri.value.slice(modifier.length) } : renderedUri;
  const body = flatten(directive.block ?? []);
  const aliasDirective = body.find((d) => d.name === "alias" && d.args.length === 1);
  const rootDirective = body.find((d) => d.name === "root" && d.args.length === 1);
  const root = rootDirective?.args[0] ? render(rootDirective.args[0]) : inheritedRoot;
  const passDirective = body.find((d) => (d.name === "uwsgi_pass" || d.name === "proxy_pass") && d.args.length >= 1);
  const pass = passDirective ? buildPass(passDirective, render, upstreams) : undefined;
  const children = body
    .filter((d) => d.name === "location" && d.block)
    .map((d) => buildLocation(d, root, render, upstreams))
    .filter((l): l is NginxLocation => l !== undefined);
  return {
    directive,
    modifier,
    uri,
    alias: aliasDirective?.args[0] ? render(aliasDirective.args[0]) : undefined,
    root,
    pass,
    tryFiles: body.find((d) => d.name === "try_files"),
    children,
  };
}

function buildPass(directive: NginxDirective, render: Renderer, upstreams: Map<string, NginxUpstream>): NginxPass {
  const kind = directive.name as "uwsgi_pass" | "proxy_pass";
  const target = render(directive.args[0] as NginxArg);
  const protocol = kind === "uwsgi_pass" ? "uwsgi" : "http";
  const endpoints: NginxEndpoint[] = [];
  const value = target.value;
  if (value !== undefined && !value.includes("$")) {
    let address = value;
    let defaultPort = "80";
    if (kind === "proxy_pass") {
      const scheme = /^(https?):\/\//i.exec(address);
      if (scheme) {
        defaultPort = scheme[1]?.toLowerCase() === "https" ? "443" : "80";
        address = address.slice(scheme[0].length);
      }
      // proxy_pass http://unix:/run/app.sock:/uri — the socket path ends at the next colon.
      if (address.startsWith("unix:")) address = address.replace(/^(unix:[^:]*).*$/, "$1");
      else address = address.replace(/\/.*$/, "");
    } else {
      address = address.replace(/^s?uwsgi:\/\//i, "");
    }
    const upstream = upstreams.get(address);
    if (upstream) endpoints.push(...upstream.servers);
    else {
      const endpoint = parseEndpoint(address, defaultPort);
      if (endpoint) endpoints.push({ endpoint, range: target.arg.range, upstream: undefined });
    }
  }
  return { directive: kind, target, endpoints, protocol };
}

/** `unix:/path`, `host:port`, `host`, `[::1]:8000` → Endpoint; undefined when it has variables. */
export function parseEndpoint(address: string, defaultPort: string): Endpoint | undefined {
  if (address.includes("$")) return undefined;
  if (address.startsWith("unix:")) {
    const path = address.slice("unix:".length);
    // `unix:///run/app.sock` is the same socket as `unix:/run/app.sock`.
    return { kind: "unix", path: path.startsWith("/") ? normalizeContainerPath(path) : path };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed) return { kind: "tcp", host: bracketed[1] as string, port: bracketed[2] ?? defaultPort };
  const colon = address.lastIndexOf(":");
  if (colon >= 0 && /^\d+$/.test(address.slice(colon + 1))) return { kind: "tcp", host: address.slice(0, colon), port: address.slice(colon + 1) };
  if (address.length === 0) return undefined;
  return { kind: "tcp", host: address, port: defaultPort };
}
