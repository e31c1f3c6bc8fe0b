import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../../src/cli/main.js';
import { cli, handMade, tempDir, writeJson } from './cli-fixture.js';

let t: ReturnType<typeof tempDir>;
let files: ReturnType<typeof handMade>;
beforeEach(() => {
  t = tempDir();
  files = handMade(t);
});
afterEach(() => t.cleanup());

describe('help', () => {
  it.each([['--help'], ['-h'], ['help'], ['replay', '--help'], ['replay', '-h']])(
    '%s prints the usage, exit 0',
    async (...args) => {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(USAGE);
      expect(run.stderr).toBe('');
    },
  );

  it('documents every option and the exit codes', () => {
    for (const option of [
      '--automations',
      '--events',
      '--from',
      '--to',
      '--only',
      '--format',
      '--limit',
      '--quiet',
      '--report',
      '--deliver',
      '--integrations',
      '--version',
    ])
      expect(USAGE).toContain(option);
    expect(USAGE).toMatch(/0 done.*1 bad input.*2 usage error/s);
  });
});

describe('usage errors exit 2, with a message on stderr and nothing on stdout', () => {
  const cases: [string, (f: ReturnType<typeof handMade>) => string[], RegExp][] = [
    ['no command', () => [], /Usage: ml-automations replay/],
    ['an unknown command', () => ['rewind'], /unknown command 'rewind'/],
    ['an unknown option', (f) => ['replay', '-a', f.automations, '-e', f.events, '--colour'], /--colour/],
    ['a missing option value', (f) => ['replay', '-a', f.automations, '-e'], /--events/],
    ['no --automations', (f) => ['replay', '-e', f.events], /--automations FILE is required/],
    ['no --events', (f) => ['replay', '-a', f.automations], /--events FILE is required/],
    [
      'an unknown format',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '-f', 'xml'],
      /--format xml: expected table, json or jsonl/,
    ],
    [
      'a bad --from',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '--from', 'yesterday'],
      /--from yesterday: expected/,
    ],
    [
      'a bad --to',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '--to', '2026-13-45'],
      /--to 2026-13-45/,
    ],
    [
      '--from after --to',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '--from', '2026-03-02', '--to', '2026-03-01'],
      /--from must be before --to/,
    ],
    [
      '--only naming no automation',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '--only', 'nope'],
      /--only nope: no such automation .* \(it has: loss-high, run-failed\)/,
    ],
    [
      '--deliver without --integrations',
      (f) => ['replay', '-a', f.automations, '-e', f.events, '--deliver'],
      /--deliver needs --integrations/,
    ],
    [
      'an extra argument',
      (f) => ['replay', '-a', f.automations, '-e', f.events, 'more.jsonl'],
      /unexpected argument: more.jsonl/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const run = await cli(args(files));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('bad input exits 1', () => {
  it('an automations file that does not exist', async () => {
    const run = await cli(['replay', '-a', t.path('missing.json'), '-e', files.events]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read the automations file .*missing\.json/);
  });

  it('an automations file that is not JSON', async () => {
    const bad = t.path('bad.json');
    writeFileSync(bad, '[{"name": ');
    const run = await cli(['replay', '-a', bad, '-e', files.events]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json is not JSON/);
  });

  it('an invalid automation, with the field that is wrong', async () => {
    const bad = writeJson(t.path('bad.json'), [
      {
        name: 'x',
        event: {
          type: 'OnRunMetric',
          scope: 'acme',
          filter: { type: 'MetricThresholdFilter', name: 'loss', window: 0, cmp: '>', threshold: 1 },
        },
        action: { type: 'DoNothing' },
      },
    ]);
    const run = await cli(['replay', '-a', bad, '-e', files.events]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json\[0\] is not a valid automation/);
    expect(run.stderr).toMatch(/event\.filter\.window/);
  });

  it('an events file that does not exist', async () => {
    const run = await cli(['replay', '-a', files.automations, '-e', t.path('nope.jsonl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read the events file .*nope\.jsonl/);
  });

  it('an integrations file naming an unknown type', async () => {
    const integrations = writeJson(t.path('integrations.json'), { hooks: { type: 'Carrier pigeon' } });
    const run = await cli([
      'replay',
      '-a',
      files.automations,
      '-e',
      files.events,
      '-i',
      integrations,
      '--deliver',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /integration "hooks": "type" must be one of SlackIntegration, WebhookIntegration, EmailIntegration, PagerDutyIntegration, GitHubIntegration, TeamsIntegration/,
    );
  });

  it('--deliver with integrations that miss one an action names', async () => {
    const integrations = writeJson(t.path('integrations.json'), {
      other: { type: 'WebhookIntegration', url: 'http://127.0.0.1:9/hook' },
    });
    const run = await cli([
      'replay',
      '-a',
      files.automations,
      '-e',
      files.events,
      '-i',
      integrations,
      '--deliver',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/automation "run-failed": unknown_integration/);
  });

  it('an integrations file that names its secrets by environment variable, one of them not set', async () => {
    const integrations = writeJson(t.path('integrations.json'), {
      hooks: {
        type: 'WebhookIntegration',
        url: 'http://127.0.0.1:9/hook',
        accessToken: { env: 'MLA_CLI_TEST_UNSET_TOKEN' },
      },
    });
    const run = await cli([
      'replay',
      '-a',
      files.automations,
      '-e',
      files.events,
      '-i',
      integrations,
      '--deliver',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/integration "hooks": .*MLA_CLI_TEST_UNSET_TOKEN is not set/);
  });
});
