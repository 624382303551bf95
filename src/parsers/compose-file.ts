/**
 * One docker compose YAML file → typed, located, interpolated service fragments.
 * Merging fragments of several files and resolving paths is compose-stack.ts's job.
 *
 * The `yaml` package keeps node offsets, so we walk its AST ourselves (never `toJS`,
 * which loses positions and expands alias bombs) and convert offsets with LineIndex.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar } from "yaml";
import type { Alias, Document, Node as YamlNode, Pair, YAMLMap, YAMLSeq } from "yaml";
import { LineIndex } from "../core/line-index.js";
import type { LocatedString, SourceRange } from "../core/location.js";
import type { ParseProblem } from "../core/problems.js";
import { maskSecretsInText } from "../core/secrets.js";
import {
  interpolate,
  mappedSpan,
  mappedVerbatim,
  splitShellWords,
  type InterpolationEnv,
  type MappedText,
  type UnresolvedMarker,
} from "./compose-interpolation.js";
import { scalarSource } from "./compose-scalar-source.js";
import {
  MODELLED_FIELDS,
  type BuildFragment,
  type ComposeCommand,
  type ComposeEnvFile,
  type ComposeEnvVar,
  type ComposeFileData,
  type ComposeHealthcheck,
  type ComposeMount,
  type ComposeNetworkAttachment,
  type ComposePort,
  type ModelledField,
  type ServiceFragment,
  type TopLevelResource,
} from "./compose-types.js";

export * from "./compose-types.js";
export { scalarSource } from "./compose-scalar-source.js";

/** Aliases resolved per file before we call it a bomb; real compose files use a handful. */
const MAX_ALIAS_RESOLUTIONS = 10_000;
/** Problems reported per file before we stop listing them. */
const MAX_PROBLEMS = 100;
/** Top-level keys of the compose format besides `services`. */
const TOP_LEVEL_KEYS = new Set(["version", "name", "services", "volumes", "networks", "secrets", "configs", "include"]);

/** A value quoted in a message: short and on one line, so a runaway scalar never echoes a whole file (or its secrets). */
function quoted(value: string): string {
  // Masked before it is cut: `environment: "DB_PASSWORD=…"` written as one string must not show the password.
  const oneLine = maskSecretsInText(value).replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine);
}

/** Parses one compose file; `env` is the project's .env for `${VAR}` interpolation. Never throws. */
export function parseComposeFile(file: string, text: string, env: InterpolationEnv): ComposeFileData {
  const reader = new ComposeFileReader(file, text, env);
  return reader.read();
}

/** Parses a YAML document with the options every compose read uses. */
export function parseComposeYaml(text: string): Document.Parsed {
  // The model asks twice per candidate file (is it compose? then read it): parse once.
  const known = recentParses.get(text);
  if (known) return known;
  // merge: compose files use `<<: *defaults`; uniqueKeys stays on like compose v2. No
  // maxAliasCount here: yaml applies it only in toJS, which we never call; deref() caps aliases.
  const doc = parseDocument(text, { merge: true, prettyErrors: false, keepSourceTokens: false });
  if (recentParses.size >= MAX_REMEMBERED_PARSES) recentParses.delete(recentParses.keys().next().value as string);
  recentParses.set(text, doc);
  return doc;
}

/** Documents are only read after parsing, so one parse can serve every reader of the same text. */
const recentParses = new Map<string, Document.Parsed>();
const MAX_REMEMBERED_PARSES = 64;

type Node = YamlNode | null | undefined;

/** A document whose aliases expand beyond this many nodes is a "billion laughs", not a deployment. */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * The first top-level key whose value, with its aliases expanded, takes the document past
 * MAX_EXPANDED_NODES. Sizes are counted, never expanded, in one pass in document order: an
 * anchor is defined before its aliases, so each alias takes its anchor's size as last defined
 * (yaml's Alias.resolve searches the document per alias, quadratic for thousands of aliases).
 */
function aliasBomb(doc: Document.Parsed): { key: YamlNode; name: string } | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const anchored = new Map<string, number>();
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) return anchored.get(node.source) ?? 1;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchored.set(anchor, 1); // an alias inside its own anchor counts once
    let total = 1;
    if (isMap(node)) for (const pair of node.items) total += size(pair.key) + size(pair.value);
    else if (isSeq(node)) for (const item of node.items) total += size(item);
    total = Math.min(total, Number.MAX_SAFE_INTEGER);
    if (anchor) anchored.set(anchor, total);
    return total;
  };
  let expanded = 0;
  try {
    for (const pair of root.items) {
      expanded += size(pair.value);
      if (expanded > MAX_EXPANDED_NODES && isScalar(pair.key)) return { key: pair.key, name: String(pair.key.value) };
    }
  } catch {
    // Nesting deep enough to exhaust the stack is reported by the parser itself.
  }
  return undefined;
}

interface Entry {
  key: string;
  keyNode: Scalar;
  value: Node;
  /** From the key to the end of the value. */
  range: SourceRange;
}

