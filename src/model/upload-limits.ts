/**
 * Request body limits on both sides of nginx: the upload sizes Django's settings say the
 * project expects, against nginx's `client_max_body_size` for the locations that pass
 * requests to that Django service.
 */
import type { SettingValue } from "../python/evaluate.js";
import type { DjangoApp, NginxLocation, NginxPass, NginxServer, Service, Stack } from "./deployment-model.js";
import { clientMaxBodySize, locationsWithAncestors, type BodySizeLimit } from "./nginx-directives.js";
import { passWirings } from "./socket-wiring.js";

export type UploadSetting = "DATA_UPLOAD_MAX_MEMORY_SIZE" | "FILE_UPLOAD_MAX_MEMORY_SIZE";

/** Django's default for both settings (2.5 MB), the same in every release. */
export const DJANGO_UPLOAD_DEFAULT = 2621440;

export interface UploadExpectation {
  setting: UploadSetting;
  assignment: SettingValue;
  /** The setting's value in bytes, or "unlimited" for DATA_UPLOAD_MAX_MEMORY_SIZE = None. */
  value: number | "unlimited";
  /** Request bodies of this size must get through nginx: the value, or Django's default for None (the project lifted it). */
  atLeast: number;
}

/**
 * The upload sizes the settings explicitly raise above Django's default: DATA_UPLOAD_MAX_MEMORY_SIZE
 * (the largest non-file request body Django accepts; None = no limit) and FILE_UPLOAD_MAX_MEMORY_SIZE
 * (the size up to which an uploaded file stays in memory: raising it says uploads that big are expected).
 * Largest first.
 */
export function uploadExpectations(app: DjangoApp): UploadExpectation[] {
  const out: UploadExpectation[] = [];
  for (const setting of ["DATA_UPLOAD_MAX_MEMORY_SIZE", "FILE_UPLOAD_MAX_MEMORY_SIZE"] as const) {
    const assignment = app.settings?.values.get(setting);
    const value = assignment?.value;
    if (!assignment || !value) continue;
    if (value.kind === "int" && value.value > DJANGO_UPLOAD_DEFAULT) out.push({ setting, assignment, value: value.value, atLeast: value.value });
    // None disables Django's check: only DATA_UPLOAD_MAX_MEMORY_SIZE accepts it.
    else if (value.kind === "none" && setting === "DATA_UPLOAD_MAX_MEMORY_SIZE") out.push({ setting, assignment, value: "unlimited", atLeast: DJANGO_UPLOAD_DEFAULT });
  }
  return out.sort((a, b) => b.atLeast - a.atLeast);
}

/** A client_max_body_size (or nginx's default) below what the settings expect, for every location that applies it. */
export interface UploadLimitMismatch {
  nginx: Service;
  server: NginxServer;
  app: Service;
  limit: BodySizeLimit & { bytes: number };
  /** The locations passing requests to the app under this limit. */
  locations: NginxLocation[];
  /** The settings whose sizes exceed the limit, largest first. */
  expectations: UploadExpectation[];
}

/**
 * For every nginx server that passes requests to a Django service whose settings raise the
 * upload limits: the limits below them. Silent for a server when any location passing to that
 * app lets the largest expected body through (the project routes uploads there), or when a
 * limit is unknown.
 */
export function uploadLimitMismatches(stack: Stack): UploadLimitMismatch[] {
  const apps = new Map<NginxPass, Service[]>();
  for (const { pass, wiring } of passWirings(stack)) {
    if (wiring.kind !== "connected" || !wiring.app.django?.settings) continue;
    const list = apps.get(pass) ?? [];
    if (!list.includes(wiring.app)) list.push(wiring.app);
    apps.set(pass, list);
  }
  const out: UploadLimitMismatch[] = [];
  for (const nginx of stack.services) {
    for (const server of nginx.nginx?.servers ?? []) {
      const passing = locationsWithAncestors(server).filter((l) => l.location.pass !== undefined);
      const reached = [...new Set(passing.flatMap((l) => apps.get(l.location.pass as NginxPass) ?? []))];
      for (const app of reached) {
        const expectations = uploadExpectations(app.django as DjangoApp);
        const largest = expectations[0];
        if (!largest) continue;
        const toApp = passing.filter((l) => apps.get(l.location.pass as NginxPass)?.includes(app));
        const limits = toApp.map((l) => ({ l, limit: clientMaxBodySize(nginx, server, l) }));
        if (limits.some(({ limit }) => limit.bytes === undefined || limit.bytes === 0 || limit.bytes >= largest.atLeast)) continue;
        // One finding per directive that decides (or per server for nginx's default).
        const groups = new Map<unknown, UploadLimitMismatch>();
        for (const { l, limit } of limits) {
          const key = limit.decided.directive ?? "default";
          const group = groups.get(key);
          if (group) group.locations.push(l.location);
          else {
            const bytes = limit.bytes as number;
            groups.set(key, { nginx, server, app, limit: { ...limit, bytes }, locations: [l.location], expectations: expectations.filter((e) => e.atLeast > bytes) });
          }
        }
        out.push(...groups.values());
      }
    }
  }
  return out;
}

/** 1048576 → "1 MB", 2621440 → "2.5 MB", 524288 → "512 KB" (binary units, as Django's docs and nginx's suffixes use them). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, "GB"],
    [1024 * 1024, "MB"],
    [1024, "KB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const n = bytes / size;
      return `${Number.isInteger(n) ? n : Number(n.toFixed(1))} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** The smallest nginx size in megabytes that lets `bytes` through: `client_max_body_size 10m`. */
export function nginxSizeFor(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))}m`;
}
