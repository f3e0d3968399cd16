/**
 * Webhook deliveries with GitHub's real payload shapes (@octokit/webhooks-examples): the
 * installation example of each event and action, cloned, so a test can change it.
 */
import { createRequire } from 'node:module';

type Json = Record<string, any>;
const require = createRequire(import.meta.url);
const ALL = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Json[] }>;

/** The first example of `event`.`action` sent to an App installation (it has `installation`). */
export function examplePayload(event: 'pull_request' | 'pull_request_review' | 'check_run' | 'check_suite', action: string): Json {
  const found = ALL.find((e) => e.name === event)?.examples.find((x) => x.action === action && x.installation);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example with an installation`);
  return structuredClone(found);
}
