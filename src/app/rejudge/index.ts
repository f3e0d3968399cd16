export {
  rejudgeOnPush,
  rejudgeLedgerId,
  CONCURRENCY,
  MAX_PULL_REQUESTS,
  type RejudgeDelivery,
  type RejudgeOptions,
  type RejudgeOutcome,
} from './rejudge-push.js';
export { listOpenPullRequests, type OpenPullRequest } from './open-pull-requests.js';
