/**
 * Generates a realistic registry for the benchmark: 30 connectors, an approval policy, an
 * owner directory and N app manifests (half YAML, half JSON) in 20 team folders, all valid
 * against the published schemas and the registry's cross-file rules. Deterministic: the same
 * seed gives the same files. Node built-ins only.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  /** k distinct elements of list, in list order. */
  const sample = (list, k) => {
    const idx = list.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx
      .slice(0, Math.min(k, list.length))
      .sort((x, y) => x - y)
      .map((i) => list[i]);
  };
  return { next, int, pick, chance, sample };
}

// ---------------------------------------------------------------------------------------------
// Catalog: 30 connectors (none blocked, two restricted). The first eleven are the sample
// connectors of the repository, so the copied-in policy (which names hr_api_read) stays valid.

const C = (connector_id, description, allowed_scopes, operations, data_classification, rate_limit, owner, rotation_days, extra = {}) => ({
  connector_id,
  description,
  allowed_scopes,
  operations,
  data_classification,
  rate_limit,
  owner,
  rotation_days,
  ...extra,
});

export const CONNECTORS = [
  C(
    'crm_contacts_read',
    'Read customer accounts, contacts and opportunities from the CRM. Contacts are personal data (names, e-mail addresses, phone numbers).',
    ['accounts:read', 'contacts:read', 'opportunities:read'],
    ['read'],
    ['pii'],
    '2000/hour',
    'sales-systems@example.com',
    90,
    { version: '1.8.0', status: 'preapproved' },
  ),
  C(
    'expense_api_read',
    'Read expense reports, cost-center totals and standard finance reports. No write access: use expense_api_write to change anything.',
    ['expenses:read', 'reports:read', 'cost_centers:read'],
    ['read'],
    ['financial'],
    '1000/hour',
    'finance-systems@example.com',
    90,
    { version: '2.4.1', status: 'preapproved' },
  ),
  C(
    'expense_api_write',
    'Create, update and approve expense reports in the expense system. Writes financial records, so apps that use it get a security review.',
    ['expenses:read', 'expenses:write', 'approvals:write'],
    ['read', 'write'],
    ['financial_write'],
    '300/hour',
    'finance-systems@example.com',
    60,
    { version: '2.4.1', status: 'preapproved' },
  ),
  C(
    'hr_api_read',
    'Read-only access to the HR system of record: employee profiles, the org chart and approved time off. Exposes personal data, so every app that uses it gets a security review.',
    ['employees:read', 'org_chart:read', 'time_off:read'],
    ['read'],
    ['pii'],
    '500/hour',
    'hr-systems@example.com',
    90,
    { version: '3.2.0', status: 'preapproved' },
  ),
  C(
    'jira_read_only',
    'Read issues and project metadata from Jira. Cannot create, edit or comment on issues.',
    ['issues:read', 'projects:read'],
    ['read'],
    undefined,
    '1000/hour',
    'it-platform@example.com',
    90,
  ),
  C(
    'payroll_api',
    'Read payroll runs and compensation data. Restricted: salaries and bank details are among the most sensitive data the company holds, so every app that uses it needs a security review, in sandbox too.',
    ['payroll_runs:read', 'compensation:read'],
    ['read'],
    ['pii', 'financial'],
    '100/hour',
    'hr-systems@example.com',
    30,
    { version: '1.0.0', status: 'restricted' },
  ),
  C(
    's3_exports',
    "Write CSV or Parquet exports to the app's own prefix in the company export bucket (encrypted, 30-day lifecycle) and read them back. Not for sharing outside the company.",
    ['exports:read', 'exports:write'],
    ['read', 'write'],
    ['confidential'],
    '100/hour',
    'data-platform@example.com',
    30,
    { version: '1.2.0', status: 'preapproved' },
  ),
  C(
    'servicenow_tickets',
    'Read and create ServiceNow incidents and service requests (for example hardware requests or access requests). Tickets can contain internal details, hence "confidential".',
    ['incidents:read', 'incidents:write', 'requests:read', 'requests:write'],
    ['read', 'write'],
    ['confidential'],
    '600/hour',
    'it-platform@example.com',
    90,
    { version: '1.3.0', status: 'preapproved' },
  ),
  C(
    'sharepoint_files_read',
    'Read files and lists from SharePoint sites the signed-in user can already open.',
    ['sites:read', 'files:read', 'lists:read'],
    ['read'],
    ['confidential'],
    '1200/hour',
    'it-platform@example.com',
    90,
    { version: '1.1.0', status: 'preapproved' },
  ),
  C(
    'slack_post_messages',
    "Post messages as the app's bot user to public channels the bot was invited to. Cannot read message history or direct messages.",
    ['chat:write', 'channels:read'],
    ['write'],
    undefined,
    '50/minute',
    'it-platform@example.com',
    180,
    { version: '1.0.0', status: 'preapproved' },
  ),
  C(
    'web_analytics_read',
    'Aggregated website and campaign reports (visits, conversions, traffic sources). No visitor-level data.',
    ['reports:read', 'campaigns:read'],
    ['read'],
    undefined,
    '1000/day',
    'data-platform@example.com',
    180,
    { version: '1.0.2', status: 'preapproved' },
  ),
  // Nineteen more, as a larger company's catalog would have.
  C(
    'confluence_pages_read',
    'Read pages and attachments from Confluence spaces the signed-in user can already open.',
    ['spaces:read', 'pages:read', 'attachments:read'],
    ['read'],
    ['confidential'],
    '1500/hour',
    'it-platform@example.com',
    90,
    { version: '2.0.0' },
  ),
  C(
    'github_repos_read',
    'Read repository metadata, issues and pull requests from the company GitHub organisation. No access to code push.',
    ['repos:read', 'issues:read', 'pulls:read'],
    ['read'],
    undefined,
    '5000/hour',
    'it-platform@example.com',
    90,
    { version: '1.4.2', status: 'preapproved' },
  ),
  C(
    'pagerduty_incidents_read',
    'Read incidents, on-call schedules and escalation policies from PagerDuty.',
    ['incidents:read', 'schedules:read'],
    ['read'],
    undefined,
    '900/hour',
    'it-platform@example.com',
    180,
    { version: '1.0.0' },
  ),
  C(
    'google_calendar_read',
    'Read free/busy information and events of shared company calendars. Event attendees are personal data.',
    ['calendars:read', 'events:read', 'freebusy:read'],
    ['read'],
    ['pii'],
    '2000/hour',
    'it-platform@example.com',
    90,
    { version: '3.0.1', status: 'preapproved' },
  ),
  C(
    'zendesk_tickets_read',
    'Read customer support tickets and requester profiles from Zendesk. Requesters are customers: personal data.',
    ['tickets:read', 'users:read', 'views:read'],
    ['read'],
    ['pii'],
    '700/minute',
    'customer-support@example.com',
    90,
    { version: '2.1.0', status: 'preapproved' },
  ),
  C(
    'docusign_envelopes_read',
    'Read the status of signature envelopes and their templates. Does not download signed documents.',
    ['envelopes:read', 'templates:read'],
    ['read'],
    ['confidential'],
    '1000/hour',
    'legal-team@example.com',
    90,
    { version: '1.0.0', status: 'preapproved' },
  ),
  C(
    'snowflake_reports_read',
    'Run the curated, read-only reporting views of the data warehouse. No access to raw tables.',
    ['warehouses:read', 'reports:read'],
    ['read'],
    ['confidential'],
    '300/hour',
    'data-platform@example.com',
    60,
    { version: '4.2.0', status: 'preapproved' },
  ),
  C(
    'procurement_po_read',
    'Read purchase orders, suppliers and goods receipts from the procurement system.',
    ['purchase_orders:read', 'suppliers:read', 'receipts:read'],
    ['read'],
    ['financial'],
    '800/hour',
    'finance-systems@example.com',
    90,
    { version: '1.6.0', status: 'preapproved' },
  ),
  C(
    'facilities_room_booking',
    'Read meeting rooms and desks and book them for the signed-in user.',
    ['rooms:read', 'bookings:read', 'bookings:write'],
    ['read', 'write'],
    undefined,
    '1200/hour',
    'facilities-team@example.com',
    180,
    { version: '1.1.0', status: 'preapproved' },
  ),
  C(
    'travel_bookings_read',
    'Read trips and travel expenses booked through the company travel agency. Traveller profiles are personal data.',
    ['trips:read', 'expenses:read'],
    ['read'],
    ['pii', 'financial'],
    '400/hour',
    'finance-systems@example.com',
    90,
    { version: '2.0.3', status: 'preapproved' },
  ),
  C(
    'survey_responses_read',
    'Read survey definitions and individual responses from the survey tool.',
    ['surveys:read', 'responses:read'],
    ['read'],
    ['pii'],
    '600/hour',
    'hr-systems@example.com',
    90,
    { version: '1.2.0', status: 'preapproved' },
  ),
  C(
    'teams_post_messages',
    "Post messages as the app's bot to Microsoft Teams channels the bot was added to.",
    ['chat:write', 'channels:read'],
    ['write'],
    undefined,
    '60/minute',
    'it-platform@example.com',
    180,
    { version: '1.0.0', status: 'preapproved' },
  ),
  C(
    'box_files_read',
    "Read folders and files from Box folders shared with the app's service account.",
    ['folders:read', 'files:read'],
    ['read'],
    ['confidential'],
    '1000/hour',
    'it-platform@example.com',
    90,
    { version: '1.3.0', status: 'preapproved' },
  ),
  C(
    'statuspage_updates',
    'Read components and post incident updates to the internal status page.',
    ['incidents:read', 'incidents:write', 'components:read'],
    ['read', 'write'],
    undefined,
    '100/minute',
    'it-platform@example.com',
    180,
    { version: '1.0.4', status: 'preapproved' },
  ),
  C(
    'marketing_email_send',
    'Read mailing lists and send campaign e-mails through the marketing automation platform. Lists hold subscriber addresses.',
    ['lists:read', 'campaigns:write'],
    ['read', 'write'],
    ['pii'],
    '200/hour',
    'marketing-team@example.com',
    60,
    { version: '5.1.0', status: 'preapproved' },
  ),
  C(
    'learning_courses_read',
    'Read courses, enrolments and completion records from the learning platform.',
    ['courses:read', 'enrollments:read'],
    ['read'],
    ['pii'],
    '500/hour',
    'hr-systems@example.com',
    90,
    { version: '1.0.0', status: 'preapproved' },
  ),
  C(
    'okta_groups_read',
    'Read group memberships and application assignments from the identity provider. Useful for access reviews.',
    ['groups:read', 'apps:read'],
    ['read'],
    ['confidential'],
    '600/minute',
    'security-team@example.com',
    30,
    { version: '2.2.0', status: 'preapproved' },
  ),
  C(
    'legal_contracts_read',
    'Read executed contracts and their key clauses from the contract repository. Restricted: contracts hold confidential commercial terms, so every app that uses it needs a security review.',
    ['contracts:read', 'clauses:read'],
    ['read'],
    ['confidential'],
    '200/hour',
    'legal-team@example.com',
    30,
    { version: '1.0.0', status: 'restricted' },
  ),
  C(
    'inventory_assets_read',
    'Read hardware assets, their locations and assignment history from the asset inventory.',
    ['assets:read', 'locations:read'],
    ['read'],
    undefined,
    '1000/hour',
    'it-helpdesk@example.com',
    180,
    { version: '1.1.1', status: 'preapproved' },
  ),
];

