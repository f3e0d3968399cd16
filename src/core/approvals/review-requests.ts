/**
 * Whom the App asks for a review: for each required approval still missing, the users the
 * policy names who may give it, and its teams (by slug, in the repository's organisation:
 * GitHub cannot request another organisation's team). Never the author or anyone else who
 * may not approve, never someone already asked, and never someone who already reviewed the
 * current head (a reviewer who asked for changes is asked again after the next push, not at
 * once). The reasons for leaving a reviewer out are returned for the log.
 *
 * GitHub takes at most 15 requested reviewers (users and teams) on a pull request, so the plan
 * asks in rounds, one reviewer of each missing approval before a second of any, until that room
 * is used: every missing approval gets someone asked first.
 */
import { LoginSet, loginKey, membersOf, parseReviewer } from './logins.js';
import type { ApprovalStatus, PullRequestSnapshot } from './types.js';

/** GitHub's limit of requested reviewers (users and teams together) on one pull request. */
export const MAX_REQUESTED_REVIEWERS = 15;

export interface ReviewRequestContext {
  /** The organisation or user that owns the repository. */
  repoOwner: string;
  /** Logins and team slugs GitHub lists as requested now. */
  requestedUsers: readonly string[];
  requestedTeams: readonly string[];
}

export interface ReviewRequestPlan {
  /** Logins to request. */
  users: string[];
  /** Team slugs (without the organisation) to request. */
  teams: string[];
  /** Reviewers left out on purpose, in plain words. */
  skipped: string[];
}

export function planReviewRequests(
  status: ApprovalStatus,
  pr: Pick<PullRequestSnapshot, 'headSha' | 'reviews' | 'teamMembers'>,
  context: ReviewRequestContext,
): ReviewRequestPlan {
  const requestedUsers = new LoginSet(context.requestedUsers);
  const requestedTeams = new LoginSet(context.requestedTeams);
  const reviewedHead = new LoginSet(
    pr.reviews.filter((r) => r.commitId === pr.headSha && r.state !== 'PENDING' && typeof r.user === 'string').map((r) => r.user as string),
  );
  const skipped: string[] = [];
  // Per missing approval, whom to ask, in the policy's order: { kind, name }.
  const queues: Array<Array<{ kind: 'user' | 'team'; name: string }>> = [];
  for (const approval of status.approvals) {
    if (approval.satisfied) continue;
    const eligible = new LoginSet(approval.eligible);
    const queue: Array<{ kind: 'user' | 'team'; name: string }> = [];
    for (const entry of approval.reviewers) {
      const spec = parseReviewer(entry);
      if (spec?.kind === 'user') {
        if (!eligible.has(spec.login)) skipped.push(`@${spec.login} may not approve this pull request`);
        else if (!requestedUsers.has(spec.login) && !reviewedHead.has(spec.login)) queue.push({ kind: 'user', name: spec.login });
      } else if (spec?.kind === 'team') {
        const [org, slug] = spec.team.split('/') as [string, string];
        if (loginKey(org) !== loginKey(context.repoOwner)) {
          skipped.push(`@${spec.team} is a team of another organisation; GitHub can only request teams of ${context.repoOwner}`);
          continue;
        }
        const members = membersOf(pr.teamMembers, spec.team) ?? [];
        const someoneReviewed = members.some((m) => reviewedHead.has(m) && eligible.has(m));
        if (!requestedTeams.has(slug) && !someoneReviewed) queue.push({ kind: 'team', name: slug });
      }
    }
    queues.push(queue);
  }
  const users = new LoginSet();
  const teams = new LoginSet();
  let room = Math.max(0, MAX_REQUESTED_REVIEWERS - requestedUsers.size - requestedTeams.size);
  let left = 0;
  for (let round = 0; queues.some((q) => round < q.length); round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (!next) continue;
      const set = next.kind === 'user' ? users : teams;
      if (set.has(next.name)) continue;
      if (room === 0) {
        left++;
        continue;
      }
      set.add(next.name);
      room--;
    }
  }
  if (left > 0)
    skipped.push(
      `${left} more reviewer${left === 1 ? '' : 's'} not asked: GitHub takes at most ${MAX_REQUESTED_REVIEWERS} requested reviewers on a pull request`,
    );
  return { users: [...users], teams: [...teams], skipped };
}
