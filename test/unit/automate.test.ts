import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  automate,
  createEngine,
  DoNothing,
  type Firing,
  type Issue,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { row, T0 } from '../helpers/fixture.js';

const draft = {
  ...OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').sum(2).gte(3) }).do(DoNothing()),
  name: 'sum',
  cooldownMs: 0,
};

describe('automate(): the pure core as an operator', () => {
  it('maps events to firings on the marble timeline, one subscription one state', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ cold, expectObservable }) => {
        const events = cold('a-b-c-d|', {
          a: row('r', { m: 1 }, { id: 'a', time: T0 }),
          b: row('r', { m: 2 }, { id: 'b', time: T0 }),
          c: row('r', { m: 0 }, { id: 'c', time: T0 }),
          d: row('r', { m: 5 }, { id: 'd', time: T0 }),
        });
        const summary = (f: Firing) => `${f.event.id}:${f.evidence?.aggregate}`;
        const firings = events.pipe(automate([draft], { clock: new VirtualClock(T0) }), map(summary));
        // Each subscription has its own windows, so a second one sees the same.
        expectObservable(firings).toBe('--x---y|', { x: 'b:3', y: 'd:5' });
        expectObservable(firings).toBe('--x---y|', { x: 'b:3', y: 'd:5' });
      },
    );
  });

  it('gives the same firings, with the same ids, as the engine', async () => {
    const input = [1, 2, 0, 5, 9].map((m, i) => row('r', { m }, { id: `e${i}`, time: T0 + i }));
    const viaOperator = await lastValueFrom(from(input).pipe(automate([draft]), toArray()));
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(draft);
    const viaEngine = engine.ingestBatch(input);
    expect(viaOperator).toEqual(viaEngine);
    expect(viaOperator.map((f) => f.id)).toHaveLength(3);
  });

  it('reports bad events to onIssue and goes on; a throwing onIssue cannot end the stream', async () => {
    const issues: Issue[] = [];
    const input = [row('r', { m: 2 }), 'junk', row('r', { m: 2 })];
    const out = await lastValueFrom(
      from(input).pipe(automate([draft], { onIssue: (i) => issues.push(i) }), toArray()),
    );
    expect(out).toHaveLength(1);
    expect(issues.map((i) => i.code)).toEqual(['invalid_type']);
    const out2 = await lastValueFrom(
      from(input).pipe(
        automate([draft], {
          onIssue: () => {
            throw new Error('bad callback');
          },
        }),
        toArray(),
      ),
    );
    expect(out2).toHaveLength(1);
  });

  it("takes the engine's saved automations as they are listed, with their ids, as it always has", async () => {
    const input = [1, 2, 0, 5, 9].map((m, i) => row('r', { m }, { id: `e${i}`, time: T0 + i }));
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(draft);
    const viaOperator = await lastValueFrom(from(input).pipe(automate(engine.list()), toArray()));
    expect(viaOperator).toEqual(engine.ingestBatch(input));
    expect(() => automate([{ ...draft, cooldown: 0 } as typeof draft])).toThrow(/unknown key "cooldown"/);
  });

  it('validates definitions when called, not when subscribed', () => {
    expect(() => automate([{ ...draft, name: '' }])).toThrow(/name/);
  });
});

describe('firing ids', () => {
  it('are deterministic: the same automation and event give the same id in another engine', () => {
    const event = row('r', { m: 3 }, { id: 'stable', time: T0 });
    const ids = [1, 2].map(() => {
      const engine = createEngine({ clock: new VirtualClock(T0) });
      engine.save(draft, { id: 'fixed-id' });
      engine.ingest(row('r', { m: 0 }, { id: 'warm', time: T0 }));
      return engine.ingest(event)[0]?.id;
    });
    expect(ids[0]).toMatch(/^fir_[0-9a-f]{32}$/);
    expect(ids[0]).toBe(ids[1]);
  });

  it('differ between automations and between events', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(draft);
    engine.save({ ...draft, name: 'other' });
    engine.ingest(row('r', { m: 3 }));
    const ids = [...engine.ingest(row('r', { m: 3 })), ...engine.ingest(row('r', { m: 3 }))].map((f) => f.id);
    expect(new Set(ids).size).toBe(4);
  });
});
