/**
 * The GitHub side of one App evaluation, served by nock from a real temporary registry
 * repository (FakeGitHubRepo): the pull request, the compare (merge base), both trees and their
 * blobs, the reviews, the commits and the team members a scenario needs. Every mock is checked
 * against GitHub's OpenAPI description (useGitHubMock); an unused one fails the test.
 */
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import type { GitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, openPullRequest, type FileMap, type GitRepo } from '../helpers/git-repo.js';
import { contentFile, gitRef, installationToken, pullCommit, pullRequest, teamMember } from './github-bodies.js';
import { captureFollowUps, type FollowUpOptions, type FollowUps } from './follow-ups.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
/** The pull request number and installation id of @octokit/webhooks-examples' installation payloads. */
export const NUMBER = 2;
export const INSTALLATION = 1;
export const AUTHOR = 'citizen-dev';

export const PRS = `/repos/${OWNER}/${REPO}/pulls/${NUMBER}`;
/** GET the base branch's tip (the App's base commit), for branch `branch`. */
export const refPath = (branch = 'main'): string => `/repos/${OWNER}/${REPO}/git/ref/${encodeURIComponent(`heads/${branch}`)}`;
/** The query of a list's first page as the App asks for it (listAll); later pages follow GitHub's Link headers. */
export const PAGE_1 = '?per_page=100';

export interface ServedPullRequest {
  repo: GitRepo;
  fake: FakeGitHubRepo;
  baseSha: string;
  headSha: string;
}

/** A registry with the shipped content and a pull request making `write`; GitHub's API serves both commits. */
export function pullRequestOf(write: FileMap): ServedPullRequest {
  const repo = createSeededRepo();
  openPullRequest(repo, { write });
  return fromRepo(repo);
}

/** A pull request already made in `repo` (branches main and feature). */
export function fromRepo(repo: GitRepo, head = 'feature'): ServedPullRequest {
  const fake = new FakeGitHubRepo(repo, OWNER, REPO);
  return { repo, fake, baseSha: repo.sha('main'), headSha: repo.sha(head) };
}

export function serveToken(github: GitHubMock): void {
  github.reply('POST', `/app/installations/${INSTALLATION}/access_tokens`, 201, installationToken());
}

export interface EvaluationOptions {
  reviews?: unknown[];
  /** "org/slug" -> member logins. */
  teams?: Record<string, string[]>;
  /** Items of GET .../pulls/{n}/commits; default: the head commit by the author. */
  commits?: unknown[];
  /** Serve the installation token too (default true: the first evaluation of a test needs it). */
  token?: boolean;
  /** Text of .github/microapps.yml on the default branch; default: no file (404). */
  config?: string;
  /** Items of GET .../issues/{n}/timeline; default none. */
  timeline?: unknown[];
  /** The pull request body's extra fields (labels, requested_reviewers, requested_teams, state). */
  pull?: Record<string, unknown>;
  /** Existing comments and answers for the follow-up steps. */
  followUps?: FollowUpOptions;
  /** Holds the answer to GET the pull request (the evaluation's first read) until it settles. */
  pullHold?: () => Promise<unknown>;
  /** The pull request's number (default NUMBER, the webhook examples' pull request). */
  number?: number;
  /**
   * The branch is behind its base (the base moved since it was made): serve the merge base's
   * listing and blobs too, which the judgment reads then.
   */
  behind?: boolean;
  /**
   * The base branch's tip now, when it is not the pull request's recorded base.sha (GitHub moves
   * that only when the head is pushed): the App judges against this commit. 'gone': the base
   * branch was deleted (404), and nothing after it is served.
   */
  baseTip?: string | 'gone';
  /** The pull request's base branch (default main; the App's configuration is still read from main). */
  baseRef?: string;
}

/** GitHub's answer to GET the base branch's ref: `sha`, or 404 for a branch that is gone. */
export function serveBaseTip(github: GitHubMock, sha: string | 'gone', branch = 'main'): void {
  if (sha === 'gone')
    github.reply('GET', refPath(branch), 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
    });
  else github.reply('GET', refPath(branch), 200, gitRef({ owner: OWNER, repo: REPO, branch, sha }));
}

export const CONFIG_PATH = `/repos/${OWNER}/${REPO}/contents/.github%2Fmicroapps.yml?ref=main`;

/**
 * Everything the App reads for one evaluation of `pr`, and a capture of the follow-up steps it
 * takes after the check run (serve them once per test: the capture answers any number of times).
 */
export function serveEvaluation(github: GitHubMock, pr: ServedPullRequest, options: EvaluationOptions = {}): FollowUps {
  const { fake, headSha } = pr;
  const number = options.number ?? NUMBER;
  const prs = `/repos/${OWNER}/${REPO}/pulls/${number}`;
  if (options.token !== false) serveToken(github);
  github.reply(
    'GET',
    prs,
    200,
    {
      ...pullRequest({ owner: OWNER, repo: REPO, number, author: AUTHOR, baseSha: pr.baseSha, headSha, baseRef: options.baseRef }),
      ...options.pull,
    },
    { hold: options.pullHold },
  );
  if (options.config === undefined)
    github.reply('GET', CONFIG_PATH, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
    });
  else github.reply('GET', CONFIG_PATH, 200, contentFile('.github/microapps.yml', options.config));
  const baseSha = options.baseTip ?? pr.baseSha;
  serveBaseTip(github, baseSha, options.baseRef);
  // A base branch that is gone stops the evaluation there (a failed check, nothing else read).
  if (baseSha === 'gone') return capture(options);
  const compare = fake.compare(baseSha, headSha);
  github.reply('GET', fake.path(`/compare/${baseSha}...${headSha}?per_page=1`), 200, compare);
  fake.serveListing(github, baseSha);
  fake.serveListing(github, headSha);
  const served = fake.serveBlobsOf(github, baseSha);
  fake.serveBlobsOf(github, headSha, served);
  if (options.behind) {
    const mergeBase = (compare as { merge_base_commit: { sha: string } }).merge_base_commit.sha;
    if (mergeBase === baseSha) throw new Error('serveEvaluation: behind, but the merge base is the base');
    fake.serveListing(github, mergeBase);
    fake.serveBlobsOf(github, mergeBase, served);
  }
  github.reply('GET', `${prs}/reviews${PAGE_1}`, 200, options.reviews ?? []);
  github.reply('GET', `${prs}/commits${PAGE_1}`, 200, options.commits ?? [pullCommit({ sha: headSha, author: AUTHOR, committer: AUTHOR })]);
  github.reply('GET', `/repos/${OWNER}/${REPO}/issues/${number}/timeline${PAGE_1}`, 200, options.timeline ?? []);
  for (const [team, members] of Object.entries(options.teams ?? {})) {
    const [org, slug] = team.split('/');
    github.reply(
      'GET',
      `/orgs/${org}/teams/${slug}/members${PAGE_1}`,
      200,
      members.map((m) => teamMember(m)),
    );
  }
  return capture(options);
}

function capture(options: EvaluationOptions): FollowUps {
  // The capture answers any number of times: later evaluations in the same test (token: false) share the first one's.
  if (options.token !== false || !lastCapture) lastCapture = captureFollowUps(options.followUps);
  return lastCapture;
}

let lastCapture: FollowUps | undefined;

/** "@login" or "@org/slug" without the "@". */
export const plain = (login: string): string => login.replace(/^@/, '');
