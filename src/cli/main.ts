/**
 * The `microapps` command line: parses arguments, runs one command, and maps the outcome to
 * an exit code. JSON goes to stdout alone; messages go to stderr.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SourceError, UsageError } from '../core/errors.js';
import { applyCommand } from './commands/apply.js';
import { auditCommand } from './commands/audit.js';
import { checkCommand } from './commands/check.js';
import { explainCommand } from './commands/explain.js';
import { testCommand } from './commands/test.js';
import { validateCommand } from './commands/validate.js';
import { commandUsage, USAGE } from './usage.js';
import { VERSION } from './version.js';
import { jsonTerminalSafe, terminalSafe } from '../core/render/safe-text.js';

export type Format = 'text' | 'json' | 'markdown';

export interface CommandContext {
  root: string;
  format: Format;
  values: {
    base?: string;
    head?: string;
    /** audit keygen and audit verify. */
    keyId?: string;
    out?: string;
    validFrom?: string;
    validUntil?: string;
    checkpoint?: string;
    /** apply. */
    before?: string;
    after?: string;
    branch?: string;
    dryRun?: boolean;
  };
  positionals: string[];
  write: (text: string) => void;
}

const COMMANDS: Record<string, { run: (ctx: CommandContext) => Promise<number>; formats: Format[] }> = {
  validate: { run: validateCommand, formats: ['text', 'json'] },
  check: { run: checkCommand, formats: ['text', 'json', 'markdown'] },
  explain: { run: explainCommand, formats: ['text', 'json'] },
  test: { run: testCommand, formats: ['text', 'json'] },
  audit: { run: auditCommand, formats: ['text', 'json'] },
  apply: { run: applyCommand, formats: ['text', 'json'] },
};

const AUDIT_OPTIONS = ['key-id', 'out', 'valid-from', 'valid-until', 'checkpoint'] as const;
const APPLY_OPTIONS = ['before', 'after', 'branch', 'dry-run'] as const;

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        format: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        'key-id': { type: 'string' },
        out: { type: 'string' },
        'valid-from': { type: 'string' },
        'valid-until': { type: 'string' },
        checkpoint: { type: 'string' },
        before: { type: 'string' },
        after: { type: 'string' },
        branch: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
    const [name, ...rest] = positionals;
    if (values.version) {
      process.stdout.write(`microapps ${VERSION}\n`);
      return 0;
    }
    // `microapps help check` and `microapps check --help` both show one command's help.
    const helpFor = name === 'help' ? rest[0] : values.help ? name : undefined;
    if (name === 'help' || values.help) {
      if (helpFor !== undefined && !COMMANDS[helpFor])
        throw new UsageError(`unknown command "${helpFor}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
      process.stdout.write(helpFor ? commandUsage(helpFor) : USAGE);
      return 0;
    }
    if (!name) throw new UsageError('no command given (try: microapps check --base origin/main)');
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const format = (values.format ?? 'text') as Format;
    if (!command.formats.includes(format)) {
      throw new UsageError(`--format must be one of ${command.formats.join(', ')} for ${name}`);
    }
    if ((values.base || values.head) && name !== 'check') throw new UsageError(`--base and --head are options of check, not ${name}`);
    const auditOption = AUDIT_OPTIONS.find((o) => values[o] !== undefined);
    if (auditOption && name !== 'audit') throw new UsageError(`--${auditOption} is an option of audit, not ${name}`);
    const applyOption = APPLY_OPTIONS.find((o) => values[o] !== undefined);
    if (applyOption && name !== 'apply') throw new UsageError(`--${applyOption} is an option of apply, not ${name}`);
    const root = resolve(values.root ?? '.');
    if (!isFolder(root)) {
      throw new UsageError(`--root ${values.root ?? '.'}: there is no such folder. Is --root the registry's folder?`);
    }
    return await command.run({
      root,
      format,
      values: {
        base: values.base,
        head: values.head,
        keyId: values['key-id'],
        out: values.out,
        validFrom: values['valid-from'],
        validUntil: values['valid-until'],
        checkpoint: values.checkpoint,
        before: values.before,
        after: values.after,
        branch: values.branch,
        dryRun: values['dry-run'],
      },
      positionals: rest,
      // The last guard between manifest text and a terminal: no escape sequence gets through raw.
      write: (text) => process.stdout.write(format === 'json' ? jsonTerminalSafe(text) : terminalSafe(text)),
    });
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      process.stderr.write(terminalSafe(`microapps: ${(e as Error).message}\nRun "microapps --help" for usage.\n`));
      return 2;
    }
    if (e instanceof SourceError) {
      process.stderr.write(terminalSafe(`microapps: ${e.message}\n`));
      return 2;
    }
    process.stderr.write(terminalSafe(`microapps: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    return 3;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isParseArgsError(e: unknown): boolean {
  return e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
