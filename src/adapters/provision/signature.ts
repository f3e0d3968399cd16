/**
 * The webhook signature: "sha256=" and the hex HMAC-SHA256 of the raw request body under the
 * shared secret, the scheme GitHub uses for its own webhooks (X-Hub-Signature-256), so
 * receivers can reuse what they have. Receivers verify it over the bytes they received,
 * before parsing them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Microapps-Signature-256';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a received signature header against the raw body. */
export function verifySignature(secret: string, body: string | Uint8Array, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
