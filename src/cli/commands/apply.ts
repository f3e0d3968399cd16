/**
 * `microapps apply --before REF --after REF [--branch NAME] [--dry-run]`: provisions what a
 * merge changed and records it in the audit log, as one commit on the branch (SSH-signed when
 * the clone has gpg.format ssh). The key is MICROAPPS_AUDIT_KEY (a file path, never an
 * argument: arguments end up in shell histories and process lists).
 * Exit codes: 0 done (or nothing to do), 1 a provisioning step failed (still recorded),
 * 2 usage errors, missing refs, a refused log or key.
 */
import { readFileSync } from 'node:fs';
import { runGit } from '../../adapters/git/run-git.js';
import { SourceError, UsageError } from '../../core/errors.js';
import { renderApplyText } from '../../core/render/render-apply.js';
import { applyMerge } from '../../pipeline/merge/apply-merge.js';
import type { CommandContext } from '../main.js';

export async function applyCommand(ctx: CommandContext): Promise<number> {
  const { before, after } = ctx.values;
  if (!before || !after) throw new UsageError('apply needs --before REF and --after REF (the branch before and after the merge)');
  const branch = ctx.values.branch ?? (await currentBranch(ctx.root));
  const outcome = await applyMerge({
    root: ctx.root,
    before,
    after,
    branch,
    dryRun: ctx.values.dryRun === true,
    env: process.env,
    readKey: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        throw new SourceError(`cannot read MICROAPPS_AUDIT_KEY (${path}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    },
  });
  if (ctx.format === 'json') ctx.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else ctx.write(renderApplyText(outcome, branch, ctx.values.dryRun === true));
  return outcome.results.some((r) => r.status === 'failed') ? 1 : 0;
}

async function currentBranch(root: string): Promise<string> {
  const result = await runGit(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const name = result.stdout.toString('utf8').trim();
  if (result.code !== 0 || !name) throw new UsageError('HEAD is not on a branch: say which branch to record on with --branch NAME');
  return name;
}
