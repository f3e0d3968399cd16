/**
 * Where things are, resolved from this file's location (never a hard-coded checkout path):
 * test/helpers/ -> the repository root two levels up.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The root of the microapps repository (the shipped registry lives here too). */
export const REPO_ROOT = resolve(here, '..', '..');

/** The CLI entry point that `npm run build` makes runnable. */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'microapps.js');

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** The text of a file under test/fixtures/. */
export function fixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}
