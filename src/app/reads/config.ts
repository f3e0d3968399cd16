/**
 * The App's configuration, read from the registry repository's default branch (never from the
 * pull request, which could otherwise switch the gate's behaviour for itself):
 * GET /repos/{owner}/{repo}/contents/.github/microapps.yml?ref=<default branch>.
 * No file means the defaults. A file that is not a plain file, too large or invalid stops the
 * evaluation with every problem and its line: a broken configuration is never half-applied.
 */
import { statusOf, type GitHubClient } from '../../adapters/github/index.js';
import { AppConfigError } from '../../core/errors.js';
import { APP_CONFIG_PATH, readAppConfig, type AppConfig } from '../../core/app-config/index.js';
import { MAX_FILE_BYTES } from '../../core/parse/parse-document.js';
import type { PullRequestRef } from '../delivery/events.js';

export async function fetchAppConfig(octokit: GitHubClient, ref: PullRequestRef, defaultBranch: string): Promise<AppConfig> {
  const where = `${APP_CONFIG_PATH} on ${defaultBranch}`;
  let data: unknown;
  try {
    ({ data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: ref.owner,
      repo: ref.repo,
      path: APP_CONFIG_PATH,
      ref: defaultBranch,
    }));
  } catch (error) {
    if (statusOf(error) === 404) return readAppConfig(undefined).value!;
    throw error;
  }
  const file = data as { type?: string; encoding?: string; content?: string; size?: number };
  if (Array.isArray(data) || file.type !== 'file')
    throw new AppConfigError(`${where} must be a file, not a ${Array.isArray(data) ? 'folder' : (file.type ?? 'something else')}.`);
  if ((file.size ?? 0) > MAX_FILE_BYTES || file.encoding !== 'base64' || typeof file.content !== 'string') {
    throw new AppConfigError(`${where} is too large to read (the limit is ${MAX_FILE_BYTES / 1024} KiB).`);
  }
  const result = readAppConfig(Buffer.from(file.content, 'base64'), APP_CONFIG_PATH);
  if (!result.value) {
    const problems = result.findings.filter((f) => f.severity === 'error').map((f) => `${f.path}:${f.line}:${f.column}: ${f.message}`);
    throw new AppConfigError(`The App's configuration (${where}) has errors, so nothing was judged: ${problems.join(' ')}`);
  }
  return result.value;
}
