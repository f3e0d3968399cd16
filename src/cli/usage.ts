export const USAGE = `microapps: governance for citizen-built micro apps

Usage:
  microapps validate                 check every governed file of the registry
  microapps check --base REF [--head REF]
                                     judge the change from REF to --head (default: the
                                     working tree, untracked files included)
  microapps explain FILE             show every rule and condition for one app manifest
  microapps test                     run the policy tests in policies/tests/

Options:
  --root DIR        the registry (default: the current directory)
  --format FORMAT   text (default) or json; check also takes markdown
  -h, --help        show this help

Exit codes: 0 ran and nothing is invalid or denied; 1 invalid, denied or failing tests;
2 usage error or missing git ref.
`;

/** A mistake in how the command was called: exit code 2, one line on stderr. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
