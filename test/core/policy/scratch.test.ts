import {test} from 'vitest';
import {Environment} from '@marcbachmann/cel-js';
test('x', () => {
  const env = new Environment()
    .registerType('Auth', {fields: {type: 'string', provider: 'string', scopes: 'list<string>'}})
    .registerType('Change', {fields: {kind: 'string', added_connectors: 'list<string>'}})
    .registerVariable('auth', 'Auth')
    .registerVariable('change', 'Change')
    .registerVariable('environment', 'string')
    .registerVariable('retention_days', 'int')
    .registerVariable('connectors', 'list<string>')
    .registerVariable('links', 'list<map<string, string>>')
    .registerConstant('minimal_scopes', 'list<string>', ['openid','profile'])
    .registerFunction('glob(string, string): bool', (s: string, p: string) => s.startsWith(p))
    .registerFunction('subset_of(list<string>, list<string>): bool', (a: string[], b: string[]) => a.every(x => b.includes(x)));
  const exprs = ['auth.type == "oidc"', 'auth.typo == "x"', 'enviroment == "x"', 'environment == 1', 'retention_days > "x"',
   'environment ==', 'subset_of(connectors, minimal_scopes)', 'glob(environment, "s")', 'change.kind == "added" && "a" in change.added_connectors',
   'connectors.all(c, c in minimal_scopes)', 'retention_days', '1', 'links.exists(l, l.url == "x")', 'environment == "a" || x', '"pii" in []', 'connectors == []'];
  for (const e of exprs) {
    const r = env.check(e);
    console.log(e, '=>', r.valid, r.type, r.error?.name, (r.error as any)?.code, r.error?.range, r.error?.summary ?? r.error?.message);
  }
  const ctx = {auth: {type: 'oidc', provider: 'x', scopes: []}, change: {kind: 'added', added_connectors: ['a']}, environment: 's', retention_days: 5n, connectors: ['openid'], links: [{title: 'a', url: 'x'}]};
  for (const e of ['auth.type == "oidc"', 'subset_of(connectors, minimal_scopes)', 'change.kind == "added" && "a" in change.added_connectors', 'links.exists(l, l.url == "x")', 'retention_days > 3']) console.log(e, env.evaluate(e, ctx));
  const p = env.parse('environment == "s" && retention_days > 3');
  console.log(p(ctx), JSON.stringify(p.ast.toOldStructure()), p.ast.range);
});