class ComposeFileReader {
  private readonly lines: LineIndex;
  private readonly problems: ParseProblem[] = [];
  private readonly missingRequired: ParseProblem[] = [];
  private readonly cache = new Map<Scalar, LocatedText>();
  private aliasResolutions = 0;
  private aliasBombReported = false;
  private anchors: Map<string, YamlNode[]> | undefined;
  /** Mappings whose `<<` merges are being expanded: a merge of one of them again is a cycle. */
  private readonly merging = new Set<YAMLMap>();
  private firstDropped: SourceRange | undefined;
  private doc!: Document.Parsed;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly env: InterpolationEnv,
  ) {
    this.lines = new LineIndex(text);
  }

  read(): ComposeFileData {
    const result = this.readFile();
    // Report in file order, whatever order the fields were read in.
    result.problems.sort((a, b) => a.range.line - b.range.line || a.range.column - b.range.column);
    if (this.firstDropped) {
      result.problems.push({ range: this.firstDropped, message: `more than ${MAX_PROBLEMS} problems; the rest are not reported` });
    }
    return result;
  }

  private readFile(): ComposeFileData {
    const result: ComposeFileData = {
      file: this.file,
      legacyV1: false,
      services: [],
      volumes: new Map(),
      networks: new Map(),
      problems: this.problems,
      missingRequired: this.missingRequired,
    };
    let doc: Document.Parsed;
    try {
      doc = parseComposeYaml(this.text);
    } catch (error) {
      // The yaml package is not supposed to throw on input; keep our promise if it does.
      this.problem(this.at(0, 0), `cannot parse YAML: ${(error as Error).message}`);
      return result;
    }
    this.doc = doc;
    for (const error of doc.errors) {
      // Duplicate keys are reported by duplicateKeys() the way compose v2 (go-yaml) sees them.
      if (error.code === "DUPLICATE_KEY") continue;
      // The parser recurses per nesting level; a hostile file exhausts the stack and yaml records that as an error.
      const message = /Maximum call stack size exceeded/.test(error.message)
        ? "YAML nested too deeply to read (the parser ran out of stack); not read further"
        : `YAML: ${error.message}`;
      this.problem(this.at(error.pos[0], error.pos[1]), message);
    }
    this.duplicateKeys(doc.contents);
    const bomb = aliasBomb(doc);
    if (bomb) {
      this.problem(
        this.range(bomb.key),
        `YAML aliases under '${bomb.name}' expand to more than ${MAX_EXPANDED_NODES.toLocaleString("en")} nodes (an alias bomb): docker compose refuses the file as excessive aliasing; we read the aliases only as far as our alias limit`,
      );
    }
    const root = this.deref(doc.contents);
    if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
      if (doc.errors.length === 0) this.problem(this.at(0, 0), "compose file is empty");
      return result;
    }
    if (!isMap(root)) {
      this.problem(this.range(root), `the top level of a compose file must be a mapping, not ${describe(root)}`);
      return result;
    }
    const top = this.entries(root, "");
    const servicesEntry = top.find((e) => e.key === "services");
    let services: Entry[] = [];
    if (servicesEntry) {
      const node = this.deref(servicesEntry.value);
      if (isMap(node)) services = this.entries(node, "services");
      else if (!isNull(node)) this.problem(this.rangeOr(node, servicesEntry.range), `services must be a mapping, not ${describe(node)}`);
    } else if (top.every((e) => !TOP_LEVEL_KEYS.has(e.key)) && top.some((e) => isMap(this.deref(e.value)))) {
      // Compose file format v1: every top-level key is a service (compose 1.x still runs these).
      result.legacyV1 = true;
      services = top.filter((e) => !e.key.startsWith("x-"));
    }
    for (const entry of services) {
      const fragment = this.service(entry);
      if (fragment) result.services.push(fragment);
    }
    if (!result.legacyV1) {
      for (const section of ["volumes", "networks"] as const) {
        const entry = top.find((e) => e.key === section);
        if (entry) this.resources(entry, section, result[section]);
      }
      // Interpolation errors in options we do not model still break `docker compose`.
      for (const section of ["services", "volumes", "networks", "secrets", "configs"]) {
        const entry = top.find((e) => e.key === section);
        if (entry) this.checkInterpolation(entry.value, section);
      }
    } else {
      for (const entry of services) this.checkInterpolation(entry.value, entry.key);
    }
    return result;
  }

  /**
   * Every mapping key written twice in one mapping, reported at the repeat. Compose v2 reads
   * the file with go-yaml, which refuses two scalar keys with the same text ("line 6: mapping key
   * "web" already defined at line 3"), `<<` included and quotes ignored; docker-compose 1.x
   * silently keeps one. Walks the written nodes only (an anchored mapping is checked once, where
   * it is written), iteratively, so deep nesting cannot exhaust the stack.
   */
  private duplicateKeys(root: Node): void {
    const pending: Array<{ node: Node; path: string }> = [{ node: root, path: "" }];
    while (pending.length > 0) {
      const { node, path } = pending.pop()!;
      if (isSeq(node)) {
        node.items.forEach((item, i) => pending.push({ node: item as Node, path: `${path}[${i}]` }));
        continue;
      }
      if (!isMap(node)) continue;
      const first = new Map<string, Scalar>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node;
        const keyText = isScalar(key) ? scalarText(key) : undefined;
        const childPath = keyText === undefined ? `${path}.?` : path === "" ? keyText : `${path}.${keyText}`;
        if (!isScalar(key)) pending.push({ node: key, path: childPath });
        pending.push({ node: pair.value as Node, path: childPath });
        if (keyText === undefined || !isScalar(key)) continue;
        const earlier = first.get(keyText);
        if (!earlier) {
          first.set(keyText, key);
          continue;
        }
        const where = path === "" ? "" : `${path}: `;
        const line = this.range(earlier).line;
        const fix = keyText === "<<" ? "write one `<<: [*a, *b]` to merge several anchors" : "keep one of them";
        this.problem(this.range(key), `${where}duplicate key ${quotedKey(keyText)} (first at line ${line}): docker compose v2 refuses the file; ${fix}`);
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Services

  private service(entry: Entry): ServiceFragment | undefined {
    const name = entry.key;
    const path = `services.${name}`;
    const fragment: ServiceFragment = { name, file: this.file, range: this.range(entry.keyNode) };
    if (tagOf(entry.value) === "!reset") return { ...fragment, reset: true };
    const node = this.deref(entry.value);
    if (isNull(node)) return fragment;
    if (!isMap(node)) {
      this.problem(this.rangeOr(node, entry.range), `${path} must be a mapping, not ${describe(node)}`);
      return undefined;
    }
    for (const field of this.entries(node, path)) {
      const fieldPath = `${path}.${field.key}`;
      // Compose v2 merge tags: `!reset` drops what earlier files said, `!override` replaces it.
      const tag = tagOf(field.value);
      if ((tag === "!reset" || tag === "!override") && field.key in MODELLED_FIELDS) {
        const list = tag === "!reset" ? (fragment.resets ??= []) : (fragment.overrides ??= []);
        list.push(field.key as ModelledField);
        if (tag === "!reset") continue;
      }
      const value = this.deref(field.value);
      switch (field.key) {
        case "image":
          fragment.image = this.scalar(value, fieldPath, field);
          break;
        case "container_name":
          fragment.containerName = this.scalar(value, fieldPath, field);
          break;
        case "hostname":
          fragment.hostname = this.scalar(value, fieldPath, field);
          break;
        case "working_dir":
          fragment.workingDir = this.scalar(value, fieldPath, field);
          break;
        case "network_mode":
          fragment.networkMode = this.scalar(value, fieldPath, field);
          break;
        case "links":
          fragment.links = this.list(value, fieldPath, field, (item, p) => this.scalar(item, p));
          break;
        case "external_links":
          fragment.externalLinks = this.list(value, fieldPath, field, (item, p) => this.scalar(item, p));
          break;
        case "extra_hosts":
          fragment.extraHosts = this.namesListOrMap(value, fieldPath, field);
          break;
        case "build":
          fragment.build = this.build(value, fieldPath, field);
          break;
        case "command":
        case "entrypoint": {
          const command = this.command(value, fieldPath, field);
          if (command) fragment[field.key] = command;
          break;
        }
        case "environment":
          fragment.environment = this.environment(value, fieldPath, field);
          break;
        case "env_file":
          fragment.envFiles = this.envFiles(value, fieldPath, field);
          break;
        case "volumes":
          fragment.volumes = this.list(value, fieldPath, field, (item, p) => this.mount(item, p));
          break;
        case "ports":
          fragment.ports = this.list(value, fieldPath, field, (item, p) => this.port(item, p));
          break;
        case "expose":
          fragment.expose = this.list(value, fieldPath, field, (item, p) => this.scalar(item, p));
          break;
        case "depends_on":
          fragment.dependsOn = this.namesListOrMap(value, fieldPath, field);
          break;
        case "volumes_from":
          fragment.volumesFrom = this.list(value, fieldPath, field, (item, p) => this.scalar(item, p));
          break;
        case "networks":
          fragment.networks = this.networks(value, fieldPath, field);
          break;
        case "profiles":
          fragment.profiles = this.list(value, fieldPath, field, (item, p) => this.scalar(item, p)).map((s) => s.value);
          break;
        case "healthcheck":
          fragment.healthcheck = this.healthcheck(value, fieldPath, field);
          break;
        case "extends": {
          const ext = this.extendsOf(value, fieldPath, field);
          if (ext) fragment.extends = ext;
          break;
        }
        default:
          break;
      }
    }
    return fragment;
  }

  private build(node: Node, path: string, entry: Entry): BuildFragment | undefined {
    if (isScalar(node) && typeof node.value === "string") {
      return { range: entry.range, context: this.scalar(node, path), args: new Map() };
    }
    if (!isMap(node)) {
      if (!isNull(node)) this.problem(this.rangeOr(node, entry.range), `${path} must be a string or a mapping, not ${describe(node)}`);
      return undefined;
    }
    const build: BuildFragment = { range: entry.range, args: new Map() };
    for (const field of this.entries(node, path)) {
      const value = this.deref(field.value);
      const fieldPath = `${path}.${field.key}`;
      if (field.key === "context") build.context = this.scalar(value, fieldPath, field);
      else if (field.key === "dockerfile") build.dockerfile = this.scalar(value, fieldPath, field);
      else if (field.key === "target") build.target = this.scalar(value, fieldPath, field);
      else if (field.key === "args") {
        for (const v of this.keyValues(value, fieldPath, field).values()) {
          // `- ARG` with no value: compose takes it from the environment (here: the project .env).
          const resolved = v.value ?? this.env.get(v.name);
          build.args.set(v.name, {
            value: resolved ?? "",
            range: v.range,
            ...(resolved === undefined ? { unresolved: [v.name] } : v.unresolved ? { unresolved: v.unresolved } : {}),
          });
        }
      }
    }
    return build;
  }

  private command(node: Node, path: string, entry: Entry): ComposeCommand | undefined {
    if (isNull(node)) return undefined;
    if (isSeq(node)) {
      const argv = this.list(node, path, entry, (item, p) => this.scalar(item, p));
      return { form: "list", argv, range: this.range(node) };
    }
    const text = this.text_(node, path, entry);
    if (!text) return undefined;
    const split = splitShellWords(text.mapped);
    if (split.error) this.problem(text.range, `${path}: cannot split the command into words: ${split.error}`);
    const words: { index: number; word: LocatedString }[] = split.words.map((word) => {
      const unresolved = text.markers.filter((m) => m.index >= word.from && m.index <= word.to).map((m) => m.name);
      return { index: word.from, word: { value: word.text, range: this.at(word.start, word.end), ...(unresolved.length ? { unresolved: unique(unresolved) } : {}) } };
    });
    // An unset variable standing alone (`--requirepass ${PASSWORD}`) vanishes from compose's
    // argv; we keep an empty word in its place so rules know an argument comes from there.
    const alone = text.markers.filter((m) => !split.words.some((w) => m.index >= w.from && m.index <= w.to));
    for (const m of alone) {
      const same = words.find((w) => w.index === m.index && w.word.value === "" && w.word.unresolved);
      if (same) {
        same.word.unresolved = unique([...(same.word.unresolved ?? []), m.name]);
        same.word.range = this.at(this.offset(same.word.range), m.end);
      } else {
        words.push({ index: m.index, word: { value: "", range: this.at(m.start, m.end), unresolved: [m.name] } });
      }
    }
    const argv = words.sort((a, b) => a.index - b.index).map((w) => w.word);
    return { form: "string", argv, range: text.range };
  }

  private environment(node: Node, path: string, entry: Entry): Map<string, ComposeEnvVar> {
    const vars = this.keyValues(node, path, entry);
    for (const v of vars.values()) {
      // Like compose, a name with no value is looked up in the project's .env.
      if (v.value === undefined && this.env.has(v.name)) {
        v.value = this.env.get(v.name);
        v.fromVariables = true;
      }
    }
    return vars;
  }

  /** `environment` / `build.args`: a mapping, or a list of `NAME=value` / `NAME`. */
  private keyValues(node: Node, path: string, entry: Entry): Map<string, ComposeEnvVar> {
    const vars = new Map<string, ComposeEnvVar>();
    if (isNull(node)) return vars;
    const add = (v: ComposeEnvVar, at: SourceRange): void => {
      if (v.name === "" || /\s/.test(v.name)) {
        this.problem(at, `${path}: variable name '${v.name}' may not be empty or contain whitespace`);
        return;
      }
      vars.delete(v.name); // a later duplicate wins, and takes the later position
      vars.set(v.name, v);
    };
    if (isSeq(node)) {
      node.items.forEach((raw, index) => {
        const item = this.deref(raw);
        if (this.cutOff(raw, item)) return;
        const text = this.text_(item, `${path}[${index}]`);
        if (!text) return;
        const eq = text.value.indexOf("=");
        const name = eq < 0 ? text.value : text.value.slice(0, eq);
        const written = eq < 0 ? {} : { valueRange: this.at(...mappedSpan(text.mapped, eq + 1, text.value.length)), ...writtenFrom(item, text) };
        add({ name, value: eq < 0 ? undefined : text.value.slice(eq + 1), range: text.range, ...unresolvedOf(text), ...written }, text.range);
      });
      return vars;
    }
    if (isMap(node)) {
      for (const field of this.entries(node, path)) {
        const value = this.deref(field.value);
        if (isNull(value)) {
          add({ name: field.key, value: undefined, range: field.range }, field.range);
          continue;
        }
        const text = this.text_(value, `${path}.${field.key}`);
        if (text) add({ name: field.key, value: text.value, range: field.range, ...unresolvedOf(text), valueRange: text.range, ...writtenFrom(value, text) }, field.range);
      }
      return vars;
    }
    this.problem(this.rangeOr(node, entry.range), `${path} must be a mapping or a list, not ${describe(node)}`);
    return vars;
  }

  private envFiles(node: Node, path: string, entry: Entry): ComposeEnvFile[] {
    if (isNull(node)) return [];
    if (isScalar(node)) {
      const path_ = this.scalar(node, path, entry);
      return path_ ? [{ path: path_.value, required: true, range: path_.range }] : [];
    }
    return this.list(node, path, entry, (item, p) => {
      if (isMap(item)) {
        let file: LocatedString | undefined;
        let required = true;
        for (const field of this.entries(item, p)) {
          const value = this.deref(field.value);
          if (field.key === "path") file = this.scalar(value, `${p}.path`, field);
          else if (field.key === "required") required = this.boolean(value, `${p}.required`, field) ?? true;
        }
        if (!file) {
          this.problem(this.range(item), `${p}.path is required`);
          return undefined;
        }
        return { path: file.value, required, range: this.range(item) };
      }
      const file = this.scalar(item, p);
      return file ? { path: file.value, required: true, range: file.range } : undefined;
    });
  }

  private mount(node: Node, path: string): ComposeMount | undefined {
    if (isMap(node)) return this.longMount(node, path);
    const text = this.text_(node, path);
    if (!text) return undefined;
    const parts = text.value.split(":");
    if (parts.length > 3 || parts.some((p, i) => p === "" && i < 2 && parts.length > 1) || text.value === "") {
      // Malformed only because a variable has no value here (set by a wrapper script at deploy,
      // or an empty placeholder in .env the wrapper overrides): unknown, not wrong.
      if (!fromVariables(node, text)) this.problem(text.range, `${path}: volume ${quoted(text.value)} has incorrect format, should be [source:]target[:mode]`);
      return undefined;
    }
    if (parts.length === 1) {
      return { type: "volume", target: containerPath(parts[0] ?? ""), readOnly: false, range: text.range };
    }
    const [source = "", target = "", mode = ""] = parts;
    const readOnly = mode.split(",").includes("ro");
    return { type: isHostPath(source) ? "bind" : "volume", source, target: containerPath(target), readOnly, range: text.range };
  }

  private longMount(node: YAMLMap, path: string): ComposeMount | undefined {
    let type: LocatedString | undefined;
    let source: LocatedString | undefined;
    let target: LocatedString | undefined;
    let readOnly = false;
    for (const field of this.entries(node, path)) {
      const value = this.deref(field.value);
      const fieldPath = `${path}.${field.key}`;
      if (field.key === "type") type = this.scalar(value, fieldPath, field);
      else if (field.key === "source") source = this.scalar(value, fieldPath, field);
      else if (field.key === "target") target = this.scalar(value, fieldPath, field);
      else if (field.key === "read_only") readOnly = this.boolean(value, fieldPath, field) ?? false;
    }
    const range = this.range(node);
    if (!target || target.value === "") {
      this.problem(range, `${path}.target is required`);
      return undefined;
    }
    let kind: ComposeMount["type"];
    if (type === undefined) {
      this.problem(range, `${path}.type is required`);
      kind = source && isHostPath(source.value) ? "bind" : "volume";
    } else if (type.value === "bind" || type.value === "volume" || type.value === "tmpfs") {
      kind = type.value;
    } else if (["npipe", "cluster", "image"].includes(type.value)) {
      return undefined; // valid compose, but nothing a Django deployment lint reads
    } else {
      this.problem(type.range, `${path}.type must be one of bind, volume, tmpfs, npipe, cluster, image, not ${quoted(type.value)}`);
      return undefined;
    }
    if (kind === "tmpfs" && source && source.value !== "") {
      this.problem(source.range, `${path}: tmpfs mounts can not specify a source`);
    }
    if (kind === "bind" && (!source || source.value === "")) {
      this.problem(range, `${path}.source is required for a bind mount`);
      return undefined;
    }
    const mount: ComposeMount = { type: kind, target: containerPath(target.value), readOnly, range };
    if (kind !== "tmpfs" && source && source.value !== "") mount.source = source.value;
    return mount;
  }

  private port(node: Node, path: string): ComposePort | undefined {
    if (isMap(node)) {
      const port: Partial<ComposePort> = { protocol: "tcp", range: this.range(node) };
      for (const field of this.entries(node, path)) {
        const value = this.deref(field.value);
        const fieldPath = `${path}.${field.key}`;
        const text = field.key === "mode" ? undefined : isNull(value) ? undefined : this.scalar(value, fieldPath, field);
        if (!text) continue;
        if (field.key === "target") port.target = text.value;
        else if (field.key === "published") port.published = text.value;
        else if (field.key === "host_ip") port.hostIp = text.value;
        else if (field.key === "protocol") port.protocol = text.value;
      }
      if (port.target === undefined) {
        this.problem(this.range(node), `${path}.target is required`);
        return undefined;
      }
      if (!PORT_RANGE.test(port.target) || (port.published !== undefined && port.published !== "" && !PORT_RANGE.test(port.published))) {
        this.problem(this.range(node), `${path}: invalid port ${port.published ?? ""}:${port.target}`);
        return undefined;
      }
      if (port.published === "") delete port.published;
      return port as ComposePort;
    }
    const text = this.text_(node, path);
    if (!text) return undefined;
    const parsed = parsePortSpec(text.value);
    if (!parsed) {
      if (!fromVariables(node, text)) this.problem(text.range, `${path}: invalid port ${quoted(text.value)}, should be [[ip:]published:]target[/protocol]`);
      return undefined;
    }
    return { ...parsed, range: text.range };
  }

  private networks(node: Node, path: string, entry: Entry): ComposeNetworkAttachment[] {
    if (isNull(node)) return [];
    if (isSeq(node)) {
      return this.list(node, path, entry, (item, p) => {
        const name = this.scalar(item, p);
        return name ? { name: name.value, aliases: [], range: name.range } : undefined;
      });
    }
    if (!isMap(node)) {
      this.problem(this.rangeOr(node, entry.range), `${path} must be a list or a mapping, not ${describe(node)}`);
      return [];
    }
    return this.entries(node, path).map((field) => {
      const attachment: ComposeNetworkAttachment = { name: field.key, aliases: [], range: this.range(field.keyNode) };
      const value = this.deref(field.value);
      if (isMap(value)) {
        const aliases = this.entries(value, `${path}.${field.key}`).find((e) => e.key === "aliases");
        if (aliases) {
          attachment.aliases = this.list(this.deref(aliases.value), `${path}.${field.key}.aliases`, aliases, (item, p) => this.scalar(item, p));
        }
      } else if (!isNull(value)) {
        this.problem(this.rangeOr(value, field.range), `${path}.${field.key} must be a mapping or null, not ${describe(value)}`);
      }
      return attachment;
    });
  }

  /** `depends_on`: a list of service names, or a mapping keyed by them. */
  private namesListOrMap(node: Node, path: string, entry: Entry): LocatedString[] {
    if (isNull(node)) return [];
    if (isMap(node)) return this.entries(node, path).map((e) => ({ value: e.key, range: this.range(e.keyNode) }));
    return this.list(node, path, entry, (item, p) => this.scalar(item, p));
  }

  private healthcheck(node: Node, path: string, entry: Entry): ComposeHealthcheck | undefined {
    if (!isMap(node)) {
      if (!isNull(node)) this.problem(this.rangeOr(node, entry.range), `${path} must be a mapping, not ${describe(node)}`);
      return undefined;
    }
    const check: ComposeHealthcheck = { range: entry.range };
    for (const field of this.entries(node, path)) {
      const value = this.deref(field.value);
      if (field.key === "test") {
        if (isScalar(value) && typeof value.value === "string") {
          // A string test runs through the container's shell: docker stores ["CMD-SHELL", test].
          const text = this.text_(value, `${path}.test`);
          if (text) {
            const cmd: LocatedString = { value: "CMD-SHELL", range: text.range };
            check.test = { form: "string", argv: [cmd, { value: text.value, range: text.range, ...unresolvedOf(text) }], range: text.range };
          }
        } else {
          check.test = this.command(value, `${path}.test`, field);
        }
      } else if (field.key === "disable" && this.boolean(value, `${path}.disable`, field) === true) {
        check.test = { form: "list", argv: [{ value: "NONE", range: field.range }], range: field.range };
      }
    }
    return check;
  }

  private extendsOf(node: Node, path: string, entry: Entry): ServiceFragment["extends"] {
    if (isScalar(node) && typeof node.value === "string") {
      const service = this.scalar(node, path, entry);
      return service ? { service, range: entry.range } : undefined;
    }
    if (!isMap(node)) {
      this.problem(this.rangeOr(node, entry.range), `${path} must be a string or a mapping, not ${describe(node)}`);
      return undefined;
    }
    let service: LocatedString | undefined;
    let file: LocatedString | undefined;
    for (const field of this.entries(node, path)) {
      const value = this.deref(field.value);
      if (field.key === "service") service = this.scalar(value, `${path}.service`, field);
      else if (field.key === "file") file = this.scalar(value, `${path}.file`, field);
    }
    if (!service) {
      this.problem(entry.range, `${path}.service is required`);
      return undefined;
    }
    return file ? { service, file, range: entry.range } : { service, range: entry.range };
  }

  private resources(entry: Entry, section: "volumes" | "networks", into: Map<string, TopLevelResource>): void {
    const node = this.deref(entry.value);
    if (isNull(node)) return;
    if (!isMap(node)) {
      this.problem(this.rangeOr(node, entry.range), `${section} must be a mapping, not ${describe(node)}`);
      return;
    }
    for (const field of this.entries(node, section)) {
      const resource: TopLevelResource = { name: field.key, external: false, range: this.range(field.keyNode) };
      const value = this.deref(field.value);
      if (isMap(value)) {
        for (const prop of this.entries(value, `${section}.${field.key}`)) {
          const v = this.deref(prop.value);
          const propPath = `${section}.${field.key}.${prop.key}`;
          if (prop.key === "name") {
            const name = this.scalar(v, propPath, prop);
            if (name) resource.name = name.value;
          } else if (prop.key === "external") {
            if (isMap(v)) {
              // Legacy `external: { name: x }`.
              resource.external = true;
              const name = this.entries(v, propPath).find((e) => e.key === "name");
              const located = name ? this.scalar(this.deref(name.value), `${propPath}.name`, name) : undefined;
              if (located) resource.name = located.value;
            } else {
              resource.external = this.boolean(v, propPath, prop) ?? false;
            }
          }
        }
      } else if (!isNull(value)) {
        this.problem(this.rangeOr(value, field.range), `${section}.${field.key} must be a mapping or null, not ${describe(value)}`);
      }
      into.set(field.key, resource);
    }
  }

  // -------------------------------------------------------------------------------------
  // Generic readers

  /** A list field; a non-list is a problem. `read` returns undefined for items it rejected. */
  private list<T>(node: Node, path: string, entry: Entry, read: (item: Node, itemPath: string) => T | undefined): T[] {
    if (isNull(node)) return [];
    if (!isSeq(node)) {
      this.problem(this.rangeOr(node, entry.range), `${path} must be a list, not ${describe(node)}`);
      return [];
    }
    const out: T[] = [];
    (node as YAMLSeq).items.forEach((raw, index) => {
      const item = this.deref(raw as Node);
      if (this.cutOff(raw, item)) return;
      const value = read(item, `${path}[${index}]`);
      if (value !== undefined) out.push(value);
    });
    return out;
  }

  /** A scalar as an interpolated LocatedString; numbers keep their written form, booleans are "true"/"false". */
  private scalar(node: Node, path: string, entry?: Entry): LocatedString | undefined {
    const text = this.text_(node, path, entry);
    return text ? { value: text.value, range: text.range, ...unresolvedOf(text) } : undefined;
  }

  private boolean(node: Node, path: string, entry: Entry): boolean | undefined {
    if (isScalar(node) && typeof node.value === "boolean") return node.value;
    const text = this.text_(node, path, entry);
    if (!text) return undefined;
    // Compose converts interpolated strings with YAML 1.1 boolean words.
    const lower = text.value.toLowerCase();
    if (["true", "yes", "y", "on"].includes(lower)) return true;
    if (["false", "no", "n", "off"].includes(lower)) return false;
    this.problem(text.range, `${path} must be a boolean, not ${quoted(text.value)}`);
    return undefined;
  }

  private text_(node: Node, path: string, entry?: Entry): LocatedText | undefined {
    if (!isScalar(node) || node.value === null) {
      const where = node ? this.range(node) : entry ? entry.range : this.at(0, 0);
      this.problem(where, `${path} must be a string, not ${describe(node)}`);
      return undefined;
    }
    if (typeof node.value === "object" || typeof node.value === "symbol") {
      this.problem(this.range(node), `${path} must be a string, not ${describe(node)}`);
      return undefined;
    }
    return this.interpolated(node, path);
  }

  /** Interpolates a scalar once; its problems are reported once however often it is read. */
  private interpolated(node: Scalar, path: string): LocatedText {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const [start, end] = node.range ?? [0, 0];
    let result: LocatedText;
    if (typeof node.value === "string") {
      const done = interpolate(scalarSource(node, this.text), this.env, path);
      for (const error of done.errors) {
        const problem = this.problem(this.at(error.start, error.end), error.message);
        if (problem && error.requiredVariable !== undefined) this.missingRequired.push(problem);
      }
      result = { value: done.text.text, mapped: done.text, range: this.at(start, end), unresolved: done.unresolved, markers: done.markers };
    } else {
      // Compose stringifies numbers and booleans; we keep a number's written form (0755, 1.0).
      const value = typeof node.value === "boolean" ? String(node.value) : this.text.slice(start, end);
      result = { value, mapped: mappedVerbatim(value, start), range: this.at(start, end), unresolved: [], markers: [] };
    }
    this.cache.set(node, result);
    return result;
  }

  /** Reports interpolation errors in every scalar value under `node` (keys are not interpolated). */
  private checkInterpolation(node: Node, path: string): void {
    const seen = new Set<YamlNode>();
    const walk = (n: Node, p: string): void => {
      const value = this.deref(n);
      if (!value || seen.has(value)) return;
      seen.add(value);
      if (isScalar(value)) {
        if (typeof value.value === "string" && value.value.includes("$")) this.interpolated(value, p);
      } else if (isSeq(value)) {
        value.items.forEach((item, i) => walk(item as Node, `${p}[${i}]`));
      } else if (isMap(value)) {
        for (const pair of value.items) walk(pair.value as Node, `${p}.${keyText(pair)}`);
      }
    };
    walk(node, path);
  }

  /** Mapping entries with `<<` merge keys applied (explicit keys win, earlier merges win). */
  private entries(map: YAMLMap, path: string): Entry[] {
    this.merging.add(map);
    try {
      return this.mapEntries(map, path);
    } finally {
      this.merging.delete(map);
    }
  }

  private mapEntries(map: YAMLMap, path: string): Entry[] {
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node;
      if (isScalar(key) && isMergeKey(key)) {
        const value = this.deref(pair.value as Node);
        const raws: unknown[] = isSeq(value) ? value.items : [pair.value];
        for (const raw of raws) {
          const source = this.deref(raw as Node);
          if (isMap(source) && this.merging.has(source)) {
            this.problem(this.range(key), `${path}: a << merge key that includes itself`);
          } else if (isMap(source)) {
            merged.push(...this.entries(source, path));
          } else if (!this.cutOff(raw, source)) {
            this.problem(this.rangeOr(source, this.range(key)), `${path}: a << merge key needs a mapping or a list of mappings`);
          }
        }
        continue;
      }
      if (!isScalar(key) || key.value === null || typeof key.value === "object") {
        this.problem(key ? this.range(key) : this.range(map), `${path}: mapping keys must be strings`);
        continue;
      }
      const value = pair.value as Node;
      const [start] = key.range ?? [0];
      const end = value?.range ? value.range[1] : (key.range?.[1] ?? start);
      own.push({ key: String(key.value), keyNode: key, value, range: this.at(start, Math.max(end, key.range?.[1] ?? start)) });
    }
    const out = [...own];
    const keys = new Set(own.map((e) => e.key));
    for (const entry of merged) {
      if (keys.has(entry.key)) continue;
      keys.add(entry.key);
      out.push(entry);
    }
    return out;
  }

  /** Follows aliases to the anchored node; an alias bomb stops resolving (and is reported once). */
  private deref(node: Node | unknown): YamlNode | null {
    let current = node as Node;
    for (let hops = 0; isAlias(current); hops++) {
      this.aliasResolutions++;
      if (this.aliasResolutions > MAX_ALIAS_RESOLUTIONS || hops > 100) {
        if (!this.aliasBombReported) {
          this.aliasBombReported = true;
          this.problem(this.range(current), `too many YAML aliases (more than ${MAX_ALIAS_RESOLUTIONS}); the rest are ignored`);
        }
        return null;
      }
      current = this.anchored(current);
    }
    return current ?? null;
  }

  /** An alias that the alias cap cut off: its place is skipped silently (the cap was reported). */
  private cutOff(raw: Node | unknown, resolved: Node): boolean {
    return resolved === null && isAlias(raw) && this.aliasBombReported;
  }

  /**
   * The node an alias refers to: the last anchor of that name before it. Our own index,
   * because `Alias.resolve` searches the whole document on every call (quadratic).
   */
  private anchored(alias: Alias): Node {
    if (this.anchors === undefined) {
      this.anchors = new Map();
      const anchors = this.anchors;
      const walk = (n: unknown): void => {
        if (isAlias(n) || !n || typeof n !== "object") return;
        const node = n as YamlNode;
        if (node.anchor) anchors.set(node.anchor, [...(anchors.get(node.anchor) ?? []), node]);
        if (isMap(node)) {
          for (const pair of node.items) {
            walk(pair.key);
            walk(pair.value);
          }
        } else if (isSeq(node)) {
          for (const item of node.items) walk(item);
        }
      };
      walk(this.doc.contents);
    }
    const at = alias.range?.[0] ?? 0;
    let found: YamlNode | undefined;
    for (const candidate of this.anchors.get(alias.source) ?? []) {
      if ((candidate.range?.[0] ?? 0) < at) found = candidate;
    }
    return found ?? null;
  }

  private range(node: YamlNode): SourceRange {
    const [start, end] = node.range ?? [0, 0];
    return this.at(start, end);
  }

  private rangeOr(node: Node, fallback: SourceRange): SourceRange {
    return node?.range ? this.range(node) : fallback;
  }

  /** The offset where a range of this file starts. */
  private offset(range: SourceRange): number {
    return this.lines.lineStart(range.line) + range.column - 1;
  }

  private at(start: number, end: number): SourceRange {
    return this.lines.range(this.file, start, end);
  }

  private problem(range: SourceRange, message: string): ParseProblem | undefined {
    // A generated or hostile file must not flood the report.
    if (this.problems.length < MAX_PROBLEMS) {
      const problem = { range, message };
      this.problems.push(problem);
      return problem;
    }
    this.firstDropped ??= range;
    return undefined;
  }
}

