/**
 * Every secret rule against a synthetic example of its format. The examples are built by
 * concatenation at run time, so this repository holds no literal a secret scanner would flag.
 */
import { describe, expect, it } from 'vitest';
import { findSecrets, redactDeep, redactSecrets, SECRET_REMOVED } from '../../../src/core/registry/find-secrets.js';
import { loadFile } from '../../../src/core/registry/load-file.js';
import { SECRET_RULES } from '../../../src/core/registry/secret-rules.js';
import { parseDocument } from '../../../src/core/parse/parse-document.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';

/** n deterministic characters of `alphabet` (a small LCG: the same text on every run). */
function chars(n: number, alphabet = ALNUM, seed = n): string {
  let x = (seed * 2654435761) % 4294967296;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const join = (...parts: string[]) => parts.join('');

/** One synthetic example per rule id. */
const EXAMPLES: Record<string, string[]> = {
  'private-key': [
    join('-----BEGIN', ' RSA PRIVATE', ' KEY-----'),
    join('-----BEGIN', ' OPENSSH PRIVATE', ' KEY-----'),
    join('-----BEGIN', ' PGP PRIVATE KEY', ' BLOCK-----'),
  ],
  'aws-access-key-id': [join('AK', 'IA', chars(16, UPPER + DIGITS)), join('AS', 'IA', chars(16, UPPER + DIGITS, 7))],
  'github-token': [join('gh', 'p_', chars(36)), join('gh', 's_', chars(36, ALNUM, 3)), join('gh', 'o_', chars(36, ALNUM, 5))],
  'github-fine-grained-token': [join('github', '_pat_', chars(22), '_', chars(59))],
  'gitlab-token': [join('glp', 'at-', chars(20, `${ALNUM}_-`)), join('gld', 't-', chars(20, ALNUM, 9))],
  'gitlab-runner-registration': [join('GR134', '8941', chars(20))],
  'slack-token': [
    join('xo', 'xb-', chars(12, DIGITS), '-', chars(13, DIGITS), '-', chars(24)),
    join('xo', 'xp-', chars(12, DIGITS, 4), '-', chars(24)),
  ],
  'slack-app-token': [join('xa', 'pp-1-', chars(11, UPPER + DIGITS), '-', chars(13, DIGITS), '-', chars(64, HEX))],
  'slack-webhook': [
    join('https://hooks.', 'slack.com/services/', chars(9, UPPER + DIGITS), '/', chars(11, UPPER + DIGITS), '/', chars(24)),
  ],
  'google-api-key': [join('AI', 'za', chars(35, `${ALNUM}_-`))],
  'google-oauth-secret': [join('GOC', 'SPX-', chars(28, `${ALNUM}_-`))],
  'stripe-key': [join('sk', '_live_', chars(24)), join('rk', '_live_', chars(24, ALNUM, 2)), join('sk', '_test_', chars(24, ALNUM, 8))],
  'npm-token': [join('np', 'm_', chars(36))],
  'pypi-token': [join('pypi-', 'AgEIcHlwaS5vcmc', chars(60, `${ALNUM}_-`))],
  'sendgrid-key': [join('S', 'G.', chars(22, `${ALNUM}_-`), '.', chars(43, `${ALNUM}_-`))],
  'twilio-key': [join('S', 'K', chars(32, HEX))],
  'mailchimp-key': [join(chars(32, HEX), '-us', '12')],
  'shopify-token': [join('shp', 'at_', chars(32, HEX)), join('shp', 'ss_', chars(32, HEX, 6))],
  'openai-key': [join('sk-', 'proj-', chars(24, `${ALNUM}_-`), 'T3Blbk', 'FJ', chars(24, `${ALNUM}_-`))],
  'anthropic-key': [join('sk-', 'ant-', 'api03-', chars(93, `${ALNUM}_-`), 'AA')],
  'huggingface-token': [join('h', 'f_', chars(34, UPPER + LOWER))],
  'atlassian-token': [join('ATA', 'TT3', chars(186, `${ALNUM}_-`))],
  'digitalocean-token': [join('do', 'p_v1_', chars(64, HEX))],
  'square-token': [join('sq0', 'atp-', chars(22, `${ALNUM}_-`)), join('sq0', 'csp-', chars(43, `${ALNUM}_-`))],
  'telegram-bot-token': [join(chars(9, DIGITS), ':A', 'A', chars(33, `${ALNUM}_-`))],
  'azure-storage-key': [join('DefaultEndpointsProtocol=https;AccountName=demo;Account', 'Key=', chars(86, `${ALNUM}+/`), '==')],
  jwt: [join('ey', 'J', chars(20), '.', 'ey', 'J', chars(30), '.', chars(43, `${ALNUM}_-`))],
  assignment: [join('pass', 'word: ', chars(12)), join('api', '_key=', chars(16)), join('client', '_secret = ', chars(20))],
  'address-password': [join('postgres://report', 'er:', chars(12), '@db.example.com/sales')],
};

const manifest = (extra: string) =>
  new TextEncoder().encode(
    ['name: demo-app', 'owner: it-team@example.com', 'environment: sandbox', 'auth: {type: oidc, provider: company-sso}', extra, ''].join(
      '\n',
    ),
  );

const yamlString = (s: string) => JSON.stringify(s);

describe('secret rules: each format has a synthetic example that it catches', () => {
  it('every rule has an example here, and every example names a rule', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(SECRET_RULES.map((r) => r.id).sort());
  });

  for (const rule of SECRET_RULES) {
    for (const example of EXAMPLES[rule.id] ?? []) {
      it(`${rule.id}: ${example.slice(0, 14)}… is found in a value and in a key, and redacted`, () => {
        expect(rule.pattern.test(example), `${rule.id} matches its example`).toBe(true);
        const inText = `Uploads the report with ${example} until IT gives us a connector.`;

        const value = parseDocument('registry/it/demo-app.yaml', manifest(`description: ${yamlString(inText)}`)).document!;
        const [byValue] = findSecrets(value);
        expect(byValue).toMatchObject({ code: 'secret.detected', severity: 'error', line: 5, column: 14 });
        expect(byValue!.message).not.toContain(example);

        const key = parseDocument('registry/it/demo-app.yaml', manifest(`${yamlString(example)}: 1`)).document!;
        const [byKey] = findSecrets(key);
        expect(byKey).toMatchObject({ code: 'secret.detected', line: 5, column: 1 });
        expect(byKey!.message).toContain('used as a field name');

        const redacted = redactSecrets(inText);
        expect(redacted).not.toContain(example);
        expect(redacted).toContain(SECRET_REMOVED);
        expect(redacted.startsWith('Uploads the report with ')).toBe(true);
      });
    }
  }
});

