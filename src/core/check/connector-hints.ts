/**
 * A connector listed by its bare id is granted every scope it allows. That is allowed, but the
 * least-privilege form names the scopes: a hint, said for changed apps (check) and in explain,
 * not for every app of a whole-registry validate.
 */
import { warning, type Finding } from '../findings.js';
import type { AppManifest } from '../model.js';
import type { ParsedDocument } from '../parse/document.js';
import type { ConnectorCatalog } from '../policy/types.js';

export const ALL_SCOPES_CODE = 'app.connector-all-scopes';

export function bareConnectorHints(document: ParsedDocument | undefined, catalog: ConnectorCatalog): Finding[] {
  const manifest = document?.value as AppManifest | undefined;
  const list: unknown[] = Array.isArray(manifest?.connectors) ? manifest.connectors : [];
  return list.flatMap((entry, i) => {
    if (typeof entry !== 'string') return [];
    const connector = catalog.connectors.get(entry);
    const scopes = connector?.allowed_scopes;
    // A blocked connector must go, whatever its scopes: the guard says so.
    if (connector?.status === 'blocked' || !Array.isArray(scopes) || scopes.length === 0) return [];
    return [warning(ALL_SCOPES_CODE, document!.path, document!.valueAt(['connectors', i]),
      `"${entry}" is listed by its id alone, so the app gets all of its scopes (${scopes.join(', ')}). List only the scopes the app needs, in the form { id: ${entry}, scopes: [${scopes.join(', ')}] } with the ones it does not need removed.`)];
  });
}
