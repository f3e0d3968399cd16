/**
 * Where in the manifest each guard or rule that judged an app points: the connector entry a
 * guard refused, the field a rule's condition read. The Action and the App put their
 * annotations there, on the line a developer has to change, not on line 1.
 */
import type { Position } from '../findings.js';
import type { Action, AppManifest } from '../model.js';
import type { ParsedDocument, Pointer } from '../parse/document.js';
import { OWNER_TRANSFER_GUARD } from '../policy/guards.js';
import type { CompiledPolicy, ConnectorCatalog, RuleMatch } from '../policy/types.js';

export interface DecisionCause extends Position {
  /** The guard's or rule's action: a deny is annotated as an error. */
  action: Action;
  /** The guard or rule id, as in `rules`. */
  rule: string;
  reason: string;
}

const GUARDED_STATUS: Record<string, (status: string | undefined, known: boolean) => boolean> = {
  'guard:blocked-connector': (s) => s === 'blocked',
  'guard:restricted-connector': (s) => s === 'restricted',
  'guard:unknown-connector': (_s, known) => !known,
};

export function decisionCauses(
  matches: readonly RuleMatch[],
  policy: CompiledPolicy,
  document: ParsedDocument | undefined,
  catalog: ConnectorCatalog,
): DecisionCause[] {
  const manifest = (document?.value ?? {}) as AppManifest;
  const at = (pointer: Pointer): Position => (document ? document.valueAt(pointer) : { line: 1, column: 1 });
  const causes: DecisionCause[] = [];
  for (const m of matches) {
    if (m.action === 'auto_approve') continue;
    const pointers = m.id.startsWith('guard:') ? guardPointers(m.id, manifest, catalog) : rulePointers(m.id, policy, manifest, catalog);
    const positions = pointers.length > 0 ? pointers.map(at) : [{ line: 1, column: 1 }];
    for (const p of positions) causes.push({ line: p.line, column: p.column, action: m.action, rule: m.id, reason: m.reason });
  }
  return causes;
}

/** Each connector entry the guard refused; the owner field for a transfer. */
function guardPointers(id: string, manifest: AppManifest, catalog: ConnectorCatalog): Pointer[] {
  if (id === OWNER_TRANSFER_GUARD) return typeof manifest.owner === 'string' ? [['owner']] : [];
  const test = GUARDED_STATUS[id];
  if (!test) return [];
  return connectorEntries(manifest).flatMap(({ id: cid, pointer }): Pointer[] => {
    const c = catalog.connectors.get(cid);
    return test(c ? (c.status ?? 'preapproved') : undefined, c !== undefined) ? [pointer] : [];
  });
}

/** Each connector entry naming an id, bare ("jira_read_only") or as an object ({ id, scopes }), with where it is. */
function connectorEntries(manifest: AppManifest): Array<{ id: string; pointer: Pointer }> {
  const list: unknown[] = Array.isArray(manifest.connectors) ? manifest.connectors : [];
  return list.flatMap((entry, i) => {
    const id = typeof entry === 'string' ? entry : (entry as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [{ id, pointer: ['connectors', i] as Pointer }] : [];
  });
}

/**
 * The field the rule's most specific condition read: the last condition (the earlier ones
 * usually narrow, e.g. `environment == "production"`), else an earlier one; data types that
 * come from connectors point at the connectors that bring them.
 */
function rulePointers(id: string, policy: CompiledPolicy, manifest: AppManifest, catalog: ConnectorCatalog): Pointer[] {
  const rule = policy.rules.find((r) => r.id === id);
  if (!rule) return [];
  for (const condition of [...rule.conditions].reverse()) {
    for (const read of condition.reads) {
      const pointers = read === 'connectors' ? namedConnectors(condition.text, manifest) : [];
      if (pointers.length === 0) pointers.push(...fieldPointers(read, manifest, catalog));
      if (pointers.length > 0) return pointers;
    }
  }
  return [];
}

/** `connectors include "hr_api_read"`: the entries of the connectors the condition names. */
function namedConnectors(text: string, manifest: AppManifest): Pointer[] {
  return connectorEntries(manifest)
    .filter((e) => text.includes(`"${e.id}"`))
    .map((e) => e.pointer);
}

function fieldPointers(read: string, manifest: AppManifest, catalog: ConnectorCatalog): Pointer[] {
  const has = (pointer: Pointer): boolean => {
    let v: unknown = manifest;
    for (const step of pointer) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[step] : undefined;
    return v !== undefined;
  };
  const present = (pointer: Pointer): Pointer[] => (has(pointer) ? [pointer] : []);
  switch (read) {
    case 'data_types':
    case 'change.added_data_types': {
      const declared = present(['data_types']);
      const entries = connectorEntries(manifest)
        .filter((e) => (catalog.connectors.get(e.id)?.data_classification ?? []).length > 0)
        .map((e) => e.pointer);
      return [...declared, ...entries];
    }
    case 'connectors':
    case 'connector_scopes':
    case 'change.added_connectors':
      return present(['connectors']);
    case 'scopes':
      return present(['auth', 'scopes']);
    case 'change.added_scopes':
      return [...present(['auth', 'scopes']), ...present(['connectors'])].slice(0, 1);
    case 'change.previous_environment':
      return present(['environment']);
    default: {
      if (read.startsWith('change.') || read.startsWith('lists.')) return [];
      return present(read.split('.'));
    }
  }
}

/**
 * The causes of one app grouped by line, for annotations: one per line, its reasons joined, the
 * strictest action (a deny makes it an error).
 */
export function causesByLine(causes: readonly DecisionCause[]): DecisionCause[] {
  const byLine = new Map<number, DecisionCause>();
  for (const c of causes) {
    const seen = byLine.get(c.line);
    if (!seen) byLine.set(c.line, { ...c });
    else {
      if (!seen.reason.includes(c.reason)) seen.reason = `${seen.reason} ${c.reason}`;
      if (c.action === 'deny') seen.action = 'deny';
      if (!seen.rule.split(',').includes(c.rule)) seen.rule = `${seen.rule},${c.rule}`;
    }
  }
  return [...byLine.values()];
}

/**
 * Where an app's denial is shown: each line a deny came from (merged per line), or line 1 with
 * the app's reasons when its deny has no line of its own (the policy's default action, a
 * removal), so a denied app is never left without its error. Empty when nothing denies it.
 */
export function denialsAt(app: { decision: string; causes?: readonly DecisionCause[]; reasons: readonly string[] }): DecisionCause[] {
  const denials = causesByLine(app.causes ?? []).filter((c) => c.action === 'deny');
  if (denials.length > 0 || app.decision !== 'deny') return denials;
  return [
    { action: 'deny', rule: 'default', reason: app.reasons.join(' ') || 'The policy does not allow this change.', line: 1, column: 1 },
  ];
}
