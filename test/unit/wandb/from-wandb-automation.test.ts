import { describe, expect, it } from 'vitest';
import { DefinitionError, fromWandbAutomation, type Issue } from '../../../src/index.js';

// Shapes from W&B's SDK (wandb/automations): the create input is `CreateFilterTriggerInput`
// (_generated/input_types.py), its `eventFilter` a JSON string of `RunMetricFilter` / `RunStateFilter`
// (events.py), whose `run_filter` is itself a JSON string; a saved automation is the `TriggerFields` fragment
// (_generated/fragments.py), whose artifact filter is wrapped as `{ "filter": … }` (`_WrappedSavedEventFilter`).
const PROJECT_ID = 'UHJvamVjdDp2MTp2aXNpb24=';
const REGISTRY_ID = 'UHJvamVjdDp2MTp3YW5kYi1yZWdpc3RyeS1tb2RlbA==';
const SLACK_ID = 'SW50ZWdyYXRpb246NDI=';
const HOOK_ID = 'SW50ZWdyYXRpb246Nw==';
const options = {
  scope: { [PROJECT_ID]: 'acme/vision', [REGISTRY_ID]: 'acme/wandb-registry-model' },
  integrations: (id: string) => ({ [SLACK_ID]: 'ml-alerts', [HOOK_ID]: 'deployer' })[id],
};
const json = JSON.stringify;

function createInput(triggeringEventType: string, eventFilter: unknown, action?: Record<string, unknown>) {
  return {
    name: 'from-wandb',
    description: 'made in the W&B app',
    triggeringEventType,
    scopeType: 'PROJECT',
    scopeID: PROJECT_ID,
    eventFilter: json(eventFilter),
    triggeredActionType: 'NOTIFICATION',
    triggeredActionConfig: {
      notificationActionInput: {
        integrationID: SLACK_ID,
        title: 'Alert',
        message: '${run_name}',
        severity: 'WARN',
      },
    },
    enabled: true,
    ...action,
  };
}

function issuesOf(fn: () => unknown): Issue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return [...(error as DefinitionError).issues];
  }
  throw new Error('expected a DefinitionError');
}

