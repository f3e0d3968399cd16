import { hasErrors, type Finding } from '../../core/findings.js';
import { runPolicyTest, type PolicyTestResult } from '../../core/policy/policy-tests.js';
import { formatFinding } from '../../core/render/render-text.js';
import type { CommandContext } from '../main.js';
import { readFolder } from '../../pipeline/read-folder.js';

/** `microapps test`: runs policies/tests/*.yaml against the folder's policy, catalog and directory. */
export async function testCommand(ctx: CommandContext): Promise<number> {
  const { snapshot, findings } = await readFolder(ctx.root);
  const tests = [...snapshot.files.values()].filter((f) => f.role === 'policy-test');
  const policy = snapshot.policy;
  const results: PolicyTestResult[] = [];
  const problems: Finding[] = policy ? [] : findings.filter((f) => f.severity === 'error' && f.path.startsWith('policies/'));
  if (policy) {
    for (const file of tests) {
      if (!file.valid || !file.document) {
        results.push({ name: file.path, passed: false, failures: ['the test file has errors'], findings: file.findings });
        continue;
      }
      results.push(runPolicyTest(file.document, policy, snapshot.catalog, snapshot.directory));
      results[results.length - 1]!.name ||= file.path;
    }
  }
  const failed = results.filter((r) => !r.passed).length + (policy ? 0 : 1);
  if (ctx.format === 'json') {
    ctx.write(`${JSON.stringify({ passed: failed === 0, results, findings: problems }, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    if (!policy) lines.push('The policy could not be loaded, so no test ran.', ...problems.map(formatFinding));
    tests.forEach((file, i) => {
      const r = results[i];
      if (!r) return;
      lines.push(`${r.passed ? 'PASS' : 'FAIL'} ${r.name} (${file.path})`);
      for (const f of r.failures) lines.push(`  ${f}`);
      for (const f of r.findings) if (!r.passed || hasErrors([f])) lines.push(`  ${formatFinding(f)}`);
    });
    if (policy && tests.length === 0) lines.push('No policy tests found in policies/tests/.');
    lines.push(`policy tests: ${results.length - (failed - (policy ? 0 : 1))} passed, ${failed} failed`);
    ctx.write(`${lines.join('\n')}\n`);
  }
  return failed === 0 ? 0 : 1;
}
