/**
 * The App records merges (DESIGN.md section 5): a signed `push` delivery to the default branch,
 * through the real HTTP path, GitHub's REST API mocked by nock and checked against its OpenAPI
 * description, its GraphQL API checked against its schema (@octokit/graphql-schema). The record
 * is read back from the createCommitOnBranch variables and verified like `microapps audit verify`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BRANCH_HEAD_QUERY, CREATE_COMMIT_MUTATION } from '../../src/app/merge/index.js';
import {
  allowedSignersLine,
  appendEntries,
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_LOG_PATH,
  keyFileText,
  keyPath,
  signerFromOpenSshKey,
  verifyAuditLog,
  type AuditEntry,
  type EntryInput,
} from '../../src/core/audit/index.js';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { REPO_ROOT } from '../helpers/paths.js';
import {
  branchHeadAnswer,
  branchMovedAnswer,
  commitCreatedAnswer,
  graphQLProblems,
  useGraphQLMock,
  type GraphQLCall,
} from './graphql-mock.js';
import { useAppServer } from './app-server.js';
import {
  HR_APP_PATH,
  KEY_ID,
  MANAGER,
  MERGER,
  SECURITY_REVIEWER,
  WEBHOOK_SECRET_ENV,
  commitAdditions,
  makeAuditKey,
  mergedRegistry,
  pushPayload,
  serveCompare,
  serveMergeReads,
  serveOpenPulls,
  servePullRequest,
  servePushTrees,
  serveWebhook,
  type MergedRegistry,
} from './merge-scenario.js';
import { AUTHOR, NUMBER, OWNER, REPO, serveToken } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const graphql = useGraphQLMock();
const app = useAppServer({ logs: true });

const AUDIT_COMMIT = 'a0d17'.padEnd(40, '0');
const WEBHOOK_SECRET = 'webhook-secret-for-tests';

beforeEach(() => {
  // Nothing from the developer's own environment: each test sets the key it means.
  vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', undefined);
  vi.stubEnv('MICROAPPS_AUDIT_KEY', undefined);
  vi.stubEnv('MICROAPPS_AUDIT_KEY_ID', undefined);
  vi.stubEnv(WEBHOOK_SECRET_ENV, WEBHOOK_SECRET);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

type Addition = { path: string; contents: string };
const mutations = () => graphql.calls.filter((c) => c.operation === 'MicroappsRecordMerge');
const inputOf = (call: GraphQLCall) =>
  call.variables.input as {
    branch: unknown;
    expectedHeadOid: string;
    message: { headline: string; body: string };
    fileChanges: { additions: Addition[] };
  };
const filesOf = (call: GraphQLCall): Record<string, string> =>
  Object.fromEntries(inputOf(call).fileChanges.additions.map((a) => [a.path, Buffer.from(a.contents, 'base64').toString('utf8')]));
const entriesOf = (log: string): AuditEntry[] =>
  log
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);

/** What `microapps audit verify` checks, on the committed files and the keys registered in the repository. */
function verifyRecord(m: MergedRegistry, files: Record<string, string>) {
  return verifyAuditLog({
    log: files[AUDIT_LOG_PATH]!,
    checkpoints: files[AUDIT_CHECKPOINTS_PATH]!,
    keys: new Map([[keyPath(m.key.keyId), m.repo.read(keyPath(m.key.keyId))]]),
    allowedSigners: m.repo.read('audit/allowed_signers'),
  });
}

