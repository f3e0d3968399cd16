/**
 * One hostile file through the real CLI: the seeded registry, a pull request that writes `content`
 * at `path`, and `microapps check` on it. The change must be refused as invalid (exit 1), and the
 * app's findings are returned for the test to look into.
 */
import { expect } from 'vitest';
import { appAt, expectCheckShape, type CheckReport, type Finding } from './contract.js';
import { createSeededRepo, openPullRequest } from './git-repo.js';
import { check, type CliResult } from './run-cli.js';

export function checkInvalidFile(path: string, content: string | Uint8Array): { r: CliResult; report: CheckReport; findings: Finding[] } {
  const repo = createSeededRepo();
  const head = openPullRequest(repo, { write: { [path]: content } });
  const r = check(repo.dir, 'main', head);
  expect(r.code, r.describe()).toBe(1);
  const report = expectCheckShape(r.json<CheckReport>());
  expect(report.decision).toBe('invalid');
  const app = appAt(report, path);
  expect(app.decision).toBe('invalid');
  return { r, report, findings: app.findings };
}
