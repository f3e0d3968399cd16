/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2), section 2.1, over SHA-256:
 *
 *   MTH({})       = SHA-256()
 *   MTH({d0})     = SHA-256(0x00 || d0)                       (leaf hash)
 *   MTH(D[n])     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two < n
 *
 * plus consistency proofs (2.1.4): that the tree of m leaves is a prefix of the tree of n.
 * No well-kept JavaScript library does exactly this, and it is short; it is tested against the
 * RFC's recursive definitions by brute force and against Certificate Transparency's vectors.
 * Sizes are plain numbers, so arithmetic uses division, not 32-bit bit operators.
 */
import { hash } from 'node:crypto';
import { AuditBugError } from '../errors.js';

// crypto.hash (one-shot) is markedly faster than createHash for millions of small inputs.
const sha256 = (data: Uint8Array | string): Buffer => hash('sha256', data, 'buffer');

/** MTH of the empty tree. */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

const LEAF_PREFIX = Buffer.from([0x00]);
const node = Buffer.alloc(65, 0x01);

/** SHA-256(0x00 || leaf); a string leaf is its UTF-8 bytes (U+0000 is the byte 0x00 in UTF-8). */
export function leafHash(leaf: Uint8Array | string): Buffer {
  return typeof leaf === 'string' ? sha256(`\u0000${leaf}`) : sha256(Buffer.concat([LEAF_PREFIX, leaf]));
}

/** SHA-256(0x01 || left || right), through one reused buffer. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) throw new AuditBugError('nodeHash: hashes are 32 bytes');
  node.set(left, 1);
  node.set(right, 33);
  return sha256(node);
}

/** The largest power of two smaller than n (n >= 2): where the RFC splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH of the leaves [start, end) given their leaf hashes: the RFC's definition, O(end - start). */
export function merkleRoot(leafHashes: readonly Uint8Array[], start = 0, end = leafHashes.length): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return Buffer.from(leafHashes[start]!);
  const k = splitPoint(n);
  return nodeHash(merkleRoot(leafHashes, start, start + k), merkleRoot(leafHashes, start + k, end));
}

/**
 * The tree built one leaf at a time, keeping only the roots of its perfect subtrees (a
 * "compact range": at most log2(n) hashes). root() is the MTH of the leaves so far, so one
 * streaming pass gives the root at every checkpoint's size.
 */
export class MerkleAccumulator {
  /** Roots of perfect subtrees, largest (leftmost) first; their sizes are the bits of `size`. */
  private readonly peaks: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** An independent copy (the hashes are never modified, only replaced). */
  clone(): MerkleAccumulator {
    const copy = new MerkleAccumulator();
    copy.peaks.push(...this.peaks);
    copy.count = this.count;
    return copy;
  }

  push(leafHashValue: Buffer): void {
    let hash = leafHashValue;
    // Each trailing 1 bit of the old size is a peak of the same height: merge it in.
    for (let s = this.count; s % 2 === 1; s = (s - 1) / 2) hash = nodeHash(this.peaks.pop()!, hash);
    this.peaks.push(hash);
    this.count += 1;
  }

  /** MTH of the leaves pushed so far: the peaks folded from the right, as the RFC's split does. */
  root(): Buffer {
    if (this.peaks.length === 0) return EMPTY_ROOT;
    let hash = this.peaks[this.peaks.length - 1]!;
    for (let i = this.peaks.length - 2; i >= 0; i--) hash = nodeHash(this.peaks[i]!, hash);
    return hash;
  }
}

/**
 * PROOF(m, D[n]) of RFC 9162 section 2.1.4.1 from the leaf hashes of the n-leaf tree: the
 * nodes that let a verifier holding only MTH(D[0:m]) and MTH(D[n]) check that the first is
 * a prefix of the second. Empty when m is 0 or m equals n.
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number, n = leafHashes.length): Buffer[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n || n > leafHashes.length) {
    throw new AuditBugError(`consistencyProof: sizes ${m} and ${n} do not fit a tree of ${leafHashes.length} leaves`);
  }
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  subproof(leafHashes, m, 0, n, true, proof);
  return proof;
}

/** SUBPROOF(m, D[start:end], b), appending to `out`. */
function subproof(leaves: readonly Uint8Array[], m: number, start: number, end: number, complete: boolean, out: Buffer[]): void {
  const n = end - start;
  if (m === n) {
    if (!complete) out.push(merkleRoot(leaves, start, end));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    subproof(leaves, m, start, start + k, complete, out);
    out.push(merkleRoot(leaves, start + k, end));
  } else {
    subproof(leaves, m - k, start + k, end, false, out);
    out.push(merkleRoot(leaves, start, start + k));
  }
}

/**
 * Verifies a consistency proof (RFC 9162 section 2.1.4.2): true when the tree of size `first`
 * with root `firstRoot` is a prefix of the tree of size `second` with root `secondRoot`.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (firstRoot.length !== 32 || secondRoot.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  // Every tree extends the empty tree; the RFC defines no proof for it.
  if (first === 0) return proof.length === 0 && equal(firstRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
