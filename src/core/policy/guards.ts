/**
 * Built-in guards that no policy can switch off (DESIGN.md section 3). They judge the connectors
 * an app uses against the base branch's catalog:
 *   guard:blocked-connector     a blocked connector              -> deny
 *   guard:restricted-connector  a restricted connector           -> security_team_review
 *   guard:unknown-connector     a connector not in the catalog   -> security_team_review
 *   guard:owner-transfer        the app's owner changes          -> manager_approval, by the
 *                               managers of both the old and the new owner (required-approvals.ts)
 * A removal is never guarded: taking an app away that uses a bad connector is what we want.
 * (The governance guard on policies/, connectors/, .github/ and templates is about files, not
 * apps, and lives with the check that sees the changed files.)
 */
import { START } from '../findings.js';
import { connectorIds, connectorStatus } from './facts.js';
import type { AppChange, ConnectorCatalog, RuleMatch } from './types.js';

export function guardMatches(change: AppChange, catalog: ConnectorCatalog): RuleMatch[] {
  if (change.kind === 'removed') return [];
  const ids = connectorIds(change.manifest);
  const withStatus = (status: string): string[] =>
    ids.filter((id) => {
      const c = catalog.connectors.get(id);
      return c !== undefined && connectorStatus(c) === status;
    });
  const blocked = withStatus('blocked');
  const restricted = withStatus('restricted');
  const unknown = ids.filter((id) => !catalog.connectors.has(id));
  const matches: RuleMatch[] = [];
  const transfer = ownerTransfer(change);
  if (transfer) {
    // Never auto-approved, even in the sandbox: the new owner answers for the app from now on.
    matches.push({
      id: OWNER_TRANSFER_GUARD,
      name: 'owner transfer',
      action: 'manager_approval',
      reason: `The app's owner changes from ${transfer.from} to ${transfer.to}. Handing an app over needs the approval of a manager of the old owner and of a manager of the new owner.`,
      position: START,
    });
  }
  if (blocked.length > 0) {
    matches.push({
      id: 'guard:blocked-connector',
      name: 'blocked connector',
      action: 'deny',
      reason: `${connectorWords(blocked)} blocked in the connector catalog, so no app may use ${blocked.length === 1 ? 'it' : 'them'}.${catalogSays(blocked, catalog)}`,
      remedy: `Remove ${quoteList(blocked)} from "connectors".`,
      position: START,
    });
  }
  if (restricted.length > 0) {
    matches.push({
      id: 'guard:restricted-connector',
      name: 'restricted connector',
      action: 'security_team_review',
      reason: `${connectorWords(restricted)} restricted: an app may use ${restricted.length === 1 ? 'it' : 'them'} only after a security review.${catalogSays(restricted, catalog)}`,
      remedy: `Use a preapproved connector instead of ${quoteList(restricted)}, if one fits.`,
      position: START,
    });
  }
  if (unknown.length > 0) {
    matches.push({
      id: 'guard:unknown-connector',
      name: 'unknown connector',
      action: 'security_team_review',
      reason: `${connectorWords(unknown)} not in the connector catalog of the base branch, so nobody has vetted ${unknown.length === 1 ? 'it' : 'them'}: a security review is needed.`,
      remedy: 'Use a connector from the catalog, or get the new connector merged into connectors/ first.',
      position: START,
    });
  }
  return matches;
}

export const OWNER_TRANSFER_GUARD = 'guard:owner-transfer';

/** The old and new owner when the change hands the app to another owner. */
export function ownerTransfer(change: AppChange): { from: string; to: string } | undefined {
  if (change.kind === 'removed' || !change.previous) return undefined;
  const from = change.previous.owner;
  const to = change.manifest.owner;
  return typeof from === 'string' && typeof to === 'string' && from !== to ? { from, to } : undefined;
}

/**
 * The catalog's own description of each connector: for a blocked or restricted one it says why,
 * and what to use instead, which is what the developer needs next.
 */
function catalogSays(ids: readonly string[], catalog: ConnectorCatalog): string {
  return ids
    .map((id) => {
      const d = catalog.connectors.get(id)?.description;
      const text = typeof d === 'string' ? d.trim().replace(/\s+/g, ' ') : '';
      return text ? ` The connector catalog says about "${id}": ${text}` : '';
    })
    .join('');
}

function connectorWords(ids: string[]): string {
  return ids.length === 1 ? `Connector "${ids[0]}" is` : `Connectors ${quoteList(ids)} are`;
}

export function quoteList(items: readonly string[]): string {
  const quoted = items.map((i) => `"${i}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
