/**
 * The shortest form of the approval summary, when even one line per approval does not fit and
 * the summary is cut: every kind of missing approval must stay in sight. (Found by the App's
 * 5,000-file scenario: a thousand owners' managers pushed the missing security review out of
 * the check's summary, while its title still asked for it.)
 */
import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../../src/core/approvals/evaluate.js';
import { renderApprovalStatus } from '../../../../src/core/render/approvals/render-status.js';
import type { RequiredApproval } from '../../../../src/core/model.js';
import { approve, manager, security, snapshot } from '../../approvals/helpers.js';

const managers = (n: number): RequiredApproval[] => Array.from({ length: n }, (_, i) => manager(`@manager-${String(i).padStart(4, '0')}`));

describe('renderApprovalStatus, cut to fit', () => {
  it('keeps every kind of missing approval when a thousand managers do not fit', () => {
    const governance: RequiredApproval = { action: 'governance', reviewers: ['@acme/gov'], reason: 'Policy changes need governance.' };
    const status = evaluateApprovals(
      [...managers(1000), security(), governance],
      snapshot({ teamMembers: { 'acme/security': ['sam'], 'acme/gov': ['gus'] } }),
    );
    const out = renderApprovalStatus(status, undefined, { maxChars: 20_000 });

    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toContain("GitHub's size limit");
    expect(out).toContain("## ⏳ Waiting for approval: owner's manager, security team and governance approvers");
    expect(out).toContain('- ⏳ Security team: still needed: an approval from a member of `@acme/security`');
    expect(out).toContain('- ⏳ Governance approvers: still needed: an approval from a member of `@acme/gov`');
    // One of each kind first, then the rest in their order.
    const lines = out.split('\n').filter((l) => l.startsWith('- '));
    expect(lines.slice(0, 4).map((l) => l.replace(/: still needed.*/, ''))).toEqual([
      "- ⏳ Owner's manager",
      '- ⏳ Security team',
      '- ⏳ Governance approvers',
      "- ⏳ Owner's manager",
    ]);
    expect(lines[0]).toContain('manager-0000');
    expect(lines[3]).toContain('manager-0001');
  });

  it('puts what nobody can give first, then what is waiting, then what was given', () => {
    const status = evaluateApprovals(
      [...managers(1000), { ...security(), reviewers: [] }],
      snapshot({
        reviews: [approve('manager-0001')],
      }),
    );
    const out = renderApprovalStatus(status, undefined, { maxChars: 5_000 });
    const lines = out.split('\n').filter((l) => l.startsWith('- '));
    expect(out).toMatch(/^## ⛔ Nobody can give the security team approval/);
    expect(lines[0]).toMatch(/^- ⛔ Security team: still needed: nobody is configured/);
    expect(lines[1]).toContain('manager-0000');
    expect(lines[2]).toContain('manager-0002');
    expect(out).not.toContain('✅');
  });
});
