/**
 * `npm start`: the App on a local port. Reads its credentials from the environment
 * (see src/app/README.md): APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET;
 * PORT (default 3000), HOST, WEBHOOK_PATH, LOG_LEVEL, GHE_HOST are optional.
 * Without credentials it stops with a message (Probot's setup page is later work).
 */
import { createServer } from 'node:http';
import { createProbot } from 'probot';
import { createRequestListener } from './http.js';

const REQUIRED = ['APP_ID', 'WEBHOOK_SECRET'] as const;

async function main(): Promise<void> {
  const missing: string[] = REQUIRED.filter((name) => !process.env[name]);
  if (!process.env.PRIVATE_KEY && !process.env.PRIVATE_KEY_PATH) missing.push('PRIVATE_KEY (or PRIVATE_KEY_PATH)');
  if (missing.length > 0) {
    console.error(`microapps app: missing environment variables: ${missing.join(', ')}. See src/app/README.md.`);
    process.exit(2);
  }
  const probot = createProbot();
  const listener = await createRequestListener(probot, process.env.WEBHOOK_PATH);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST;
  const server = createServer(listener);
  server.listen(port, host, () => probot.log.info(`microapps app listening on ${host ?? '*'}:${port} (GET /healthz)`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`microapps app: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
