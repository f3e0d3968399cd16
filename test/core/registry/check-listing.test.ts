/**
 * Listing checks of issue 9, section 3: a governed top-level folder in another case and a
 * manifest directly in registry/ are errors, not quietly ignored or accepted.
 */
import { describe, expect, it } from 'vitest';
import { checkListing } from '../../../src/core/registry/check-listing.js';
import { isGoverned, miscasedRootName } from '../../../src/core/tree.js';

const entries = (...paths: string[]) => paths.map((path) => ({ path, kind: 'file' as const, oid: path }));

describe('checkListing: folders', () => {
  it('refuses every governed folder spelt in another case, saying where the file belongs', () => {
    const paths = ['Registry/it/a.yaml', 'CONNECTORS/x.yaml', 'Policies/approval.yaml', 'Audit/log.jsonl', '.GitHub/workflows/ci.yml'];
    const { findings } = checkListing(entries(...paths));
    expect(findings.map((f) => [f.path, f.code, f.severity])).toEqual(paths.map((p) => [p, 'tree.miscased-folder', 'error']));
    expect(findings[0]!.message).toContain('Move the file to registry/it/a.yaml');
  });

  it('leaves other folders alone: registryfoo/, docs/, a file named Registry', () => {
    expect(checkListing(entries('registryfoo/x.yaml', 'docs/Registry/x.yaml', 'Registry')).findings).toEqual([]);
    expect(['registryfoo/x.yaml', 'docs/Registry/x.yaml', 'Registry'].map(isGoverned)).toEqual([false, false, false]);
    expect(miscasedRootName('registry')).toBeUndefined();
    expect(miscasedRootName('REGISTRY')).toBe('registry/');
  });

  it('refuses a manifest directly in registry/, of every manifest kind, but not a Markdown note', () => {
    const { findings } = checkListing(
      entries('registry/a.yaml', 'registry/b.yml', 'registry/c.json', 'registry/README.md', 'registry/it/d.yaml'),
    );
    expect(findings.map((f) => [f.path, f.code])).toEqual([
      ['registry/a.yaml', 'tree.manifest-at-registry-root'],
      ['registry/b.yml', 'tree.manifest-at-registry-root'],
      ['registry/c.json', 'tree.manifest-at-registry-root'],
    ]);
  });

  it('reports only the paths asked for (a pull request is not blamed for what is already on the base)', () => {
    expect(checkListing(entries('Registry/it/a.yaml', 'registry/a.yaml'), new Set(['registry/it/other.yaml'])).findings).toEqual([]);
  });
});
