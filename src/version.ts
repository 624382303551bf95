import { packageManifest } from "./core/package-root.js";

/** The package version, read once from our package.json. */
export const VERSION: string = packageManifest().version ?? "0.0.0";

export const TOOL_NAME = "django-prod-lint";

/** The project's home (SARIF informationUri, rule helpUri: docs/rules/<id>.md on the default branch). */
export const REPOSITORY_URL = "https://github.com/django-prod-lint/django-prod-lint";
