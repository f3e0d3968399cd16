/**
 * The API gateway's desired state in Kong's declarative configuration (format 3.0), which Kong
 * loads as it is in DB-less mode and decK syncs to a database-backed Kong or Konnect:
 *
 * - every connector that is not blocked is a service with one route (/connectors/<id>), an `acl`
 *   plugin that allows only the connector's group, and a `rate-limiting` plugin from the
 *   connector's rate_limit, counted per consumer (the rate limit applies per app);
 * - every app is a consumer (username = app name, tagged with its owner and environment) in
 *   the group of each connector it may use, plus one group per granted scope
 *   ("<connector>:<scope>"), which the acl plugin forwards upstream in X-Consumer-Groups so the
 *   connector can enforce scopes;
 * - a blocked connector has no service and no group: nothing can reach it.
 *
 * Credentials are not here (they never enter the repository): an authentication plugin and the
 * consumers' credentials come from the platform's credential provisioning. Until then the acl
 * plugin refuses every request, which fails closed.
 */
import { Document } from 'yaml';
import type { AppManifest, ConnectorManifest } from '../../model.js';
import { connectorStatus } from '../../policy/facts.js';
import type { ConnectorCatalog } from '../../policy/types.js';
import { compareCodeUnits } from '../../order.js';
import { resolveGrants } from '../grants.js';

/** Every entity carries this tag: `deck gateway sync --select-tag microapps` then manages only these. */
export const MANAGED_TAG = 'microapps';
export const ROUTE_PREFIX = '/connectors/';

export interface KongAcl {
  group: string;
  tags: string[];
}

export interface KongConsumer {
  username: string;
  tags: string[];
  acls: KongAcl[];
}

export interface KongPlugin {
  name: 'acl' | 'rate-limiting';
  config: Record<string, unknown>;
  tags: string[];
}

export interface KongRoute {
  name: string;
  paths: string[];
  protocols: string[];
  strip_path: boolean;
  tags: string[];
}

export interface KongService {
  name: string;
  protocol: 'http' | 'https';
  host: string;
  port: number;
  path?: string;
  tags: string[];
  routes: KongRoute[];
  plugins: KongPlugin[];
}

export interface KongDocument {
  _format_version: '3.0';
  _transform: true;
  services: KongService[];
  consumers: KongConsumer[];
}

/** The consumer of one app: its groups are its allow-list. */
export function kongConsumer(app: AppManifest, catalog: ConnectorCatalog): KongConsumer {
  const groups = resolveGrants(app, catalog).grants.flatMap((g) => [g.connector, ...g.scopes.map((s) => `${g.connector}:${s}`)]);
  return {
    username: app.name,
    tags: [MANAGED_TAG, `environment:${app.environment}`, `owner:${app.owner}`],
    acls: [...new Set(groups)].sort(compareCodeUnits).map((group) => ({ group, tags: [MANAGED_TAG] })),
  };
}

export function kongService(connector: ConnectorManifest, upstreamUrl: string): KongService {
  const id = connector.connector_id;
  const upstream = new URL(upstreamUrl.replaceAll('{connector}', id.replace(/_/g, '-')));
  const protocol = upstream.protocol === 'http:' ? 'http' : 'https';
  const tags = [MANAGED_TAG, `connector:${id}`];
  const [count, unit] = connector.rate_limit.split('/') as [string, string];
  return {
    name: id,
    protocol,
    host: upstream.hostname,
    port: upstream.port ? Number(upstream.port) : protocol === 'http' ? 80 : 443,
    ...(upstream.pathname && upstream.pathname !== '/' ? { path: upstream.pathname } : {}),
    tags,
    routes: [{ name: id, paths: [`${ROUTE_PREFIX}${id}`], protocols: ['https'], strip_path: true, tags }],
    plugins: [
      // hide_groups_header: false, so the upstream sees the consumer's scope groups.
      { name: 'acl', config: { allow: [id], hide_groups_header: false }, tags },
      { name: 'rate-limiting', config: { [unit]: Number(count), limit_by: 'consumer', policy: 'local' }, tags },
    ],
  };
}

export function kongDocument(apps: readonly AppManifest[], catalog: ConnectorCatalog, upstreamUrl: string): KongDocument {
  const services = [...catalog.connectors.values()]
    .filter((c) => connectorStatus(c) !== 'blocked')
    .sort((a, b) => compareCodeUnits(a.connector_id, b.connector_id))
    .map((c) => kongService(c, upstreamUrl));
  const consumers = [...apps].sort((a, b) => compareCodeUnits(a.name, b.name)).map((a) => kongConsumer(a, catalog));
  return { _format_version: '3.0', _transform: true, services, consumers };
}

/** The file's text: a header saying it is generated, then stable YAML (same registry, same bytes). */
export function renderKongYaml(apps: readonly AppManifest[], catalog: ConnectorCatalog, upstreamUrl: string): string {
  const blocked = [...catalog.connectors.values()]
    .filter((c) => connectorStatus(c) === 'blocked')
    .map((c) => c.connector_id)
    .sort(compareCodeUnits);
  // No anchors or aliases for repeated values: plain YAML that any loader (and our own parser) reads.
  const doc = new Document(kongDocument(apps, catalog, upstreamUrl), { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ' Generated by microapps from registry/ and connectors/ after each merge. Do not edit:',
    ' pull requests may not change generated/, and the next merge rewrites this file.',
    ' Kong declarative configuration (format 3.0): load it with Kong in DB-less mode, or',
    ' sync it with `deck gateway sync --select-tag microapps`.',
    blocked.length ? ` Blocked connectors (no service, never allowed): ${blocked.join(', ')}.` : ' Blocked connectors: none.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
