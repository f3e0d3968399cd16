/** Manifests and catalogs for the provisioning tests, from the shipped registry where possible. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AppManifest, ConnectorManifest } from '../../../src/core/model.js';
import type { ConnectorCatalog } from '../../../src/core/policy/types.js';
import { REPO_ROOT } from '../../helpers/paths.js';

/** The shipped connectors/ as a catalog (personal_dropbox is blocked there). */
export function shippedCatalog(): ConnectorCatalog {
  const dir = join(REPO_ROOT, 'connectors');
  const connectors = new Map<string, ConnectorManifest>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const c = parse(readFileSync(join(dir, f), 'utf8')) as ConnectorManifest;
    connectors.set(c.connector_id, c);
  }
  return { connectors };
}

export function catalogOf(...list: ConnectorManifest[]): ConnectorCatalog {
  return { connectors: new Map(list.map((c) => [c.connector_id, c])) };
}

export function connector(id: string, extra: Partial<ConnectorManifest> = {}): ConnectorManifest {
  return {
    connector_id: id,
    allowed_scopes: ['items:read', 'items:write'],
    rate_limit: '100/minute',
    owner: 'it-platform@example.com',
    rotation_days: 90,
    ...extra,
  };
}

export function app(name: string, extra: Partial<AppManifest> = {}): AppManifest {
  return {
    name,
    owner: 'it-platform@example.com',
    environment: 'sandbox',
    auth: { type: 'oidc', provider: 'company-sso', scopes: ['openid'] },
    connectors: ['jira_read_only'],
    ...extra,
  };
}
