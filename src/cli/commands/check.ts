import { renderCheckMarkdown } from '../../core/render/render-markdown.js';
import { renderCheckText } from '../../core/render/render-text.js';
import { isBlocking } from '../../core/model.js';
import type { CommandContext } from '../main.js';
import { checkGitChange } from '../../pipeline/check-git-change.js';
import { UsageError } from '../../core/errors.js';

/** `microapps check --base REF [--head REF]`: judges a change from git objects, no checkout. */
export async function checkCommand(ctx: CommandContext): Promise<number> {
  if (!ctx.values.base) throw new UsageError('check needs --base REF (for example: microapps check --base origin/main)');
  const report = await checkGitChange(ctx.root, ctx.values.base, ctx.values.head);
  if (ctx.format === 'json') ctx.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (ctx.format === 'markdown') ctx.write(renderCheckMarkdown(report));
  else ctx.write(renderCheckText(report));
  return isBlocking(report.decision) ? 1 : 0;
}
