/**
 * The GitHub Action: judges a pull request's registry change exactly as `microapps check`
 * does (same pipeline), then carries the result out through the runner's contract:
 * annotations, outputs, the job summary and a JSON report file. Outside a pull request it
 * validates the whole registry. run() catches everything: the step never dies with a stack.
 */
import { readFileSync } from 'node:fs';
import { CommitNotInCheckoutError, RefNotFoundError } from '../core/errors.js';
import type { CheckReport } from '../core/check/report.js';
import { hasErrors, sortFindings } from '../core/findings.js';
import { renderCheckMarkdown } from '../core/render/render-markdown.js';
import { renderCheckText } from '../core/render/render-text.js';
import { DECISION_WORDS } from '../core/render/words.js';
import { checkGitChange } from '../pipeline/check-git-change.js';
import { readFolder } from '../pipeline/read-folder.js';
import { annotate, ANNOTATIONS_PER_SEVERITY } from './annotate.js';
import { readInputs } from './inputs.js';
import { setCheckOutputs, setMergeOutputs, SUMMARY_MAX_BYTES } from './outputs.js';
import { runMerge } from './merge.js';
import { appendSummary, infoUntrusted, setFailed } from './runner.js';

export { appsOutput, APPS_OUTPUT_MAX_BYTES, SUMMARY_MAX_BYTES } from './outputs.js';

interface PullRequestPayload {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
}

export async function run(): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const inputs = readInputs(workspace);
    if (inputs.mode === 'merge') {
      if (!(await runMerge(inputs.root)))
        setFailed('A provisioning step failed. It is recorded in the audit entry; see the step log for which one and why.');
      return;
    }
    const pr = readPullRequest();
    const { report, headline } = pr
      ? { report: await judgePullRequest(inputs.root, pr.base, pr.head), headline: undefined }
      : await validateRegistry(inputs.root);

    infoUntrusted(renderCheckText(report));
    setCheckOutputs(report);
    // Declared for merge mode; set here too so every output of the step has a value.
    setMergeOutputs(undefined);

    const failing = inputs.failOn.has(report.decision);
    // The failure message is an error annotation too: keep a slot for it within GitHub's ten.
    annotate(
      sortFindings([...report.findings, ...report.apps.flatMap((a) => a.findings)]),
      report.apps,
      inputs.rootInWorkspace,
      failing ? ANNOTATIONS_PER_SEVERITY - 1 : ANNOTATIONS_PER_SEVERITY,
    );
    if (inputs.summary) {
      appendSummary(
        renderCheckMarkdown(report, {
          maxBytes: SUMMARY_MAX_BYTES,
          headline,
          fullReportHint: 'The full report is in the step output "report" (a JSON file).',
        }),
      );
    }
    if (failing) {
      setFailed(
        `The micro-app policy decision is "${report.decision}": ${DECISION_WORDS[report.decision]}. See the job summary for why and what to change.`,
      );
    }
  } catch (e) {
    setFailed(e instanceof Error ? e.message : String(e));
  }
}

/** The base and head commits of the pull request in the event payload, if this is one. */
function readPullRequest(): { base: string; head: string } | undefined {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  const payload = JSON.parse(readFileSync(path, 'utf8')) as PullRequestPayload;
  const pr = payload.pull_request;
  if (!pr) return undefined;
  const base = pr.base?.sha;
  const head = pr.head?.sha;
  if (!base || !head || !/^[0-9a-f]{40}$/.test(base) || !/^[0-9a-f]{40}$/.test(head)) {
    throw new Error('the pull_request event has no valid base.sha and head.sha.');
  }
  return { base, head };
}

/** Judges the pull request's change; a commit the checkout lacks is a CommitNotInCheckoutError. */
export async function judgePullRequest(root: string, base: string, head: string): Promise<CheckReport> {
  try {
    return await checkGitChange(root, base, head);
  } catch (e) {
    if (e instanceof RefNotFoundError) throw new CommitNotInCheckoutError(e.ref, e.ref === base ? 'base' : 'head');
    throw e;
  }
}

/** Outside a pull request (push, schedule, manual run): the whole registry is validated. */
async function validateRegistry(root: string): Promise<{ report: CheckReport; headline: string }> {
  const { findings, fileCount } = await readFolder(root);
  sortFindings(findings);
  const valid = !hasErrors(findings);
  return {
    report: {
      decision: valid ? 'no_changes' : 'invalid',
      apps: [],
      governance: [],
      required_approvals: [],
      findings,
      base: '',
      head: 'the checked-out registry',
    },
    headline: `Validated the whole registry (${fileCount} files): ${valid ? 'every file is valid.' : 'some files have errors. Each problem names its file, line and column.'}`,
  };
}
