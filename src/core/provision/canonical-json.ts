/**
 * Canonical JSON (RFC 8785) for the JSON data a manifest parses to, and the manifest hash
 * built on it. Parsed manifests hold only objects, arrays, strings, finite numbers, booleans
 * and null, for which RFC 8785 is: object keys sorted by UTF-16 code units, no whitespace,
 * and ECMAScript's own number and string serialisation (which JSON.stringify does).
 */
import { createHash } from 'node:crypto';
import type { AppManifest } from '../model.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no form for a non-finite number');
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonical JSON has no form for ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * "sha256:<hex>" over the manifest's canonical JSON: the same for the same app however the
 * file is written (YAML or JSON, comments, key order), so reformatting provisions nothing.
 * `$schema` is left out: it is for editors, not part of the app.
 */
export function manifestHash(manifest: AppManifest): string {
  const { $schema: _editorHint, ...app } = manifest as AppManifest & { $schema?: string };
  return `sha256:${createHash('sha256').update(canonicalJson(app), 'utf8').digest('hex')}`;
}
