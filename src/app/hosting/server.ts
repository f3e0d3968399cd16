/**
 * `npm start`: the App on a local port, in one of two modes (see docs/github-app.md).
 *
 * - Registered (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH, plus WEBHOOK_SECRET): the App's
 *   HTTP front (src/app/hosting/http.ts: the webhook boundary and GET /healthz) in a Node server, with the
 *   App's Octokit (src/app/hosting/octokit.ts: rate limits waited out, writes spaced per installation).
 * - Not registered yet, outside production: Probot's setup page at /probot, which registers the
 *   App from app.yml through GitHub's manifest flow and writes its credentials to .env; restart
 *   afterwards. GET /healthz answers here too.
 *
 * In production (NODE_ENV=production) missing credentials stop the process with a message
 * naming the variables: a production App is registered beforehand, never from a public page.
 * A .env file in the working directory is read first; variables already set win over it.
 * PORT (default 3000), HOST, WEBHOOK_PATH, LOG_LEVEL (default info), GHE_HOST are optional.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProbot, Probot, Server, type Logger } from 'probot';
import { missingRegistration, missingWebhookSecret } from './credentials.js';
import { createRequestListener, isHealthCheck } from './http.js';
import { createAppOctokit } from './octokit.js';

const DEFAULT_PORT = 3000;
const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';
/** Exit code when the environment is incomplete (as before: a usage error, not a crash). */
const EXIT_MISSING_CONFIGURATION = 2;

type Handler = Parameters<Server['addHandler']>[0];
type HandlerFactory = Parameters<Server['loadHandlerFactory']>[0];
type SetupAppFactory = (options: { host: string; port: number; log: Logger }) => HandlerFactory;

/** Reads ./.env as Probot's setup leaves it; a variable already in the environment is kept. */
function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function portOf(env: NodeJS.ProcessEnv): number {
  const port = Number(env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  return port;
}

function stopFor(missing: readonly string[], why: string): never {
  console.error(`microapps app: missing environment variables: ${missing.join(', ')}. ${why} See docs/github-app.md.`);
  process.exit(EXIT_MISSING_CONFIGURATION);
}

function stopOnSignals(close: () => Promise<void>): void {
  const stop = () =>
    void close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function serveApp(env: NodeJS.ProcessEnv, port: number): Promise<void> {
  // Probot's own default is "warn", which would hide the line saying where the App listens.
  const probot = createProbot({ env: { LOG_LEVEL: 'info', ...env }, overrides: { Octokit: createAppOctokit() } });
  const listener = await createRequestListener(probot, env.WEBHOOK_PATH);
  const host = env.HOST;
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const actualPort = (server.address() as AddressInfo).port;
  const webhookPath = env.WEBHOOK_PATH ?? DEFAULT_WEBHOOK_PATH;
  probot.log.info(`microapps app listening on ${host ?? '*'}:${actualPort}: POST ${webhookPath}, GET /healthz`);
  if (env.WEBHOOK_PROXY_URL) {
    // Probot's own server would start a smee client; this one does not, so say how to forward.
    probot.log.info(
      `WEBHOOK_PROXY_URL is set: forward its deliveries here with ` +
        `npx smee-client --url ${env.WEBHOOK_PROXY_URL} --target http://localhost:${actualPort}${webhookPath}`,
    );
  }
  stopOnSignals(() => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));
}

/**
 * Probot 14 keeps its setup app (the manifest flow behind `probot run`) out of its package
 * exports, and its exported run() adds no route of ours in setup mode (so no /healthz). Load
 * that one module by file instead of copying it: probot is pinned to an exact version, and the
 * server test fails if the module moves.
 */
async function loadSetupAppFactory(): Promise<SetupAppFactory> {
  const probotEntry = createRequire(import.meta.url).resolve('probot');
  const file = join(dirname(probotEntry), 'apps', 'setup.js');
  const loaded = (await import(pathToFileURL(file).href)) as { setupAppFactory?: unknown };
  if (typeof loaded.setupAppFactory !== 'function') {
    throw new Error(`Probot ${Server.version} has no setupAppFactory in ${file}: the setup page needs Probot 14.`);
  }
  return loaded.setupAppFactory as SetupAppFactory;
}

/** /healthz while the App is not registered: the process is up, and says it is in setup. */
const setupHealthCheck: Handler = (req: IncomingMessage, res: ServerResponse) => {
  if (!isHealthCheck(req)) return false;
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","mode":"setup"}');
  return true;
};

async function serveSetupPage(env: NodeJS.ProcessEnv, port: number): Promise<void> {
  const setupAppFactory = await loadSetupAppFactory();
  // The setup page never calls GitHub as the App; Probot's run() uses placeholders the same way (probot#1512).
  const placeholders = { appId: 1, privateKey: 'placeholder: the App is not registered yet' };
  const log = (await createProbot({ env: { LOG_LEVEL: 'info', ...env }, overrides: placeholders }).ready()).log;
  const server = new Server({
    host: env.HOST,
    port,
    webhookPath: env.WEBHOOK_PATH,
    log,
    Probot: Probot.defaults({ ...placeholders, log }),
  });
  server.addHandler(setupHealthCheck);
  await server.loadHandlerFactory(setupAppFactory({ host: server.host, port: server.port, log: log.child({ name: 'setup' }) }));
  await server.start();
  log.info(`Not registered yet: open http://${env.HOST ?? 'localhost'}:${server.port}/probot to register the App from app.yml.`);
  stopOnSignals(() => server.stop());
}

async function main(): Promise<void> {
  loadDotEnv();
  const env = process.env;
  const port = portOf(env);
  const missing = missingRegistration(env);
  const secretMissing = missingWebhookSecret(env);
  if (missing.length === 0) {
    // Probot would fall back to the secret "development"; a registered App must have its own.
    if (secretMissing.length > 0) stopFor(secretMissing, "Set the webhook secret from the App's settings.");
    return serveApp(env, port);
  }
  if (env.NODE_ENV === 'production') {
    stopFor(
      [...missing, ...secretMissing],
      'In production (NODE_ENV=production) there is no setup page: register the App first and set them.',
    );
  }
  return serveSetupPage(env, port);
}

main().catch((error: unknown) => {
  console.error(`microapps app: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
