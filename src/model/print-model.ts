import type { SourceRange } from "../core/location.js";
import { isSecretName, maskCommandWords, maskSecret, maskSecretsInText, maskUrlCredentials, printableValue } from "../core/secrets.js";
import type { PyValue } from "../python/values.js";
import type { DeploymentModel, Endpoint, NginxLocation, Service } from "./deployment-model.js";
import { formatVersion } from "./django-version.js";
import { describeEndpoint } from "./queries.js";

/**
 * The linked model as plain JSON for `--print-model`: what was understood, where each
 * fact came from (file:line), secrets masked. A view, not a dump: parse trees and
 * caches stay out.
 */
export function printableModel(model: DeploymentModel): unknown {
  return {
    root: model.root,
    fileCount: model.files.length,
    stacks: model.stacks.map((stack) => ({
      id: stack.id,
      purpose: stack.purpose,
      runtime: stack.runtime,
      files: stack.compose.files,
      projectDir: stack.compose.projectDir,
      dotenvFile: stack.compose.dotenvFile ?? null,
      services: stack.services.map(printService),
    })),
    envFiles: model.envFiles.map((e) => ({
      file: e.file,
      exists: e.exists,
      isTemplate: e.isTemplate,
      tracked: model.git.index?.tracked.has(e.file) ?? null,
      gitIgnored: model.git.ignore.check(e.file).ignored,
      variables: e.entries.map((entry) => entry.name),
      usedBy: e.usedBy.map((u) => ({ stack: u.stack, service: u.service ?? null, at: at(u.range) })),
    })),
    git: { inRepository: model.git.index !== undefined, trackedFiles: model.git.index?.tracked.size ?? 0 },
    problems: model.problems.map((p) => ({ at: at(p.range), message: p.message })),
  };
}

function at(range: SourceRange | undefined): string | null {
  return range ? `${range.file}:${range.line}:${range.column}` : null;
}

const endpoint = (e: Endpoint): string => describeEndpoint(e);

function printService(service: Service): unknown {
  const c = service.compose;
  return {
    name: service.name,
    at: at(c.range),
    roles: [...service.roles],
    image: c.image?.value ?? null,
    build: service.image
      ? { dockerfile: service.image.dockerfile, context: service.image.context, from: service.image.stage.baseImage.value, workdir: service.image.stage.finalWorkdir }
      : null,
    command: maskCommandWords(service.command.map((w) => w.value)),
    mounts: c.volumes.map((m) => ({ type: m.type, source: m.source ?? null, target: m.target, readOnly: m.readOnly, at: at(m.range) })),
    ports: c.ports.map((p) => ({ hostIp: p.hostIp ?? null, published: p.published ?? null, target: p.target, at: at(p.range) })),
    environment: {
      complete: service.environment.complete,
      missingEnvFiles: service.environment.missingEnvFiles.map((m) => m.path),
      values: Object.fromEntries(
        [...service.environment.values.values()].map((v) => [
          v.name,
          {
            value: v.value === undefined ? null : printableValue(v.name, v.value),
            source: v.source,
            at: at(v.range),
            ...(v.templateFor !== undefined ? { templateFor: v.templateFor } : {}),
          },
        ]),
      ),
    },
    appServer: service.appServer
      ? {
          kind: service.appServer.kind,
          at: at(service.appServer.range),
          listeners: service.appServer.listeners.map((l) => ({ endpoint: endpoint(l.endpoint), protocol: l.protocol, option: l.option, at: at(l.range) })),
          application: service.appServer.application?.value ?? null,
          workingDir: service.appServer.workingDir ?? null,
          pythonPath: (service.appServer.pythonPath ?? []).map((p) => p.value),
          otherListeners: (service.appServer.otherListeners ?? []).map((l) => ({ endpoint: endpoint(l.endpoint), option: l.option, at: at(l.range) })),
          unknown: service.appServer.unknown ?? null,
          configFiles: service.appServer.configFiles,
        }
      : null,
    nginx: service.nginx
      ? {
          entryFiles: service.nginx.entryFiles,
          upstreams: Object.fromEntries([...service.nginx.upstreams.values()].map((u) => [u.name, u.servers.map((s) => endpoint(s.endpoint))])),
          servers: service.nginx.servers.map((s) => ({
            at: at(s.directive.range),
            serverNames: s.serverNames.map((n) => n.value ?? null),
            tls: s.tls,
            locations: s.locations.map(printLocation),
          })),
        }
      : null,
    django: service.django
      ? {
          settingsModule: service.django.settingsModule
            ? { module: service.django.settingsModule.module, source: service.django.settingsModule.source, at: at(service.django.settingsModule.range) }
            : null,
          settingsCandidates: (service.django.settingsCandidates ?? []).map((c) => ({ module: c.module, source: c.source, at: at(c.range) })),
          djangoVersion: {
            version: formatVersion(service.django.version.version),
            source: service.django.version.source,
            at: at(service.django.version.range),
          },
          modules: service.django.settings?.modules ?? [],
          settings: Object.fromEntries(
            [...(service.django.settings?.values.values() ?? [])]
              .filter((v) => /^[A-Z][A-Z0-9_]*$/.test(v.name))
              .map((v) => [
                v.name,
                {
                  value: printablePy(v.name, v.value),
                  at: at(v.range),
                  envReads: v.envReads.map((r) => ({ name: r.name, via: r.via, provided: r.provided, at: at(r.range) })),
                },
              ]),
          ),
        }
      : null,
  };
}

function printLocation(l: NginxLocation): unknown {
  return {
    at: at(l.directive.range),
    modifier: l.modifier,
    uri: l.uri.value ?? null,
    alias: l.alias ? (l.alias.value ?? null) : undefined,
    root: l.root ? (l.root.value ?? null) : undefined,
    pass: l.pass ? { directive: l.pass.directive, target: l.pass.target.value ?? null, endpoints: l.pass.endpoints.map((e) => endpoint(e.endpoint)) } : undefined,
    locations: l.children.length > 0 ? l.children.map(printLocation) : undefined,
  };
}

/** A settings value as JSON, masking strings under secret-looking names (SECRET_KEY, DATABASES…PASSWORD). */
function printablePy(name: string, value: PyValue, open: Set<PyValue> = new Set()): unknown {
  // A list that holds itself (`L.append(L)`) prints as Python shows it, not forever.
  if (open.has(value)) return value.kind === "dict" ? "{...}" : value.kind === "list" ? "[...]" : "(...)";
  const inner = (n: string, v: PyValue): unknown => {
    open.add(value);
    try {
      return printablePy(n, v, open);
    } finally {
      open.delete(value);
    }
  };
  switch (value.kind) {
    case "str":
    case "path":
      return isSecretName(name) ? maskSecret(value.value) : maskUrlCredentials(value.value);
    case "int":
    case "float":
    case "bool":
      return value.value;
    case "none":
      return null;
    case "list":
    case "tuple":
      return value.items.map((item) => inner(name, item));
    case "dict":
      return Object.fromEntries(
        value.entries.map((e) => {
          const key = e.key.kind === "str" ? e.key.value : JSON.stringify(inner("", e.key));
          return [key, inner(isSecretName(name) ? name : key, e.value)];
        }),
      );
    case "unknown":
      // A reason may quote the expression it could not evaluate (`dj_database_url.parse([...])`).
      return { unknown: maskSecretsInText(value.reason) };
  }
}
