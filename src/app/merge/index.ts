/** Recording merges: on a push to the default branch, provision and append to the audit log (see record-push.ts). */
export { handlePush, type PushDelivery, type PushHandlerOptions } from './handle-push.js';
export { recordPush, MAX_ATTEMPTS, type PushOutcome, type RecordPushRequest } from './record-push.js';
export { pushTargetOf, type PushTarget } from './push-event.js';
export { auditSignerFromEnv, AUDIT_KEY_ID_ENV, AUDIT_KEY_PATH_ENV, AUDIT_PRIVATE_KEY_ENV } from './audit-key.js';
export { BRANCH_HEAD_QUERY, CREATE_COMMIT_MUTATION, isBranchMoved, type MergeClient } from '../../adapters/github/graphql.js';
