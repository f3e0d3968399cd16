/**
 * The micro-app approval gate as a Probot app (DESIGN.md sections 4 and 8). On each pull
 * request event that can change its approval status, it re-fetches the pull request and
 * publishes the "micro-app approval" check run (src/app/handle-event.ts). Nothing from the
 * payload is trusted beyond the repository and the pull request number.
 *
 * Later work: review requests, labels, the explaining comment, deduplication of redelivered
 * webhooks, configuration from the registry repo, check_run/check_suite re-runs, app.yml and
 * a serverless handler.
 */
import type { Probot } from 'probot';
import { isRelevant, payloadHeadSha, PULL_REQUEST_EVENTS, refOf } from './events.js';
import { handleDelivery } from './handle-event.js';

export default function microappsApp(app: Probot): void {
  app.on([...PULL_REQUEST_EVENTS], async (context) => {
    const payload = context.payload;
    if (!isRelevant(payload)) return;
    await handleDelivery({
      octokit: context.octokit,
      ref: refOf(payload),
      deliveryId: context.id,
      payloadHeadSha: payloadHeadSha(payload),
      log: { info: (m) => context.log.info(m), error: (m) => context.log.error(m) },
    });
  });
}
