/**
 * The runner's side of the Actions contract: inputs from INPUT_* variables, outputs and the job
 * summary through the files GitHub names, annotations as workflow commands on stdout.
 * Written out here (rather than with @actions/core) because that library bundles an HTTP
 * client of about 800 KiB for features this action never uses, and start-up is part of the
 * product. The formats follow GitHub's documentation of workflow commands.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** An input as the runner passes it: INPUT_<NAME>, upper case, spaces as underscores, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Writes `name` to the GITHUB_OUTPUT file with a random delimiter no value can contain. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    // Outside a runner: show the output rather than lose it.
    process.stdout.write(`${name}=${value}${EOL}`);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('an output contains its own delimiter');
  appendFileSync(file, outputEntry(name, value, delimiter), 'utf8');
}

/** An output exactly as written to GITHUB_OUTPUT. */
function outputEntry(name: string, value: string, delimiter: string): string {
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** The bytes setOutput(name, value) writes to GITHUB_OUTPUT (the delimiter has a fixed length). */
export function encodedOutputBytes(name: string, value: string): number {
  return Buffer.byteLength(outputEntry(name, value, `ghadelimiter_${'0'.repeat(36)}`), 'utf8');
}

/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY), when the runner provides one. */
export function appendSummary(markdown: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown, 'utf8');
  return true;
}

export const error = (message: string, properties: AnnotationProperties = {}) => command('error', message, properties);
export const warning = (message: string, properties: AnnotationProperties = {}) => command('warning', message, properties);
export const notice = (message: string, properties: AnnotationProperties = {}) => command('notice', message, properties);

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

/**
 * Prints text that carries pull request content (the report: paths, keys, names). The runner
 * reads any line starting with "::" (after spaces), and "##[" anywhere in a line, as a
 * command: a path or key holding a line break and "::stop-commands::" or "::add-mask::"
 * would switch off this step's annotations or hide its words. Between "::stop-commands::TOKEN"
 * and "::TOKEN::" the runner runs no command at all, and TOKEN is random for each block, so
 * nothing inside can guess it to end the block early.
 */
export function infoUntrusted(text: string): void {
  let token = `microapps-${randomUUID()}`;
  while (text.includes(token)) token = `microapps-${randomUUID()}`;
  const body = text.endsWith('\n') ? text : `${text}${EOL}`;
  process.stdout.write(`::stop-commands::${token}${EOL}${body}::${token}::${EOL}`);
}

/** Marks the step failed: an error annotation, and exit code 1 when the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

const PROPERTY_NAMES: Record<keyof AnnotationProperties, string> = {
  title: 'title',
  file: 'file',
  startLine: 'line',
  startColumn: 'col',
};

function command(name: string, message: string, properties: AnnotationProperties): void {
  const props = (Object.keys(properties) as Array<keyof AnnotationProperties>)
    .filter((k) => properties[k] !== undefined && properties[k] !== '')
    .map((k) => `${PROPERTY_NAMES[k]}=${escapeProperty(String(properties[k]))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Message text: the runner reads % and line breaks as command syntax. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values: also : and , which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