describe('fromWandbAutomation (§4.4)', () => {
  it('CreateFilterTriggerInput, RUN_METRIC: eventFilter and run_filter are JSON strings; W&B enums in any case', () => {
    const eventFilter = {
      run_filter: json({ $and: [{ display_name: { $regex: '^sweep-' } }, { 'config.lr': { $lt: 0.01 } }] }),
      run_metric_filter: {
        threshold_filter: { name: 'loss', agg_op: 'AVERAGE', window_size: 5, cmp_op: '$gt', threshold: 0.5 },
      },
    };
    const a = fromWandbAutomation(json(createInput('RUN_METRIC', eventFilter)), options);
    expect(a).toMatchObject({
      name: 'from-wandb',
      description: 'made in the W&B app',
      enabled: true,
      event: {
        type: 'OnRunMetric',
        scope: { type: 'project', entity: 'acme', project: 'vision' },
        filter: {
          type: 'MetricThresholdFilter',
          name: 'loss',
          window: 5,
          agg: 'mean',
          cmp: '>',
          threshold: 0.5,
        },
        runFilter: { $and: [{ display_name: { $regex: '^sweep-' } }, { 'config.lr': { $lt: 0.01 } }] },
      },
      action: {
        type: 'SendNotification',
        integration: 'ml-alerts',
        title: 'Alert',
        message: '${run_name}',
        severity: 'WARN',
      },
    });
  });

  it('a threshold with agg_op null compares the latest value, whatever window_size says; { "$and": [] } is no run filter', () => {
    const eventFilter = {
      run_filter: json({ $and: [] }),
      run_metric_filter: {
        threshold_filter: { name: 'acc', agg_op: null, window_size: 10, cmp_op: '$gte', threshold: 0.9 },
      },
    };
    const a = fromWandbAutomation(createInput('RUN_METRIC', eventFilter), options);
    expect(a.event).toStrictEqual({
      type: 'OnRunMetric',
      scope: { type: 'project', entity: 'acme', project: 'vision' },
      filter: { type: 'MetricThresholdFilter', name: 'acc', window: 1, cmp: '>=', threshold: 0.9 },
    });
  });

  it('RUN_METRIC_CHANGE and RUN_METRIC_ZSCORE', () => {
    const change = {
      run_filter: json({ $and: [] }),
      run_metric_filter: {
        change_filter: {
          name: 'loss',
          agg_op: 'MIN',
          current_window_size: 10,
          prior_window_size: 50,
          change_type: 'RELATIVE',
          change_dir: 'DECREASE',
          change_amount: 0.25,
        },
      },
    };
    expect(fromWandbAutomation(createInput('RUN_METRIC_CHANGE', change), options).event).toMatchObject({
      filter: {
        type: 'MetricChangeFilter',
        agg: 'min',
        currentWindow: 10,
        priorWindow: 50,
        changeType: 'relative',
        direction: 'decrease',
        amount: 0.25,
      },
    });
    const zscore = {
      run_metric_filter: {
        zscore_filter: { name: 'grad', window_size: 30, threshold: 3, change_dir: 'ANY' },
      },
    };
    expect(fromWandbAutomation(createInput('RUN_METRIC_ZSCORE', zscore), options).event).toMatchObject({
      filter: { type: 'MetricZScoreFilter', name: 'grad', window: 30, threshold: 3, direction: 'any' },
    });
  });

  it('RUN_STATE with run_state_filter, and a webhook whose requestPayload is a JSON string', () => {
    const eventFilter = {
      run_filter: json({ $and: [{ tags: { $in: ['prod'] } }] }),
      run_state_filter: { states: ['FAILED', 'CRASHED'] },
    };
    const a = fromWandbAutomation(
      createInput('RUN_STATE', eventFilter, {
        triggeredActionType: 'GENERIC_WEBHOOK',
        triggeredActionConfig: {
          genericWebhookActionInput: { integrationID: HOOK_ID, requestPayload: json({ run: '${run_id}' }) },
        },
      }),
      options,
    );
    expect(a.event).toMatchObject({
      type: 'OnRunState',
      states: ['failed'],
      runFilter: { $and: [{ tags: { $in: ['prod'] } }] },
    });
    expect(a.action).toStrictEqual({
      type: 'SendWebhook',
      integration: 'deployer',
      payload: { run: '${run_id}' },
    });
  });

  it('a saved Trigger in a registry: wandb-registry-<name> is the registry; the artifact filter is wrapped and stringified', () => {
    const trigger = {
      __typename: 'Trigger',
      id: 'VHJpZ2dlcjox',
      createdAt: '2026-02-01T10:00:00Z',
      updatedAt: null,
      name: 'deploy-prod',
      description: null,
      enabled: false,
      scope: { __typename: 'Project', id: REGISTRY_ID, name: 'wandb-registry-model' },
      event: {
        __typename: 'FilterEventTriggeringCondition',
        eventType: 'ADD_ARTIFACT_ALIAS',
        filter: json({ filter: json({ $or: [{ $and: [{ alias: { $regex: '^prod' } }] }] }) }),
      },
      action: {
        __typename: 'GenericWebhookTriggeredAction',
        integration: {
          __typename: 'GenericWebhookIntegration',
          id: HOOK_ID,
          name: 'deployer',
          urlEndpoint: 'https://example.invalid/hook',
        },
        requestPayload: json({ model: '${artifact_collection_name}' }),
      },
    };
    const a = fromWandbAutomation(trigger, options);
    expect(a).toMatchObject({
      name: 'deploy-prod',
      enabled: false,
      event: {
        type: 'OnAddArtifactAlias',
        scope: { type: 'registry', entity: 'acme', registry: 'model' },
        alias: '^prod',
      },
      action: {
        type: 'SendWebhook',
        integration: 'deployer',
        payload: { model: '${artifact_collection_name}' },
      },
    });
  });

  it.each([
    [{ $eq: 'prod.v1' }, '^prod\\.v1$'],
    [{ $in: ['a+', 'b'] }, '^(?:a\\+|b)$'],
    [{ $contains: 'prod' }, 'prod'],
    ['staging', '^staging$'],
  ])('an artifact alias %j becomes the RE2 pattern %s', (condition, pattern) => {
    const filter = { $or: [{ $and: [{ alias: condition }] }] };
    const a = fromWandbAutomation(
      createInput('LINK_MODEL', filter, {
        triggeredActionType: 'NO_OP',
        triggeredActionConfig: { noOpActionInput: { noOp: true } },
      }),
      options,
    );
    expect(a.event).toMatchObject({ type: 'OnLinkArtifact', alias: pattern });
    expect(a.action).toStrictEqual({ type: 'DoNothing' });
  });

  it('refuses what it cannot express, naming each part: a negation, a queue job, ids the maps do not know', () => {
    const filter = { $or: [{ $and: [{ alias: { $ne: 'prod' } }] }] };
    const issues = issuesOf(() =>
      fromWandbAutomation(
        {
          ...createInput('CREATE_ARTIFACT', filter, {
            triggeredActionType: 'QUEUE_JOB',
            triggeredActionConfig: { queueJobActionInput: { queueID: 'q', template: '{}' } },
          }),
          scopeID: 'nope',
        },
        options,
      ),
    );
    expect(issues.map((i) => [i.code, i.path])).toStrictEqual([
      ['invalid_value', ['scopeID']],
      ['invalid_value', ['triggeredActionConfig', 'QUEUE_JOB', 'type']],
    ]);
    const negation = issuesOf(() => fromWandbAutomation(createInput('CREATE_ARTIFACT', filter), options));
    expect(negation).toMatchObject([
      { code: 'invalid_value', path: ['eventFilter', '$or', 0, '$and', 0, 'alias', '$ne'], value: '$ne' },
    ]);
    const unknown = issuesOf(() =>
      fromWandbAutomation(
        createInput(
          'RUN_STATE',
          { run_state_filter: { states: ['FAILED'] } },
          { triggeredActionConfig: { notificationActionInput: { integrationID: 'other' } } },
        ),
        options,
      ),
    );
    expect(unknown).toMatchObject([
      {
        code: 'unknown_integration',
        path: ['triggeredActionConfig', 'notificationActionInput', 'integrationID'],
        value: 'other',
      },
    ]);
  });

  it('a lookaround in an artifact $regex is refused by RE2', () => {
    const filter = { $or: [{ $and: [{ alias: { $regex: '^(?!tmp)' } }] }] };
    expect(
      issuesOf(() => fromWandbAutomation(createInput('CREATE_ARTIFACT', filter), options))[0],
    ).toMatchObject({
      code: 'invalid_pattern',
      path: ['event', 'alias'],
    });
  });
});
