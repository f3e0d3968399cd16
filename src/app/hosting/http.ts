/**
 * The App's HTTP front: POST /api/github/webhooks (by default) answered by the webhook boundary
 * (webhook-boundary.ts: signature over the raw body, one place for every answer and failure)
 * plus GET /healthz. Anything else is 404. The App is loaded into Probot once, here.
 * Used by server.ts and by the tests, which run it on an ephemeral port.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApplicationFunction, Probot } from 'probot';
import microappsApp from '../index.js';
import { receiveDelivery, type DeliveryAnswer } from './webhook-boundary.js';

const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub gives up on a delivery after 10 s: answer 202 before that and finish the work anyway (as Probot did). */
const ANSWER_WITHIN_MS = 9_000;
/** GitHub caps payloads at 25 MB. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

export async function createRequestListener(
  probot: Probot,
  webhooksPath = DEFAULT_WEBHOOK_PATH,
  app: ApplicationFunction = microappsApp,
): Promise<RequestListener> {
  await probot.load(app, {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error('the App adds no HTTP routes of its own');
    },
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    if (isHealthCheck(req)) return send(res, { status: 200, body: '{"status":"ok"}' });
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (path !== webhooksPath.replace(/\/+$/, '')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    void handleWebhook(probot, req, res).catch((error: unknown) => {
      probot.log.error(`webhook request failed before it reached the App: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, { status: 500, body: '{"error":"the request could not be read"}' });
    });
  };
}

async function handleWebhook(probot: Probot, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return send(res, { status: 405, body: '{"error":"webhook deliveries are POSTed"}' }, { allow: 'POST' });
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return send(res, { status: 415, body: '{"error":"the content type must be application/json"}' });
  }
  const id = header(req, 'x-github-delivery');
  const name = header(req, 'x-github-event');
  const missing = [name ? [] : ['X-GitHub-Event'], id ? [] : ['X-GitHub-Delivery']].flat();
  if (!id || !name) return send(res, { status: 400, body: JSON.stringify({ error: `missing headers: ${missing.join(', ')}` }) });
  const body = await readBody(req);
  if (body === undefined) return send(res, { status: 413, body: '{"error":"the body is larger than GitHub sends"}' });

  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ANSWER_WITHIN_MS)));
  const answered = receiveDelivery(probot, { id, name, signature: header(req, 'x-hub-signature-256'), body });
  const first = await Promise.race([answered, late]);
  clearTimeout(timer);
  send(res, first === 'late' ? { status: 202, body: '{"status":"still processing"}' } : first);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: DeliveryAnswer, headers: Record<string, string> = {}): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers }).end(answer.body);
}

/** GET /healthz (with or without a query), for load balancers and container probes. */
export function isHealthCheck(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?') === true);
}
