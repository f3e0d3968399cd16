/**
 * The manifest hash: RFC 8785 canonical JSON (src/core/canonical-json.ts) of the parsed
 * manifest, hashed. Provisioning's idempotency keys and the audit entries' manifest_hash both
 * use it, so an entry names exactly what was provisioned.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { AppManifest } from '../model.js';

export { canonicalJson };

/**
 * "sha256:<hex>" over the manifest's canonical JSON: the same for the same app however the
 * file is written (YAML or JSON, comments, key order), so reformatting provisions nothing.
 * `$schema` is left out: it is for editors, not part of the app.
 */
export function manifestHash(manifest: AppManifest): string {
  const { $schema: _editorHint, ...app } = manifest as AppManifest & { $schema?: string };
  return `sha256:${createHash('sha256').update(canonicalJson(app), 'utf8').digest('hex')}`;
}
