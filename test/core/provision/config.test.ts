/** policies/provisioners.yaml: defaults, switches, and mistakes reported at their line and column. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY, NO_PROVISIONERS, readProvisionersConfig } from '../../../src/core/provision/index.js';

const read = (text: string) => readProvisionersConfig(new TextEncoder().encode(text));

describe('readProvisionersConfig', () => {
  it('no file: nothing is provisioned', () => {
    expect(readProvisionersConfig(undefined)).toEqual({ value: NO_PROVISIONERS, findings: [] });
    expect(NO_PROVISIONERS).toEqual({ webhooks: [] });
  });

  it('gateway: {} is the gateway with its defaults; enabled: false or no gateway key switches it off', () => {
    expect(read('gateway: {}\n').value).toEqual({ gateway: DEFAULT_GATEWAY, webhooks: [] });
    expect(read('gateway:\n  enabled: false\n').value).toEqual({ webhooks: [] });
    expect(read('webhooks: []\n').value).toEqual({ webhooks: [] });
  });

  it('reads a webhook with its defaults (10 s, 3 retries) and its own settings', () => {
    const r = read(
      [
        'webhooks:',
        '  - name: credential-broker',
        '    url: https://hooks.example.com/microapps',
        '    secret_env: BROKER_SECRET',
        '  - name: local-test',
        '    url: http://localhost:8080/hook',
        '    secret_env: LOCAL_SECRET',
        '    timeout_seconds: 0.5',
        '    retries: 0',
        '',
      ].join('\n'),
    );
    expect(r.findings).toEqual([]);
    expect(r.value!.webhooks).toEqual([
      { name: 'credential-broker', url: 'https://hooks.example.com/microapps', secretEnv: 'BROKER_SECRET', timeoutMs: 10_000, retries: 3 },
      { name: 'local-test', url: 'http://localhost:8080/hook', secretEnv: 'LOCAL_SECRET', timeoutMs: 500, retries: 0 },
    ]);
  });

  it('refuses an unknown field, with its line and column and a suggestion', () => {
    const r = read('gateway:\n  enabled: true\n  outptu: generated/gw.yaml\n');
    expect(r.value).toBeUndefined();
    expect(r.findings).toMatchObject([
      { severity: 'error', code: 'schema.unknown-field', path: 'policies/provisioners.yaml', line: 3, column: 3 },
    ]);
    expect(r.findings[0]!.message).toContain('Did you mean "output"');
  });

  it('refuses plain http to anything but localhost, and a password in the address', () => {
    for (const url of ['http://hooks.example.com/x', 'https://user:pw@hooks.example.com/x', 'ftp://hooks.example.com']) {
      const r = read(`webhooks:\n  - name: hook\n    url: ${url}\n    secret_env: S\n`);
      expect(r.value, url).toBeUndefined();
      expect(
        r.findings.some((f) => f.line === 3 && f.severity === 'error'),
        `${url}: ${JSON.stringify(r.findings)}`,
      ).toBe(true);
    }
  });

  it('refuses an output outside generated/, or one that climbs out of it', () => {
    for (const output of ['registry/it/x.yaml', 'generated/../registry/x.yaml', 'generated/gateway/kong.json']) {
      const r = read(`gateway:\n  output: ${output}\n`);
      expect(r.findings, output).toMatchObject([{ code: 'schema.format', line: 2, column: 11 }]);
      expect(r.findings[0]!.message).toContain('under generated/');
    }
  });

  it('refuses a secret written into the file instead of an environment variable name', () => {
    const r = read('webhooks:\n  - name: hook\n    url: https://hooks.example.com\n    secret_env: s3cr3t-value!\n');
    expect(r.findings).toMatchObject([{ code: 'schema.format', line: 4 }]);
    expect(r.findings[0]!.message).toContain('name of an environment variable');
    expect(r.findings[0]!.message, 'a pasted secret is never repeated').not.toContain('s3cr3t');
  });

  it('refuses two webhooks with the same name, at the second one', () => {
    const hook = (n: number) => `  - name: broker\n    url: https://h${n}.example.com\n    secret_env: S\n`;
    const r = read(`webhooks:\n${hook(1)}${hook(2)}`);
    expect(r.findings).toMatchObject([{ code: 'provisioners.duplicate-webhook', line: 5, column: 11 }]);
  });
});
