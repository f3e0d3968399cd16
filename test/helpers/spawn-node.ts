/**
 * One way to run a Node script as a child process for the CLI and Action helpers: never through
 * a shell, output captured as text, timed, a timeout reported as a null exit code (the caller
 * describes it) rather than thrown.
 */
import { spawnSync } from 'node:child_process';

export interface NodeRun {
  /** Exit code; null when the process was killed (timeout or signal). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole process, in milliseconds. */
  durationMs: number;
}

export interface NodeRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxBuffer: number;
  /** The node binary (default: the one running the tests). */
  node?: string;
}

export function runNodeScript(script: string, args: readonly string[], options: NodeRunOptions): NodeRun {
  const started = process.hrtime.bigint();
  const result = spawnSync(options.node || process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    maxBuffer: options.maxBuffer,
    shell: false,
    windowsHide: true,
  });
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error && (result.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '', durationMs };
}

/** `text` cut at `max` characters, saying how much was left out: for assertion messages. */
export function truncate(text: string, max = 6000): string {
  return text.length > max ? `${text.slice(0, max)}\n... (${text.length - max} more characters)` : text;
}