interface LocatedText {
  value: string;
  mapped: MappedText;
  range: SourceRange;
  unresolved: string[];
  markers: UnresolvedMarker[];
}

/** The value came (partly) from `${VAR}` interpolation that had no value or an empty one. */
function fromVariables(node: Node, text: LocatedText): boolean {
  return text.unresolved.length > 0 || (isScalar(node) && typeof node.source === "string" && node.source.includes("$"));
}

/** `fromVariables` for an environment value whose scalar is written with `$` (interpolated). */
function writtenFrom(node: Node, text: LocatedText): { fromVariables?: true } {
  return fromVariables(node, text) ? { fromVariables: true } : {};
}

function unresolvedOf(text: LocatedText): { unresolved?: string[] } {
  return text.unresolved.length > 0 ? { unresolved: [...text.unresolved] } : {};
}


function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function tagOf(node: Node | unknown): string | undefined {
  return node && typeof node === "object" && "tag" in node && typeof node.tag === "string" ? node.tag : undefined;
}

function isNull(node: Node): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function isMergeKey(key: Scalar): boolean {
  return (typeof key.value === "symbol" && key.value.description === "<<") || (key.value === "<<" && key.type === Scalar.PLAIN);
}

/** A scalar key's text as written, quotes removed (go-yaml's Node.Value: `1` and `"1"` are the same key, `01` is not). */
function scalarText(key: Scalar): string | undefined {
  if (typeof key.source === "string") return key.source;
  if (key.value === null || typeof key.value === "object" || typeof key.value === "symbol") return undefined;
  return String(key.value);
}

