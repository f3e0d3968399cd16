/**
 * Runs the built CLI (`node bin/microapps.js ...`) as a child process, never through a shell.
 * The tests assume `npm run build` has run (`npm test` does it before vitest).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isolatedEnv } from './git-repo.js';
import { CLI_BIN, REPO_ROOT } from './paths.js';
import { runNodeScript, truncate } from './spawn-node.js';

export interface CliResult {
  args: string[];
  /** Exit code; null when the process was killed (timeout or signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole process, in milliseconds. */
  durationMs: number;
  /** stdout parsed as JSON (all of it: JSON goes to stdout alone). Throws with the output on failure. */
  json<T = any>(): T;
  /** A summary of the run for assertion messages. */
  describe(): string;
}

export interface RunOptions {
  /** Working directory (default: the system temp folder, so only --root says where the registry is). */
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function runCli(args: string[], options: RunOptions = {}): CliResult {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run "npm run build" first`);
  const result = runNodeScript(CLI_BIN, args, {
    cwd: options.cwd ?? tmpdir(),
    env: isolatedEnv(options.env),
    timeoutMs: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const { stdout, stderr, durationMs } = result;
  const describe = () =>
    [
      `$ microapps ${args.join(' ')}`,
      `exit code: ${result.status}${result.signal ? ` (signal ${result.signal})` : ''}, ${Math.round(durationMs)} ms`,
      `--- stdout ---\n${truncate(stdout)}`,
      `--- stderr ---\n${truncate(stderr)}`,
    ].join('\n');
  return {
    args,
    code: result.status,
    signal: result.signal,
    stdout,
    stderr,
    durationMs,
    describe,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch (e) {
        throw new Error(`stdout is not a single JSON document (${(e as Error).message})\n${describe()}`);
      }
    },
  };
}

/** `microapps validate --root DIR --format json`. */
export function validate(root: string, ...extra: string[]): CliResult {
  return runCli(['validate', '--root', root, '--format', 'json', ...extra]);
}

/** `microapps check --root DIR --base BASE [--head HEAD] --format json`. */
export function check(root: string, base: string, head?: string, ...extra: string[]): CliResult {
  const args = ['check', '--root', root, '--base', base];
  if (head !== undefined) args.push('--head', head);
  return runCli([...args, '--format', 'json', ...extra]);
}

export { REPO_ROOT };