const BY_ID = new Map(CONNECTORS.map((c) => [c.connector_id, c]));

// ---------------------------------------------------------------------------------------------
// 20 teams: folder, owner mailbox, connectors their apps tend to use, and words for app names.

const T = (folder, owner, display, connectors, subjects, artifacts) => ({ folder, owner, display, connectors, subjects, artifacts });

export const TEAMS = [
  T(
    'finance',
    'finance-team@example.com',
    'Finance',
    ['expense_api_read', 'expense_api_write', 'procurement_po_read', 'snowflake_reports_read', 's3_exports'],
    [
      'expense',
      'invoice',
      'budget',
      'month-end',
      'cost-center',
      'accrual',
      'forecast',
      'vendor-payment',
      'ledger',
      'cash-flow',
      'audit-sample',
      'tax',
    ],
    ['dashboard', 'tracker', 'checker', 'digest', 'reconciler', 'report', 'approver', 'planner'],
  ),
  T(
    'hr',
    'hr-team@example.com',
    'People (HR)',
    ['hr_api_read', 'payroll_api', 'learning_courses_read', 'survey_responses_read', 'google_calendar_read'],
    [
      'onboarding',
      'offboarding',
      'time-off',
      'org-chart',
      'headcount',
      'payroll-variance',
      'benefits',
      'review-cycle',
      'engagement',
      'referral',
      'visa',
      'policy-ack',
    ],
    ['checklist', 'tracker', 'dashboard', 'reminder', 'planner', 'digest', 'checker', 'form'],
  ),
  T(
    'sales',
    'sales-ops@example.com',
    'Sales Operations',
    ['crm_contacts_read', 'sharepoint_files_read', 'docusign_envelopes_read', 'snowflake_reports_read'],
    [
      'account-brief',
      'pipeline',
      'quota',
      'territory',
      'deal-desk',
      'renewal',
      'lead-routing',
      'commission',
      'forecast-call',
      'win-loss',
      'pricing',
      'quote',
    ],
    ['builder', 'dashboard', 'tracker', 'digest', 'planner', 'reviewer', 'calculator', 'board'],
  ),
  T(
    'marketing',
    'marketing-team@example.com',
    'Marketing',
    ['web_analytics_read', 'marketing_email_send', 'box_files_read', 'sharepoint_files_read'],
    [
      'campaign-metrics',
      'event',
      'webinar',
      'content-calendar',
      'brand-asset',
      'newsletter',
      'seo',
      'social-post',
      'launch',
      'press',
      'sponsorship',
      'persona',
    ],
    ['dashboard', 'planner', 'tracker', 'library', 'digest', 'scheduler', 'report', 'board'],
  ),
  T(
    'it',
    'it-helpdesk@example.com',
    'IT Service Desk',
    ['servicenow_tickets', 'inventory_assets_read', 'okta_groups_read', 'jira_read_only'],
    [
      'laptop-refresh',
      'access-request',
      'password-reset-stats',
      'software-license',
      'ticket-triage',
      'asset',
      'printer',
      'onsite-support',
      'mobile-device',
      'shipping',
      'loaner',
      'desk-move',
    ],
    ['tracker', 'dashboard', 'router', 'digest', 'planner', 'checker', 'board', 'report'],
  ),
  T(
    'platform',
    'it-platform@example.com',
    'IT Platform',
    ['jira_read_only', 'github_repos_read', 'pagerduty_incidents_read', 'statuspage_updates', 'confluence_pages_read'],
    [
      'jira-sprint',
      'incident-review',
      'on-call',
      'release',
      'change-calendar',
      'dependency',
      'runbook',
      'uptime',
      'capacity',
      'cost-anomaly',
      'repo-health',
      'postmortem',
    ],
    ['digest', 'board', 'dashboard', 'tracker', 'planner', 'checker', 'notifier', 'report'],
  ),
  T(
    'data',
    'data-platform@example.com',
    'Data Platform',
    ['snowflake_reports_read', 's3_exports', 'web_analytics_read', 'jira_read_only'],
    [
      'pipeline-health',
      'data-quality',
      'schema-change',
      'lineage',
      'query-cost',
      'dataset',
      'freshness',
      'export',
      'metric',
      'kpi',
      'sampling',
      'backfill',
    ],
    ['monitor', 'dashboard', 'catalog', 'checker', 'digest', 'tracker', 'report', 'explorer'],
  ),
  T(
    'security',
    'security-team@example.com',
    'Information Security',
    ['okta_groups_read', 'jira_read_only', 'github_repos_read', 'servicenow_tickets'],
    [
      'access-review',
      'phishing-report',
      'vulnerability',
      'security-awareness',
      'vendor-risk',
      'exception',
      'key-rotation',
      'policy-attest',
      'threat-intel',
      'mfa-coverage',
      'secrets-scan',
      'audit-evidence',
    ],
    ['tracker', 'dashboard', 'digest', 'reviewer', 'checker', 'collector', 'board', 'report'],
  ),
  T(
    'legal',
    'legal-team@example.com',
    'Legal',
    ['legal_contracts_read', 'docusign_envelopes_read', 'sharepoint_files_read', 'box_files_read'],
    [
      'contract-renewal',
      'nda',
      'signature-status',
      'clause',
      'litigation-hold',
      'trademark',
      'privacy-request',
      'board-minutes',
      'entity',
      'matter',
      'policy-library',
      'outside-counsel',
    ],
    ['tracker', 'finder', 'dashboard', 'digest', 'reminder', 'register', 'board', 'report'],
  ),
  T(
    'procurement',
    'procurement-team@example.com',
    'Procurement',
    ['procurement_po_read', 'expense_api_read', 'docusign_envelopes_read', 'sharepoint_files_read'],
    [
      'purchase-order',
      'supplier',
      'rfp',
      'spend',
      'catalog-item',
      'goods-receipt',
      'contract-spend',
      'savings',
      'tail-spend',
      'supplier-risk',
      'sourcing',
      'three-way-match',
    ],
    ['tracker', 'dashboard', 'scorecard', 'checker', 'digest', 'planner', 'report', 'board'],
  ),
  T(
    'facilities',
    'facilities-team@example.com',
    'Facilities',
    ['facilities_room_booking', 'inventory_assets_read', 'servicenow_tickets', 'google_calendar_read'],
    [
      'room-booking',
      'desk',
      'visitor',
      'parking',
      'maintenance',
      'office-move',
      'occupancy',
      'cleaning',
      'mailroom',
      'catering',
      'energy',
      'safety-walk',
    ],
    ['planner', 'dashboard', 'tracker', 'scheduler', 'log', 'finder', 'report', 'board'],
  ),
  T(
    'support',
    'customer-support@example.com',
    'Customer Support',
    ['zendesk_tickets_read', 'crm_contacts_read', 'jira_read_only', 'confluence_pages_read'],
    [
      'ticket-backlog',
      'csat',
      'escalation',
      'macro',
      'sla',
      'knowledge-gap',
      'queue',
      'shift',
      'refund-request',
      'bug-link',
      'vip-customer',
      'deflection',
    ],
    ['dashboard', 'tracker', 'digest', 'router', 'monitor', 'planner', 'report', 'board'],
  ),
  T(
    'engineering',
    'engineering-team@example.com',
    'Engineering',
    ['github_repos_read', 'jira_read_only', 'pagerduty_incidents_read', 'confluence_pages_read'],
    [
      'pull-request',
      'code-review',
      'build-time',
      'flaky-test',
      'deploy',
      'tech-debt',
      'oncall-handoff',
      'design-doc',
      'api-change',
      'error-budget',
      'interview-loop',
      'hackathon',
    ],
    ['dashboard', 'digest', 'tracker', 'board', 'reminder', 'planner', 'report', 'notifier'],
  ),
  T(
    'product',
    'product-team@example.com',
    'Product Management',
    ['jira_read_only', 'web_analytics_read', 'confluence_pages_read', 'survey_responses_read'],
    [
      'roadmap',
      'feature-request',
      'release-notes',
      'beta-feedback',
      'adoption',
      'experiment',
      'okr',
      'competitor',
      'pricing-page',
      'churn-signal',
      'user-interview',
      'launch-readiness',
    ],
    ['board', 'dashboard', 'tracker', 'digest', 'planner', 'collector', 'report', 'explorer'],
  ),
  T(
    'operations',
    'operations-team@example.com',
    'Business Operations',
    ['snowflake_reports_read', 'sharepoint_files_read', 'jira_read_only', 'servicenow_tickets'],
    [
      'weekly-business',
      'capacity-plan',
      'process-metric',
      'vendor-sla',
      'qbr',
      'headcount-plan',
      'initiative',
      'risk-register',
      'operating-review',
      'decision-log',
      'planning-cycle',
      'scorecard',
    ],
    ['dashboard', 'tracker', 'digest', 'planner', 'board', 'report', 'builder', 'checker'],
  ),
  T(
    'compliance',
    'compliance-team@example.com',
    'Compliance',
    ['okta_groups_read', 'sharepoint_files_read', 'learning_courses_read', 'jira_read_only'],
    [
      'control-test',
      'sox-evidence',
      'policy-review',
      'training-completion',
      'gift-register',
      'conflict-of-interest',
      'regulatory-change',
      'audit-finding',
      'whistleblower-stats',
      'iso-control',
      'gdpr-record',
      'vendor-attest',
    ],
    ['tracker', 'dashboard', 'collector', 'checker', 'register', 'digest', 'report', 'board'],
  ),
  T(
    'communications',
    'comms-team@example.com',
    'Internal Communications',
    ['slack_post_messages', 'teams_post_messages', 'sharepoint_files_read', 'survey_responses_read'],
    [
      'all-hands',
      'announcement',
      'intranet-news',
      'pulse-survey',
      'town-hall',
      'newsletter-draft',
      'exec-update',
      'office-news',
      'recognition',
      'crisis-comms',
      'faq',
      'event-invite',
    ],
    ['scheduler', 'planner', 'digest', 'collector', 'board', 'tracker', 'builder', 'report'],
  ),
  T(
    'research',
    'research-team@example.com',
    'Research',
    ['snowflake_reports_read', 's3_exports', 'box_files_read', 'survey_responses_read'],
    [
      'study',
      'participant-recruiting',
      'lab-booking',
      'paper',
      'dataset-request',
      'grant',
      'experiment-log',
      'literature',
      'sample',
      'protocol',
      'ethics-review',
      'findings',
    ],
    ['tracker', 'planner', 'library', 'dashboard', 'register', 'digest', 'explorer', 'board'],
  ),
  T(
    'customer-success',
    'customer-success@example.com',
    'Customer Success',
    ['crm_contacts_read', 'zendesk_tickets_read', 'snowflake_reports_read', 'google_calendar_read'],
    [
      'health-score',
      'renewal-risk',
      'onboarding-plan',
      'qbr-deck',
      'adoption-play',
      'expansion',
      'success-plan',
      'exec-sponsor',
      'nps',
      'usage-drop',
      'handoff',
      'customer-journey',
    ],
    ['dashboard', 'tracker', 'builder', 'digest', 'planner', 'monitor', 'report', 'board'],
  ),
  T(
    'learning',
    'learning-team@example.com',
    'Learning & Development',
    ['learning_courses_read', 'hr_api_read', 'google_calendar_read', 'survey_responses_read'],
    [
      'course-catalog',
      'mandatory-training',
      'mentoring',
      'skills-matrix',
      'workshop',
      'certification',
      'learning-path',
      'manager-training',
      'book-club',
      'onboarding-course',
      'feedback',
      'budget-request',
    ],
    ['tracker', 'planner', 'dashboard', 'reminder', 'matcher', 'digest', 'report', 'board'],
  ),
];

