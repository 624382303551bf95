import { MUTATING_METHODS } from "./builtins.js";
import type { PyNode } from "./parse.js";

/**
 * The module-level names a group of statements may bind or change, found without
 * evaluating them. Used where we cannot tell whether (or how often) code runs: branches
 * under an unknown condition, loop and `with` bodies, statements with syntax errors.
 */

export interface AssignedName {
  name: string;
  /** The target that binds or changes the name (its identifier). */
  node: PyNode;
  /** The simple statement it is in. */
  stmt: PyNode;
  /** False when the name is only changed through it (`X[k] = v`, `X.append(v)`), not rebound. */
  direct: boolean;
}

/** Names a star-import statement would bind, or [] when unknown. */
export type StarNames = (importStatement: PyNode) => string[];

const NESTED_TARGETS = new Set([
  "pattern_list",
  "tuple_pattern",
  "list_pattern",
  "tuple",
  "list",
  "expression_list",
  "parenthesized_expression",
  "list_splat_pattern",
  "list_splat",
  "as_pattern_target",
]);

/** Statements in textual order, nested blocks included (function and class bodies excluded: they do not run). */
export function collectAssignedNames(roots: (PyNode | null)[], text: string, starNames: StarNames): AssignedName[] {
  const out: AssignedName[] = [];
  const name = (n: PyNode) => text.slice(n.startIndex, n.endIndex);
  const addTargets = (target: PyNode | null, stmt: PyNode) => {
    // Iterative: targets can nest, and this runs on code we do not otherwise evaluate.
    const stack: PyNode[] = target ? [target] : [];
    while (stack.length > 0) {
      const t = stack.pop() as PyNode;
      if (t.type === "identifier") out.push({ name: name(t), node: t, stmt, direct: true });
      else if (NESTED_TARGETS.has(t.type)) {
        const kids = t.namedChildren;
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as PyNode);
      } else if (t.type === "subscript" || t.type === "attribute") {
        const root = rootIdentifier(t);
        if (root) out.push({ name: name(root), node: root, stmt, direct: false });
      }
    }
  };

  const work: PyNode[] = [];
  const pushStatements = (block: PyNode | null) => {
    if (!block) return;
    const kids = block.type === "block" || block.type === "module" ? block.namedChildren : [block];
    for (let i = kids.length - 1; i >= 0; i--) work.push(kids[i] as PyNode);
  };
  for (let i = roots.length - 1; i >= 0; i--) pushStatements(roots[i] ?? null);

  while (work.length > 0) {
    const stmt = work.pop() as PyNode;
    switch (stmt.type) {
      case "expression_statement":
        for (const child of stmt.namedChildren) {
          let cur: PyNode | null = child;
          while (cur && (cur.type === "assignment" || cur.type === "augmented_assignment")) {
            addTargets(cur.childForFieldName("left"), stmt);
            cur = cur.childForFieldName("right");
          }
          if (cur && cur.type === "call") {
            const fn = cur.childForFieldName("function");
            const method = fn?.type === "attribute" ? fn.childForFieldName("attribute") : null;
            if (fn && method && MUTATING_METHODS.has(name(method))) {
              const root = rootIdentifier(fn);
              if (root) out.push({ name: name(root), node: root, stmt, direct: false });
            }
          }
        }
        break;
      case "import_statement":
        for (const n of stmt.childrenForFieldName("name")) {
          const alias = n.type === "aliased_import" ? n.childForFieldName("alias") : null;
          if (alias) out.push({ name: name(alias), node: alias, stmt, direct: true });
          else {
            const first = n.namedChildren[0];
            if (first) out.push({ name: name(first), node: first, stmt, direct: true });
          }
        }
        break;
      case "import_from_statement": {
        const star = stmt.namedChildren.find((c) => c.type === "wildcard_import");
        if (star) for (const n of starNames(stmt)) out.push({ name: n, node: star, stmt, direct: true });
        for (const n of stmt.childrenForFieldName("name")) {
          const bound = n.type === "aliased_import" ? n.childForFieldName("alias") : n;
          if (bound) out.push({ name: name(bound), node: bound, stmt, direct: true });
        }
        break;
      }
      case "function_definition":
      case "class_definition": {
        const n = stmt.childForFieldName("name");
        if (n) out.push({ name: name(n), node: n, stmt, direct: true });
        break;
      }
      case "decorated_definition": {
        const n = stmt.childForFieldName("definition")?.childForFieldName("name");
        if (n) out.push({ name: name(n), node: n, stmt, direct: true });
        break;
      }
      case "delete_statement":
        for (const t of stmt.namedChildren) addTargets(t, stmt);
        break;
      case "for_statement":
        addTargets(stmt.childForFieldName("left"), stmt);
        pushCompound(stmt, work);
        break;
      case "with_statement":
        for (const alias of descendantsOfTypeShallow(stmt, "as_pattern_target")) addTargets(alias, stmt);
        pushCompound(stmt, work);
        break;
      case "try_statement":
        for (const clause of stmt.namedChildren) {
          if (clause.type === "except_clause" || clause.type === "except_group_clause") {
            for (const alias of descendantsOfTypeShallow(clause, "as_pattern_target")) addTargets(alias, stmt);
          }
        }
        pushCompound(stmt, work);
        break;
      default:
        // if / while / match and anything else with blocks: walk every block it holds.
        pushCompound(stmt, work);
        break;
    }
  }
  return out;
}

/** Pushes the statements of every block directly under a compound statement (and its clauses). */
function pushCompound(stmt: PyNode, work: PyNode[]): void {
  const blocks: PyNode[] = [];
  const stack: PyNode[] = [stmt];
  while (stack.length > 0) {
    const n = stack.pop() as PyNode;
    for (const c of n.namedChildren) {
      if (c.type === "block") blocks.push(c);
      else if (c.type.endsWith("_clause") || c.type === "case_clause") stack.push(c);
    }
  }
  blocks.sort((a, b) => a.startIndex - b.startIndex);
  const statements: PyNode[] = [];
  for (const b of blocks) {
    // A match statement's body block holds case clauses, not statements.
    for (const s of b.namedChildren) {
      if (s.type === "case_clause") {
        const consequence = s.childForFieldName("consequence");
        if (consequence) statements.push(...consequence.namedChildren);
      } else statements.push(s);
    }
  }
  for (let i = statements.length - 1; i >= 0; i--) work.push(statements[i] as PyNode);
}

/** `as` targets in a statement header (not inside its body blocks). */
function descendantsOfTypeShallow(node: PyNode, type: string): PyNode[] {
  const out: PyNode[] = [];
  const stack: PyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as PyNode;
    for (const c of n.namedChildren) {
      if (c.type === type) out.push(c);
      else if (c.type !== "block") stack.push(c);
    }
  }
  return out;
}

/** The identifier at the root of `a.b[c].d`, or null when the root is not a name. */
export function rootIdentifier(node: PyNode): PyNode | null {
  let cur: PyNode | null = node;
  while (cur) {
    if (cur.type === "identifier") return cur;
    if (cur.type === "subscript") cur = cur.childForFieldName("value");
    else if (cur.type === "attribute") cur = cur.childForFieldName("object");
    else if (cur.type === "call") cur = cur.childForFieldName("function");
    else if (cur.type === "parenthesized_expression") cur = cur.namedChildren[0] ?? null;
    else return null;
  }
  return null;
}
