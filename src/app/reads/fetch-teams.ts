/**
 * The members of every team named as a reviewer ("@org/slug"), resolved now (DESIGN.md
 * section 4: never cached across deliveries): GET /orgs/{org}/teams/{team_slug}/members,
 * every page. A team GitHub does not know (404) is left out: the gate then treats it as
 * having no member and says so.
 */
import { statusOf, type PagingGitHubClient } from '../../adapters/github/index.js';
import { parseReviewer } from '../../core/approvals/index.js';
import type { RequiredApproval } from '../../core/model.js';
import { listAll } from '../../adapters/github/index.js';

export async function fetchTeamMembers(
  octokit: PagingGitHubClient,
  required: readonly RequiredApproval[],
): Promise<Record<string, string[]>> {
  const teams = new Set<string>();
  for (const approval of required) {
    for (const entry of approval.reviewers) {
      const spec = parseReviewer(entry);
      if (spec?.kind === 'team') teams.add(spec.team);
    }
  }
  const members: Record<string, string[]> = {};
  for (const team of teams) {
    const [org, slug] = team.split('/') as [string, string];
    try {
      const list = await listAll<{ login: string }>(octokit, 'GET /orgs/{org}/teams/{team_slug}/members', { org, team_slug: slug });
      members[team] = list.map((m) => m.login);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return members;
}