describe('secret rules: ordinary text is not a secret', () => {
  const ORDINARY = [
    'Prototype dashboard of expense totals by cost center and category for budget owners.',
    'Uses the standard finance reports; see https://wiki.example.com/finance/reports for details.',
    'sk_live_ is how Stripe keys start; this app never sees one.',
    'AIza keys are for Maps; we use none.',
    'Ask the platform team for the password: they keep it in the secret manager.',
    'laptop-refresh-tracker',
    'it-platform@example.com',
    'reports:read',
    'SKU 12345',
  ];
  for (const text of ORDINARY) {
    it(`"${text.slice(0, 40)}" is left alone`, () => {
      const doc = parseDocument('registry/it/demo-app.yaml', manifest(`description: ${yamlString(text)}`)).document!;
      expect(findSecrets(doc)).toEqual([]);
      expect(redactSecrets(text)).toBe(text);
    });
  }
});

describe('a detected secret is never repeated by any finding of its file', () => {
  const token = join('gh', 'p_', chars(36));
  it('as environment (the schema error quotes the value), as a field name, and in a list', () => {
    const file = loadFile(
      'registry/it/demo-app.yaml',
      'app',
      new TextEncoder().encode(
        [
          'name: demo-app',
          'owner: it-team@example.com',
          `environment: ${token}`,
          `auth: {type: oidc, provider: company-sso, scopes: [openid, ${token}]}`,
          `${token}: 1`,
          '',
        ].join('\n'),
      ),
    );
    expect(file.findings.filter((f) => f.code === 'secret.detected').map((f) => f.line)).toEqual([3, 4, 5]);
    expect(file.findings.some((f) => f.code === 'schema.unknown-field')).toBe(true);
    expect(JSON.stringify(file.findings)).not.toContain(token);
  });

  it('redactDeep removes secrets from every string and key of plain data', () => {
    const data = { app: token, list: [`see ${token}`, 3, null], nested: { [token]: true } };
    const out = redactDeep(data);
    expect(JSON.stringify(out)).not.toContain(token);
    expect(out.list[1]).toBe(3);
    expect(out.list[2]).toBeNull();
  });
});
