/**
 * The App on function platforms: one webhook delivery in, one answer out, no HTTP server and
 * none of Probot 13's platform adapters. `handleWebhook` takes the headers and the raw body
 * (whatever the platform calls them); `handleFetchRequest` is the same for platforms that speak
 * the Fetch API's Request and Response.
 *
 * The Probot instance and the App (src/app/index.ts) are loaded once per function instance, on
 * the first delivery, from the environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
 * WEBHOOK_SECRET (LOG_LEVEL, GHE_HOST, REDIS_URL optional). The signature is checked over the
 * raw body by Probot's webhooks.verifyAndReceive before the App sees anything; a delivery
 * with a missing or wrong signature is refused without any call to GitHub.
 */
import { createProbot, type ApplicationFunction, type Logger, type Probot } from 'probot';
import { missingRegistration, missingWebhookSecret } from './credentials.js';
import microappsApp from '../index.js';
import { createAppOctokit } from './octokit.js';
import { AppNotConfiguredError } from '../../core/errors.js';
import { receiveDelivery } from './webhook-boundary.js';

export interface WebhookRequest {
  /** Header names in any case; of a repeated header, the first value counts. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body exactly as received (decoded from base64 first if the platform encoded it). */
  body: string;
}

export interface WebhookResponse {
  status: number;
  /** JSON. */
  body: string;
}

export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;

export interface WebhookHandlerOptions {
  /** Where the credentials come from (default: process.env, read on the first delivery). */
  env?: NodeJS.ProcessEnv;
  /**
   * The App to load (default: src/app/index.ts). Several instances of a function share no
   * memory: give createMicroappsApp a shared delivery ledger to deduplicate across them.
   */
  app?: ApplicationFunction;
  /** Where the App logs (default: Probot's logger, configured by LOG_LEVEL and LOG_FORMAT). */
  log?: Logger;
}

async function loadApp(env: NodeJS.ProcessEnv, app: ApplicationFunction, log: Logger | undefined): Promise<Probot> {
  const missing = [...missingRegistration(env), ...missingWebhookSecret(env)];
  if (missing.length > 0) throw new AppNotConfiguredError(missing);
  const probot = createProbot({ env, overrides: { Octokit: createAppOctokit(), ...(log ? { log } : {}) } });
  await probot.load(app);
  return probot;
}

function answer(status: number, body: Record<string, unknown>): WebhookResponse {
  return { status, body: JSON.stringify(body) };
}

function headerValue(headers: WebhookRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = typeof value === 'string' ? value : value?.[0];
    if (first) return first;
  }
  return undefined;
}

export function createWebhookHandler(options: WebhookHandlerOptions = {}): WebhookHandler {
  let loading: Promise<Probot> | undefined;
  const probotOnce = (): Promise<Probot> => {
    // A failed load is forgotten, so the next delivery tries again.
    loading ??= loadApp(options.env ?? process.env, options.app ?? microappsApp, options.log).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return async (request) => {
    const name = headerValue(request.headers, 'x-github-event');
    const id = headerValue(request.headers, 'x-github-delivery');
    const signature = headerValue(request.headers, 'x-hub-signature-256');
    const missingHeaders = [name ? [] : ['X-GitHub-Event'], id ? [] : ['X-GitHub-Delivery']].flat();
    if (!name || !id) return answer(400, { error: `missing headers: ${missingHeaders.join(', ')}` });
    if (!signature) return answer(401, { error: 'missing header: X-Hub-Signature-256' });

    let probot: Probot;
    try {
      probot = await probotOnce();
    } catch (error) {
      const message = error instanceof AppNotConfiguredError ? error.message : 'the App could not start';
      console.error(`microapps app: ${error instanceof Error ? error.message : String(error)}`);
      return answer(500, { error: message });
    }

    // The same boundary as the HTTP server's: signature, answers and redaction in one place.
    return receiveDelivery(probot, { id, name, signature, body: request.body });
  };
}

/** The same handler for platforms that pass a Fetch API Request and expect a Response. */
export function toFetchHandler(handler: WebhookHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const json = { 'content-type': 'application/json' };
    if (request.method !== 'POST') {
      return new Response(JSON.stringify({ error: 'webhook deliveries are POSTed' }), { status: 405, headers: { ...json, allow: 'POST' } });
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const result = await handler({ headers, body: await request.text() });
    return new Response(result.body, { status: result.status, headers: json });
  };
}

/** The App's handler, credentials from process.env. */
export const handleWebhook: WebhookHandler = createWebhookHandler();

/** The App's handler for Request/Response platforms, credentials from process.env. */
export const handleFetchRequest: (request: Request) => Promise<Response> = toFetchHandler(handleWebhook);
