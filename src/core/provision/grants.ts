/**
 * What an app is allowed to use after the merge, resolved against the connector catalog: each
 * connector it names with the scopes it gets (the written subset, or every allowed scope for a
 * bare id) and the connector's rate limit. A blocked connector, or one not in the catalog, is
 * never granted, whatever the manifest says: the gateway and the webhooks get the same answer.
 */
import type { AppManifest, ConnectorManifest } from '../model.js';
import { connectorStatus } from '../policy/facts.js';
import type { ConnectorCatalog } from '../policy/types.js';
import { compareCodeUnits } from '../order.js';

export interface Grant {
  connector: string;
  /** Sorted. */
  scopes: string[];
  /** "<count>/<second|minute|hour|day>", per app. */
  rate_limit: string;
}

export interface Refusal {
  connector: string;
  reason: 'blocked' | 'not-in-catalog';
}

export interface Grants {
  /** Sorted by connector id. */
  grants: Grant[];
  refused: Refusal[];
}

export function resolveGrants(manifest: AppManifest, catalog: ConnectorCatalog): Grants {
  const grants: Grant[] = [];
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  for (const use of manifest.connectors) {
    const id = typeof use === 'string' ? use : use.id;
    if (seen.has(id)) continue;
    seen.add(id);
    const connector = catalog.connectors.get(id);
    if (!connector) refused.push({ connector: id, reason: 'not-in-catalog' });
    else if (connectorStatus(connector) === 'blocked') refused.push({ connector: id, reason: 'blocked' });
    else grants.push({ connector: id, scopes: grantedScopes(use, connector), rate_limit: connector.rate_limit });
  }
  grants.sort((a, b) => compareCodeUnits(a.connector, b.connector));
  refused.sort((a, b) => compareCodeUnits(a.connector, b.connector));
  return { grants, refused };
}

function grantedScopes(use: AppManifest['connectors'][number], connector: ConnectorManifest): string[] {
  const allowed = connector.allowed_scopes;
  // A scope the connector does not offer is an error in the registry; it is never granted.
  const scopes = typeof use === 'string' || use.scopes === undefined ? allowed : use.scopes.filter((s) => allowed.includes(s));
  return [...new Set(scopes)].sort(compareCodeUnits);
}

/** "hr_api_read (employees:read, time_off:read; 500/hour)" */
export function grantWords(g: Grant): string {
  return `${g.connector} (${g.scopes.join(', ') || 'no scopes'}; ${g.rate_limit})`;
}

export function refusalWords(r: Refusal): string {
  return r.reason === 'blocked' ? `${r.connector} is blocked` : `${r.connector} is not in the connector catalog`;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
