/**
 * `microapps audit keygen` and `microapps audit verify`: the audit log's key ceremony and its
 * check (docs/audit-log.md). The file system and ssh-keygen live here; the core does the rest.
 */
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  allowedSignersLine,
  AUDIT_ALLOWED_SIGNERS_PATH,
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_COMMITTER_EMAIL,
  AUDIT_KEYS_DIR,
  AUDIT_LOG_PATH,
  auditFilesFromContents,
  KEY_ID_PATTERN,
  keyFileText,
  keyPath,
  parseCheckpoint,
  parseOpenSshPrivateKey,
  parsePublicKeyLine,
  TRUSTED_CHECKPOINT_PATH,
  verifyAuditLog,
  type AuditKey,
  type AuditProblem,
  type AuditVerification,
  type Checkpoint,
} from '../../core/audit/index.js';
import { normaliseWindowTime, secondOf } from '../../core/audit/time.js';
import { SourceError, UsageError } from '../../core/errors.js';
import type { CommandContext } from '../main.js';

const run = promisify(execFile);

export async function auditCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...extra] = ctx.positionals;
  if (extra.length > 0) throw new UsageError(`audit ${sub} takes no further arguments (found "${extra[0]}")`);
  const keygenOnly = (['keyId', 'out', 'validFrom', 'validUntil'] as const).filter((k) => ctx.values[k] !== undefined);
  if (sub === 'keygen') {
    if (ctx.values.checkpoint !== undefined) throw new UsageError('--checkpoint is an option of audit verify, not of audit keygen');
    return keygen(ctx);
  }
  if (sub === 'verify') {
    if (keygenOnly.length > 0)
      throw new UsageError('--key-id, --out, --valid-from and --valid-until are options of audit keygen, not of audit verify');
    return verify(ctx);
  }
  throw new UsageError(
    sub
      ? `unknown audit command "${sub}" (audit commands: keygen, verify)`
      : 'audit needs a command: keygen or verify (e.g. microapps audit verify)',
  );
}

// ---------------------------------------------------------------------------------------------
// keygen

async function keygen(ctx: CommandContext): Promise<number> {
  const { keyId, out } = ctx.values;
  if (!keyId) throw new UsageError('audit keygen needs --key-id ID (lower-case letters, digits and dashes, e.g. audit-2025)');
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new UsageError(
      `--key-id "${keyId}" is not a key id: use lower-case letters, digits and dashes, starting and ending with a letter or digit (at most 64)`,
    );
  }
  if (!out) throw new UsageError('audit keygen needs --out FILE: where to write the private key, outside the repository');
  const validFrom = ctx.values.validFrom === undefined ? secondOf(Date.now()) : windowTime('--valid-from', ctx.values.validFrom);
  const validUntil = ctx.values.validUntil === undefined ? null : windowTime('--valid-until', ctx.values.validUntil);
  if (validUntil !== null && validUntil <= validFrom)
    throw new UsageError(`--valid-until (${validUntil}) must be after --valid-from (${validFrom})`);

  const privatePath = await outsideRepository(ctx.root, out);
  const keyFile = join(ctx.root, keyPath(keyId));
  if (await exists(keyFile)) throw new UsageError(`key "${keyId}" is already registered (${keyPath(keyId)}): choose another key id`);

  await sshKeygen(keyId, privatePath);
  await chmod(privatePath, 0o600);
  const publicLine = (await readFile(`${privatePath}.pub`, 'utf8')).trim();
  const pub = parsePublicKeyLine(publicLine);
  const priv = parseOpenSshPrivateKey(await readFile(privatePath, 'utf8'));
  if (pub.error !== undefined || priv.error !== undefined || !priv.value.publicKey.raw.equals(pub.value.raw)) {
    throw new Error(`ssh-keygen wrote a key microapps cannot read: ${pub.error ?? priv.error ?? 'its two halves differ'}`);
  }

  const key: AuditKey = { key_id: keyId, algorithm: 'ssh-ed25519', public_key: publicLine, valid_from: validFrom, valid_until: validUntil };
  await mkdir(join(ctx.root, AUDIT_KEYS_DIR), { recursive: true });
  await writeFile(keyFile, keyFileText(key), { flag: 'wx' });
  const signersFile = join(ctx.root, AUDIT_ALLOWED_SIGNERS_PATH);
  const signers = (await exists(signersFile)) ? await readFile(signersFile, 'utf8') : '';
  const line = allowedSignersLine(key);
  await writeFile(signersFile, `${signers}${signers === '' || signers.endsWith('\n') ? '' : '\n'}${line}\n`);

  if (ctx.format === 'json') {
    ctx.write(
      `${JSON.stringify({ key, private_key: privatePath, key_file: keyPath(keyId), allowed_signers: AUDIT_ALLOWED_SIGNERS_PATH, allowed_signers_line: line }, null, 2)}\n`,
    );
    return 0;
  }
  ctx.write(
    [
      `Created audit key "${keyId}", valid ${validUntil === null ? `from ${validFrom} on` : `from ${validFrom} to ${validUntil}`}.`,
      `  private key: ${privatePath} (mode 0600; keep it secret, never commit it; it is the one to give as MICROAPPS_AUDIT_KEY)`,
      `  registered:  ${keyPath(keyId)} and a line in ${AUDIT_ALLOWED_SIGNERS_PATH}`,
      '',
      'Nothing was committed. The audit operator commits these two files directly on the default branch:',
      `  git add ${keyPath(keyId)} ${AUDIT_ALLOWED_SIGNERS_PATH} && git commit -m "audit: register key ${keyId}"`,
      'not through a pull request: check denies any pull request that touches audit/.',
      `Signed audit commits: git config gpg.format ssh; git config user.signingkey ${privatePath};`,
      `git config gpg.ssh.allowedSignersFile ${AUDIT_ALLOWED_SIGNERS_PATH}; committer e-mail ${AUDIT_COMMITTER_EMAIL}.`,
      '',
    ].join('\n'),
  );
  return 0;
}

