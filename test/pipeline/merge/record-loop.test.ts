/**
 * The merge-record loop over an in-memory branch writer (the trees are a real repository's
 * commits): committed the first time; moved once, then committed on the new tip; a writer still
 * showing the refused tip waits the back-off (a recording sleep, no clock) and asks again; a
 * branch that keeps moving stops after five attempts with a clear error; a merge that is not on
 * the branch records nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BranchCommitOptions, BranchCommitResult, BranchWriter } from '../../../src/adapters/branch-writer.js';
import { CommitTree } from '../../../src/adapters/git/commit-tree.js';
import {
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_LOG_PATH,
  allowedSignersLine,
  keyFileText,
  keyPath,
  signerFromOpenSshKey,
} from '../../../src/core/audit/index.js';
import { planMerge } from '../../../src/pipeline/merge/plan-merge.js';
import { BACKOFF_MS, MAX_ATTEMPTS, recordOnBranch, type RecordOnBranchRequest } from '../../../src/pipeline/merge/record-loop.js';
import { HR_APP, makeAuditKey } from '../../app/merge-scenario.js';
import { createSeededRepo, useTempRepos, type GitRepo } from '../../helpers/git-repo.js';

useTempRepos();

const GATEWAY_ONLY = 'gateway:\n  enabled: true\n  format: kong\n  output: generated/gateway/kong.yaml\n';

/** main before and after a merge that adds one app; the audit key registered. */
function merged() {
  const key = makeAuditKey('loop-key');
  const repo = createSeededRepo();
  repo.write('policies/provisioners.yaml', GATEWAY_ONLY);
  repo.write(keyPath(key.keyId), keyFileText(key.key));
  repo.write('audit/allowed_signers', `${allowedSignersLine(key.key)}\n`);
  const before = repo.commit('provisioners and the audit key');
  repo.writeAll(HR_APP);
  const after = repo.commit('the merge');
  return { repo, before, after, signer: signerFromOpenSshKey(key.privateKey, { source: 'test' }).value! };
}

type Move = 'new-tip' | 'same-tip';

/** A branch in memory: tips are the repository's commits; each scripted move answers one commit with `moved`. */
class MemoryWriter implements BranchWriter {
  readonly branch = 'main';
  readonly commits: Array<{ files: ReadonlyMap<string, string>; options: BranchCommitOptions }> = [];
  heads = 0;
  constructor(
    private readonly repo: GitRepo,
    private tip: string,
    private readonly moves: Move[],
    private readonly onBranch = true,
  ) {}

  async head(): Promise<string> {
    this.heads++;
    return this.tip;
  }

  async contains(): Promise<boolean> {
    return this.onBranch;
  }

  async commit(files: ReadonlyMap<string, string>, options: BranchCommitOptions): Promise<BranchCommitResult> {
    this.commits.push({ files, options });
    const move = this.moves.shift();
    if (move === undefined) return { kind: 'committed', sha: 'f'.repeat(40), signed: false };
    if (move === 'new-tip') {
      this.repo.write(`registry/notes-${this.commits.length}.md`, 'another merge landed\n');
      this.tip = this.repo.commit('another merge');
    }
    return { kind: 'moved', head: this.tip, detail: 'moved in memory' };
  }
}

async function run(m: ReturnType<typeof merged>, writer: MemoryWriter, extra: Partial<RecordOnBranchRequest> = {}) {
  const tree = (sha: string) => new CommitTree(m.repo.dir, sha, sha.slice(0, 7), '');
  const plan = await planMerge(tree(m.before), tree(m.after), m.after);
  const sleeps: number[] = [];
  const logs: string[] = [];
  const outcome = recordOnBranch({
    plan,
    commit: m.after,
    writer,
    tree,
    signer: m.signer,
    env: {},
    now: () => '2026-12-05T12:00:00Z',
    sleep: async (ms) => void sleeps.push(ms),
    log: (message) => logs.push(message),
    retryHint: 'try again',
    ...extra,
  });
  return { outcome, sleeps, logs };
}

