import fc from 'fast-check';
import { expect } from 'vitest';
import { INTAKE_TOKEN, type TestService } from './service.js';

// The ten-line model the service's intake answers as, in one engine and in cluster mode alike: the first valid
// (source, id) is accepted, a later one is a duplicate, bad data is rejected (400, the batch's other events
// applied), a bad envelope refuses the whole request and applies nothing.

export type Kind = 'ok' | 'bad-data' | 'bad-envelope';
export type Item = { readonly id: number; readonly kind: Kind };
export type Step = { readonly batch: boolean; readonly items: readonly Item[] };

const item = fc.record({
  id: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom<Kind>('ok', 'ok', 'ok', 'bad-data', 'bad-envelope'),
});

/** One request: a single event or a batch of up to four. */
export const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ batch: fc.constant(false), items: fc.tuple(item) }),
  fc.record({ batch: fc.constant(true), items: fc.array(item, { minLength: 1, maxLength: 4 }) }),
);

/** The CloudEvent an item stands for: ids are unique per property run by `prefix`. */
export function intakeEvent(prefix: string, { id, kind }: Item, time?: string): Record<string, unknown> {
  const e = {
    specversion: '1.0',
    id: `${prefix}-${id}`,
    source: '/prop',
    type: 'run.state',
    ...(time !== undefined && { time }),
    data: { entity: 'acme', project: 'p', runId: `r${id}`, state: 'running' },
  };
  if (kind === 'bad-data') return { ...e, data: { ...e.data, state: 'exploded' } };
  if (kind === 'bad-envelope') return { ...e, id: '' };
  return e;
}

/**
 * POST one step to `/events` and check the answer against the model; `seen` holds the ids accepted so far.
 * Returns how many events the model says were accepted by this step.
 */
export async function postStep(
  service: TestService,
  prefix: string,
  s: Step,
  seen: Set<number>,
  time?: string,
): Promise<number> {
  const body = s.batch
    ? s.items.map((i) => intakeEvent(prefix, i, time))
    : intakeEvent(prefix, s.items[0] as Item, time);
  const res = await service.call('/events', {
    method: 'POST',
    token: INTAKE_TOKEN,
    body: JSON.stringify(body),
    headers: {
      'content-type': s.batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json',
    },
  });
  const answer = (await res.json()) as { status?: string | number; results?: { status: string }[] };
  if (s.items.some((i) => i.kind === 'bad-envelope')) {
    expect(res.status).toBe(400);
    expect(answer.results).toBeUndefined();
    return 0;
  }
  let accepted = 0;
  const expected = s.items.map((i) => {
    if (i.kind === 'bad-data') return 'rejected';
    if (seen.has(i.id)) return 'duplicate';
    seen.add(i.id);
    accepted++;
    return 'accepted';
  });
  const rejected = expected.includes('rejected');
  expect(res.status).toBe(rejected ? 400 : 202);
  const got = s.batch || rejected ? answer.results?.map((r) => r.status) : [answer.status];
  expect(got).toEqual(expected);
  return accepted;
}
