import { spawn } from 'node:child_process';
import { SourceError } from '../../core/errors.js';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/**
 * Runs git without a shell (arguments are never interpolated), with optional input on
 * stdin. Git's own configuration hooks such as pagers are disabled.
 */
export function runGit(
  cwd: string,
  args: readonly string[],
  input?: string | Buffer,
  env: Record<string, string> = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', '-c', 'core.quotepath=off', ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new SourceError(e.code === 'ENOENT' ? 'git is not installed or not on PATH.' : `could not run git: ${e.message}`)),
    );
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Runs git and fails with its message when it exits non-zero. */
export async function git(cwd: string, args: readonly string[], input?: string | Buffer): Promise<Buffer> {
  const result = await runGit(cwd, args, input);
  if (result.code !== 0) {
    throw new SourceError(
      `git ${args.find((a) => !a.startsWith('-')) ?? ''} failed: ${result.stderr.trim().split('\n')[0] ?? 'unknown error'}`,
    );
  }
  return result.stdout;
}
