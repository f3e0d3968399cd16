/** "What merging will do" in the text and Markdown renderings of a check report (CLI, Action, App). */
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../src/core/check/report.js';
import { renderCheckMarkdown } from '../../../src/core/render/render-markdown.js';
import { renderCheckText } from '../../../src/core/render/render-text.js';
import { liveText } from '../../helpers/markdown.js';

function report(extra: Partial<CheckReport>): CheckReport {
  return {
    decision: 'auto_approve',
    apps: [],
    governance: [],
    required_approvals: [],
    findings: [],
    base: 'main',
    head: 'feature',
    ...extra,
  };
}

const provisioning: CheckReport['provisioning'] = {
  steps: [
    {
      provisioner: 'gateway',
      app: 'standup-notes-bot',
      action: 'create',
      summary: 'Add standup-notes-bot to the API gateway as a consumer allowed to use jira_read_only (issues:read; 1000/hour).',
    },
    {
      provisioner: 'webhook:broker',
      app: 'standup-notes-bot',
      action: 'create',
      summary: 'Send "create" for standup-notes-bot to the broker webhook (hooks.example.com).',
    },
  ],
  notes: ['registry/it/x_<b>@team</b>.yaml has errors: nothing can be provisioned for it until they are fixed.'],
};

describe('rendering the provisioning preview', () => {
  it('text: one line per step, then the notes', () => {
    const text = renderCheckText(report({ provisioning }));
    expect(text).toContain(
      [
        'What merging will do (policies/provisioners.yaml of the base branch):',
        '  gateway, create standup-notes-bot: Add standup-notes-bot to the API gateway as a consumer allowed to use jira_read_only (issues:read; 1000/hour).',
        '  webhook:broker, create standup-notes-bot: Send "create" for standup-notes-bot to the broker webhook (hooks.example.com).',
        '  note: registry/it/x_<b>@team</b>.yaml has errors: nothing can be provisioned for it until they are fixed.',
      ].join('\n'),
    );
  });

  it('markdown: a section with escaped text (no HTML, no mentions)', () => {
    const md = renderCheckMarkdown(report({ provisioning }));
    expect(md).toContain('### What merging will do');
    expect(md).toContain('- `webhook:broker` **create** `standup-notes-bot`: Send "create" for standup-notes-bot');
    expect(md).not.toContain('<b>');
    expect(liveText(md), 'a mention only inside a code span, where it pings nobody').not.toContain('@team');
    expect(md).toContain('`@team`');
  });

  it('is left out when there is no preview, nothing in it, or the change cannot be merged', () => {
    expect(renderCheckText(report({}))).not.toContain('What merging will do');
    expect(renderCheckMarkdown(report({ provisioning: { steps: [], notes: [] } }))).not.toContain('What merging will do');
    expect(renderCheckText(report({ decision: 'deny', provisioning }))).not.toContain('What merging will do');
    expect(renderCheckMarkdown(report({ decision: 'invalid', provisioning }))).not.toContain('What merging will do');
  });

  it('stays within the Markdown byte budget with thousands of steps', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...provisioning!.steps[0]!, app: `app-${i}` }));
    const md = renderCheckMarkdown(report({ provisioning: { steps: many, notes: [] } }), { maxBytes: 64 * 1024 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(64 * 1024);
    expect(md).toContain('left out');
  });
});
