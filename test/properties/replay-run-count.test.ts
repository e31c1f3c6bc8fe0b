// The replay's run count: distinct (entity, project, run id), against a Set of the three.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/cli/replay.js';
import { RunCounter } from '../../src/cli/run-counter.js';
import { parseAutomation } from '../../src/index.js';

const numRuns = Number(process.env['FC_RUNS'] ?? 200);

// Few characters, '/' among them, so that ('a/b', 'c') and ('a', 'b/c') and ('ab', '') all come up.
const part = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é', '\u0000'), maxLength: 3 });
const run = fc.tuple(part, part, part);

describe('RunCounter', () => {
  it('counts exactly what a Set of (entity, project, run id) holds, after every run', () => {
    fc.assert(
      fc.property(fc.array(run, { maxLength: 300 }), (runs) => {
        const counter = new RunCounter();
        const model = new Set<string>();
        for (const [entity, project, runId] of runs) {
          counter.add(entity, project, runId);
          model.add(JSON.stringify([entity, project, runId]));
          expect(counter.result).toEqual({ count: model.size, exact: true });
        }
      }),
      { numRuns },
    );
  });

  it('beyond its exact limit, estimates within a few percent and says so', () => {
    const counter = new RunCounter(1000);
    for (let i = 0; i < 60_000; i++) counter.add('acme', `p${i % 7}`, `run-${i}`);
    // Repeats change nothing.
    for (let i = 0; i < 60_000; i += 3) counter.add('acme', `p${i % 7}`, `run-${i}`);
    const { count, exact } = counter.result;
    expect(exact).toBe(false);
    expect(Math.abs(count - 60_000) / 60_000).toBeLessThan(0.04);
  });

  it('up to its limit it stays exact, with the table grown many times', () => {
    const counter = new RunCounter(50_000);
    for (let i = 0; i < 50_000; i++) counter.add('acme', 'vision', String(i));
    for (let i = 0; i < 50_000; i++) counter.add('acme', 'vision', String(i));
    expect(counter.result).toEqual({ count: 50_000, exact: true });
  });
});

const AUTOMATION = parseAutomation({
  name: 'failed',
  event: { type: 'OnRunState', scope: 'acme', states: ['failed'] },
  action: { type: 'DoNothing' },
});

// The engine's names: no '/' in an entity or project; a run id may hold one.
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '.'), minLength: 1, maxLength: 2 });
const runId = fc.string({ unit: fc.constantFrom('a', 'b', '/'), minLength: 1, maxLength: 3 });

const event = fc.record({
  kind: fc.constantFrom('run.metrics', 'run.state', 'artifact.created'),
  run: fc.tuple(name, name, runId),
  bad: fc.boolean(),
});

it('the replay counts the distinct runs of the events it accepted', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(event, { maxLength: 40 }), async (events) => {
      const model = new Set<string>();
      const lines = events.map((e, i) => {
        const [entity, project, runId] = e.run;
        const envelope = { specversion: '1.0', id: `e${i}`, source: '/s', type: e.kind, time: 1000 + i };
        // A bad value is rejected, and brings no run.
        if (e.kind === 'run.metrics') {
          if (!e.bad) model.add(JSON.stringify([entity, project, runId]));
          const loss = e.bad ? 'high' : 0.5;
          return { ...envelope, data: { entity, project, runId, step: i, metrics: { loss } } };
        }
        if (e.kind === 'run.state') {
          model.add(JSON.stringify([entity, project, runId]));
          return { ...envelope, data: { entity, project, runId, state: 'running' } };
        }
        return { ...envelope, data: { entity, project, collection: 'c', version: i } };
      });
      const text = lines.map((l) => JSON.stringify(l)).join('\n');
      const result = await replay(
        () => ({
          name: 'stdin',
          stream: Readable.from([Buffer.from(text)]),
          bytesRead: () => 0,
          textBytes: () => 0,
          gzip: false,
        }),
        { automations: [AUTOMATION] },
      );
      expect(result.runs).toEqual({ count: model.size, exact: true });
    }),
    { numRuns: Math.max(10, Math.floor(numRuns / 4)) },
  );
});
