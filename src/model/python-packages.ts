import type { RequirementsDocument } from "../parsers/python-requirements.js";
import type { EnvLibrary, LibraryOptions, LibraryVersions } from "../python/evaluate.js";
import type { DjangoVersion } from "./django-version.js";

const ENV_LIBRARIES: readonly EnvLibrary[] = ["django-environ", "python-decouple", "python-dotenv", "dj-database-url"];

/**
 * What the settings evaluator needs to know of the project's packages: the pinned
 * django-environ / python-decouple / python-dotenv releases (their parsing differs by
 * release), the Django line, and which distributions are installed at all.
 */
const optionsOfDocuments = new WeakMap<readonly RequirementsDocument[], Map<string, LibraryOptions>>();

export function envLibraryOptions(documents: readonly RequirementsDocument[], django: DjangoVersion): LibraryOptions {
  // Asked once per Django service with the repository's one document list: work it out once per Django line.
  let byDjango = optionsOfDocuments.get(documents);
  if (!byDjango) optionsOfDocuments.set(documents, (byDjango = new Map()));
  const key = `${django.major}.${django.minor}`;
  let options = byDjango.get(key);
  if (!options) byDjango.set(key, (options = computeLibraryOptions(documents, django)));
  return options;
}

function computeLibraryOptions(documents: readonly RequirementsDocument[], django: DjangoVersion): LibraryOptions {
  const versions: LibraryVersions = {};
  const installed = new Set<string>();
  for (const doc of documents) {
    for (const pin of doc.pins) {
      installed.add(pin.name);
      const library = ENV_LIBRARIES.find((l) => l === pin.name);
      // The lowest release a constraint allows, like the Django version: `==0.4.4`, `>=0.11` → 0.11.
      const release = /\d+(?:\.\d+)*/.exec(pin.constraint)?.[0];
      if (library && release && versions[library] === undefined) versions[library] = release;
    }
  }
  return { versions, django: { major: django.major, minor: django.minor }, ...(installed.size > 0 ? { installed } : {}) };
}
