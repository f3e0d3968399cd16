/**
 * A `push` delivery, end to end: ignore what is not a push to the default branch (no request),
 * claim the delivery id (a redelivered push does nothing twice), record the merge one push of a
 * repository at a time, and settle the delivery.
 *
 * Without an audit signing key nothing is recorded: the App logs an error naming the variables
 * and leaves the delivery unsettled, so redelivering the push once the key is set records it.
 * Any other failure is logged and rethrown: Probot answers 500, GitHub's delivery log shows it,
 * and a redelivery tries again (what was recorded meanwhile is not recorded twice).
 */
import type { BlobCache } from '../../adapters/github/index.js';
import { runOnce, type DeliveryLedger } from '../delivery/delivery-ledger.js';
import { plainReasonOf } from '../delivery/failure.js';
import type { PushTrees } from '../reads/push-trees.js';
import type { KeyedQueue } from '../delivery/serialize.js';
import type { Env } from './audit-key.js';
import type { MergeClient } from '../../adapters/github/graphql.js';
import { pushTargetOf, type PushPayload } from './push-event.js';
import { recordPush, type PushOutcome } from './record-push.js';

export interface PushDelivery {
  id: string;
  payload: PushPayload;
  octokit: MergeClient;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** The push's trees, shared with the other steps that handle the delivery (src/app/reads/push-trees.ts). */
  trees?: PushTrees;
}

export interface PushHandlerOptions {
  ledger: DeliveryLedger;
  queue: KeyedQueue;
  blobCache?: BlobCache;
  /** Read on every delivery (default process.env), so a key set later is used without a restart. */
  env?: () => Env;
  readFile?: (path: string) => string;
}

export async function handlePush(delivery: PushDelivery, options: PushHandlerOptions): Promise<PushOutcome> {
  const { log } = delivery;
  const decision = pushTargetOf(delivery.payload);
  if (!decision.target) {
    log.info(`push ignored (delivery ${delivery.id}): ${decision.ignored}`);
    return { status: 'ignored', reason: decision.ignored };
  }
  const target = decision.target;
  const where = `${target.owner}/${target.repo}@${target.branch} ${target.before.slice(0, 7)}..${target.after.slice(0, 7)} (delivery ${delivery.id})`;
  try {
    const run = await runOnce(
      options.ledger,
      delivery.id,
      () =>
        options.queue.run(`${target.owner}/${target.repo}:push`.toLowerCase(), () =>
          recordPush({
            octokit: delivery.octokit,
            target,
            env: (options.env ?? (() => process.env))(),
            readFile: options.readFile,
            blobCache: options.blobCache,
            trees: delivery.trees,
            log: { info: (m) => log.info(`${where}: ${m}`) },
          }),
        ),
      (outcome) => outcome.status !== 'no-key',
    );
    if (run.duplicate) {
      log.info(`${where}: the delivery was already handled: ignored`);
      return { status: 'ignored', reason: 'the delivery was already handled' };
    }
    const outcome = run.result;
    switch (outcome.status) {
      case 'ignored':
      case 'nothing-to-record':
        log.info(`${where}: nothing to record: ${outcome.reason}`);
        break;
      case 'no-key':
        log.error(`${where}: the merge was not recorded: ${outcome.problem}`);
        break;
      case 'recorded': {
        const failed = outcome.results.filter((r) => r.status === 'failed').length;
        const seqs = outcome.entries.map((e) => e.seq);
        log.info(
          `${where}: recorded audit entr${seqs.length === 1 ? 'y' : 'ies'} ${seqs.map((s) => `#${s}`).join(', ')} in ${outcome.commit.slice(0, 7)}` +
            ` (attempt ${outcome.attempts})${failed > 0 ? `; ${failed} provisioning step${failed === 1 ? '' : 's'} failed (recorded in the entries)` : ''}`,
        );
        if (failed > 0) log.warn(`${where}: ${failed} provisioning step${failed === 1 ? '' : 's'} failed; see the audit entries`);
        break;
      }
    }
    return outcome;
  } catch (error) {
    log.error(`${where}: the merge was not recorded: ${plainReasonOf(error)}`);
    throw error;
  }
}
