/** The policy module's public API (DESIGN.md section 3). Pure: no I/O anywhere below. */
export { loadPolicy, DEFAULT_ACTION } from './load-policy.js';
export { evaluateChange, runPolicy, ruleReason, ACTION_WORDS } from './evaluate.js';
export { explainChange } from './explain.js';
export { runPolicyTest, type PolicyTestResult, type PolicyTestOptions, type PolicyTestExpectation } from './policy-tests.js';
export { reviewerHandles, requiredApprovals, type EvaluateOptions } from './required-approvals.js';
export { DIRECTORY_PATH } from '../tree.js';
export { guardMatches } from './guards.js';
export { buildFacts, connectorIds, connectorScopes, effectiveDataTypes, connectorStatus } from './facts.js';
export { VARIABLES, PREAPPROVED_LIST } from './variables.js';
export type * from './types.js';