/** Another merge's record, as the App would have committed it on main: one entry and a checkpoint signed by the same key. */
function commitOtherRecord(m: MergedRegistry, time = new Date(Date.now() - 3_600_000).toISOString()): string {
  const signer = signerFromOpenSshKey(m.key.privateKey).value!;
  const other: EntryInput = {
    time,
    event: 'changed',
    app: 'laptop-refresh-tracker',
    path: 'registry/it/laptop-refresh-tracker.yaml',
    manifest_hash: `sha256:${'1'.repeat(64)}`,
    commit: 'b'.repeat(40),
    decision: 'auto_approve',
    rules: ['001'],
    pull_request: { number: 1, url: `https://github.com/${OWNER}/${REPO}/pull/1`, author: 'someone', merged_by: MERGER },
    approvals: [],
    provisioning: [],
  };
  const appended = appendEntries(
    {
      log: '',
      checkpoints: '',
      keys: new Map([[keyPath(m.key.keyId), keyFileText(m.key.key)]]),
      allowedSigners: `${allowedSignersLine(m.key.key)}\n`,
    },
    [other],
    signer,
    time,
  );
  if (!appended.value) throw new Error(JSON.stringify(appended.problems));
  m.repo.write(AUDIT_LOG_PATH, appended.value.files.log);
  m.repo.write(AUDIT_CHECKPOINTS_PATH, appended.value.files.checkpoints);
  return m.repo.commit(`audit: record 1 app change of ${'b'.repeat(7)}`);
}

describe('app: the GraphQL documents it sends', () => {
  it("both validate against GitHub's schema, and the check refuses what GitHub would", () => {
    expect(graphQLProblems(BRANCH_HEAD_QUERY, { owner: OWNER, name: REPO })).toEqual([]);
    const input = {
      branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' },
      message: { headline: 'audit: record', body: '' },
      fileChanges: { additions: [{ path: 'audit/log.jsonl', contents: Buffer.from('{}\n').toString('base64') }] },
      expectedHeadOid: 'a'.repeat(40),
    };
    expect(graphQLProblems(CREATE_COMMIT_MUTATION, { input })).toEqual([]);
    // The checks bite: a missing expectedHeadOid, an unknown input field, a field the payload lacks.
    const { expectedHeadOid: _dropped, ...withoutHead } = input;
    expect(graphQLProblems(CREATE_COMMIT_MUTATION, { input: withoutHead }).join('\n')).toMatch(/expectedHeadOid/);
    expect(graphQLProblems(CREATE_COMMIT_MUTATION, { input: { ...input, force: true } }).join('\n')).toMatch(/force/);
    expect(graphQLProblems(CREATE_COMMIT_MUTATION.replace('url', 'signed'), { input }).join('\n')).toMatch(/signed/);
  });
});

describe('app: what recording merges asks of the installation', () => {
  it('app.yml: contents write (the audit commit) and the push event', () => {
    const appYml = parseYaml(readFileSync(join(REPO_ROOT, 'app.yml'), 'utf8')) as {
      default_permissions: Record<string, string>;
      default_events: string[];
    };
    expect(appYml.default_permissions.contents).toBe('write');
    expect(appYml.default_events).toContain('push');
  });
});

