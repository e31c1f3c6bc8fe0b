import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, metrics, tempDir, writeJson, writeLines } from './cli-fixture.js';

const PROJECT_ID = 'UHJvamVjdDp2MTp2aXNpb24=';
const SLACK_ID = 'SW50ZWdyYXRpb246NDI=';
// W&B's CreateFilterTriggerInput, as its SDK sends it: eventFilter and run_filter are JSON strings.
const wandb = {
  name: 'loss-high',
  triggeringEventType: 'RUN_METRIC',
  scopeType: 'PROJECT',
  scopeID: PROJECT_ID,
  eventFilter: JSON.stringify({
    run_filter: JSON.stringify({ $and: [] }),
    run_metric_filter: {
      threshold_filter: { name: 'loss', agg_op: null, window_size: 1, cmp_op: '$gt', threshold: 1 },
    },
  }),
  triggeredActionType: 'NOTIFICATION',
  triggeredActionConfig: {
    notificationActionInput: {
      integrationID: SLACK_ID,
      title: 'Loss',
      message: '${run_name}',
      severity: 'WARN',
    },
  },
  enabled: true,
};

describe('replay --from-wandb', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  it('replays W&B automations through the scope and integration maps', async () => {
    const automations = writeJson(t.path('wandb.json'), {
      scopes: { [PROJECT_ID]: 'acme/vision' },
      integrations: { [SLACK_ID]: 'ml-alerts' },
      automations: [wandb],
    });
    const events = writeLines(t.path('events.jsonl'), [
      metrics('r1', 0, 0, { loss: 0.5 }),
      metrics('r1', 1, 1, { loss: 2 }),
    ]);
    const run = await cli(['replay', '-a', automations, '-e', events, '--from-wandb', '-f', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { firings: { automation: string }[] };
    expect(out.firings.map((f) => f.automation)).toEqual(['loss-high']);
  });

  it('an id the maps do not know is bad input, named', async () => {
    const automations = writeJson(t.path('wandb.json'), {
      scopes: {},
      integrations: {},
      automations: [wandb],
    });
    const events = writeLines(t.path('events.jsonl'), [metrics('r1', 0, 0, { loss: 2 })]);
    const run = await cli(['replay', '-a', automations, '-e', events, '--from-wandb']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('scopeID');
    expect(run.stderr).toContain(PROJECT_ID);
  });
});
