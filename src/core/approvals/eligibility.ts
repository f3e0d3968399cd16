/**
 * Who may give an approval: the users the policy names plus the current members of the teams it
 * names (resolved by the App at evaluation time, never cached), minus the pull request's author
 * and everyone who authored, committed or pushed commits to it, even when they are in the team.
 */
import { LoginSet, membersOf, parseReviewer } from './logins.js';
import type { PullRequestSnapshot } from './types.js';
import { WHY } from './words.js';

/** People who may not approve this pull request, whatever the policy says. */
export interface Exclusions {
  author: LoginSet;
  committers: LoginSet;
  pushers: LoginSet;
}

export function exclusionsOf(pr: Pick<PullRequestSnapshot, 'author' | 'commits' | 'pushers'>): Exclusions {
  const committers = new LoginSet();
  for (const c of pr.commits ?? []) for (const a of c?.authors ?? []) if (typeof a === 'string') committers.add(a);
  return {
    author: new LoginSet(typeof pr.author === 'string' ? [pr.author] : []),
    committers,
    pushers: new LoginSet((pr.pushers ?? []).filter((p) => typeof p === 'string')),
  };
}

/** Why this person may not approve the pull request at all, or undefined when they may. */
export function exclusionWhy(login: string, ex: Exclusions): string | undefined {
  if (ex.author.has(login)) return WHY.author;
  if (ex.committers.has(login)) return WHY.committer;
  if (ex.pushers.has(login)) return WHY.pusher;
  return undefined;
}

export interface ResolvedReviewers {
  /** Every login the policy's reviewers stand for, before exclusions. */
  configured: LoginSet;
  /** Who may give the approval now. */
  eligible: LoginSet;
  /** Users named directly who remain eligible, as "login". */
  eligibleUsers: string[];
  /** Teams ("org/slug") with at least one eligible member. */
  eligibleTeams: string[];
  /** Teams whose members were not supplied: they count as having no member. */
  unresolvedTeams: string[];
}

/** Who of the listed reviewer handles (core/policy's reviewerHandles) may approve this pull request. */
export function eligibleReviewers(
  reviewers: readonly string[],
  teamMembers: PullRequestSnapshot['teamMembers'],
  ex: Exclusions,
): ResolvedReviewers {
  const configured = new LoginSet();
  const eligible = new LoginSet();
  const eligibleUsers = new LoginSet();
  const eligibleTeams: string[] = [];
  const unresolvedTeams: string[] = [];
  const allowed = (login: string) => exclusionWhy(login, ex) === undefined;
  for (const entry of reviewers) {
    const spec = typeof entry === 'string' ? parseReviewer(entry) : undefined;
    if (!spec) continue;
    if (spec.kind === 'user') {
      configured.add(spec.login);
      if (allowed(spec.login)) {
        eligible.add(spec.login);
        eligibleUsers.add(spec.login);
      }
      continue;
    }
    const members = membersOf(teamMembers ?? {}, spec.team);
    if (members === undefined) {
      if (!unresolvedTeams.includes(spec.team)) unresolvedTeams.push(spec.team);
      continue;
    }
    let any = false;
    for (const m of members) {
      configured.add(m);
      if (allowed(m)) {
        eligible.add(m);
        any = true;
      }
    }
    if (any && !eligibleTeams.includes(spec.team)) eligibleTeams.push(spec.team);
  }
  return { configured, eligible, eligibleUsers: [...eligibleUsers], eligibleTeams, unresolvedTeams };
}
