/**
 * The fast path for YAML manifests. Parsing is the bulk of a full validate, and js-yaml is
 * about twice as fast as the `yaml` package on registry manifests, but it keeps no syntax tree
 * for positions and handles refused features differently. So it only ever answers "here is
 * the value" for text that avoids every feature where the two could disagree or that the
 * registry refuses; everything else, and every error, goes to the strict parser
 * (parse-document.ts), which stays the single authority on what is accepted and where a
 * problem is. test/core/parse/fast-path.test.ts checks both give the same values.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { FORBIDDEN_KEYS, MAX_DEPTH, MAX_KEYS } from './limits.js';

/**
 * Text the fast path leaves to the strict parser: anchors, aliases, tags, directives, merge
 * keys, tabs, document markers, and exponents large enough to overflow to infinity.
 */
const NEEDS_STRICT_PARSER = /[&*!%\t]|<<|^(?:---|\.\.\.)|\d[eE][-+]?\d{3}/m;

/** A key the core schema would not read as text (a number, a boolean, null, empty). */
const NON_TEXT_KEY = /^(?:$|[-+.~0-9]|(?:null|true|false)$)/i;

/** The value of a plain manifest, or undefined when the strict parser must decide. */
export function parseYamlFast(text: string): unknown {
  if (NEEDS_STRICT_PARSER.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, maxAliases: 0, json: false });
  } catch {
    return undefined;
  }
  return value !== undefined && value !== null && isPlain(value, 1, { keys: 0 }) ? value : undefined;
}

/** Plain data within the limits; anything past them is left to the strict parser's findings. */
function isPlain(value: unknown, depth: number, count: { keys: number }): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((item) => isPlain(item, depth + 1, count));
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (++count.keys > MAX_KEYS) return false;
    if (FORBIDDEN_KEYS.has(key) || NON_TEXT_KEY.test(key)) return false;
    if (!isPlain((value as Record<string, unknown>)[key], depth + 1, count)) return false;
  }
  return true;
}
