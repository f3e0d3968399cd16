/**
 * The Action's merge mode (`mode: merge`), for organisations that do not run the GitHub App: on
 * a push to the default branch it records the merge exactly as `microapps apply` does (the same
 * pipeline), then pushes the audit commit. When the push is refused because the branch moved
 * (another merge landed), it takes the new branch head and records again on top of it; what is
 * already in the log is never recorded twice.
 *
 * The audit key comes from the `audit-key` input (a secret): it is written to a file under
 * RUNNER_TEMP, readable by this user only, and removed at the end.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '../adapters/git/run-git.js';
import { SourceError } from '../core/errors.js';
import { renderApplyText } from '../core/render/render-apply.js';
import { applyMerge, type ApplyOutcome } from '../pipeline/merge/apply-merge.js';
import { appendSummary, getInput, info, infoUntrusted } from './runner.js';
import { setCheckOutputs, setMergeOutputs } from './outputs.js';

interface PushPayload {
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
}

const SHA = /^[0-9a-f]{40}$/;
const MAX_PUSHES = 3;

/** Returns true when every provisioning step went through. */
export async function runMerge(root: string): Promise<boolean> {
  if (process.env.GITHUB_EVENT_NAME !== 'push')
    throw new Error(`mode "merge" runs on push events (to the default branch), not on ${process.env.GITHUB_EVENT_NAME ?? 'this event'}.`);
  const push = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH ?? '', 'utf8')) as PushPayload;
  if (push.deleted || !push.ref?.startsWith('refs/heads/')) {
    info('Not a push to a branch: nothing to record.');
    setCheckOutputs({ decision: 'no_changes', apps: [], governance: [], required_approvals: [], findings: [], base: '', head: '' });
    setMergeOutputs(undefined);
    return true;
  }
  const branch = push.ref.slice('refs/heads/'.length);
  if (!push.before || !push.after || !SHA.test(push.before) || !SHA.test(push.after) || /^0+$/.test(push.before)) {
    throw new Error('the push event has no usable before and after commits (a new branch has nothing to compare with).');
  }
  const keyFile = writeKey();
  try {
    const env = { ...process.env, ...(keyFile ? { MICROAPPS_AUDIT_KEY: keyFile } : {}) };
    let outcome: ApplyOutcome | undefined;
    for (let attempt = 1; attempt <= MAX_PUSHES; attempt++) {
      outcome = await applyMerge({
        root,
        before: push.before,
        after: push.after,
        branch,
        dryRun: false,
        env,
        readKey: (path) => readFileSync(path, 'utf8'),
      });
      if (!outcome.commit) break;
      const pushed = await runGit(root, ['push', 'origin', `refs/heads/${branch}:refs/heads/${branch}`]);
      if (pushed.code === 0) break;
      if (attempt === MAX_PUSHES)
        throw new SourceError(`could not push the audit commit to ${branch}: ${pushed.stderr.trim().split('\n').pop()}`);
      // Refused: the branch moved. Take its new head and record again on top of it.
      infoUntrusted(`The push was refused (${pushed.stderr.trim().split('\n').pop()}); recording again on the new head of ${branch}.`);
      const fetched = await runGit(root, ['fetch', '--quiet', 'origin', `refs/heads/${branch}`]);
      if (fetched.code !== 0) throw new SourceError(`could not fetch ${branch}: ${fetched.stderr.trim()}`);
      const current = (await runGit(root, ['symbolic-ref', '--quiet', 'HEAD'])).stdout.toString('utf8').trim();
      const reset =
        current === `refs/heads/${branch}`
          ? await runGit(root, ['reset', '--quiet', '--keep', 'FETCH_HEAD'])
          : await runGit(root, ['update-ref', `refs/heads/${branch}`, 'FETCH_HEAD']);
      if (reset.code !== 0) throw new SourceError(`could not move ${branch} to its new head: ${reset.stderr.trim()}`);
    }
    const o = outcome!;
    infoUntrusted(renderApplyText(o, branch, false));
    setCheckOutputs(o.report);
    setMergeOutputs(o);
    const failed = o.results.filter((r) => r.status === 'failed');
    if (getInput('summary') !== 'false')
      appendSummary(`## Micro-app merge record\n\n\`\`\`text\n${renderApplyText(o, branch, false).replace(/`/g, "'")}\`\`\`\n`);
    return failed.length === 0;
  } finally {
    if (keyFile) rmSync(keyFile, { force: true });
  }
}

/** The `audit-key` input to a private file; undefined when not given (MICROAPPS_AUDIT_KEY may name one). */
function writeKey(): string | undefined {
  const key = getInput('audit-key');
  if (!key) return undefined;
  const path = join(process.env.RUNNER_TEMP || tmpdir(), `microapps-audit-key-${process.pid}`);
  writeFileSync(path, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
