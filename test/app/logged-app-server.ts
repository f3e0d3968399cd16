/**
 * The App behind its real HTTP front, as app-server.ts runs it, with the App's log kept for the
 * test to read (a pino logger writing JSON lines to memory, at info level): for behaviour whose
 * only outcome is what the App logs (a merge not recorded for want of a key).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { createRequestListener } from '../../src/app/http.js';
import { APP_ID, WEBHOOK_PATH, WEBHOOK_SECRET, type AppServer } from './app-server.js';
import { rawRequest } from './raw-http.js';

export interface LogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
}

export interface LoggedAppServer extends AppServer {
  /** What the App logged in this test, in order. */
  readonly logs: LogLine[];
}

const LEVELS: Record<number, LogLine['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export function useLoggedAppServer(): LoggedAppServer {
  let server: Server | undefined;
  let port = 0;
  let privateKey = '';
  const logs: LogLine[] = [];

  beforeAll(() => {
    privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey;
  });
  beforeEach(async () => {
    logs.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          const record = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
          logs.push({ level: LEVELS[record.level] ?? 'info', msg: record.msg ?? record.err?.message ?? '' });
        }
        done();
      },
    });
    const probot = new Probot({
      appId: APP_ID,
      privateKey,
      secret: WEBHOOK_SECRET,
      log: pino({ level: 'info' }, sink),
      Octokit: ProbotOctokit.defaults((octokit: Record<string, any>) => ({
        ...octokit,
        retry: { ...octokit.retry, retryAfterBaseValue: 0 },
        throttle: { ...octokit.throttle, enabled: false },
      })),
    });
    server = createServer(await createRequestListener(probot));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    const closing = server;
    server = undefined;
    await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  });

  return {
    logs,
    get port() {
      return port;
    },
    async deliver(event, payload, options = {}) {
      const body = JSON.stringify(payload);
      const id = options.id ?? randomUUID();
      const signature = options.signature ?? (await sign(options.secret ?? WEBHOOK_SECRET, body));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'user-agent': 'GitHub-Hookshot/test',
      };
      if (signature) headers['x-hub-signature-256'] = signature;
      const res = await rawRequest(port, 'POST', WEBHOOK_PATH, headers, body);
      return { status: res.status, body: res.body, id };
    },
    async get(path) {
      const res = await rawRequest(port, 'GET', path);
      return { status: res.status, body: res.body };
    },
  };
}