describe('recordOnBranch', () => {
  it('commits the record the first time: the audit entry, its checkpoint and the gateway state, expecting the tip it read', async () => {
    const m = merged();
    const writer = new MemoryWriter(m.repo, m.after, []);
    const { outcome, sleeps } = await run(m, writer);
    expect(await outcome).toMatchObject({ status: 'recorded', sha: 'f'.repeat(40), attempts: 1, pullRequest: null });
    expect(writer.commits).toHaveLength(1);
    expect(writer.commits[0]!.options.expectedHead).toBe(m.after);
    expect(writer.commits[0]!.options.message.headline).toBe(`audit: record 1 app change of ${m.after.slice(0, 7)}`);
    expect([...writer.commits[0]!.files.keys()].sort()).toEqual([AUDIT_CHECKPOINTS_PATH, AUDIT_LOG_PATH, 'generated/gateway/kong.yaml']);
    expect(writer.heads, 'the tip is read once').toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('moved once: the record is made again on the new tip, without waiting', async () => {
    const m = merged();
    const writer = new MemoryWriter(m.repo, m.after, ['new-tip']);
    const { outcome, sleeps, logs } = await run(m, writer);
    expect(await outcome).toMatchObject({ status: 'recorded', attempts: 2 });
    const [first, second] = writer.commits;
    expect(first!.options.expectedHead).toBe(m.after);
    expect(second!.options.expectedHead, 'the second attempt expects the new tip').toBe(m.repo.sha('main'));
    expect(second!.options.expectedHead).not.toBe(m.after);
    expect(sleeps).toEqual([]);
    expect(logs).toEqual([
      `main moved away from ${m.after.slice(0, 7)} (attempt 1 of 5: moved in memory); recording again on the new head`,
    ]);
  });

  it('a writer that still shows the refused tip: wait the back-off, then ask for the tip again', async () => {
    const m = merged();
    const writer = new MemoryWriter(m.repo, m.after, ['same-tip', 'same-tip']);
    const { outcome, sleeps } = await run(m, writer);
    expect(await outcome).toMatchObject({ status: 'recorded', attempts: 3 });
    expect(sleeps).toEqual([BACKOFF_MS, 2 * BACKOFF_MS]);
    expect(writer.heads).toBe(3);
  });

  it('moved five times: gives up with an error that says what happened and what to do', async () => {
    const m = merged();
    const writer = new MemoryWriter(m.repo, m.after, Array<Move>(MAX_ATTEMPTS).fill('new-tip'));
    const { outcome, logs } = await run(m, writer);
    await expect(outcome).rejects.toThrow(`main kept moving: gave up after 5 attempts to record ${m.after.slice(0, 7)}; try again`);
    expect(writer.commits).toHaveLength(MAX_ATTEMPTS);
    expect(logs).toHaveLength(MAX_ATTEMPTS);
  });

  it('a merge that is not on the branch: nothing is committed', async () => {
    const m = merged();
    const writer = new MemoryWriter(m.repo, m.after, [], false);
    const { outcome } = await run(m, writer);
    await expect(outcome).rejects.toThrow(
      `${m.after.slice(0, 7)} is not on main (${m.after.slice(0, 7)}): the record goes after the merge, never beside it`,
    );
    expect(writer.commits).toEqual([]);
  });

  it('the log at the tip has the merge already: nothing to record, nothing provisioned, no attribution asked', async () => {
    const m = merged();
    const first = new MemoryWriter(m.repo, m.after, []);
    const made = await (await run(m, first)).outcome;
    expect(made.status).toBe('recorded');
    m.repo.writeAll(Object.fromEntries(first.commits[0]!.files));
    const recorded = m.repo.commit('the record');
    let asked = 0;
    const { outcome } = await run(m, new MemoryWriter(m.repo, recorded, []), {
      attribution: async () => {
        asked++;
        return { pullRequest: null };
      },
    });
    expect(await outcome).toEqual({
      status: 'nothing-to-record',
      skipped: ['registry/hr/team-anniversaries.yaml'],
      results: [],
      attempts: 0,
    });
    expect(asked).toBe(0);
  });
});