/** Connectors any team's apps use too. */
const COMMON = [
  'slack_post_messages',
  'teams_post_messages',
  'jira_read_only',
  'sharepoint_files_read',
  'confluence_pages_read',
  's3_exports',
];

const QUALIFIERS = [
  'weekly',
  'daily',
  'monthly',
  'quarterly',
  'emea',
  'apac',
  'amer',
  'global',
  'lite',
  'pilot',
  'self-service',
  'team',
  'exec',
  'regional',
  'v2',
];
const VERBS = ['Tracks', 'Summarises', 'Collects', 'Shows', 'Checks', 'Lists', 'Compares', 'Monitors'];
const PURPOSES = [
  'and posts a short status to the team channel every morning',
  'so that managers can see what is overdue at a glance',
  'and flags the items that need a decision before the end of the week',
  'for the weekly team meeting, with links to the underlying records',
  'and sends a reminder to the owner when an item is about to slip',
  'per region and business unit, replacing a shared spreadsheet',
  'and exports a CSV for the monthly review',
  'with a simple approval step for the team lead',
];

// ---------------------------------------------------------------------------------------------
// Policy and directory

export const APPROVAL_POLICY = `# yaml-language-server: $schema=https://microapps.dev/schemas/policy.schema.json
#
# Approval policy of the benchmark registry: the same rules as the repository's sample policy.

default_action: manager_approval

approvers:
  manager_approval: { owner_managers: true }
  security_team_review: { teams: [example-org/security] }
  governance: { teams: [example-org/platform-governance] }

lists:
  minimal_scopes: [openid, profile, email]

policy:
  - id: 001
    name: auto_approve_sandbox
    conditions:
      - environment == "sandbox"
      - connectors in preapproved_list
      - scopes subset_of minimal_scopes
    action: auto_approve
    message: >-
      Sandbox apps that only use pre-approved connectors and only ask for basic sign-in
      information (openid, profile, email) are approved automatically.
    remedy: >-
      To be approved automatically, keep the app in the sandbox, use only pre-approved
      connectors and limit auth.scopes to openid, profile and email.

  - id: 002
    name: require_manager
    conditions:
      - environment == "production"
      - connectors include "hr_api_read"
    action: manager_approval
    message: >-
      A production app that reads HR data needs the approval of the owning team's manager.
    remedy: >-
      If the app does not need HR data, remove hr_api_read from connectors.

  - id: 003
    name: manual_security_review
    conditions:
      - data_types include "pii" or "financial_write"
    action: security_team_review
    message: >-
      The app handles personal data (pii) or can change financial records (financial_write),
      directly or through one of its connectors, so the security team reviews it, in the
      sandbox too.
    remedy: >-
      Remove the connectors that expose personal data or write financial records, or use a
      read-only connector such as expense_api_read.

  - id: 004
    name: deny_sandbox_with_phi
    conditions:
      - environment == "sandbox"
      - data_types include "phi"
    action: deny
    message: >-
      Health information (phi) is never allowed in the sandbox.
    remedy: >-
      Build and test the app with made-up data and remove phi from data_types.

  - id: 005
    name: long_retention_review
    conditions:
      - retention_days > 365
    action: security_team_review
    message: >-
      The app keeps its data for more than a year, which the security team reviews against the
      company's retention schedule.
    remedy: Set retention_days to 365 or less unless a legal or audit requirement says otherwise.

  - id: 006
    name: production_requires_company_sso
    conditions:
      - environment == "production"
      - auth.provider != "company-sso"
    action: deny
    message: >-
      Production apps must sign people in through the company's single sign-on.
    remedy: Set auth.provider to company-sso (with auth.type oidc or saml).
`;

