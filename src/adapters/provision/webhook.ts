/**
 * The webhook provisioner's I/O: POSTs each step's canonical JSON body, signed, with an
 * Idempotency-Key, a timeout per attempt, and retries with backoff on network errors, 408,
 * 429 and 5xx (honouring Retry-After). Every outcome is a StepResult with a plain reason:
 * nothing throws, so the merge job always records the entry. The secret is read from the
 * environment at the last moment and never appears in a result.
 */
import type { WebhookConfig } from '../../core/provision/config.js';
import type { ApplyContext, ApplyResult, PlanStep, Provisioner, StepResult } from '../../core/provision/types.js';
import { webhookBody, webhookName } from '../../core/provision/webhook/plan.js';
import { backoffMs, RETRY_DEFAULTS, retryableStatus, retryAfterMs, type RetryTiming } from './retry.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';

export interface WebhookTransport extends RetryTiming {
  /** Default: Node's global fetch. */
  fetch?: typeof fetch;
  /** Default: a timer. Tests record the delays instead of waiting them out. */
  sleep?: (ms: number) => Promise<void>;
}

const SNIPPET_CHARS = 200;

export function webhookProvisioner(hook: WebhookConfig, transport: WebhookTransport = {}): Provisioner {
  return {
    name: webhookName(hook),
    apply: async (steps, context): Promise<ApplyResult> => {
      const results: StepResult[] = [];
      // One at a time, in plan order: a receiver sees the steps of a merge in a stable order.
      for (const step of steps) results.push(await deliverStep(hook, step, context, transport));
      return { results, files: [] };
    },
  };
}

export async function deliverStep(
  hook: WebhookConfig,
  step: PlanStep,
  context: Pick<ApplyContext, 'env' | 'done'>,
  transport: WebhookTransport = {},
): Promise<StepResult> {
  const done = (status: StepResult['status'], detail: string, attempts?: number): StepResult => ({
    provisioner: step.provisioner,
    app: step.app,
    action: step.action,
    status,
    detail,
    idempotencyKey: step.idempotencyKey,
    ...(attempts !== undefined ? { attempts } : {}),
  });
  if (step.skip) return done('skipped', step.skip);
  if (step.action === 'unchanged') return done('unchanged', 'Nothing to send: the manifest is the same.');
  if (context.done.has(step.idempotencyKey)) return done('unchanged', 'Already sent (same app, action and manifest).');
  const secret = context.env[hook.secretEnv];
  if (!secret) {
    return done(
      'failed',
      `The environment variable ${hook.secretEnv} is not set, so the request to the ${hook.name} webhook cannot be signed. Nothing was sent; set it where the merge job runs.`,
      0,
    );
  }

  const body = webhookBody(step);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'microapps-provisioner',
    [SIGNATURE_HEADER]: signBody(secret, body),
    [IDEMPOTENCY_HEADER]: step.idempotencyKey,
  };
  const fetchFn = transport.fetch ?? fetch;
  const sleep = transport.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const where = `the ${hook.name} webhook (${new URL(hook.url).host})`;
  const attemptsAllowed = hook.retries + 1;
  let reason = '';
  for (let attempt = 1; attempt <= attemptsAllowed; attempt++) {
    let waitMs: number | undefined;
    try {
      const signal = AbortSignal.timeout(hook.timeoutMs);
      const response = await fetchFn(hook.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      const text = redact(await response.text().catch(() => ''), secret);
      if (response.status >= 200 && response.status < 300) return done('applied', `${where} accepted it (${response.status}).`, attempt);
      reason = `${where} answered ${response.status}${snippet(text)}`;
      if (response.status >= 300 && response.status < 400) {
        return done(
          'failed',
          `${reason}: a redirect, which is not followed (the signed request would go elsewhere). Configure the final address.`,
          attempt,
        );
      }
      if (!retryableStatus(response.status))
        return done('failed', `${reason}. Not retried: the receiver refused the request itself.`, attempt);
      waitMs = retryAfterMs(response.headers.get('retry-after'));
    } catch (e) {
      reason = `${where} ${networkWords(e, hook.timeoutMs)}`;
    }
    if (attempt === attemptsAllowed) break;
    const maxRetryAfter = transport.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
    if (waitMs !== undefined && waitMs > maxRetryAfter) {
      return done(
        'failed',
        `${reason}, and asked to retry after ${Math.ceil(waitMs / 1000)} s, longer than the ${Math.round(maxRetryAfter / 1000)} s this job waits.`,
        attempt,
      );
    }
    await sleep(waitMs ?? backoffMs(attempt - 1, transport));
  }
  return done('failed', `${reason}. Gave up after ${attemptsAllowed} attempt${attemptsAllowed === 1 ? '' : 's'}.`, attemptsAllowed);
}

function networkWords(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `did not answer within ${timeoutMs / 1000} s`;
  const cause = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
  return `could not be reached (${cause})`;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '';
  return `: "${line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}…` : line}"`;
}

/** A receiver that echoes what it got must not put the secret into a result. */
function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}
