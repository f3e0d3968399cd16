import { FolderTree } from '../../adapters/fs/folder-tree.js';
import { error, hasErrors, sortFindings, START } from '../../core/findings.js';
import { assembleSnapshot } from '../../core/registry/assemble.js';
import { renderFindingsText } from '../../core/render/render-text.js';
import { POLICY_PATH } from '../../core/tree.js';
import type { CommandContext } from '../main.js';
import { loadablePaths, readAndLoad } from '../read-registry.js';

/** `microapps validate`: every governed file of the folder, as it is on disk. */
export async function validateCommand(ctx: CommandContext): Promise<number> {
  const source = new FolderTree(ctx.root);
  const listing = await source.listing();
  const paths = loadablePaths(listing);
  const files = await readAndLoad(source, paths);
  const snapshot = assembleSnapshot(listing, files);
  const findings = [...snapshot.findings];
  if (!snapshot.files.has(POLICY_PATH)) {
    findings.push(error('registry.no-policy', POLICY_PATH, START,
      `There is no approval policy at ${POLICY_PATH}, so no app can be judged. Is --root the registry's folder?`));
  }
  sortFindings(findings);
  const valid = !hasErrors(findings);
  if (ctx.format === 'json') {
    ctx.write(`${JSON.stringify({ valid, findings }, null, 2)}\n`);
  } else {
    const errors = findings.filter((f) => f.severity === 'error').length;
    const summary = valid
      ? `${paths.length} files checked: the registry is valid${findings.length ? ` (${findings.length} warnings)` : ''}.`
      : `${paths.length} files checked: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}.`;
    ctx.write(renderFindingsText(findings, summary));
  }
  return valid ? 0 : 1;
}
