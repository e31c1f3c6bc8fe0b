import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadIntegrations } from '../../../src/cli/load-definitions.js';
import {
  EmailIntegration,
  GitHubIntegration,
  PagerDutyIntegration,
  SlackIntegration,
  TeamsIntegration,
  WebhookIntegration,
} from '../../../src/index.js';

const ENV = {
  MLA_T_SLACK: 'https://hooks.slack.com/services/T0/B0/slack-secret',
  MLA_T_WHSEC: `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`,
  MLA_T_SMTP: 'smtp-secret',
  MLA_T_PD: 'pagerduty-routing-secret',
  MLA_T_GH: 'github-token-secret',
  MLA_T_TEAMS: 'https://acme.webhook.office.com/workflows/teams-secret',
};

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mla-integrations-'));
  Object.assign(process.env, ENV);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const name of Object.keys(ENV)) delete process.env[name];
});

it('reads every built-in kind from the JSON its integrations print, secrets by { env }, and holds none of them', () => {
  const made = {
    slack: SlackIntegration({ webhookUrl: { env: 'MLA_T_SLACK' } }),
    hook: WebhookIntegration({ url: 'https://deploy.internal/h', secret: { env: 'MLA_T_WHSEC' } }),
    mail: EmailIntegration({
      host: 'smtp.acme.io',
      port: 587,
      auth: { user: 'bot', pass: { env: 'MLA_T_SMTP' } },
      from: 'ml@acme.io',
      to: ['ana@acme.io'],
    }),
    oncall: PagerDutyIntegration({ routingKey: { env: 'MLA_T_PD' } }),
    ci: GitHubIntegration({ token: { env: 'MLA_T_GH' }, owner: 'acme', repo: 'trainer' }),
    team: TeamsIntegration({ webhookUrl: { env: 'MLA_T_TEAMS' } }),
  };
  const file = join(dir, 'integrations.json');
  const text = JSON.stringify(made);
  for (const secret of Object.values(ENV)) expect(text).not.toContain(secret);
  writeFileSync(file, text);
  const loaded = loadIntegrations(file);
  expect(Object.keys(loaded)).toEqual(Object.keys(made));
  for (const [name, integration] of Object.entries(made)) expect(loaded[name]).toEqual(integration);
});
