/**
 * What a secret looks like: the formats of common credentials, written from the facts that
 * gitleaks' and secretlint's published rule sets document (prefixes, alphabets, lengths). Each
 * rule is anchored on a fixed prefix or structure so ordinary text does not match. Every rule
 * has a synthetic example in test/core/registry/find-secrets.test.ts.
 *
 * The patterns have no global flag: find-secrets.ts derives the global ones for redaction.
 */
export interface SecretRule {
  /** Stable id, e.g. for tests. */
  id: string;
  /** How the finding names it: "This looks like ${what}". */
  what: string;
  pattern: RegExp;
}

export const SECRET_RULES: readonly SecretRule[] = [
  // PEM and PGP private keys: "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PGP PRIVATE KEY BLOCK-----".
  { id: 'private-key', what: 'a private key', pattern: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/ },
  // AWS access key ids: a 4-letter kind prefix and 16 upper-case letters or digits.
  { id: 'aws-access-key-id', what: 'an AWS access key', pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  // GitHub: classic tokens gh[pousr]_ + 36, fine-grained github_pat_ + 82 word characters.
  { id: 'github-token', what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/ },
  { id: 'github-fine-grained-token', what: 'a GitHub token', pattern: /\bgithub_pat_[A-Za-z0-9_]{40,255}\b/ },
  // GitLab: personal/project/group access tokens, deploy tokens, runner and trigger tokens.
  { id: 'gitlab-token', what: 'a GitLab token', pattern: /\b(?:glpat|gldt|glrt|glcbt|glptt|glft|glsoat)-[A-Za-z0-9_-]{20,}/ },
  { id: 'gitlab-runner-registration', what: 'a GitLab token', pattern: /\bGR1348941[A-Za-z0-9_-]{20,}/ },
  // Slack: bot/user/app-level tokens and incoming webhook addresses.
  { id: 'slack-token', what: 'a Slack token', pattern: /\bxox(?:[abposr]|e\.xox[bp])-[A-Za-z0-9-]{10,}/ },
  { id: 'slack-app-token', what: 'a Slack token', pattern: /\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+/ },
  {
    id: 'slack-webhook',
    what: 'a Slack webhook address (it works as a password)',
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,}/,
  },
  // Google API keys: "AIza" and 35 characters.
  { id: 'google-api-key', what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  // Google OAuth client secrets.
  { id: 'google-oauth-secret', what: 'a Google client secret', pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}/ },
  // Stripe secret and restricted keys (live and test: a test key still opens the account's test data).
  { id: 'stripe-key', what: 'a Stripe key', pattern: /\b(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99}\b/ },
  // npm access tokens: npm_ + 36.
  { id: 'npm-token', what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  // PyPI upload tokens: a macaroon starting with the base64 of "pypi.org".
  { id: 'pypi-token', what: 'a PyPI token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/ },
  // SendGrid: SG. + 22 + . + 43.
  { id: 'sendgrid-key', what: 'a SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  // Twilio API key sids: SK + 32 hex digits.
  { id: 'twilio-key', what: 'a Twilio key', pattern: /\bSK[0-9a-fA-F]{32}\b/ },
  // Mailchimp API keys: 32 hex digits and the data centre.
  { id: 'mailchimp-key', what: 'a Mailchimp key', pattern: /\b[0-9a-f]{32}-us\d{1,2}\b/ },
  // Shopify access tokens and shared secrets.
  { id: 'shopify-token', what: 'a Shopify token', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/ },
  // OpenAI keys carry "T3BlbkFJ" (base64 of "OpenAI"); Anthropic keys start sk-ant-.
  { id: 'openai-key', what: 'an OpenAI key', pattern: /\bsk-(?:[a-z]+-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}/ },
  { id: 'anthropic-key', what: 'an Anthropic key', pattern: /\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{80,}/ },
  // Hugging Face access tokens: hf_ + 34 letters.
  { id: 'huggingface-token', what: 'a Hugging Face token', pattern: /\bhf_[A-Za-z]{34}\b/ },
  // Atlassian API tokens.
  { id: 'atlassian-token', what: 'an Atlassian token', pattern: /\bATATT3[A-Za-z0-9_=-]{100,}/ },
  // DigitalOcean personal, OAuth and refresh tokens.
  { id: 'digitalocean-token', what: 'a DigitalOcean token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
  // Square access tokens and OAuth secrets.
  { id: 'square-token', what: 'a Square token', pattern: /\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}/ },
  // Telegram bot tokens: bot id, colon, "AA" and 33 characters.
  { id: 'telegram-bot-token', what: 'a Telegram bot token', pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/ },
  // Azure storage connection strings.
  { id: 'azure-storage-key', what: 'an Azure storage key', pattern: /AccountKey=[A-Za-z0-9+/]{86}==/ },
  // Signed tokens (JWT): three base64url parts, the first two JSON objects.
  { id: 'jwt', what: 'a signed token (JWT)', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  // Written out as a setting: "password: ...", "api_key=...".
  {
    id: 'assignment',
    what: 'a password or key',
    pattern: /\b(?:password|passwd|secret|api[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token)\s*[:=]\s*\S{6,}/i,
  },
  // user:password@host in an address.
  { id: 'address-password', what: 'a password inside an address', pattern: /:\/\/[^/\s:@]+:[^/\s@]+@/ },
];
