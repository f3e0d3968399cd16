/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation, for everything that is hashed or
 * signed: audit entries and checkpoints, manifest hashes, webhook bodies.
 *
 * Dependency: `canonicalize`, the reference implementation by one of the RFC's authors: one
 * small file, no dependencies of its own, ES number and string serialisation as the RFC
 * prescribes. Hashes and signatures are only worth something if any other RFC 8785
 * implementation computes the same bytes, so we use the reference rather than a second,
 * home-made rendering of the number and string rules. (Version 5 declares Node >= 22 but uses
 * nothing Node 20 lacks: String#isWellFormed is in Node 20; the tests run on Node 20.)
 */
import canonicalize from 'canonicalize';

/** The canonical JSON text of a JSON value (validated data only: throws on NaN, lone surrogates, cycles). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  // Only validated data reaches here: no JSON form is a caller's bug.
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

/**
 * Whether `text` is the canonical JSON of `value`, its JSON.parse result, without serialising
 * it again (verify does this for every line). RFC 8785 (3.2.2) writes strings and numbers as
 * ECMAScript's JSON.stringify does; what it adds is sorted keys. So when every object's keys,
 * in the order JSON.parse kept them, are sorted, JSON.stringify's output is the canonical text.
 * Lone surrogates (which RFC 8785 refuses and JSON.stringify escapes) and every "no" go to
 * canonicalize itself: this only ever saves time, it never gives another answer.
 */
export function isCanonicalText(value: unknown, text: string): boolean {
  if (keysSorted(value) && !LONE_SURROGATE_ESCAPE.test(text) && JSON.stringify(value) === text) return true;
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}

const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/i;

function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysSorted);
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return keys.every((k) => keysSorted((value as Record<string, unknown>)[k]));
}
