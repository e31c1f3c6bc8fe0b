import { type Firing, firingId } from '../../../src/core/firing.js';
import type { Evidence } from '../../../src/filters/evidence.js';
import type { ActionDefinition } from '../../../src/schema/actions.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A Standard Webhooks secret: 32 key bytes. */
export const SECRET = `whsec_${Buffer.alloc(32, 0x5a).toString('base64')}`;

const notify: ActionDefinition = {
  type: 'SendNotification',
  integration: 'ml-alerts',
  title: 'High accuracy',
  message: '${run_name}: ${metric_value}',
  severity: 'INFO',
};

export const threshold: Evidence = {
  metric: 'accuracy',
  value: 0.97,
  values: [0.91, 0.95, 0.96, 0.97, 0.97],
  aggregate: 0.952,
  agg: 'mean',
  cmp: '>',
  threshold: 0.6,
};

function firing(
  event: Firing['event'],
  rest: Partial<Omit<Firing, 'id' | 'event'>> = {},
  action: ActionDefinition = notify,
): Firing {
  return {
    id: firingId('auto-1', event.source, event.id),
    automationId: 'auto-1',
    automationName: 'accuracy-alert',
    event,
    time: T0,
    action,
    ...rest,
  };
}

export function metricFiring(
  data: Record<string, unknown> = {},
  evidence: Evidence = threshold,
  action?: ActionDefinition,
): Firing {
  const event = {
    id: 'evt-1',
    source: '/test',
    type: 'run.metrics',
    time: T0,
    data: {
      entity: 'acme',
      project: 'vision',
      runId: 'r1',
      runName: 'sweep-7',
      user: 'ana',
      step: 12,
      metrics: { accuracy: evidence.value },
      ...data,
    },
  };
  const runId = typeof event.data.runId === 'string' ? event.data.runId : 'r1';
  return firing(event, { runId, evidence }, action);
}

export function stateFiring(action?: ActionDefinition): Firing {
  const event = {
    id: 'evt-2',
    source: '/test',
    type: 'run.state',
    time: T0,
    data: { entity: 'acme', project: 'vision', runId: 'r2', runName: 'base', user: 'bo', state: 'failed' },
  };
  return firing(event, { runId: 'r2', transition: { from: 'running', to: 'failed' } }, action);
}

export function artifactFiring(metadata: Record<string, unknown> = {}, action?: ActionDefinition): Firing {
  const event = {
    id: 'evt-3',
    source: '/test',
    type: 'artifact.created',
    time: T0,
    data: {
      entity: 'acme',
      registry: 'model',
      collection: 'resnet',
      version: 3,
      aliases: ['best'],
      metadata,
    },
  };
  const artifact = { entity: 'acme', registry: 'model', collection: 'resnet', version: 3, alias: 'best' };
  return firing(event, { artifact }, action);
}

export function foreignFiring(action?: ActionDefinition): Firing {
  const event = { id: 'evt-4', source: '/azure', type: 'Microsoft.MachineLearningServices.ModelRegistered' };
  return firing(event, {}, action);
}
