/**
 * The values of the policy variables for one app change. Pure: manifest + catalog in, a plain
 * object shaped like the CEL environment out. Every variable gets a value (defaults for absent
 * fields), so evaluation never meets a missing field.
 */
import type { AppManifest, ConnectorManifest } from '../model.js';
import type { AppChange, ConnectorCatalog, Facts } from './types.js';
import { PREAPPROVED_LIST } from './variables.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []);
const unique = (values: Iterable<string>): string[] => [...new Set(values)];
const minus = (a: readonly string[], b: readonly string[]): string[] => a.filter((x) => !b.includes(x));

/** Connector ids an app uses, whether written as "id" or {id, scopes}. */
export function connectorIds(manifest: AppManifest | undefined): string[] {
  const list: unknown[] = Array.isArray(manifest?.connectors) ? manifest.connectors : [];
  return unique(
    list.flatMap((c) => {
      if (typeof c === 'string') return [c];
      const id = (c as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    }),
  );
}

/**
 * The connector scopes the app is granted: those named in the {id, scopes} form, and every
 * allowed scope of a connector listed by its bare id (which grants them all). Counting only the
 * written ones would let the less careful form look like the least-privileged one.
 */
export function connectorScopes(manifest: AppManifest | undefined, catalog: ConnectorCatalog): string[] {
  const list: unknown[] = Array.isArray(manifest?.connectors) ? manifest.connectors : [];
  return unique(
    list.flatMap((c) => {
      if (typeof c === 'string') return texts(catalog.connectors.get(c)?.allowed_scopes);
      if (typeof c !== 'object' || c === null) return [];
      const use = c as { id?: unknown; scopes?: unknown };
      return use.scopes === undefined && typeof use.id === 'string'
        ? texts(catalog.connectors.get(use.id)?.allowed_scopes)
        : texts(use.scopes);
    }),
  );
}

/** Declared data types plus the data classification of every connector used: omitting them dodges nothing. */
export function effectiveDataTypes(manifest: AppManifest | undefined, catalog: ConnectorCatalog): string[] {
  const fromConnectors = connectorIds(manifest).flatMap((id) => texts(catalog.connectors.get(id)?.data_classification));
  return unique([...texts(manifest?.data_types), ...fromConnectors]);
}

/**
 * Where each effective data type comes from, in plain words: "financial_write, from connector
 * expense_api_write; pii, declared in data_types". Empty when the app has none.
 */
export function dataTypeOrigins(manifest: AppManifest | undefined, catalog: ConnectorCatalog): string {
  const sources = new Map<string, string[]>();
  const add = (type: string, source: string) => {
    const list = sources.get(type) ?? [];
    if (!list.includes(source)) list.push(source);
    sources.set(type, list);
  };
  for (const t of texts(manifest?.data_types)) add(t, 'declared in data_types');
  for (const id of connectorIds(manifest)) {
    for (const t of texts(catalog.connectors.get(id)?.data_classification)) add(t, `from connector ${id}`);
  }
  return [...sources].map(([type, from]) => `${type}, ${from.join(' and ')}`).join('; ');
}

export function connectorStatus(connector: ConnectorManifest): 'preapproved' | 'restricted' | 'blocked' {
  return connector.status ?? 'preapproved';
}

function allScopes(manifest: AppManifest | undefined, catalog: ConnectorCatalog): string[] {
  return unique([...texts(manifest?.auth?.scopes), ...connectorScopes(manifest, catalog)]);
}

/**
 * The facts of one change. `change.added_*` compare the head with the base manifest: for an
 * added app everything is new; for a removal nothing is added. `change.added_scopes` covers both
 * `auth.scopes` and connector scopes.
 */
export function buildFacts(change: AppChange, catalog: ConnectorCatalog, lists: ReadonlyMap<string, readonly string[]>): Facts {
  const m = change.manifest;
  const removed = change.kind === 'removed';
  const previous = change.kind === 'modified' ? change.previous : undefined;
  const added = (now: string[], before: string[]): string[] => (removed ? [] : minus(now, before));
  const retention = typeof m.retention_days === 'number' && Number.isFinite(m.retention_days) ? m.retention_days : 0;

  const facts: Record<string, unknown> = {
    name: text(m.name),
    owner: text(m.owner),
    environment: text(m.environment),
    description: text(m.description),
    template: text(m.template),
    // CEL integers are BigInt.
    retention_days: BigInt(Math.trunc(retention)),
    tags: texts(m.tags),
    auth: { type: text(m.auth?.type), provider: text(m.auth?.provider), scopes: texts(m.auth?.scopes) },
    logging: {
      level: text(m.logging?.level),
      output: text(m.logging?.output),
      structured: m.logging?.structured === true,
    },
    links: Array.isArray(m.links) ? m.links.map((l) => ({ title: text(l?.title), url: text(l?.url) })) : [],
    connectors: connectorIds(m),
    scopes: texts(m.auth?.scopes),
    connector_scopes: connectorScopes(m, catalog),
    data_types: effectiveDataTypes(m, catalog),
    change: {
      kind: change.kind,
      added_connectors: added(connectorIds(m), connectorIds(previous)),
      added_scopes: added(allScopes(m, catalog), allScopes(previous, catalog)),
      added_data_types: added(effectiveDataTypes(m, catalog), effectiveDataTypes(previous, catalog)),
      previous_environment: text(previous?.environment),
    },
    [PREAPPROVED_LIST]: [...catalog.connectors.entries()].filter(([, c]) => connectorStatus(c) === 'preapproved').map(([id]) => id),
  };
  for (const [name, values] of lists) facts[name] = [...values];
  return facts;
}

/** The value of a dotted name in the facts, as plain JSON for people (BigInt becomes a number). */
export function readFact(facts: Facts, dotted: string): unknown {
  let value: unknown = facts;
  for (const part of dotted.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return typeof value === 'bigint' ? Number(value) : value;
}
