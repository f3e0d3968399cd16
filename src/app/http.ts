/**
 * The App's HTTP front: Probot's webhook middleware (signature verified over the raw body,
 * POST /api/github/webhooks by default) plus GET /healthz. Anything else is 404.
 * Used by server.ts and by the tests, which run it on an ephemeral port.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createNodeMiddleware, type Probot } from 'probot';
import microappsApp from './index.js';

export async function createRequestListener(probot: Probot, webhooksPath?: string): Promise<RequestListener> {
  const middleware = await createNodeMiddleware(microappsApp, { probot, webhooksPath });
  return (req: IncomingMessage, res: ServerResponse) => {
    if (isHealthCheck(req)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    void middleware(req, res, () => {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found\n');
    });
  };
}

/** GET /healthz (with or without a query), for load balancers and container probes. */
export function isHealthCheck(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?') === true);
}
