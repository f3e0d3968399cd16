/**
 * Which of the App's credentials the environment lacks, named as the variables to set. The
 * server (server.ts) and the serverless handler (serverless.ts) both refuse to run without them.
 */

/** The registration: the App's id and private key. */
export function missingRegistration(env: NodeJS.ProcessEnv): string[] {
  const missing: string[] = [];
  if (!env.APP_ID) missing.push('APP_ID');
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push('PRIVATE_KEY (or PRIVATE_KEY_PATH)');
  return missing;
}

/** The webhook secret: without it Probot would accept deliveries signed with the secret "development". */
export function missingWebhookSecret(env: NodeJS.ProcessEnv): string[] {
  return env.WEBHOOK_SECRET ? [] : ['WEBHOOK_SECRET'];
}
