/**
 * Secret files a service's image build bakes in: `COPY . /code` takes `.env`, a private key or a
 * service-account JSON along unless .dockerignore excludes it, and everyone who pulls the image
 * (a registry, a CI cache) can read it from the layer.
 */
import { fileStart, type SourceRange } from "../core/location.js";
import type { DockerCopy } from "../parsers/dockerfile.js";
import type { DeploymentModel, Service, Stack } from "./deployment-model.js";
import { isEnvTemplateName, secretNames } from "./env-files.js";

export interface BakedSecret {
  service: Service;
  file: string;
  /** What the file holds, for messages: "SECRET_KEY and DB_PASSWORD", "an RSA private key". */
  holds: string;
  /** False: the checkout lacks the file (git-ignored), but compose needs it on the build machine. */
  inCheckout: boolean;
  copy: DockerCopy;
  /** Where the file is (or, for an absent one, the compose line that requires it). */
  at: SourceRange;
}

export function secretsBakedIntoImages(model: DeploymentModel, stack: Stack): BakedSecret[] {
  const candidates: Omit<BakedSecret, "service" | "copy">[] = [];
  for (const envFile of model.envFiles) {
    if (!envFile.exists || envFile.isTemplate) continue;
    const holds = secretNames(envFile);
    if (holds !== undefined) candidates.push({ file: envFile.file, holds, inCheckout: true, at: fileStart(envFile.file) });
  }
  for (const key of model.keyMaterial()) candidates.push({ file: key.file, holds: key.description, inCheckout: true, at: key.range });
  // An env_file compose requires but the checkout lacks exists wherever `docker compose build` runs.
  for (const service of stack.services) {
    for (const missing of service.environment.missingEnvFiles) {
      if (isEnvTemplateName(missing.path) || candidates.some((c) => c.file === missing.path)) continue;
      if (!model.git.ignore.check(missing.path).ignored) continue;
      candidates.push({ file: missing.path, holds: `the env_file values of service '${service.name}'`, inCheckout: false, at: missing.range });
    }
  }
  const out: BakedSecret[] = [];
  for (const service of stack.services) {
    if (!service.image) continue;
    for (const candidate of candidates) {
      // A COPY that names the file copies it on purpose (nginx's key into the nginx image): git/secret-file-tracked's business.
      const copy = service.filesystem.copyOf(candidate.file, { viaDirectoryOnly: true });
      if (copy) out.push({ ...candidate, service, copy });
    }
  }
  return out;
}