describe('app: recording a merge on push', () => {
  it('a merged pull request adding an app: one audit entry with the pull request, its approvals and decision, and a signed checkpoint, committed with createCommitOnBranch', async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    serveMergeReads(github, m);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(AUDIT_COMMIT));
    const hook = serveWebhook();

    const res = await app.deliver('push', pushPayload({ before: m.before, after: m.after }));

    expect(res.status, res.body).toBe(200);
    expect(graphql.calls.map((c) => c.operation)).toEqual(['MicroappsBranchHead', 'MicroappsRecordMerge']);
    expect(graphql.calls[0]!.variables).toEqual({ owner: OWNER, name: REPO });
    const [mutation] = mutations();
    const input = inputOf(mutation!);
    expect(input.branch).toEqual({ repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' });
    expect(input.expectedHeadOid).toBe(m.after);
    expect(input.message).toEqual({
      headline: `audit: record 1 app change of ${m.after.slice(0, 7)}`,
      body: `- registered team-anniversaries (security_team_review)\n\nMicroapps-Audit-Of: ${m.after}`,
    });
    const files = filesOf(mutation!);
    expect(Object.keys(files).sort()).toEqual([AUDIT_CHECKPOINTS_PATH, AUDIT_LOG_PATH, 'generated/gateway/kong.yaml']);
    expect(files['generated/gateway/kong.yaml']).toContain('team-anniversaries');

    const [entry, ...more] = entriesOf(files[AUDIT_LOG_PATH]!);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      seq: 1,
      event: 'registered',
      app: 'team-anniversaries',
      path: HR_APP_PATH,
      commit: m.after,
      decision: 'security_team_review',
      pull_request: { number: NUMBER, url: `https://github.com/${OWNER}/${REPO}/pull/${NUMBER}`, author: AUTHOR, merged_by: MERGER },
    });
    expect(entry!.approvals).toEqual(
      expect.arrayContaining([
        { action: 'manager_approval', by: [MANAGER] },
        { action: 'security_team_review', by: [SECURITY_REVIEWER] },
      ]),
    );
    expect(entry!.approvals).toHaveLength(2);
    expect(entry!.provisioning.map((p) => [p.provisioner, p.status])).toEqual(
      expect.arrayContaining([
        ['gateway', 'applied'],
        ['webhook:credential-broker', 'applied'],
      ]),
    );

    const verified = verifyRecord(m, files);
    expect(verified.problems).toEqual([]);
    expect(verified).toMatchObject({ ok: true, entries: 1, checkpoints: 1 });
    expect(verified.lastCheckpoint).toMatchObject({ tree_size: 1, key_id: KEY_ID });

    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ app: 'team-anniversaries' });
    expect(String(hook.headers[0]!['x-microapps-signature-256'])).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(app.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(app.logs.some((l) => /recorded audit entry #1/.test(l.msg))).toBe(true);
  });

  it('the branch moved (createCommitOnBranch answers STALE_DATA): the record is redone on the new head, after the entry that landed there; webhooks are not called again', async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    const moved = commitOtherRecord(m);
    serveMergeReads(github, m);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    graphql.answer('MicroappsRecordMerge', branchMovedAnswer(m.after));
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(moved));
    serveCompare(github, m, m.after, moved);
    m.fake.serveListing(github, moved);
    m.fake.serveBlobsOf(github, moved);
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(AUDIT_COMMIT));
    const hook = serveWebhook();

    const res = await app.deliver('push', pushPayload({ before: m.before, after: m.after }));

    expect(res.status, res.body).toBe(200);
    expect(graphql.calls.map((c) => c.operation)).toEqual([
      'MicroappsBranchHead',
      'MicroappsRecordMerge',
      'MicroappsBranchHead',
      'MicroappsRecordMerge',
    ]);
    const [first, second] = mutations();
    expect(inputOf(first!).expectedHeadOid).toBe(m.after);
    expect(inputOf(second!).expectedHeadOid, 'the second attempt read the new head').toBe(moved);
    expect(github.requests).toContain(`GET ${m.fake.path(`/git/commits/${moved}`)}`);

    const files = filesOf(second!);
    const entries = entriesOf(files[AUDIT_LOG_PATH]!);
    expect(entries.map((e) => [e.seq, e.app])).toEqual([
      [1, 'laptop-refresh-tracker'],
      [2, 'team-anniversaries'],
    ]);
    expect(files[AUDIT_LOG_PATH]!.startsWith(m.repo.read(AUDIT_LOG_PATH)), 'the entry already on the branch is kept byte for byte').toBe(
      true,
    );
    expect(entries[1]!.prev).toBe(entries[0]!.hash);
    const verified = verifyRecord(m, files);
    expect(verified.problems).toEqual([]);
    expect(verified).toMatchObject({ ok: true, entries: 2, checkpoints: 2 });
    expect(
      entriesOf(filesOf(first!)[AUDIT_LOG_PATH]!).map((e) => e.seq),
      'the refused attempt was computed on the old head',
    ).toEqual([1]);
    expect(hook.bodies, 'webhooks run once, whatever happens to the commit').toHaveLength(1);
    expect(app.logs.some((l) => /moved away from/.test(l.msg))).toBe(true);
  });

  it('a redelivered push appends nothing: the same delivery is not handled twice, and a push the log already has is not recorded again', async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    serveMergeReads(github, m);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(AUDIT_COMMIT));
    const hook = serveWebhook();
    const payload = pushPayload({ before: m.before, after: m.after });

    const first = await app.deliver('push', payload);
    expect(first.status, first.body).toBe(200);
    expect(mutations()).toHaveLength(1);
    const requestsAfterFirst = github.requests.length;
    // The merged pull request's reads (not the list of open pull requests, which the push judges again).
    const pullReads = () => github.requests.filter((r) => /\/pulls\/\d|\/commits\/[0-9a-f]{40}\/pulls|\/timeline|\/teams\//.test(r)).length;
    const pullReadsAfterFirst = pullReads();

    // GitHub's "Redeliver": the same delivery id.
    const again = await app.deliver('push', payload, { id: first.id });
    expect(again.status, again.body).toBe(200);
    expect(github.requests.length, 'not a single request').toBe(requestsAfterFirst);
    expect(graphql.calls).toHaveLength(2);

    // The same push under another id, once the record has landed: the log says it is recorded.
    const recorded = commitAdditions(m, inputOf(mutations()[0]!).fileChanges.additions);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(recorded));
    servePushTrees(github, m);
    serveOpenPulls(github);
    serveCompare(github, m, m.after, recorded);
    m.fake.serveListing(github, recorded);
    m.fake.serveBlobsOf(github, recorded);

    const other = await app.deliver('push', payload);

    expect(other.status, other.body).toBe(200);
    expect(mutations(), 'no second commit').toHaveLength(1);
    expect(hook.bodies, 'no second webhook call').toHaveLength(1);
    expect(pullReads(), 'the pull request is not read again').toBe(pullReadsAfterFirst);
    expect(app.logs.some((l) => /audit log already has/.test(l.msg))).toBe(true);
  });

  it("the App's own audit commit (only audit/ and generated/ changed): two tree listings and nothing else", async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    m.repo.write('generated/gateway/kong.yaml', '_format_version: "3.0"\n');
    const audit = commitOtherRecord(m);
    serveToken(github);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(audit));
    m.fake.serveListing(github, m.after);
    m.fake.serveListing(github, audit);
    // Judging open pull requests again reads the policy for its governance paths (the gate's own code), and finds none changed.
    m.fake.serveBlobsOf(github, audit);
    const policyBlob = m.repo.git('rev-parse', `${audit}:policies/approval.yaml`).trim();

    const res = await app.deliver('push', pushPayload({ before: m.after, after: audit }));

    expect(res.status, res.body).toBe(200);
    expect(graphql.calls.map((c) => c.operation)).toEqual(['MicroappsBranchHead']);
    expect([...github.requests].sort()).toEqual(
      [
        'POST /app/installations/1/access_tokens',
        `GET ${m.fake.path(`/git/blobs/${policyBlob}`)}`,
        `GET ${m.fake.path(`/git/commits/${audit}`)}`,
        `GET ${m.fake.path(`/git/commits/${m.after}`)}`,
        `GET ${m.fake.path(`/git/trees/${m.fake.treeOf(audit)}?recursive=1`)}`,
        `GET ${m.fake.path(`/git/trees/${m.fake.treeOf(m.after)}?recursive=1`)}`,
      ].sort(),
    );
    expect(app.logs.some((l) => /changed nothing outside audit\/ and generated\//.test(l.msg))).toBe(true);
  });

  it('no audit key configured: nothing is provisioned or committed, an error names the variables; once the key is set, redelivering the push records it', async () => {
    const m = mergedRegistry();
    serveToken(github);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    servePushTrees(github, m);
    // The open pull requests into main are judged again all the same (none here), once: the redelivery does not list them again.
    serveOpenPulls(github);
    const hook = serveWebhook();
    const payload = pushPayload({ before: m.before, after: m.after });

    const res = await app.deliver('push', payload);

    expect(res.status, res.body).toBe(200);
    expect(mutations()).toEqual([]);
    expect(hook.bodies).toEqual([]);
    expect(
      github.requests.some((r) => /\/pulls\/\d|\/commits\/[0-9a-f]{40}\/pulls/.test(r)),
      'no merged pull request read for a record that cannot be made',
    ).toBe(false);
    const errors = app.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/MICROAPPS_AUDIT_PRIVATE_KEY/);
    expect(errors[0]!.msg).toMatch(/MICROAPPS_AUDIT_KEY\b/);
    expect(errors[0]!.msg).toContain(res.id);

    // The key is configured (as a file path this time) and the push redelivered, same id.
    vi.stubEnv('MICROAPPS_AUDIT_KEY', m.key.privateKeyPath);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    servePushTrees(github, m);
    servePullRequest(github, m);
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(AUDIT_COMMIT));

    const redelivered = await app.deliver('push', payload, { id: res.id });

    expect(redelivered.status, redelivered.body).toBe(200);
    expect(mutations()).toHaveLength(1);
    expect(hook.bodies).toHaveLength(1);
    expect(verifyRecord(m, filesOf(mutations()[0]!)).ok).toBe(true);
  });

  it('a direct push (no pull request merged it) records pull_request null and no approvals', async () => {
    const key = makeAuditKey();
    const m = mergedRegistry(undefined, key);
    // Not the merge: an administrator pushes an app straight to main.
    m.repo.write('registry/it/standup-notes-bot.yaml', m.repo.read(HR_APP_PATH).replace('team-anniversaries', 'standup-notes-bot'));
    const direct: MergedRegistry = { ...m, before: m.after, after: m.repo.commit('add an app without a pull request') };
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', key.privateKey.replace(/\n/g, '\\n'));
    serveToken(github);
    servePushTrees(github, direct);
    servePullRequest(github, direct, { pulls: [] });
    serveOpenPulls(github);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(direct.after));
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(AUDIT_COMMIT));
    serveWebhook();

    const res = await app.deliver('push', pushPayload({ before: direct.before, after: direct.after }));

    expect(res.status, res.body).toBe(200);
    const entries = entriesOf(filesOf(mutations()[0]!)[AUDIT_LOG_PATH]!);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ app: 'standup-notes-bot', commit: direct.after, pull_request: null, approvals: [] });
  });

  it('GitHub refuses the commit for another reason: no retry, the error is logged and the delivery fails (a redelivery may try again)', async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    serveMergeReads(github, m);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(m.after));
    graphql.answer('MicroappsRecordMerge', {
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['createCommitOnBranch'],
          locations: [{ line: 2, column: 3 }],
          message: 'Resource not accessible by integration',
        },
      ],
    });
    serveWebhook();

    const res = await app.deliver('push', pushPayload({ before: m.before, after: m.after }));

    expect(res.status).toBe(500);
    expect(mutations()).toHaveLength(1);
    expect(app.logs.some((l) => l.level === 'error' && /Resource not accessible by integration/.test(l.msg))).toBe(true);
  });

  it.each([
    ['a tag', { ref: 'refs/tags/v1.0.0' }],
    ['another branch', { ref: 'refs/heads/feature' }],
    ['a deleted branch', { after: '0'.repeat(40) }],
    ['a new branch', { before: '0'.repeat(40) }],
  ])('a push to %s is ignored without a request', async (_what, change) => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);

    const res = await app.deliver('push', pushPayload({ before: m.before, after: m.after, ...change }));

    expect(res.status, res.body).toBe(200);
    expect(github.requests).toEqual([]);
    expect(graphql.calls).toEqual([]);
  });
});