function windowTime(option: string, text: string): string {
  const normal = normaliseWindowTime(text);
  if (!normal) throw new UsageError(`${option} "${text}" is not a date (2025-01-31) or a UTC time (2025-01-31T08:00:00Z)`);
  return normal;
}

/** The private key's absolute path, refused when it is inside the repository or exists already. */
async function outsideRepository(root: string, out: string): Promise<string> {
  const wanted = resolve(out);
  const folder = await realpath(dirname(wanted)).catch(() => {
    throw new UsageError(`--out ${out}: the folder ${dirname(wanted)} does not exist`);
  });
  const target = join(folder, basename(wanted));
  const repository = await repositoryRoot(root);
  for (const inside of [repository, await realpath(root).catch(() => resolve(root))]) {
    const rel = relative(inside, target);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      throw new UsageError(
        `--out ${out} is inside the repository (${inside}): a private key must never be committed; write it outside, e.g. ~/.config/microapps/${basename(wanted)}`,
      );
    }
  }
  for (const path of [target, `${target}.pub`]) {
    if (await exists(path)) throw new UsageError(`${path} exists already: refusing to overwrite a key; choose another --out`);
  }
  return target;
}

/** The git work tree holding `root` (its top folder), or `root` when it is not in one. */
async function repositoryRoot(root: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: root });
    return await realpath(stdout.trim());
  } catch {
    return realpath(root).catch(() => resolve(root));
  }
}

