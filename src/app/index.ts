/**
 * The micro-app approval gate as a Probot app (DESIGN.md sections 4 and 8). On each event that
 * can change a pull request's approval status it re-fetches the pull request, publishes the
 * check run and keeps reviewers, labels and the explaining comment in step
 * (src/app/delivery/handle-event.ts). Nothing from the payload is trusted beyond identifiers.
 *
 * A delivery is handled once (delivery-ledger.ts) and the deliveries of one pull request one
 * at a time (serialize.ts). A push to the default branch records the merge (src/app/merge/) and
 * judges the open pull requests into it again when it changed what they are judged by
 * (src/app/rejudge/); both steps run for every such push, sharing its tree listings.
 */
import type { Context, Probot } from 'probot';
import { MemoryBlobCache, type BlobCache } from '../adapters/github/index.js';
import { MemoryDeliveryLedger, runOnce, type DeliveryLedger } from './delivery/delivery-ledger.js';
import {
  isRelevant,
  payloadHeadSha,
  PULL_REQUEST_EVENTS,
  refOf,
  refsOfRerun,
  RERUN_EVENTS,
  type PullRequestRef,
} from './delivery/events.js';
import { handlePullRequest } from './delivery/handle-event.js';
import { DeliveryInProgressError } from '../core/errors.js';
import { plainReasonOf } from './delivery/failure.js';
import { handlePush } from './merge/index.js';
import { PushTrees } from './reads/push-trees.js';
import { rejudgeOnPush } from './rejudge/index.js';
import { KeyedQueue, pullRequestKey } from './delivery/serialize.js';
import { guardHandler } from './hosting/webhook-boundary.js';

export interface MicroappsAppOptions {
  /** Where handled delivery ids are kept; default: this process's memory (one replica). */
  ledger?: DeliveryLedger;
  /** Blobs kept between deliveries; default: 64 MiB in this process's memory. */
  blobCache?: BlobCache;
  /** Where pull request work waits its turn (one pull request at a time); default: a fresh queue. */
  queue?: KeyedQueue;
  /** Judging open pull requests again when the default branch moves (src/app/rejudge/). */
  rejudge?: {
    /** At most this many per push, the most recently updated first (default 100). */
    maxPullRequests?: number;
    /** This many at the same time (default 4). */
    concurrency?: number;
  };
}

export function createMicroappsApp(options: MicroappsAppOptions = {}): (app: Probot) => void {
  return (app: Probot) => {
    const ledger = options.ledger ?? new MemoryDeliveryLedger();
    const queue = options.queue ?? new KeyedQueue();
    const blobCache = options.blobCache ?? new MemoryBlobCache();
    let bot: Promise<string> | undefined;
    // The App's own account, to find its comment and reviews: GET /app (as the App, not an installation).
    const botLogin = () =>
      (bot ??= lookUpBotLogin(app).catch((error: unknown) => {
        bot = undefined;
        throw error;
      }));

    const handle = async (context: Context, refs: () => Promise<PullRequestRef[]>) => {
      const run = await runOnce(
        ledger,
        context.id,
        async () => {
          const outcomes = [];
          for (const ref of await refs()) {
            outcomes.push(
              await queue.run(pullRequestKey(ref), () =>
                handlePullRequest({
                  octokit: context.octokit,
                  ref,
                  deliveryId: context.id,
                  payloadHeadSha: payloadHeadSha(context.payload as Parameters<typeof payloadHeadSha>[0]),
                  botLogin,
                  blobCache,
                  log: { info: (m) => context.log.info(m), warn: (m) => context.log.warn(m), error: (m) => context.log.error(m) },
                }),
              ),
            );
          }
          return outcomes;
        },
        (outcomes) => outcomes.every((o) => o === 'done'),
      );
      if (run.duplicate) context.log.info(`delivery ${context.id} was already handled: ignored`);
    };

    // Every handler is guarded: what it throws reaches Probot's log and the webhook's answer redacted (webhook-boundary.ts).
    app.on(
      [...PULL_REQUEST_EVENTS],
      guardHandler(async (context) => {
        if (!isRelevant(context.payload)) return;
        await handle(context, async () => [refOf(context.payload)]);
      }),
    );
    app.on(
      [...RERUN_EVENTS],
      guardHandler(async (context) => {
        await handle(context, () => refsOfRerun(context.octokit, context.payload));
      }),
    );
    // A push to the default branch: provision and record the merge in the audit log (src/app/merge/),
    // and judge the open pull requests into it again (src/app/rejudge/). Neither waits for the
    // other or stops it; the delivery fails when either did (each keeps its own ledger entry).
    app.on(
      'push',
      guardHandler(async (context) => {
        const delivery = {
          id: context.id,
          payload: context.payload,
          octokit: context.octokit,
          log: context.log,
          trees: new PushTrees(context.octokit, blobCache),
        };
        const settled = await Promise.allSettled([
          handlePush(delivery, { ledger, queue, blobCache }),
          rejudgeOnPush(delivery, { ledger, queue, blobCache, botLogin, ...options.rejudge }),
        ]);
        const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
        if (errors.length === 0) return;
        if (errors.every((e) => e instanceof DeliveryInProgressError)) throw errors[0];
        throw errors.length === 1 ? errors[0] : new Error(errors.map((e) => plainReasonOf(e)).join('; '));
      }),
    );
  };
}

async function lookUpBotLogin(app: Probot): Promise<string> {
  const octokit = await app.auth();
  const { data } = await octokit.request('GET /app');
  if (!data?.slug) throw new Error('GitHub did not say what the App is called (GET /app has no slug).');
  return `${data.slug}[bot]`;
}

export default createMicroappsApp();
