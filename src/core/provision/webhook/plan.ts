/**
 * A webhook's steps (pure): one per app change, POSTed by the webhook adapter as JSON. The
 * payload carries the manifest and what it resolves to (granted connectors, scopes and rate
 * limits; refused connectors), so a receiver needs nothing else from the registry.
 */
import { canonicalJson, manifestHash } from '../canonical-json.js';
import { sortChanges } from '../changes.js';
import type { WebhookConfig } from '../config.js';
import { resolveGrants, type Grant, type Refusal } from '../grants.js';
import { idempotencyKey } from '../idempotency.js';
import type { AppChange, PlanStep, RegistryAfter, StepAction } from '../types.js';

export function webhookName(hook: Pick<WebhookConfig, 'name'>): string {
  return `webhook:${hook.name}`;
}

export interface WebhookPayload {
  app: string;
  path: string;
  manifest_hash: string | null;
  /** After the merge; for a delete, the manifest removed (null when it could not be read). */
  manifest: unknown;
  grants: Grant[];
  refused: Refusal[];
}

const ACTIONS: Record<AppChange['kind'], StepAction> = { registered: 'create', changed: 'update', removed: 'delete' };

export function planWebhook(hook: WebhookConfig, changes: readonly AppChange[], registry: RegistryAfter, keyScope?: string): PlanStep[] {
  const provisioner = webhookName(hook);
  const host = new URL(hook.url).host;
  return sortChanges(changes).map((change) => {
    const { app, manifest } = change;
    let action = ACTIONS[change.kind];
    if (change.kind === 'changed' && manifest && change.previous && manifestHash(change.previous) === change.manifestHash)
      action = 'unchanged';
    const resolved = manifest && change.kind !== 'removed' ? resolveGrants(manifest, registry.catalog) : { grants: [], refused: [] };
    const payload: WebhookPayload = {
      app,
      path: change.path,
      manifest_hash: change.manifestHash,
      manifest: manifest ?? null,
      grants: resolved.grants,
      refused: resolved.refused,
    };
    const skip =
      !manifest && change.kind !== 'removed'
        ? `The manifest of ${app} is not valid after the merge, so nothing is sent to the ${hook.name} webhook for it.`
        : undefined;
    const summary =
      skip ??
      (action === 'unchanged'
        ? `Nothing is sent to the ${hook.name} webhook (${host}) for ${app}: its manifest is the same.`
        : `Send "${action}" for ${app} to the ${hook.name} webhook (${host}).`);
    return {
      provisioner,
      app,
      action,
      idempotencyKey: idempotencyKey(provisioner, app, action, change.manifestHash, keyScope),
      summary,
      payload,
      ...(skip ? { skip } : {}),
    };
  });
}

/**
 * The exact bytes POSTed for a step (canonical JSON: the same step always gives the same body).
 * The idempotency key is inside the body too, so the signature covers it.
 */
export function webhookBody(step: PlanStep): string {
  return canonicalJson({
    provisioner: step.provisioner,
    app: step.app,
    action: step.action,
    idempotency_key: step.idempotencyKey,
    summary: step.summary,
    payload: step.payload,
  });
}
