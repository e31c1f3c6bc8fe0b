import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  events,
  type Firing,
  OnAddArtifactAlias,
  PagerDutyIntegration,
  SendPagerDuty,
} from '../../../src/index.js';
import { firingFacts, firingSummary } from '../../../src/sinks/firing-text.js';
import { renderPagerDutyEvent } from '../../../src/sinks/pagerduty/pagerduty-event.js';
import { VirtualClock } from '../../../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function aliasFiring(): Firing {
  const engine = createEngine({ clock: new VirtualClock(T0) });
  engine.save(OnAddArtifactAlias({ scope: 'acme/vision', alias: '^prod$' }).do(DoNothing()), { name: 'a' });
  const at = { entity: 'acme', project: 'vision', collection: 'resnet', version: 3 };
  engine.ingest(events.artifactCreated(at));
  const [firing] = engine.ingest(events.aliasAdded({ ...at, alias: 'prod' }));
  if (firing === undefined) throw new Error('the alias firing is missing');
  return firing;
}

it('an artifact firing names its version once, collection:vN, in PagerDuty, summaries and facts', () => {
  const firing = aliasFiring();
  const event = renderPagerDutyEvent(
    firing,
    SendPagerDuty({ integration: 'p', severity: 'info' }),
    PagerDutyIntegration({ routingKey: 'routing-key-1234' }),
  ) as { payload: { source: string; summary: string } };
  expect(event.payload.source).toBe('acme/vision/resnet:v3');
  expect(event.payload.summary).toBe('a: resnet:v3 alias prod');
  expect(firingSummary(firing)).toBe('resnet:v3 alias prod');
  expect(firingFacts(firing)).toContainEqual(['Artifact', 'resnet:v3']);
});
