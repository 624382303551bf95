/**
 * Reads the entries of a git index file (.git/index, gitformat-index(5)) the way
 * `git ls-files -s` run in a subdirectory lists them: path relative to that directory and
 * mode. Versions 2, 3 and 4 of a SHA-1 repository. Anything this reader does not fully
 * understand (a split or sparse index, an unknown version or flag, a truncated or corrupt
 * file) gives undefined, and the caller asks the git binary instead. Every read is bounded by
 * the buffer's length, so a corrupt index can neither throw nor loop.
 */

const HEADER_BYTES = 12;
const HASH_BYTES = 20;
/** ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), object name, flags (2). */
const FIXED_ENTRY_BYTES = 40 + HASH_BYTES + 2;
const MODE_OFFSET = 24;
const FLAG_EXTENDED = 0x4000;
const NAME_MASK = 0x0fff;
/** Extended flags git knows: skip-worktree and intent-to-add. Any other bit makes git refuse the index. */
const KNOWN_EXTENDED_FLAGS = 0x4000 | 0x2000;
/** A split index keeps most entries in another file; a sparse index has directory entries. */
const UNSUPPORTED_EXTENSIONS = new Set(["link", "sdir"]);
/** A sparse index's directory entry (mode 040000): ls-files would expand it. */
const DIRECTORY_MODE = 0o040000;

export type TrackedEntries = Map<string, { mode: string }>;

/**
 * `prefix`: the lint root relative to the work tree, "" or ending in "/" (forward slashes).
 * A conflicted path has up to three stage entries; the first one (like ls-files' first line) wins.
 */
export function parseIndexFile(buf: Buffer, prefix: string): TrackedEntries | undefined {
  const end = buf.length - HASH_BYTES;
  if (end < HEADER_BYTES || buf.toString("latin1", 0, 4) !== "DIRC") return undefined;
  const version = u32(buf, 4);
  if (version < 2 || version > 4) return undefined;
  const count = u32(buf, 8);
  const prefixBytes = Buffer.from(prefix, "utf8");
  const tracked: TrackedEntries = new Map();

  // No allocation per entry (most entries of a big repository are outside the root and skipped):
  // a path is a byte range of `buf`, or for version 4 of `scratch`, which holds the previous path
  // (version 4 stores each path as "strip N bytes from the previous path, then append this").
  let scratch = Buffer.alloc(version === 4 ? 4096 : 0);
  let scratchLength = 0;
  let off = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (off + FIXED_ENTRY_BYTES > end) return undefined;
    const mode = u32(buf, off + MODE_OFFSET);
    const flags = (buf[off + FIXED_ENTRY_BYTES - 2]! << 8) | buf[off + FIXED_ENTRY_BYTES - 1]!;
    let nameStart = off + FIXED_ENTRY_BYTES;
    if (flags & FLAG_EXTENDED) {
      if (version < 3 || nameStart + 2 > end) return undefined;
      if (((buf[nameStart]! << 8) | buf[nameStart + 1]!) & ~KNOWN_EXTENDED_FLAGS) return undefined;
      nameStart += 2;
    }
    const lengthField = flags & NAME_MASK;

    let source: Buffer;
    let pathStart: number;
    let pathLength: number;
    if (version === 4) {
      const varint = readVarint(buf, nameStart, end);
      if (varint === undefined) return undefined;
      const suffixStart = varint.next;
      const nul = buf.indexOf(0, suffixStart);
      if (nul < 0 || nul >= end) return undefined;
      // git ignores the first entry's strip count: there is no earlier path.
      const keep = i === 0 ? 0 : scratchLength - varint.value;
      if (keep < 0) return undefined;
      const length = keep + nul - suffixStart;
      if (length > scratch.length) {
        const grown = Buffer.alloc(Math.max(length, scratch.length * 2));
        scratch.copy(grown, 0, 0, keep);
        scratch = grown;
      }
      buf.copy(scratch, keep, suffixStart, nul);
      scratchLength = length;
      if (lengthField !== NAME_MASK && length !== lengthField) return undefined;
      source = scratch;
      pathStart = 0;
      pathLength = length;
      off = nul + 1;
    } else {
      let nameEnd: number;
      if (lengthField === NAME_MASK) {
        nameEnd = buf.indexOf(0, nameStart);
        if (nameEnd < 0 || nameEnd >= end) return undefined;
      } else {
        nameEnd = nameStart + lengthField;
        if (nameEnd >= end || buf[nameEnd] !== 0) return undefined;
      }
      source = buf;
      pathStart = nameStart;
      pathLength = nameEnd - nameStart;
      // NUL-padded to a multiple of 8 bytes, at least one NUL.
      off += (nameEnd - off + 8) & ~7;
      if (off > end) return undefined;
    }
    if (pathLength === 0) return undefined;
    if ((mode & 0o170000) === DIRECTORY_MODE) return undefined;

    if (pathLength <= prefixBytes.length || !startsWith(source, pathStart, prefixBytes)) continue;
    const key = source.toString("utf8", pathStart + prefixBytes.length, pathStart + pathLength);
    if (!tracked.has(key)) tracked.set(key, { mode: mode.toString(8).padStart(6, "0") });
  }

  // Extensions: 4-byte signature, 32-bit size, data. Only the ones that change the entries matter.
  while (off + 8 <= end) {
    const signature = buf.toString("latin1", off, off + 4);
    if (UNSUPPORTED_EXTENSIONS.has(signature)) return undefined;
    const size = buf.readUInt32BE(off + 4);
    off += 8 + size;
  }
  return tracked;
}

/** git's offset varint (varint.c): 7 bits a byte, high bit = more, and +1 per continuation. */
function readVarint(buf: Buffer, start: number, end: number): { value: number; next: number } | undefined {
  let pos = start;
  if (pos >= end) return undefined;
  let c = buf[pos++]!;
  let value = c & 0x7f;
  while (c & 0x80) {
    // Paths are far shorter than 2^32: a longer varint is corruption.
    if (pos >= end || value > 0x00ffffff) return undefined;
    c = buf[pos++]!;
    value = ((value + 1) << 7) | (c & 0x7f);
  }
  return { value, next: pos };
}

function startsWith(source: Buffer, start: number, prefix: Buffer): boolean {
  for (let k = 0; k < prefix.length; k++) if (source[start + k] !== prefix[k]) return false;
  return true;
}

function u32(buf: Buffer, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
