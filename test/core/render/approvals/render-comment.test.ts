import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../../src/core/approvals/evaluate.js';
import { COMMENT_MARKER, COMMENT_MAX_CHARS, renderPullRequestComment } from '../../../../src/core/render/approvals/render-comment.js';
import type { AppReport, CheckReport } from '../../../../src/core/check/report.js';
import { liveText } from '../../../helpers/markdown.js';
import { HEAD, manager, security, snapshot } from '../../approvals/helpers.js';

const app = (name: string, extra: Partial<AppReport> = {}): AppReport => ({
  app: name,
  path: `registry/hr/${name}.yaml`,
  change: 'added',
  decision: 'security_team_review',
  rules: ['003'],
  required_approvals: [],
  findings: [],
  reasons: ['Apps that read HR data need a security review.'],
  remedies: ['Use the hr_api_read connector without the write scope.'],
  ...extra,
});

const report = (apps: AppReport[]): CheckReport => ({
  decision: 'security_team_review',
  apps,
  governance: [],
  required_approvals: [manager('@mona'), security()],
  findings: [],
  base: 'main',
  head: 'pr',
});

describe('renderPullRequestComment', () => {
  const required = [manager('@mona'), security()];

  it('starts with the marker, says who must approve and why, and what to change; mentions nobody', () => {
    const body = renderPullRequestComment(evaluateApprovals(required, snapshot()), report([app('team-anniversaries')]), {
      checkName: 'micro-app approval',
      headSha: HEAD,
    });
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain('Waiting for approval');
    expect(body).toContain('Apps that read HR data need a security review.');
    expect(body).toContain('Use the hr\\_api\\_read connector');
    expect(body).toContain(`commit ${HEAD.slice(0, 7)}`);
    expect(body).toContain('"micro-app approval" check');
    expect(liveText(body), 'an @mention would notify on every edit').not.toMatch(/@/);
  });

  it("stays within GitHub's comment limit for a huge change", () => {
    const apps = Array.from({ length: 3000 }, (_, i) => app(`app-${i}`, { reasons: ['x'.repeat(300)] }));
    const body = renderPullRequestComment(evaluateApprovals(required, snapshot()), report(apps), {
      checkName: 'micro-app approval',
      headSha: HEAD,
    });
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body).toContain('too long to show in full');
  });

  it('untrusted text cannot add markup or close the marker', () => {
    const evil = app('evil', { reasons: ['--> <img src=x onerror=alert(1)> [click](https://evil.example) @everyone'] });
    const body = renderPullRequestComment(evaluateApprovals(required, snapshot()), report([evil]), {
      checkName: 'x --> <b>',
      headSha: HEAD,
    });
    expect(body.indexOf('-->')).toBe(COMMENT_MARKER.length - 3);
    expect(body, 'HTML stays escaped text').not.toMatch(/(?<!\\)<img/);
    expect(body).not.toMatch(/(?<!\\)\]\(https:\/\/evil/);
    expect(liveText(body), 'a mention only inside a code span, where it pings nobody').not.toMatch(/@everyone/);
    expect(body).toContain('`@everyone`');
  });
});
