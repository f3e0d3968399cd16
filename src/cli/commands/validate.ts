import { hasErrors, sortFindings } from '../../core/findings.js';
import { renderFindingsText } from '../../core/render/render-text.js';
import type { CommandContext } from '../main.js';
import { readFolder } from '../../pipeline/read-folder.js';

/** `microapps validate`: every governed file of the folder, as it is on disk. */
export async function validateCommand(ctx: CommandContext): Promise<number> {
  const { fileCount, findings } = await readFolder(ctx.root);
  sortFindings(findings);
  const valid = !hasErrors(findings);
  if (ctx.format === 'json') {
    ctx.write(`${JSON.stringify({ valid, findings }, null, 2)}\n`);
  } else {
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const summary = valid
      ? `${fileCount} files checked: the registry is valid${warnings ? ` (${plural(warnings, 'warning')})` : ''}.`
      : `${fileCount} files checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`;
    ctx.write(renderFindingsText(findings, summary));
  }
  return valid ? 0 : 1;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
