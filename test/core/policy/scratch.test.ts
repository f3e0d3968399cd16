import {test} from 'vitest';
import {Environment} from '@marcbachmann/cel-js';
test('x', () => {
  const env = new Environment({limits: {maxAstNodes: 500, maxDepth: 20}})
    .registerType('Auth', {fields: {type: 'string', provider: 'string', scopes: 'list<string>'}})
    .registerVariable('auth', 'Auth')
    .registerVariable('connectors', 'list<string>')
    .registerVariable('retention_days', 'int')
    .registerFunction('all_in(list<string>, list<string>): bool', (a: string[], b: string[]) => a.every(x => b.includes(x)));
  for (const e of ['all_in(connectors, [])', 'all_in(connectors, ["a"])', 'all_in(connectors, [1])', '"a" in []', 'auth.scopes == []', 'true', 'connectors[3] == "x"', 'retention_days / 0 == 1', '((((((((((((((((((((((((1))))))))))))))))))))))))', 'auth', 'auth.type.size() > 2u', 'retention_days > 2.5']) {
    const r = env.check(e);
    console.log(e, '=>', r.valid, r.type, (r.error as any)?.code, r.error?.range, r.error?.message.split('\n')[0]);
  }
  try { console.log(env.evaluate('connectors[3] == "x"', {connectors: [], auth: {type:'', provider:'', scopes: []}, retention_days: 0n})); } catch (e: any) { console.log('runtime', e.name, e.code, e.message.split('\n')[0]); }
  try { console.log(env.evaluate('retention_days > 2', {connectors: [], auth: {type:'', provider:'', scopes: []}, retention_days: 5})); } catch (e: any) { console.log('runtime', e.name, e.code, e.message.split('\n')[0]); }
  const p = env.parse('all_in(connectors, ["a"]) && auth.type == "x"');
  console.log(JSON.stringify(p.ast.toOldStructure()));
});
