/**
 * Whether a review was given on the content that would be merged: on the head commit, or on an
 * earlier commit whose governed files (registry/, connectors/, policies/, templates/, ...) are
 * identical to the head's. A push that leaves them unchanged keeps approvals; a push that
 * changes a manifest invalidates them. An unknown fingerprint fails closed.
 */
import type { PullRequestSnapshot } from './types.js';

export type Freshness = 'current' | 'stale' | 'unknown';

export function reviewFreshness(commitId: string, pr: Pick<PullRequestSnapshot, 'headSha' | 'governedFingerprint'>): Freshness {
  if (typeof commitId !== 'string' || commitId === '') return 'unknown';
  if (commitId === pr.headSha) return 'current';
  const reviewed = fingerprintOf(pr.governedFingerprint, commitId);
  const head = fingerprintOf(pr.governedFingerprint, pr.headSha);
  if (reviewed === undefined || head === undefined) return 'unknown';
  return reviewed === head ? 'current' : 'stale';
}

/** Own keys only: a commit id is data, and must not reach Object.prototype. */
function fingerprintOf(fingerprints: Readonly<Record<string, string | undefined>>, sha: string): string | undefined {
  if (!fingerprints || !Object.hasOwn(fingerprints, sha)) return undefined;
  const value = fingerprints[sha];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
