/**
 * Where a webhook delivery meets the App, for every front door (http.ts and serverless.ts):
 * the signature is checked over the raw body, the delivery is handed to the App, and the answer
 * is chosen here and only here.
 *
 * - A missing or wrong signature: 401 and one warning line (no stack trace; the App sees
 *   nothing and calls no API).
 * - A failure of the App: 500 with a neutral body naming the delivery, whatever GitHub answered
 *   upstream (a 403 from GitHub is not the webhook's fault). The body GitHub keeps in its
 *   delivery log never carries an error's text: that text may quote a request, headers included.
 * - A redelivery that arrives while the first delivery of that id is still being handled: 503,
 *   so GitHub records it as not handled and it can be redelivered once the first has settled.
 *
 * Errors reach the log through guardHandler (index.ts wraps every handler in it), which turns
 * any error into one with a redacted, one-line message before Probot logs it.
 */
import type { Probot } from 'probot';
import { DeliveryFailedError, DeliveryInProgressError } from '../../core/errors.js';
import { plainReasonOf } from '../delivery/failure.js';

export interface Delivery {
  id: string;
  name: string;
  signature: string | undefined;
  /** The body exactly as received. */
  body: string;
}

export interface DeliveryAnswer {
  status: number;
  /** JSON. */
  body: string;
}

function answer(status: number, body: Record<string, unknown>): DeliveryAnswer {
  return { status, body: JSON.stringify(body) };
}

/** Wraps a webhook handler so that whatever it throws is safe to log and to answer. */
export function guardHandler<C extends { id: string; name: string }>(
  handler: (context: C) => Promise<void>,
): (context: C) => Promise<void> {
  return async (context) => {
    try {
      await handler(context);
    } catch (error) {
      if (error instanceof DeliveryInProgressError) throw error;
      // A fresh error: its stack names this line, not the request that failed, and it carries no fields of the original.
      throw new DeliveryFailedError(`delivery ${context.id} (${context.name}) failed: ${plainReasonOf(error)}`);
    }
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function receiveDelivery(probot: Probot, delivery: Delivery): Promise<DeliveryAnswer> {
  const { id, name, signature, body } = delivery;
  const valid = signature ? await probot.webhooks.verify(body, signature).catch(() => false) : false;
  if (!valid) {
    probot.log.warn(
      `webhook delivery ${id} (${name}) refused: ${signature ? 'its signature does not match the body and the webhook secret' : 'it has no X-Hub-Signature-256 header'}. ` +
        "If GitHub sent it, check that WEBHOOK_SECRET matches the secret in the App's settings.",
    );
    return answer(401, {
      error: signature ? 'signature does not match the body and the webhook secret' : 'missing header: X-Hub-Signature-256',
    });
  }
  if (!isJson(body)) return answer(400, { error: 'the body is not JSON' });
  try {
    // Probot logs each handler's error (made safe by guardHandler) once; nothing more is logged here.
    await probot.receive({ id, name, payload: JSON.parse(body) } as Parameters<Probot['receive']>[0]);
    return answer(200, { ok: true });
  } catch (error) {
    const errors = error instanceof AggregateError ? error.errors : [error];
    if (errors.length > 0 && errors.every((e) => e instanceof DeliveryInProgressError)) {
      return answer(503, {
        error: `delivery ${id} is still being handled by an earlier delivery of the same id; redeliver it once that one has finished`,
      });
    }
    return answer(500, { error: `the App could not handle delivery ${id}; see its logs` });
  }
}
