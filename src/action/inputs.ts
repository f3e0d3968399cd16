import { getInput } from './runner.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { DECISIONS_BY_STRICTNESS, type Decision } from '../core/model.js';

export interface ActionInputs {
  /** The registry folder, absolute. */
  root: string;
  /** The registry folder relative to the workspace ("" at its top), for annotation paths. */
  rootInWorkspace: string;
  /** Decisions that fail the step. */
  failOn: ReadonlySet<Decision>;
  /** Whether to write the job summary. */
  summary: boolean;
  /** check: judge a pull request (default); merge: record a push to the default branch. */
  mode: 'check' | 'merge';
}

/** Reads the `with:` inputs (INPUT_* variables), with the defaults of action.yml. */
export function readInputs(workspace: string): ActionInputs {
  const root = resolve(workspace, getInput('root') || '.');
  const inWorkspace = relative(workspace, root);
  if (inWorkspace.startsWith('..') || isAbsolute(inWorkspace)) {
    throw new Error(`the input "root" (${getInput('root')}) must be a folder inside the workspace.`);
  }
  const failOn = new Set<Decision>();
  for (const word of (getInput('fail-on') || 'invalid,deny')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)) {
    if (word === 'never') continue;
    if (!DECISIONS_BY_STRICTNESS.includes(word as Decision)) {
      throw new Error(`the input "fail-on" has "${word}"; use a comma-separated list of: ${DECISIONS_BY_STRICTNESS.join(', ')}, or never.`);
    }
    failOn.add(word as Decision);
  }
  const summary = (getInput('summary') || 'true').toLowerCase();
  if (summary !== 'true' && summary !== 'false') throw new Error('the input "summary" must be true or false.');
  const mode = (getInput('mode') || 'check').toLowerCase();
  if (mode !== 'check' && mode !== 'merge') throw new Error('the input "mode" must be check or merge.');
  return { root, rootInWorkspace: inWorkspace.split('\\').join('/'), failOn, summary: summary === 'true', mode };
}
