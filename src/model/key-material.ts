import { statSync } from "node:fs";
import { join, posix } from "node:path";
import type { SourceRange } from "../core/location.js";
import { fileStart } from "../core/location.js";
import { LineIndex } from "../core/line-index.js";
import { readSourceText } from "../core/source-file.js";
import type { NginxDirective } from "../parsers/nginx.js";
import type { DeploymentModel } from "./deployment-model.js";
import { inheritedDirective } from "./nginx-directives.js";
import { nginxServices, productionStacks } from "./queries.js";

/**
 * Which repository files hold key material: PEM private keys (`-----BEGIN … PRIVATE KEY-----`,
 * whatever the file is called), PKCS#12 bundles (`*.p12` / `*.pfx`), and Google Cloud service
 * account JSON (`"type": "service_account"` with a `"private_key"`). Only candidate files are
 * read (by name or extension, at most 256 KiB each); public certificates (`BEGIN CERTIFICATE`
 * only) hold no key. Test material (a `test`, `tests`, `fixtures`, `example`, `sample` folder
 * or file name) is left out: a throwaway key for a test suite is not a deployment secret.
 * The files are not configs we parse, so reading them records no parse problems.
 */

export interface KeyMaterialFile {
  file: string;
  kind: "private-key" | "pkcs12" | "service-account";
  /** What the file holds, for messages: "an RSA private key", "a GCP service account key". */
  description: string;
  /** The `-----BEGIN … PRIVATE KEY-----` line, the `"private_key"` key, or the file's start. */
  range: SourceRange;
}

const MAX_KEY_FILE_BYTES = 256 * 1024;
const PEM_NAME = /\.(pem|key|crt|cer|pk8|ppk)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)$|(^|\/)[^/]*private[^/]*$/i;
const PKCS12_NAME = /\.(p12|pfx)$/i;
const JSON_NAME = /\.json$/i;
const TEST_SEGMENT = /^(tests?|testing|testdata|test_data|fixtures?|examples?|samples?|spec|specs|__tests__)$/i;
const TEST_FILE = /(^|[._-])(test|tests|example|sample|dummy|fake)([._-]|$)/i;

/** Paths of test suites, fixtures and examples: their keys are not the deployment's. */
export function isTestMaterialPath(file: string): boolean {
  const parts = file.split("/");
  const name = parts.pop() ?? "";
  return parts.some((p) => TEST_SEGMENT.test(p)) || TEST_FILE.test(name);
}

function size(rootAbs: string, file: string): number | undefined {
  try {
    return statSync(join(rootAbs, file)).size;
  } catch {
    return undefined;
  }
}

function textOf(rootAbs: string, file: string): string | undefined {
  const bytes = size(rootAbs, file);
  if (bytes === undefined || bytes === 0 || bytes > MAX_KEY_FILE_BYTES) return undefined;
  return readSourceText(join(rootAbs, file), file).text;
}

function rangeAt(file: string, text: string, offset: number, length: number): SourceRange {
  return new LineIndex(text).range(file, offset, offset + length);
}

const PEM_KEY = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |ANY )?PRIVATE KEY)-----/;

function pemKind(label: string): string {
  const kind = label.replace(/ ?PRIVATE KEY$/, "").trim();
  if (kind === "ENCRYPTED") return "an encrypted private key";
  if (kind === "") return "a private key";
  const named: Record<string, string> = { RSA: "an RSA", DSA: "a DSA", EC: "an EC", OPENSSH: "an OpenSSH", ANY: "a" };
  return `${named[kind] ?? "a"} private key`;
}

/** The key-material files among `files` (root-relative), in file order. */
export function findKeyMaterial(rootAbs: string, files: readonly string[]): KeyMaterialFile[] {
  const out: KeyMaterialFile[] = [];
  for (const file of files) {
    if (isTestMaterialPath(file)) continue;
    const base = posix.basename(file);
    if (PKCS12_NAME.test(base)) {
      const bytes = size(rootAbs, file);
      if (bytes !== undefined && bytes > 0) out.push({ file, kind: "pkcs12", description: "a PKCS#12 bundle (certificate with its private key)", range: fileStart(file) });
      continue;
    }
    if (PEM_NAME.test(file)) {
      const text = textOf(rootAbs, file);
      const m = text === undefined ? null : PEM_KEY.exec(text);
      if (text !== undefined && m) out.push({ file, kind: "private-key", description: pemKind(m[1] as string), range: rangeAt(file, text, m.index, m[0].length) });
      continue;
    }
    if (JSON_NAME.test(base)) {
      const text = textOf(rootAbs, file);
      if (text === undefined || !/"type"\s*:\s*"service_account"/.test(text)) continue;
      const key = /"private_key"\s*:\s*"-----BEGIN/.exec(text);
      if (key) out.push({ file, kind: "service-account", description: "a Google Cloud service account key", range: rangeAt(file, text, key.index, '"private_key"'.length) });
    }
  }
  return out;
}

/** An nginx `ssl_certificate_key` of a production stack and the repository file it loads. */
export interface SslKeyUse {
  stack: string;
  service: string;
  directive: NginxDirective;
  /** The path as nginx reads it (relative paths resolved against nginx's prefix, /etc/nginx/). */
  containerPath: string;
  repoFile: string;
}

const NGINX_PREFIX = "/etc/nginx/";

/** Every `ssl_certificate_key` of the production nginx services whose file the repository holds (through a bind mount or a COPY). */
export function sslKeyUses(model: DeploymentModel): SslKeyUse[] {
  const out: SslKeyUse[] = [];
  for (const stack of productionStacks(model)) {
    for (const service of nginxServices(stack)) {
      for (const server of service.nginx?.servers ?? []) {
        const { directive } = inheritedDirective(server, undefined, "ssl_certificate_key");
        const arg = directive?.args[0];
        if (!directive || !arg || arg.value.includes("$") || arg.value.startsWith("data:") || arg.value.startsWith("engine:")) continue;
        const containerPath = arg.value.startsWith("/") ? arg.value : posix.join(NGINX_PREFIX, arg.value);
        const repoFile = stack.runtime === "host" ? hostRepoPath(model, containerPath) : service.filesystem.repoPath(containerPath);
        if (repoFile === undefined) continue;
        if (out.some((u) => u.directive === directive && u.repoFile === repoFile)) continue;
        out.push({ stack: stack.id, service: service.name, directive, containerPath, repoFile });
      }
    }
  }
  return out;
}

/** A host deployment reads absolute paths of the machine: a repository file only when the path is under the root. */
function hostRepoPath(model: DeploymentModel, path: string): string | undefined {
  const root = model.root.endsWith("/") ? model.root : `${model.root}/`;
  if (!path.startsWith(root)) return undefined;
  const file = path.slice(root.length);
  return model.files.includes(file) ? file : undefined;
}
