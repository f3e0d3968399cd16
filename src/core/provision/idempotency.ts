/**
 * The idempotency key of a step: sha256 over what makes the step what it is. Planning the same
 * change again (a redelivered push, a retried merge job) gives the same key, so a receiver
 * that remembers keys does the work once.
 */
import { createHash } from 'node:crypto';
import type { StepAction } from './types.js';

export function idempotencyKey(provisioner: string, app: string, action: StepAction, manifestHash: string | null, scope?: string): string {
  // JSON of an array: no value can forge a separator.
  const parts: unknown[] = [provisioner, app, action, manifestHash];
  if (scope !== undefined) parts.push(scope);
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex');
}
