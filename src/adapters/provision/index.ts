/** Provisioning, the I/O half: applying a plan, the webhook transport. */
export { applyProvisioning, type ApplyOptions } from './apply.js';
export { deliverStep, webhookProvisioner, type WebhookTransport } from './webhook.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, verifySignature } from './signature.js';
export { backoffMs, retryableStatus, retryAfterMs, RETRY_DEFAULTS, type RetryTiming } from './retry.js';
