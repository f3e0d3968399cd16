/**
 * The command line's help texts: one per command (`microapps COMMAND --help`), and the
 * overview (`microapps --help`) made from their first lines, so the two never disagree.
 */

interface CommandHelp {
  /** The synopsis lines, as in the overview. */
  synopsis: string[];
  /** One line for the overview. */
  summary: string;
  /** What a user reading `microapps COMMAND --help` needs beyond the summary. */
  details: string;
}

export const COMMAND_HELP: Record<string, CommandHelp> = {
  validate: {
    synopsis: ['microapps validate'],
    summary: 'check every governed file of the registry',
    details: `Reads every governed file of the folder as it is on disk (manifests, connectors, the policy,
the owner directory, the App's configuration): syntax, schema, cross-references (connectors
exist, scopes allowed, names unique and equal to file names, owners known), and the policy.
Exit 0 valid, 1 invalid.`,
  },
  check: {
    synopsis: ['microapps check --base REF [--head REF]'],
    summary: 'judge the change from REF to --head (default: the working tree, untracked files included)',
    details: `Judges what merging --head into REF would land, with REF's policy, connectors and owner
directory: for each changed app the decision (auto-approved, needs the owner's manager, needs a
security review, denied), why, and what to change. Reads git objects: no checkout, no branch
switch. --format markdown gives the pull-request summary.
Exit 0 nothing invalid or denied, 1 invalid or denied, 2 a ref that does not exist.`,
  },
  explain: {
    synopsis: ['microapps explain FILE'],
    summary: 'show every rule and condition for one app manifest',
    details: `FILE is an app manifest, relative to the current folder or to --root. Shows every rule of the
folder's policy, each condition with its value for the app, and the decision.
Exit 0 explained, 1 the manifest has errors or is denied.`,
  },
  test: {
    synopsis: ['microapps test'],
    summary: 'run the policy tests in policies/tests/',
    details: `Runs each declarative test in policies/tests/ (a manifest and the decision it must get) against
the folder's policy, connectors and owner directory.
Exit 0 all passed, 1 a test failed or the policy cannot be loaded.`,
  },
  audit: {
    synopsis: [
      'microapps audit verify [--checkpoint FILE]',
      'microapps audit keygen --key-id ID --out FILE [--valid-from TIME] [--valid-until TIME]',
    ],
    summary: 'verify the audit log, or make an audit signing key',
    details: `verify   checks the audit log: canonical entries, hash chain, Merkle checkpoints, signatures,
         key windows; with --checkpoint FILE (a checkpoint kept earlier) also that the log
         extends it. Exit 0 intact, 1 naming the first bad entry.
keygen   makes an Ed25519 audit key: the private key to FILE (outside the repository, mode
         0600), the public key with its validity under audit/keys/ and audit/allowed_signers.`,
  },
  apply: {
    synopsis: ['microapps apply --before REF --after REF [--branch NAME] [--dry-run]'],
    summary: 'provision what a merge changed and record it in the audit log',
    details: `Provisions what the merge from --before to --after changed and records it in the audit log, as
one commit on the branch (default: the current one), SSH-signed when gpg.format is ssh. The
audit key is the file named by MICROAPPS_AUDIT_KEY. --dry-run shows the decisions and steps.
Exit 0 done or nothing to do, 1 a provisioning step failed (still recorded), 2 a log or key it
refuses (nothing written).`,
  },
};

const OPTIONS = `Options:
  --root DIR        the registry (default: the current directory)
  --format FORMAT   text (default) or json; check also takes markdown
  -h, --help        show this help (microapps COMMAND --help: one command's)
  --version         print the version`;

const EXIT_CODES = `Exit codes: 0 ran and nothing is invalid or denied; 1 invalid, denied, failing tests, a
damaged audit log, or a provisioning step that failed (still recorded); 2 usage error,
missing git ref, or a log or key apply refuses; 3 internal error (a bug: please report it).`;

function synopsisLines(help: CommandHelp): string {
  return help.synopsis.map((line) => `  ${line}`).join('\n');
}

export const USAGE = `microapps: governance for citizen-built micro apps

Usage:
${Object.values(COMMAND_HELP)
  .map((help) => `${synopsisLines(help)}\n      ${help.summary}`)
  .join('\n')}

${OPTIONS}

${EXIT_CODES}
`;

/** `microapps COMMAND --help`. */
export function commandUsage(name: string): string {
  const help = COMMAND_HELP[name]!;
  return `Usage:\n${synopsisLines(help)}\n\n${help.details}\n\n${OPTIONS}\n`;
}
