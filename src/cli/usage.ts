export const USAGE = `microapps: governance for citizen-built micro apps

Usage:
  microapps validate                 check every governed file of the registry
  microapps check --base REF [--head REF]
                                     judge the change from REF to --head (default: the
                                     working tree, untracked files included)
  microapps explain FILE             show every rule and condition for one app manifest
  microapps test                     run the policy tests in policies/tests/
  microapps audit verify [--checkpoint FILE]
                                     check the audit log: canonical entries, hash chain,
                                     Merkle checkpoints, signatures, key windows; with FILE (a
                                     checkpoint kept earlier) also that the log extends it
  microapps audit keygen --key-id ID --out FILE [--valid-from TIME] [--valid-until TIME]
                                     make an Ed25519 audit key: the private key to FILE
                                     (outside the repository), the public key under audit/
  microapps apply --before REF --after REF [--branch NAME] [--dry-run]
                                     provision what a merge changed and record it in the
                                     audit log, as one commit on the branch (default: the
                                     current one), SSH-signed when gpg.format is ssh; the
                                     key is the file named by MICROAPPS_AUDIT_KEY

Options:
  --root DIR        the registry (default: the current directory)
  --format FORMAT   text (default) or json; check also takes markdown
  -h, --help        show this help

Exit codes: 0 ran and nothing is invalid or denied; 1 invalid, denied, failing tests, a
damaged audit log, or a provisioning step that failed (still recorded); 2 usage error,
missing git ref, or a log or key apply refuses.
`;

/** A mistake in how the command was called: exit code 2, one line on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
