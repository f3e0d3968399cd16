import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { hasErrors, sortFindings } from '../../core/findings.js';
import type { AppManifest } from '../../core/model.js';
import { explainChange } from '../../core/policy/explain.js';
import { bareConnectorHints } from '../../core/check/connector-hints.js';
import { denialDespiteErrors } from '../../core/check/judge-change.js';
import { checkApp } from '../../core/registry/check-app.js';
import { loadFile } from '../../core/registry/load-file.js';
import { redactDeep } from '../../core/registry/find-secrets.js';
import { renderExplanationText } from '../../core/render/render-explanation.js';
import { renderFindingsText } from '../../core/render/render-text.js';
import { SourceError, UsageError } from '../../core/errors.js';
import type { CommandContext } from '../main.js';
import { readFolder } from '../../pipeline/read-folder.js';

/**
 * `microapps explain FILE`: every rule and condition of the folder's policy for one app
 * manifest, with its value: how a citizen developer learns what to change.
 */
export async function explainCommand(ctx: CommandContext): Promise<number> {
  const [file, ...extra] = ctx.positionals;
  if (!file || extra.length > 0)
    throw new UsageError('explain takes one app manifest, e.g. microapps explain registry/finance/my-app.yaml');
  // FILE is relative to the current folder, or else to --root.
  const absolute = existsSync(resolve(file)) ? resolve(file) : resolve(ctx.root, file);
  const path = relative(ctx.root, absolute).split('\\').join('/');
  const bytes = await readFile(absolute).catch((e: NodeJS.ErrnoException) => {
    throw new SourceError(
      e.code === 'ENOENT'
        ? `cannot read ${file}: there is no such file in the current folder or in --root (${ctx.root}). Is --root the registry's folder?`
        : `cannot read ${file}: ${e.message}`,
    );
  });
  const { snapshot, findings: registryFindings } = await readFolder(ctx.root);
  const app = loadFile(path.startsWith('..') ? file : path, 'app', bytes);
  const findings = redactDeep([...app.findings, ...checkApp(app, snapshot.catalog, snapshot.directory, new Map())]);
  const policy = snapshot.policy;
  if (!policy || hasErrors(findings)) {
    if (!policy) findings.push(...registryFindings.filter((f) => f.path.startsWith('policies/') && f.severity === 'error'));
    // All problems in one run: a denial is said next to the errors.
    const denied = policy ? denialDespiteErrors(policy, app, snapshot) : [];
    const summary = !policy
      ? 'The policy could not be loaded, so the app cannot be explained.'
      : [
          'Fix these problems first; then explain shows how the policy judges the app.',
          ...denied.map((m) => `Even with them fixed, it would be denied: ${m.reason}`),
        ].join('\n');
    if (ctx.format === 'json') {
      ctx.write(
        `${JSON.stringify({ path: app.path, findings: sortFindings(findings), ...(denied.length ? { denied_by: denied } : {}) }, null, 2)}\n`,
      );
    } else ctx.write(renderFindingsText(sortFindings(findings), summary));
    return 1;
  }
  const manifest = app.document!.value as AppManifest;
  const explanation = explainChange(policy, { kind: 'added', manifest }, snapshot.catalog, snapshot.directory, {
    manifestPath: app.path,
    ownerPosition: app.document!.valueAt(['owner']),
  });
  const allFindings = sortFindings([...findings, ...explanation.verdict.findings, ...bareConnectorHints(app.document, snapshot.catalog)]);
  if (ctx.format === 'json') {
    ctx.write(`${JSON.stringify({ app: manifest.name, path: app.path, ...explanation, findings: allFindings }, null, 2)}\n`);
  } else {
    ctx.write(renderExplanationText(manifest.name, app.path, policy, explanation, allFindings));
  }
  return explanation.verdict.decision === 'deny' ? 1 : 0;
}
