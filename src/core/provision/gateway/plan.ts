/**
 * The gateway's steps for the app changes of a merge: a registered app becomes a consumer, a
 * changed one gets its new allow-list, a removed one disappears. A change that leaves the
 * consumer as it was (a new description, say) is planned as `unchanged`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConnectorCatalog } from '../../policy/types.js';
import { sortChanges } from '../changes.js';
import { grantWords, listWords, refusalWords, resolveGrants } from '../grants.js';
import { idempotencyKey } from '../idempotency.js';
import type { AppChange, PlanStep, RegistryAfter, StepAction } from '../types.js';
import { kongConsumer } from './kong.js';

export const GATEWAY = 'gateway';

export function planGateway(changes: readonly AppChange[], registry: RegistryAfter, keyScope?: string): PlanStep[] {
  return sortChanges(changes).map((change) => gatewayStep(change, registry.catalog, keyScope));
}

function gatewayStep(change: AppChange, catalog: ConnectorCatalog, keyScope: string | undefined): PlanStep {
  const { app, manifest } = change;
  const step = (action: StepAction, summary: string, payload: unknown, skip?: string): PlanStep => ({
    provisioner: GATEWAY,
    app,
    action,
    idempotencyKey: idempotencyKey(GATEWAY, app, action, change.manifestHash, keyScope),
    summary,
    payload,
    ...(skip ? { skip } : {}),
  });
  if (change.kind === 'removed') {
    const uses = manifest ? resolveGrants(manifest, catalog).grants.map((g) => g.connector) : [];
    const loses = uses.length ? `: it loses access to ${listWords(uses)}` : '';
    return step('delete', `Remove ${app} from the API gateway${loses}.`, { username: app });
  }
  const action: StepAction = change.kind === 'registered' ? 'create' : 'update';
  if (!manifest) {
    const reason = `The manifest of ${app} is not valid after the merge, so the API gateway is not changed for it.`;
    return step(action, reason, null, reason);
  }
  const consumer = kongConsumer(manifest, catalog);
  if (change.kind === 'changed' && change.previous && isDeepStrictEqual(kongConsumer(change.previous, catalog), consumer)) {
    return step(
      'unchanged',
      `Nothing changes for ${app} at the API gateway: its connectors, scopes, owner and environment are the same.`,
      consumer,
    );
  }
  const { grants, refused } = resolveGrants(manifest, catalog);
  const allowed = grants.length ? `allowed to use ${listWords(grants.map(grantWords))}` : 'allowed to use no connector';
  const never = refused.length ? ` Not allowed: ${listWords(refused.map(refusalWords))}.` : '';
  const summary =
    action === 'create'
      ? `Add ${app} to the API gateway as a consumer ${allowed}.${never}`
      : `Update ${app} at the API gateway: ${allowed}.${never}`;
  return step(action, summary, consumer);
}
