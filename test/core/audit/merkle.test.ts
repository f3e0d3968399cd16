import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  leafHash,
  MerkleAccumulator,
  merkleRoot,
  nodeHash,
  splitPoint,
  verifyConsistency,
} from '../../../src/core/audit/merkle.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

// Certificate Transparency's reference leaves and tree heads (RFC 6962 test data, also used by
// transparency-dev/merkle), as data: an implementation no other one agrees with proves nothing.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_CONSISTENCY: Array<[number, number, string[]]> = [
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    2,
    8,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

/** MTH by the RFC's text, on leaf data, with nothing shared with the implementation but SHA-256. */
function bruteRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), bruteRoot(leaves.slice(0, k)), bruteRoot(leaves.slice(k)));
}

/** Leaf data 0..n-1, of varied lengths. */
const data = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i} ${'x'.repeat(i % 7)}`));

describe('Merkle tree hash (RFC 9162 2.1.1)', () => {
  it('matches Certificate Transparency reference roots for sizes 0..8', () => {
    const hashes = CT_LEAVES.map((l) => leafHash(l));
    const acc = new MerkleAccumulator();
    expect(hex(acc.root())).toBe(CT_ROOTS[0]);
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 1; n <= 8; n++) {
      acc.push(hashes[n - 1]!);
      expect(hex(merkleRoot(hashes.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(acc.root()), `accumulator size ${n}`).toBe(CT_ROOTS[n]);
    }
  });

  it('uses the domain-separation prefixes and the largest-power-of-two split', () => {
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(hex(sha(Buffer.from([0]))));
    const [a, b] = [leafHash('a'), leafHash('b')];
    expect(hex(nodeHash(a, b))).toBe(hex(sha(Buffer.from([1]), a, b)));
    expect([2, 3, 4, 5, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512]);
    expect(splitPoint(2 ** 40 + 1)).toBe(2 ** 40);
  });

  it('the streaming accumulator agrees with the recursive definition for every size up to 300', () => {
    const leaves = data(300);
    const acc = new MerkleAccumulator();
    for (let n = 1; n <= leaves.length; n++) {
      acc.push(leafHash(leaves[n - 1]!));
      expect(acc.size).toBe(n);
      expect(hex(acc.root()), `size ${n}`).toBe(hex(bruteRoot(leaves.slice(0, n))));
    }
  });
});

describe('consistency proofs (RFC 9162 2.1.4)', () => {
  it('match Certificate Transparency reference proofs', () => {
    const hashes = CT_LEAVES.map((l) => leafHash(l));
    for (const [m, n, proof] of CT_CONSISTENCY) {
      expect(consistencyProof(hashes.slice(0, n), m).map(hex), `${m} -> ${n}`).toEqual(proof);
      expect(verifyConsistency(m, n, unhex(CT_ROOTS[m]!), unhex(CT_ROOTS[n]!), proof.map(unhex))).toBe(true);
    }
  });

  const N = 64;
  const leaves = data(N);
  const hashes = leaves.map((l) => leafHash(l));
  const roots = Array.from({ length: N + 1 }, (_, n) => bruteRoot(leaves.slice(0, n)));

  it(`every pair 0 <= m <= n <= ${N}: the proof verifies against the brute-force roots`, () => {
    for (let n = 0; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(hashes.slice(0, n), m);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof), `${m} -> ${n}`).toBe(true);
      }
    }
  });

  it(`every pair 1 <= m < n <= ${N}: a wrong root, a wrong size or a mangled proof is refused`, () => {
    for (let n = 2; n <= N; n++) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(hashes.slice(0, n), m);
        const at = `${m} -> ${n}`;
        expect(verifyConsistency(m, n, roots[m - 1]!, roots[n]!, proof), `${at} wrong old root`).toBe(false);
        expect(verifyConsistency(m, n, roots[m]!, roots[n - 1]!, proof), `${at} wrong new root`).toBe(false);
        expect(verifyConsistency(m + 1, n, roots[m]!, roots[n]!, proof), `${at} wrong old size`).toBe(false);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof.slice(0, -1)), `${at} truncated`).toBe(false);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, [...proof, Buffer.alloc(32, 7)]), `${at} extended`).toBe(false);
        for (let i = 0; i < proof.length; i++) {
          const flipped = proof.map((p) => Buffer.from(p));
          const node = flipped[i]!;
          node[i % 32] = node[i % 32]! ^ 0x40;
          expect(verifyConsistency(m, n, roots[m]!, roots[n]!, flipped), `${at} node ${i} flipped`).toBe(false);
        }
        // A prefix that is not this tree's: leaf 0 replaced.
        const forged = bruteRoot([Buffer.from('forged'), ...leaves.slice(1, m)]);
        expect(verifyConsistency(m, n, forged, roots[n]!, proof), `${at} forged prefix`).toBe(false);
      }
    }
  });

  it('random pairs in trees up to 2,000 leaves verify, and fail against another tree', () => {
    let seed = 12345;
    const random = (max: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % max;
    };
    const big = Array.from({ length: 2000 }, (_, i) => leafHash(`big leaf ${i}`));
    const other = big.map((h, i) => (i === 0 ? leafHash('other first leaf') : h));
    for (let t = 0; t < 100; t++) {
      const n = 1 + random(big.length);
      const m = 1 + random(n);
      const proof = consistencyProof(big.slice(0, n), m);
      const oldRoot = merkleRoot(big, 0, m);
      const newRoot = merkleRoot(big, 0, n);
      expect(verifyConsistency(m, n, oldRoot, newRoot, proof), `${m} -> ${n}`).toBe(true);
      if (m < n) expect(verifyConsistency(m, n, merkleRoot(other, 0, m), newRoot, proof), `${m} -> ${n} other`).toBe(false);
      // The proof is at most about 2 log2(n) nodes.
      expect(proof.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n + 1)) + 1);
    }
  });

  it('degenerate cases: equal sizes need equal roots and no nodes; the empty tree is a prefix of any tree', () => {
    const hs = hashes.slice(0, 5);
    expect(consistencyProof(hs, 5)).toEqual([]);
    expect(consistencyProof(hs, 0)).toEqual([]);
    expect(verifyConsistency(5, 5, roots[5]!, roots[5]!, [])).toBe(true);
    expect(verifyConsistency(5, 5, roots[5]!, roots[4]!, [])).toBe(false);
    expect(verifyConsistency(5, 5, roots[5]!, roots[5]!, [roots[1]!])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, roots[5]!, [])).toBe(true);
    expect(verifyConsistency(0, 5, roots[1]!, roots[5]!, [])).toBe(false);
    expect(verifyConsistency(6, 5, roots[5]!, roots[5]!, [])).toBe(false);
    expect(verifyConsistency(3, 5, roots[3]!, roots[5]!, [])).toBe(false);
    expect(verifyConsistency(3, 5, roots[3]!.subarray(1), roots[5]!, consistencyProof(hs, 3))).toBe(false);
    expect(() => consistencyProof(hs, 6)).toThrow();
    expect(() => consistencyProof(hs, 2, 6)).toThrow();
  });
});
