/**
 * The App, the third front door (issue 9, section 6): a secret refused in a pull request's
 * manifest is not repeated in the check run (title, summary, text, annotations) nor in the
 * follow-ups (comment, labels), because the core's report is redacted before any door renders it.
 */
import { describe, expect, it } from 'vitest';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { OWNER, REPO, pullRequestOf, serveEvaluation } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

const TOKEN = ['gh', 'p_', 'Ap9', 'q'.repeat(30), 'L4v'].join('');
const SLACK = ['xo', 'xb-', '123456789012', '-', 'a'.repeat(24)].join('');

describe('app: a refused secret is not repeated', () => {
  it('as environment, a field name and a scope: the failing check and the follow-ups never show it', async () => {
    const pr = pullRequestOf({
      'registry/it/leaky-app.yaml': [
        'name: leaky-app',
        'owner: it-platform@example.com',
        `environment: ${TOKEN}`,
        `${SLACK}: 1`,
        'auth:',
        '  type: oidc',
        '  provider: company-sso',
        `  scopes: [openid, ${TOKEN}s]`,
        'connectors: [jira_read_only]',
        '',
      ].join('\n'),
    });
    const followUps = serveEvaluation(github, pr);
    const checks = expectCheckRuns(OWNER, REPO);
    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));
    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    const run = JSON.stringify(checks.sent[0]);
    expect(run).toContain('secret.detected');
    expect(run).toContain('secret removed');
    const everything = `${run}\n${JSON.stringify(followUps)}\n${res.body}`;
    for (const secret of [TOKEN, SLACK])
      expect(everything.includes(secret), `the secret reached GitHub:\n${everything.slice(0, 4000)}`).toBe(false);
  });
});