function ownersYaml() {
  const entries = new Map();
  const slug = (mail) => mail.slice(0, mail.indexOf('@'));
  for (const t of TEAMS)
    entries.set(t.owner, { name: t.display, team: `example-org/${t.folder}`, managers: [`${t.folder}-lead-placeholder`] });
  const systems = {
    'finance-systems@example.com': 'Finance Systems',
    'hr-systems@example.com': 'HR Systems',
    'sales-systems@example.com': 'Sales Systems (CRM)',
  };
  for (const c of CONNECTORS) {
    if (!entries.has(c.owner))
      entries.set(c.owner, {
        name: systems[c.owner] ?? slug(c.owner),
        team: `example-org/${slug(c.owner)}`,
        managers: [`${slug(c.owner)}-lead-placeholder`],
      });
  }
  let out =
    '# yaml-language-server: $schema=https://microapps.dev/schemas/owners.schema.json\n#\n# Owner directory of the benchmark registry.\n\nowners:\n';
  for (const [mail, e] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out += `  ${mail}:\n    name: ${q(e.name)}\n    team: ${e.team}\n    managers: [${e.managers.join(', ')}]\n`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// YAML emitting (a tiny subset, enough for these files)

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._@/-]*(:[A-Za-z0-9._/*-]+)*$/;
const RESERVED = /^(true|false|null|~|yes|no|on|off|y|n|[-+]?(\.?[0-9].*|\.inf|\.nan))$/i;

/** A scalar, plain when that is unambiguous, double-quoted (JSON syntax) otherwise. */
function q(s) {
  if (typeof s !== 'string') return String(s);
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

const flow = (list) => `[${list.map(q).join(', ')}]`;

/** A long text as a folded block scalar (`>-`), wrapped near 92 columns. */
function folded(text, indent) {
  const pad = ' '.repeat(indent);
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && pad.length + line.length + 1 + word.length > 92) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return `>-\n${lines.map((l) => pad + l).join('\n')}`;
}

function describe(text, indent) {
  return text.length > 70 || /[:#"']/.test(text) ? folded(text, indent) : q(text);
}

function connectorYaml(c) {
  let out = '# yaml-language-server: $schema=https://microapps.dev/schemas/connector.schema.json\n';
  out += `connector_id: ${c.connector_id}\n`;
  out += `description: ${describe(c.description, 2)}\n`;
  if (c.version) out += `version: ${JSON.stringify(c.version)}\n`;
  out += `allowed_scopes: ${flow(c.allowed_scopes)}\n`;
  out += `operations: ${flow(c.operations)}\n`;
  if (c.data_classification) out += `data_classification: ${flow(c.data_classification)}\n`;
  out += `rate_limit: ${JSON.stringify(c.rate_limit)}\n`;
  out += `owner: ${c.owner}\n`;
  out += `rotation_days: ${c.rotation_days}\n`;
  if (c.status) out += `status: ${c.status}\n`;
  return out;
}

/** The manifest object without undefined fields, in the order the files show them. */
export function connectorObject(c) {
  return JSON.parse(JSON.stringify(c));
}

export function appYaml(app, r) {
  let out = '# yaml-language-server: $schema=https://microapps.dev/schemas/app.schema.json\n';
  for (const [key, value] of Object.entries(app)) {
    if (value === undefined || key === '$schema') continue;
    switch (key) {
      case 'description':
        out += `description: ${describe(value, 2)}\n`;
        break;
      case 'auth':
        if (r.chance(0.3)) {
          out += `auth: { type: ${value.type}, provider: ${q(value.provider)}${value.scopes ? `, scopes: ${flow(value.scopes)}` : ''} }\n`;
        } else {
          out += `auth:\n  type: ${value.type}\n  provider: ${q(value.provider)}\n`;
          if (value.scopes) out += `  scopes: ${flow(value.scopes)}\n`;
        }
        break;
      case 'connectors':
        if (value.length === 0) out += 'connectors: []\n';
        else if (value.every((u) => typeof u === 'string') && r.chance(0.5)) out += `connectors: ${flow(value)}\n`;
        else {
          out += 'connectors:\n';
          for (const use of value) {
            if (typeof use === 'string') out += `  - ${use}\n`;
            else {
              out += `  - id: ${use.id}\n`;
              if (use.scopes) out += `    scopes: ${flow(use.scopes)}\n`;
            }
          }
        }
        break;
      case 'logging':
        out += `logging:\n  level: ${value.level}\n  output: ${q(value.output)}\n  structured: ${value.structured}\n`;
        break;
      case 'links':
        out += 'links:\n';
        for (const l of value) out += `  - title: ${q(l.title)}\n    url: ${l.url}\n`;
        break;
      default:
        out += `${key}: ${Array.isArray(value) ? flow(value) : q(value)}\n`;
    }
  }
  return out;
}

export function appJson(app, r) {
  return `${JSON.stringify(app, null, r.chance(0.8) ? 2 : 4)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Apps

const sentenceCase = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const words = (kebab) => kebab.replace(/-/g, ' ');

/** A unique, readable kebab-case name for an app of this team. */
export function newName(team, r, taken) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const parts = [r.pick(team.subjects)];
    if (attempt > 4 || r.chance(0.5)) parts.push(r.pick(QUALIFIERS));
    parts.push(r.pick(team.artifacts));
    if (attempt > 20) parts.push(String(r.int(2, 99)));
    const name = parts.join('-');
    if (name.length <= 63 && !taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  let n = 2;
  const base = `${r.pick(team.subjects)}-${r.pick(team.artifacts)}`;
  while (taken.has(`${base}-${n}`)) n++;
  taken.add(`${base}-${n}`);
  return `${base}-${n}`;
}

function connectorUse(id, r) {
  const c = BY_ID.get(id);
  if (r.chance(0.45)) return id;
  const scopes = r.sample(c.allowed_scopes, r.int(1, c.allowed_scopes.length));
  return r.chance(0.9) ? { id, scopes } : { id };
}

/** A plausible manifest for a new app of `team` named `name`. */
export function makeApp(team, name, r, { allowRestricted = true } = {}) {
  const environment = r.chance(0.6) ? 'production' : 'sandbox';
  const app = {};
  if (r.chance(0.7)) app.$schema = 'https://microapps.dev/schemas/app.schema.json';
  app.name = name;
  app.owner = team.owner;
  app.environment = environment;
  const subject = words(name);
  const sentence = `${r.pick(VERBS)} ${subject} for the ${team.display} team ${r.pick(PURPOSES)}.`;
  if (r.chance(0.9)) app.description = r.chance(0.4) ? `${sentence} ${sentenceCase(r.pick(PURPOSES))}.` : sentence;
  const provider = environment === 'production' || r.chance(0.85) ? 'company-sso' : 'company-sso-staging';
  const auth = { type: r.chance(0.8) ? 'oidc' : 'saml', provider };
  const scopeRoll = r.next();
  if (scopeRoll < 0.55) auth.scopes = ['openid', 'profile', 'email'];
  else if (scopeRoll < 0.7) auth.scopes = ['openid', 'email'];
  else if (scopeRoll < 0.85) auth.scopes = ['openid', 'profile', 'email', r.pick(['groups', 'offline_access'])];
  app.auth = auth;
  const pool = [...new Set([...team.connectors, ...COMMON])].filter((id) => allowRestricted || BY_ID.get(id).status !== 'restricted');
  const k = r.int(1, 4);
  const ids = r.sample(
    pool.filter((id) => team.connectors.includes(id)),
    Math.min(k, r.int(1, 3)),
  );
  for (const id of r.sample(pool, pool.length)) if (ids.length < k && !ids.includes(id) && r.chance(0.3)) ids.push(id);
  app.connectors = ids.map((id) => connectorUse(id, r));
  if (r.chance(0.6)) {
    const declared = new Set();
    for (const id of ids) for (const d of BY_ID.get(id).data_classification ?? []) if (r.chance(0.7)) declared.add(d);
    if (r.chance(0.2)) declared.add(r.pick(['confidential', 'financial', 'public']));
    if (environment === 'production' && r.chance(0.01)) declared.add('phi');
    if (declared.size) app.data_types = [...declared];
  }
  if (r.chance(0.85))
    app.logging = {
      level: r.pick(['info', 'info', 'info', 'warn', 'debug', 'error']),
      output: r.pick(['central-logs', 'central-logs', 'splunk', 'datadog']),
      structured: r.chance(0.8),
    };
  if (r.chance(0.8)) app.retention_days = r.pick([7, 30, 30, 90, 90, 180, 365, 365, 730, 2555]);
  if (r.chance(0.3)) app.template = r.pick(['dashboard-starter', 'slack-digest', 'form-workflow', 'tracker-basic']);
  if (r.chance(0.85)) {
    const tags = new Set([
      team.folder,
      ...r.sample(
        name.split('-').filter((w) => w.length > 2 && !/^[0-9]+$/.test(w)),
        r.int(0, 2),
      ),
    ]);
    if (r.chance(0.3)) tags.add(environment === 'sandbox' ? 'prototype' : 'reporting');
    app.tags = [...tags];
  }
  if (r.chance(0.5)) {
    const links = [{ title: 'Runbook', url: `https://wiki.example.com/${team.folder}/${name}/runbook` }];
    if (r.chance(0.4)) links.push({ title: 'User guide', url: `https://wiki.example.com/${team.folder}/${name}` });
    if (r.chance(0.2)) links.push({ title: `${sentenceCase(subject)} home`, url: `https://apps.example.com/${name}` });
    app.links = links;
  }
  return app;
}

/**
 * Writes a registry of `apps` apps into `dir` (which must exist) and returns what it wrote:
 * `{ apps: [{ team, name, path, format, app }], files: [{ path, kind, value, text }] }`.
 */
export function generateRegistry(dir, { apps: count, seed = 1 }) {
  const r = rng(seed);
  const files = [];
  const put = (path, kind, value, text) => {
    files.push({ path, kind, value, text });
  };
  for (const c of CONNECTORS) put(`connectors/${c.connector_id}.yaml`, 'connector', connectorObject(c), connectorYaml(c));
  put('policies/approval.yaml', 'policy', undefined, APPROVAL_POLICY);
  put('policies/owners.yaml', 'owners', undefined, ownersYaml());
  put('registry/README.md', 'doc', undefined, '# Registry\n\nOne folder per team, one manifest per app.\n');

  const taken = new Set();
  const apps = [];
  for (let i = 0; i < count; i++) {
    const team = TEAMS[i % TEAMS.length];
    const name = newName(team, r, taken);
    const app = makeApp(team, name, r);
    apps.push(writeAppEntry(team, app, i % 2 === 0 ? 'yaml' : 'json', r, put));
  }
  writeFiles(dir, files);
  return { apps, files, taken, rng: r };
}

/**
 * Renders one app in a format and queues it with `put`; returns its registry entry. The
 * layout (indentation, flow or block style, .yml or .yaml) depends only on the app's name,
 * so a rewritten app keeps its layout and its diff shows only what changed.
 */
export function writeAppEntry(team, app, format, _r, put) {
  const style = rng(hash(app.name));
  const ext = format === 'json' ? 'json' : style.chance(0.1) ? 'yml' : 'yaml';
  // YAML files name their schema in the first-line comment, not in a field.
  if (format !== 'json') delete app.$schema;
  const path = `registry/${team.folder}/${app.name}.${ext}`;
  const text = format === 'json' ? appJson(app, style) : appYaml(app, style);
  put(path, 'app', app, text);
  return { team, name: app.name, path, format, app };
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function writeFiles(dir, files) {
  const made = new Set();
  for (const f of files) {
    const full = join(dir, f.path);
    const parent = full.slice(0, full.lastIndexOf('/'));
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(full, f.text);
  }
}

export function removeFiles(dir, paths) {
  for (const p of paths) rmSync(join(dir, p));
}

export { BY_ID as CONNECTORS_BY_ID, COMMON as COMMON_CONNECTORS };