async function sshKeygen(keyId: string, file: string): Promise<void> {
  try {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', keyId, '-f', file], { timeout: 30_000 });
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT')
      throw new SourceError('ssh-keygen was not found: install OpenSSH (its client tools), which git needs for SSH signing too');
    throw new SourceError(`ssh-keygen failed: ${(error.stderr ?? error.message).trim().split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// verify

async function verify(ctx: CommandContext): Promise<number> {
  const keptFile = ctx.values.checkpoint;
  const trusted = keptFile === undefined ? undefined : await readKeptCheckpoint(keptFile);
  const { contents, problems: folderProblems, logExists } = await readAuditFolder(ctx.root);
  const files = auditFilesFromContents(contents);
  // Files that could not be read as they should are the finding; verifying the rest would only add noise.
  const result: AuditVerification =
    files.value && folderProblems.length === 0
      ? verifyAuditLog(files.value, { trusted })
      : { ok: false, entries: 0, checkpoints: 0, lastCheckpoint: null, consistency: null, problems: [] };
  const problems = [...folderProblems, ...files.problems, ...result.problems].map((p) =>
    p.path === TRUSTED_CHECKPOINT_PATH ? { ...p, path: keptFile! } : p,
  );
  const ok = problems.length === 0;

  if (ctx.format === 'json') {
    const last = result.lastCheckpoint;
    const c = result.consistency;
    ctx.write(
      `${JSON.stringify(
        {
          ok,
          entries: result.entries,
          checkpoints: result.checkpoints,
          tree_size: last?.tree_size ?? 0,
          root_hash: last?.root_hash ?? null,
          last_checkpoint: last,
          consistency: c && { from_size: c.fromSize, to_size: c.toSize, from_root: c.fromRoot, to_root: c.toRoot, proof: c.proof },
          problems,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    ctx.write(renderVerification(result, problems, { logExists, keptFile }));
  }
  return ok ? 0 : 1;
}

async function readKeptCheckpoint(file: string): Promise<Checkpoint> {
  const text = await readFile(resolve(file), 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new SourceError(`cannot read --checkpoint ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const parsed = parseCheckpoint(text, file);
  if (!parsed.value)
    throw new UsageError(`--checkpoint ${file}: ${parsed.problems[0]!.message} (keep a line of ${AUDIT_CHECKPOINTS_PATH})`);
  return parsed.value;
}

/**
 * The audit files on disk (path -> bytes). Only regular files count: a symbolic link or a
 * folder where an audit file should be is a problem, never followed.
 */
async function readAuditFolder(root: string): Promise<{ contents: Map<string, Uint8Array>; problems: AuditProblem[]; logExists: boolean }> {
  const contents = new Map<string, Uint8Array>();
  const problems: AuditProblem[] = [];
  const readRegular = async (path: string): Promise<void> => {
    const stat = await lstat(join(root, path)).catch(() => undefined);
    if (!stat) return;
    if (!stat.isFile()) {
      problems.push({
        code: 'audit.not-a-file',
        path,
        line: 0,
        message: `${path} is not a regular file (a symbolic link or a folder): audit files are plain files`,
      });
      return;
    }
    contents.set(path, await readFile(join(root, path)));
  };
  for (const folder of ['audit', AUDIT_KEYS_DIR.slice(0, -1)]) {
    const stat = await lstat(join(root, folder)).catch(() => undefined);
    if (stat && !stat.isDirectory()) {
      problems.push({
        code: 'audit.not-a-folder',
        path: folder,
        line: 0,
        message: `${folder} is not a folder (a symbolic link or a file): audit files are plain files in plain folders`,
      });
      return { contents, problems, logExists: false };
    }
  }
  for (const path of [AUDIT_LOG_PATH, AUDIT_CHECKPOINTS_PATH, AUDIT_ALLOWED_SIGNERS_PATH]) await readRegular(path);
  const names = await readdir(join(root, AUDIT_KEYS_DIR)).catch(() => [] as string[]);
  for (const name of names.sort()) await readRegular(`${AUDIT_KEYS_DIR}${name}`);
  return { contents, problems, logExists: contents.has(AUDIT_LOG_PATH) };
}

function renderVerification(
  result: AuditVerification,
  problems: AuditProblem[],
  options: { logExists: boolean; keptFile?: string },
): string {
  const lines: string[] = [];
  const counts = `${plural(result.entries, 'entry', 'entries')}, ${plural(result.checkpoints, 'checkpoint')}`;
  const last = result.lastCheckpoint;
  if (problems.length === 0) {
    if (result.entries === 0 && result.checkpoints === 0) {
      lines.push(
        `The audit log is empty: no entries, no checkpoints (${AUDIT_LOG_PATH} ${options.logExists ? 'is empty' : 'does not exist'}).`,
      );
    } else {
      lines.push(`The audit log is intact: ${counts}; every entry is in order, chained, and signed.`);
      lines.push(`Last checkpoint: ${last!.tree_size} entries, root ${last!.root_hash}, signed by key "${last!.key_id}" at ${last!.time}.`);
    }
    const c = result.consistency;
    if (c)
      lines.push(
        `It extends the checkpoint you kept (${options.keptFile}): ${c.fromSize} entries then, ${c.toSize} now; nothing was removed or rewritten.`,
      );
    if (last)
      lines.push(
        `Keep the last line of ${AUDIT_CHECKPOINTS_PATH} outside the repository; next time, verify with --checkpoint FILE to prove the log still extends it.`,
      );
    return `${lines.join('\n')}\n`;
  }
  const [first, ...rest] = problems;
  lines.push(`The audit log is NOT intact (${counts}).`);
  lines.push(
    first!.path === AUDIT_LOG_PATH && first!.seq !== undefined
      ? `First bad entry: ${describe(first!)}`
      : `First problem: ${describe(first!)}`,
  );
  if (rest.length > 0) lines.push('Other problems:', ...rest.map((p) => `  ${describe(p)}`));
  return `${lines.join('\n')}\n`;
}

function describe(p: AuditProblem): string {
  const where = p.line > 0 ? `${p.path}:${p.line}` : p.path;
  const entry = p.seq !== undefined && p.path !== AUDIT_LOG_PATH ? ` (from entry ${p.seq})` : '';
  return `${where}${entry}: ${p.message} [${p.code}]`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
