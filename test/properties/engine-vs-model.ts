import fc from 'fast-check';
import { expect } from 'vitest';
import { createEngine, DoNothing, type Firing, type MetricFilter, OnRunMetric } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type Command, type CommandOptions, commands, METRICS, RUNS } from '../arbitraries/commands.js';
import { type ModelAutomation, type ModelFiring, ReferenceEngine } from '../model/reference-engine.js';

export const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');

function toModel(f: Firing): ModelFiring {
  const e = f.evidence;
  return {
    automationId: f.automationId,
    runId: f.runId ?? '',
    metric: e?.metric ?? '',
    aggregate: e?.zscore !== undefined ? Number.NaN : (e?.aggregate ?? Number.NaN),
    ...(e?.change !== undefined && { change: e.change }),
    ...(e?.zscore !== undefined && { zscore: e.zscore }),
  };
}

function comparable(f: ModelFiring): ModelFiring {
  // A z-score's baseline mean is reported but not compared: K + S'/w and S/w may round differently.
  return f.zscore !== undefined ? { ...f, aggregate: Number.NaN } : f;
}

/**
 * Run a random command sequence through the engine and the reference model, comparing the firings of every
 * event, and the suppressed and stale counts after every step.
 */
export function runAgainstModel(commandList: Command[]): void {
  const clock = new VirtualClock(T0);
  const engine = createEngine({ clock });
  const model = new ReferenceEngine();
  const live: ModelAutomation[] = [];
  const steps = new Map<number, number>();
  let lastEvent: unknown;
  let eventNo = 0;
  let names = 0;

  for (const [i, c] of commandList.entries()) {
    const pick = 'pick' in c && live.length > 0 ? live[c.pick % live.length] : undefined;
    switch (c.kind) {
      case 'log': {
        const run = RUNS[c.run] as (typeof RUNS)[number];
        clock.advance(c.dt);
        const last = steps.get(c.run) ?? -1;
        const step =
          c.step === 'none'
            ? undefined
            : c.step === 'next'
              ? last + 1
              : c.step === 'same'
                ? Math.max(last, 0)
                : Math.max(last - 2, 0);
        if (step !== undefined) steps.set(c.run, Math.max(last, step));
        const time = c.timed ? clock.now() - c.lateBy : clock.now();
        const metrics: Record<string, number> = {};
        for (const [m, v] of c.metrics) metrics[METRICS[m] as string] = v;
        const event = {
          id: `e${eventNo++}`,
          source: '/test',
          type: 'run.metrics',
          ...(c.timed && { time }),
          data: { ...run, ...(step !== undefined && { step }), metrics },
        };
        lastEvent = event;
        const got = engine.ingest(event).map(toModel).map(comparable);
        const want = model
          .ingest({ ...run, ...(step !== undefined && { step }), time, metrics })
          .map(comparable);
        expect(got, `firings at command ${i}`).toEqual(want);
        break;
      }
      case 'save': {
        const trigger = OnRunMetric({
          scope: c.scope,
          filter: c.filter as MetricFilter,
          ...(c.runFilter && { runFilter: c.runFilter }),
        });
        const saved = engine.save(trigger.do(DoNothing()), { name: `a${names++}`, cooldownMs: c.cooldownMs });
        const [entity, project] = c.scope.split('/') as [string, string | undefined];
        const m: ModelAutomation = {
          id: saved.id,
          createdAt: saved.createdAt,
          scope: project === undefined ? { entity } : { entity, project },
          filter: saved.event.type === 'OnRunMetric' ? saved.event.filter : c.filter,
          cooldownMs: c.cooldownMs,
          enabled: true,
          epoch: model.ordinal,
          ...(c.runFilter && { runFilter: c.runFilter }),
        };
        live.push(m);
        model.automations.push(m);
        break;
      }
      case 'disable':
        if (pick) {
          engine.disable(pick.id);
          pick.enabled = false;
        }
        break;
      case 'enable':
        if (pick) {
          engine.enable(pick.id);
          if (!pick.enabled) pick.epoch = model.ordinal;
          pick.enabled = true;
        }
        break;
      case 'delete':
        if (pick) {
          expect(engine.delete(pick.id)).toBe(true);
          live.splice(live.indexOf(pick), 1);
          model.automations = model.automations.filter((a) => a !== pick);
        }
        break;
      case 'rename':
        if (pick) engine.update(pick.id, { name: `a${names++}` });
        break;
      case 'cooldown':
        if (pick) {
          engine.update(pick.id, { cooldownMs: c.cooldownMs });
          pick.cooldownMs = c.cooldownMs;
        }
        break;
      case 'refilter':
        if (pick) {
          const before = engine.get(pick.id);
          const event = OnRunMetric({
            scope: before?.event.scope ?? 'acme',
            filter: c.filter,
            ...(pick.runFilter && { runFilter: pick.runFilter }),
          });
          engine.update(pick.id, { event });
          if (JSON.stringify(before?.event) !== JSON.stringify(event)) pick.epoch = model.ordinal;
          pick.filter = c.filter;
        }
        break;
      case 'duplicate':
        if (lastEvent !== undefined) expect(engine.ingest(lastEvent)).toEqual([]);
        break;
      case 'update': {
        const run = RUNS[c.run] as (typeof RUNS)[number];
        const data = {
          entity: run.entity,
          project: run.project,
          runId: run.runId,
          ...(c.runName !== undefined && { runName: c.runName }),
          ...(c.user !== undefined && { user: c.user }),
        };
        expect(engine.ingest({ id: `u${eventNo++}`, source: '/test', type: 'run.updated', data })).toEqual(
          [],
        );
        model.update(data);
        break;
      }
      case 'garbage':
        expect(
          engine.ingest({
            id: `g${eventNo++}`,
            source: '/test',
            type: 'run.metrics',
            data: { entity: 'acme', metrics: 'x' },
          }),
        ).toEqual([]);
        break;
    }
    const stats = engine.stats();
    expect(stats.suppressed, `suppressed after command ${i}`).toBe(model.suppressed);
    expect(stats.stale, `stale after command ${i}`).toBe(model.stale);
  }
}

export function assertEngineMatchesModel(
  filter: fc.Arbitrary<MetricFilter>,
  options: CommandOptions = {},
): void {
  fc.assert(
    fc.property(commands(filter, options), (list) => runAgainstModel(list)),
    { numRuns: NUM_RUNS },
  );
}