/** A key quoted in a message: masked, on one line, cut when long. */
function quotedKey(text: string): string {
  const oneLine = maskSecretsInText(text).replace(/\s+/g, " ");
  return `'${oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine}'`;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : "?";
}

function describe(node: Node): string {
  if (isNull(node)) return "null";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "string") return `the string ${quoted(v)}`;
    if (typeof v === "number") return `the number ${String(v)}`;
    if (typeof v === "boolean") return `the boolean ${String(v)}`;
  }
  return "a value of another type";
}

/** A short-syntax volume source is a host path when it starts like one (compose's rule). */
export function isHostPath(source: string): boolean {
  return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
}

/** Container paths compare without `.`/`..`/double slashes or a trailing slash. */
function containerPath(path: string): string {
  if (path === "") return path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const joined = segments.join("/");
  return path.startsWith("/") ? `/${joined}` : joined || ".";
}

const PORT_RANGE = /^\d+(-\d+)?$/;

/** `[ip:][published:]target[/protocol]`; the ip may be bracketed IPv6. */
export function parsePortSpec(spec: string): Omit<ComposePort, "range"> | undefined {
  let rest = spec.trim();
  let protocol = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
    if (protocol === "") return undefined;
  }
  let hostIp: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":") return undefined;
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(":");
  const target = parts.pop() ?? "";
  let published: string | undefined = parts.pop();
  if (parts.length > 0) {
    if (hostIp !== undefined) return undefined;
    hostIp = parts.join(":");
  }
  if (!PORT_RANGE.test(target)) return undefined;
  if (published !== undefined && published !== "" && !PORT_RANGE.test(published)) return undefined;
  if (published === "") published = undefined;
  const port: Omit<ComposePort, "range"> = { target, protocol };
  if (hostIp !== undefined && hostIp !== "") port.hostIp = hostIp;
  if (published !== undefined) port.published = published;
  return port;
}
