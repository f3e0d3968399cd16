import { CommitTree, repositoryPrefix, resolveCommit } from '../../adapters/git/commit-tree.js';
import { WorkingTree } from '../../adapters/git/working-tree.js';
import type { TreeSource } from '../../adapters/tree-source.js';
import { diffTrees } from '../../core/check/diff-trees.js';
import { judgeChange } from '../../core/check/judge-change.js';
import { planReads } from '../../core/check/plan-reads.js';
import type { CheckReport } from '../../core/check/report.js';
import { renderCheckMarkdown } from '../../core/render/render-markdown.js';
import { renderCheckText } from '../../core/render/render-text.js';
import type { CommandContext } from '../main.js';
import { readAndLoad } from '../read-registry.js';
import { UsageError } from '../usage.js';

/** `microapps check --base REF [--head REF]`: judges a change from git objects, no checkout. */
export async function checkCommand(ctx: CommandContext): Promise<number> {
  const report = await runCheck(ctx.root, ctx.values.base, ctx.values.head);
  if (ctx.format === 'json') ctx.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (ctx.format === 'markdown') ctx.write(renderCheckMarkdown(report));
  else ctx.write(renderCheckText(report));
  return report.decision === 'invalid' || report.decision === 'deny' ? 1 : 0;
}

export async function runCheck(root: string, baseRef: string | undefined, headRef: string | undefined): Promise<CheckReport> {
  if (!baseRef) throw new UsageError('check needs --base REF (for example: microapps check --base origin/main)');
  const prefix = await repositoryPrefix(root);
  const baseCommit = await resolveCommit(root, baseRef);
  const base = new CommitTree(root, baseCommit, `${baseRef} (${baseCommit.slice(0, 7)})`, prefix);
  let head: TreeSource;
  if (headRef) {
    const headCommit = await resolveCommit(root, headRef);
    head = new CommitTree(root, headCommit, `${headRef} (${headCommit.slice(0, 7)})`, prefix);
  } else {
    head = new WorkingTree(root);
  }
  const [baseListing, headListing] = await Promise.all([base.listing(), head.listing()]);
  const diff = diffTrees(baseListing, headListing);
  const plan = planReads(diff, baseListing, headListing);
  const [baseFiles, headFiles] = await Promise.all([readAndLoad(base, plan.base), readAndLoad(head, plan.head)]);
  return judgeChange({
    diff,
    base: { listing: baseListing, files: baseFiles, label: base.label },
    head: { listing: headListing, files: headFiles, label: head.label },
    fullHeadValidation: plan.fullHeadValidation,
  });
}
