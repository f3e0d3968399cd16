import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../../src/core/approvals/evaluate.js';
import type { ApprovalStatus } from '../../../../src/core/approvals/types.js';
import { WHY } from '../../../../src/core/approvals/words.js';
import type { CheckReport } from '../../../../src/core/check/report.js';
import { CHECK_RUN_SUMMARY_MAX_CHARS, renderApprovalStatus } from '../../../../src/core/render/approvals/render-status.js';
import { markdownText } from '../../../../src/core/render/safe-text.js';
import { liveText } from '../../../helpers/markdown.js';
import { approve, manager, OLDER, security, snapshot } from '../../approvals/helpers.js';

/** An "@" outside a code span would notify someone. */
const PING = /@/;

describe('renderApprovalStatus', () => {
  const required = [manager('@mona'), security()];
  const status = evaluateApprovals(
    required,
    snapshot({
      reviews: [approve('mona', 1), approve('randy', 2), approve('sue', 3, { commitId: OLDER }), approve('dev', 4)],
    }),
  );
  const md = renderApprovalStatus(status);

  it('shows each approval, who can give it, who has, and what is missing', () => {
    expect(md).toContain('## ⏳ Waiting for approval: security team');
    expect(md).toContain("### ✅ Owner's manager");
    expect(md).toContain('### ⏳ Security team');
    expect(md).toContain('Apps that handle PII need a security review.');
    expect(md).toContain('- **Can approve:** `@sam` and `@sue`');
    expect(md).toContain('- **Approved by:** `@mona`');
    expect(md).toContain('- **Approved by:** nobody yet');
    expect(md).toContain('- **Still needed:** an approval from a member of `@acme/security`');
  });

  it('lists the approvals that do not count, with why', () => {
    expect(md).toContain('### Approvals that do not count');
    expect(md).toContain(`- \`@sue\`: ${WHY.stale}`);
    expect(md).toContain(`- \`@dev\`: ${WHY.author}`);
    expect(md).toContain("- `@randy`: is not among the owner's managers (`@mona`) or in `@acme/security`");
  });

  it('mentions nobody', () => {
    expect(liveText(md)).not.toMatch(PING);
  });

  it('says when all is given, and when nothing is needed', () => {
    const ok = renderApprovalStatus(evaluateApprovals(required, snapshot({ reviews: [approve('mona'), approve('sam')] })));
    expect(ok).toContain('## ✅ All required approvals given');
    expect(ok).not.toContain('Still needed');
    expect(renderApprovalStatus(evaluateApprovals([], snapshot()))).toContain('This pull request needs no approval.');
  });

  it('says plainly when nobody can give an approval', () => {
    const out = renderApprovalStatus(evaluateApprovals([{ ...security(), reviewers: [] }], snapshot()));
    expect(out).toContain('## ⛔ Nobody can give the security team approval: ask the platform team');
    expect(out).toContain('- **Can approve:** nobody');
    expect(out).toContain('- **Still needed:** nobody is configured to approve for the security team: ask the platform team');
  });

  it('uses the check report: a denied change cannot be approved', () => {
    const report: CheckReport = {
      decision: 'deny',
      apps: [],
      governance: [],
      required_approvals: [],
      findings: [],
      base: 'main',
      head: 'pr',
    };
    const out = renderApprovalStatus(evaluateApprovals([], snapshot()), report);
    expect(out).toMatch(/^## ⛔ The policy does not allow this change/);
    expect(out).toContain('Policy decision: **denied**.');
    expect(out).toContain('No approval can make this change mergeable');
  });

  it('does not say "no approval needed" when the status does not match the report', () => {
    const report: CheckReport = {
      decision: 'manager_approval',
      apps: [],
      governance: [],
      required_approvals: [manager('@mona')],
      findings: [],
      base: 'main',
      head: 'pr',
    };
    const out = renderApprovalStatus(evaluateApprovals([], snapshot()), report);
    expect(out).toMatch(/^## ⏳ The approval status does not match the policy check/);
    expect(out).not.toContain('needs no approval');
  });

  it('escapes untrusted logins, teams and reasons', () => {
    const evil = '`x`<img src=x onerror=alert(1)>[link](http://e.vil)**b**';
    const hostile = evaluateApprovals(
      [
        {
          action: 'security_team_review',
          reviewers: ['@acme/sec'],
          reason: `Line one\n## Injected heading @everyone <script>alert(1)</script> ${evil}`,
        },
      ],
      snapshot({ teamMembers: { 'acme/sec': [evil, 'ok'] }, reviews: [approve('intruder`@admin')] }),
    );
    const out = renderApprovalStatus(hostile);
    expect(liveText(out)).not.toMatch(PING);
    expect(liveText(out)).not.toMatch(/(?<!\\)[<>`[\]]/);
    expect(out).not.toMatch(/\n## Injected/);
    expect(out).toContain('\\<script\\>');
    expect(out).toContain('`@everyone`');
  });

  it('strips invisible and direction-changing characters', () => {
    expect(markdownText('a\u202eb\u0000c\u200fd')).toBe('abcd');
    expect(markdownText('a\r\nb\tc')).toBe('a b c');
  });
});

describe('renderApprovalStatus size limit', () => {
  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const big = (): ApprovalStatus =>
    evaluateApprovals(
      [manager(...many(300, '@mgr')), security(), { action: 'governance', reviewers: ['@acme/gov'], reason: 'R'.repeat(100_000) }],
      snapshot({
        teamMembers: { 'acme/security': many(5000, 'security-member-'), 'acme/gov': many(5000, 'gov-') },
        reviews: many(3000, 'outsider-').map((u, i) => approve(u, i % 60, { id: 10_000 + i })),
      }),
    );

  it("stays within GitHub's 65,535 characters by shortening lists with a count", () => {
    const out = renderApprovalStatus(big());
    expect(out.length).toBeLessThanOrEqual(CHECK_RUN_SUMMARY_MAX_CHARS);
    expect(out).toMatch(/\d+ others/);
    expect(out).toMatch(/…and \d+ more approvals that do not count/);
    expect(out).toContain('### ⏳ Security team');
    expect(out).toContain('- **Still needed:**');
  });

  it.each([20_000, 5_000, 1_500, 400, 120, 10, 0])('stays within maxChars = %i', (maxChars) => {
    const out = renderApprovalStatus(big(), undefined, { maxChars });
    expect(out.length).toBeLessThanOrEqual(maxChars);
    expect(liveText(out)).not.toMatch(PING);
  });

  it('keeps what is still missing when space is very short', () => {
    const out = renderApprovalStatus(big(), undefined, { maxChars: 800 });
    expect(out).toContain('## ⏳ Waiting for approval');
    expect(out).toContain('Security team: still needed: an approval from a member of `@acme/security`');
  });

  it('never cuts a character in half', () => {
    const emoji = evaluateApprovals(
      [{ action: 'governance', reviewers: [`@${'🔒'.repeat(300)}/x`], reason: '🔒'.repeat(5000) }],
      snapshot({ teamMembers: {} }),
    );
    for (let maxChars = 0; maxChars < 400; maxChars++) {
      const out = renderApprovalStatus(emoji, undefined, { maxChars });
      expect(out.length).toBeLessThanOrEqual(maxChars);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });

  it('shows everything when it fits', () => {
    const small = evaluateApprovals([security()], snapshot({ teamMembers: { 'acme/security': many(40, 's') } }));
    const out = renderApprovalStatus(small);
    expect(out).not.toMatch(/others|cut to fit/);
    expect(out).toContain('`@s39`');
  });
});
