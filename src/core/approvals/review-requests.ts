/**
 * Whom the App asks for a review: for each required approval still missing, the users the
 * policy names who may give it, and its teams (by slug, in the repository's organisation:
 * GitHub cannot request another organisation's team). Never the author or anyone else who
 * may not approve, never someone already asked, and never someone who already reviewed the
 * current head (a reviewer who asked for changes is asked again after the next push, not at
 * once). The reasons for leaving a reviewer out are returned for the log.
 */
import { LoginSet, loginKey, membersOf, parseReviewer } from './logins.js';
import type { ApprovalStatus, PullRequestSnapshot } from './types.js';

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
  const users = new LoginSet();
  const teams = new LoginSet();
  const skipped: string[] = [];
  for (const approval of status.approvals) {
    if (approval.satisfied) continue;
    const eligible = new LoginSet(approval.eligible);
    for (const entry of approval.reviewers) {
      const spec = parseReviewer(entry);
      if (spec?.kind === 'user') {
        if (!eligible.has(spec.login)) skipped.push(`@${spec.login} may not approve this pull request`);
        else if (!requestedUsers.has(spec.login) && !reviewedHead.has(spec.login)) users.add(spec.login);
      } else if (spec?.kind === 'team') {
        const [org, slug] = spec.team.split('/') as [string, string];
        if (loginKey(org) !== loginKey(context.repoOwner)) {
          skipped.push(`@${spec.team} is a team of another organisation; GitHub can only request teams of ${context.repoOwner}`);
          continue;
        }
        const members = membersOf(pr.teamMembers, spec.team) ?? [];
        const someoneReviewed = members.some((m) => reviewedHead.has(m) && eligible.has(m));
        if (!requestedTeams.has(slug) && !someoneReviewed) teams.add(slug);
      }
    }
  }
  return { users: [...users], teams: [...teams], skipped };
}
