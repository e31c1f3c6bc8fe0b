import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Firing,
  isDefinitionError,
  OnSchedule,
  parseAutomation,
  SendNotification,
} from '../../src/index.js';
import { renderSlackMessage } from '../../src/sinks/http/slack.js';
import { renderTemplate, templateVariables } from '../../src/sinks/http/templates.js';
import { VirtualClock } from '../../src/testing/index.js';
import { HOUR, row, T0 } from '../helpers/fixture.js';

let n = 0;
function state(runId: string, s: string, time: number) {
  const data = { entity: 'acme', project: 'vision', runId, state: s };
  return { id: `sc${++n}`, source: '/test', type: 'run.state', time, data };
}

function setup(partitions = 1) {
  const clock = new VirtualClock(T0);
  const engine = createEngine({ clock, partitions });
  const fired: Firing[] = [];
  engine.firings$.subscribe((f) => fired.push(f));
  return { clock, engine, fired };
}

function refusal(input: unknown): unknown {
  try {
    OnSchedule(input as Parameters<typeof OnSchedule>[0]);
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path }));
  }
  return 'accepted';
}

describe('schedules and summaries: OnSchedule (§4.3)', () => {
  it('fires at each cron time in its time zone whose period saw a row, with a summary of the runs', () => {
    const { clock, engine, fired } = setup(3);
    engine.save(
      OnSchedule({
        scope: 'acme/vision',
        cron: '0 9 * * *',
        timezone: 'Europe/Berlin',
        metrics: ['loss'],
      }).do(DoNothing()),
      { name: 'daily' },
    );
    clock.set(T0 + 5 * HOUR);
    engine.ingest(row('a', { loss: 2 }, { time: T0 + HOUR, runName: 'first', user: 'ana' }));
    engine.ingest(row('a', { loss: 1 }, { time: T0 + 2 * HOUR }));
    engine.ingest(row('a', { loss: 1.5, acc: 3 }, { time: T0 + 3 * HOUR }));
    engine.ingest(row('b', { acc: 1 }, { time: T0 + 4 * HOUR }));
    engine.ingest(row('c', { loss: 9 }, { time: T0 + 4 * HOUR, project: 'audio' }));
    engine.ingest(state('a', 'finished', T0 + 5 * HOUR));
    // 09:00 in Berlin on 1 January is 08:00 UTC.
    clock.set(T0 + 8 * HOUR - 1);
    expect(fired).toEqual([]);
    clock.set(T0 + 8 * HOUR);
    expect(fired).toHaveLength(1);
    const [f] = fired;
    expect(f?.time).toBe(T0 + 8 * HOUR);
    expect(f?.summary).toEqual({
      cron: '0 9 * * *',
      timezone: 'Europe/Berlin',
      from: T0,
      to: T0 + 8 * HOUR,
      metrics: ['loss'],
      total: 2,
      runs: [
        { entity: 'acme', project: 'vision', runId: 'b', lastTime: T0 + 4 * HOUR, metrics: {} },
        {
          entity: 'acme',
          project: 'vision',
          runId: 'a',
          runName: 'first',
          user: 'ana',
          state: 'finished',
          lastTime: T0 + 3 * HOUR,
          metrics: { loss: { last: 1.5, min: 1, max: 2 } },
        },
      ],
    });
    // A day with no row fires nothing; the next day with one fires for that day only.
    clock.set(T0 + 32 * HOUR);
    expect(fired).toHaveLength(1);
    clock.set(T0 + 33 * HOUR);
    engine.ingest(row('b', { loss: 4 }, { time: T0 + 33 * HOUR }));
    clock.set(T0 + 56 * HOUR);
    expect(fired.map((x) => [x.summary?.from, x.summary?.to, x.summary?.total])).toEqual([
      [T0, T0 + 8 * HOUR, 2],
      [T0 + 32 * HOUR, T0 + 56 * HOUR, 1],
    ]);
  });

  it('renders ${summary} as a table, ${summary_json} as JSON, and a Slack table block', () => {
    const { clock, engine, fired } = setup();
    engine.save(
      OnSchedule({ scope: 'acme', cron: '*/30 * * * *', metrics: ['loss', 'acc'] }).do(DoNothing()),
      { name: 'half-hourly' },
    );
    engine.ingest(row('r1', { loss: 0.25, acc: 0.5 }, { time: T0 + 1000, runName: 'sweep-1' }));
    clock.set(T0 + 1800_000);
    const [f] = fired;
    if (f === undefined) throw new Error('no firing');
    const vars = templateVariables(f);
    expect(renderTemplate('${summary}', vars).split('\n')).toEqual([
      'run             name     user  state  loss last (min–max)  acc last (min–max)',
      '--------------  -------  ----  -----  -------------------  ------------------',
      'acme/vision/r1  sweep-1               0.25 (0.25–0.25)     0.5 (0.5–0.5)',
    ]);
    expect(JSON.parse(vars['summary_json'] ?? '')).toEqual(f.summary);
    const action = SendNotification({ integration: 'x', title: 'Daily', message: 'runs', severity: 'INFO' });
    const table = renderSlackMessage(f, action).blocks.find((b) => b.type === 'table');
    expect(table).toEqual({
      type: 'table',
      rows: [
        ['run', 'name', 'user', 'state', 'loss last (min–max)', 'acc last (min–max)'],
        ['acme/vision/r1', 'sweep-1', ' ', ' ', '0.25 (0.25–0.25)', '0.5 (0.5–0.5)'],
      ].map((r) => r.map((text) => ({ type: 'raw_text', text }))),
    });
  });

  it('survives a snapshot and restore into another partition count', () => {
    const { clock, engine } = setup(2);
    engine.save(OnSchedule({ scope: 'acme', cron: '0 * * * *', metrics: ['loss'] }).do(DoNothing()), {
      name: 'hourly',
    });
    engine.ingest(row('a', { loss: 1 }, { time: T0 + 1000 }));
    engine.ingest(row('b', { loss: 2 }, { time: T0 + 2000 }));
    const again = createEngine({ clock, state: engine.snapshot(), partitions: 3 });
    void engine.close();
    const fired: Firing[] = [];
    again.firings$.subscribe((f) => fired.push(f));
    clock.set(T0 + HOUR);
    expect(fired.map((f) => f.summary?.runs.map((r) => r.runId))).toEqual([['b', 'a']]);
  });

  it('refuses what croner cannot read, naming the field; round-trips as JSON with defaults', () => {
    expect(refusal({ scope: 'acme', cron: '0 9 * *' })).toEqual([{ code: 'invalid_value', path: ['cron'] }]);
    expect(refusal({ scope: 'acme', cron: '0 0 9 * * *' })).toEqual([
      { code: 'invalid_value', path: ['cron'] },
    ]);
    expect(refusal({ scope: 'acme', cron: '0 61 * * *' })).toEqual([
      { code: 'invalid_value', path: ['cron'] },
    ]);
    expect(refusal({ scope: 'acme', cron: '0 9 * * *', timezone: 'Mars/Olympus' })).toEqual([
      { code: 'invalid_value', path: ['timezone'] },
    ]);
    expect(refusal({ scope: { entity: 'acme', registry: 'model' }, cron: '0 9 * * *' })).toEqual([
      { code: 'scope_not_allowed', path: ['scope'] },
    ]);
    const trigger = OnSchedule({ scope: 'acme/vision', cron: '0 9 * * 1-5' });
    expect(trigger).toMatchObject({ timezone: 'UTC', metrics: [] });
    const automation = parseAutomation(JSON.parse(JSON.stringify({ name: 'x', ...trigger.do(DoNothing()) })));
    expect(automation.event).toEqual(trigger);
  });
});
