import type { PyValue } from "./values.js";

/**
 * The largest value the evaluator keeps (string characters, or items of nested lists, tuples
 * and dicts counted at every level): settings never come near it, while `S = S + S` repeated or
 * `L = [L, L]` nested would otherwise double until memory runs out (or every walk over the
 * value takes exponential time, since the halves are shared).
 */
export const MAX_VALUE_SIZE = 1_000_000;

const TOO_LARGE = `value larger than the limit of ${MAX_VALUE_SIZE} characters or items is not evaluated`;

/** What a value above the limit becomes (an operator that would build one returns this instead). */
export function valueTooLarge(): PyValue {
  return { kind: "unknown", reason: TOO_LARGE };
}

/** True for a value above the limit, built or refused. */
export function isTooLarge(value: { kind: string }): boolean {
  return (value.kind === "unknown" && (value as { reason?: string }).reason === TOO_LARGE) || valueSize(value) > MAX_VALUE_SIZE;
}

/** Sizes of containers already measured: a container is built from measured parts, so each is walked once. */
const measured = new WeakMap<object, number>();

/** Characters of a string, 1 + the sizes of a container's items (a container in itself counts once). */
export function valueSize(value: { kind: string }): number {
  const v = value as PyValue;
  switch (v.kind) {
    case "str":
    case "path":
      return v.value.length;
    case "list":
    case "tuple":
    case "dict": {
      const known = measured.get(v);
      if (known !== undefined) return known;
      // A list that holds itself (`L.append(L)`) counts once, not forever.
      measured.set(v, 1);
      let size = 1;
      if (v.kind === "dict") for (const e of v.entries) size += valueSize(e.key) + valueSize(e.value);
      else for (const item of v.items) size += valueSize(item);
      measured.set(v, size);
      return size;
    }
    default:
      return 1;
  }
}
