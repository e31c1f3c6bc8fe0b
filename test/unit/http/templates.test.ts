import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricFilterText } from '../../../src/sinks/http/evidence-text.js';
import {
  renderPayload,
  renderTemplate,
  TEMPLATE_VARIABLES,
  templateVariables,
} from '../../../src/sinks/http/templates.js';
import { artifactFiring, foreignFiring, metricFiring, stateFiring, threshold } from './firings.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS: runs } = process.env;
const FC_RUNS = Number(runs ?? 200);

describe('templateVariables', () => {
  it('a run metric firing fills the run and metric variables', () => {
    const v = templateVariables(metricFiring());
    expect(v).toMatchObject({
      automation_name: 'accuracy-alert',
      event_type: 'RUN_METRIC',
      event_kind: 'run.metrics',
      event_author: 'ana',
      entity_name: 'acme',
      project_name: 'vision',
      run_id: 'r1',
      run_name: 'sweep-7',
      run_state: '',
      run_status: '',
      metric_name: 'accuracy',
      metric_value: '0.97',
      metric_values: '0.91,0.95,0.96,0.97,0.97',
      metric_filter: 'mean(5) accuracy > 0.6',
      artifact_collection_name: '',
      artifact_version: '',
      artifact_version_string: '',
      alias: '',
      tag: '',
      ACCESS_TOKEN: '',
    });
  });

  it('a run state firing fills run_state, and run_status as W&B names it, from the transition', () => {
    const v = templateVariables(stateFiring());
    expect(v).toMatchObject({ run_state: 'failed', run_status: 'failed', run_id: 'r2', run_name: 'base' });
    expect(v).toMatchObject({ event_author: 'bo', event_type: 'RUN_STATE', event_kind: 'run.state' });
    expect(v).toMatchObject({ metric_name: '', artifact_version: '' });
  });

  it('an artifact firing fills the artifact variables; project_name is the registry, W&B writes wandb-registry-', () => {
    const v = templateVariables(
      artifactFiring({ accuracy: 0.93, owner: 'ana', nested: { a: [1] }, none: null }),
    );
    expect(v).toMatchObject({
      project_name: 'model',
      artifact_collection_name: 'resnet',
      artifact_version: '3',
      artifact_version_string: 'acme/wandb-registry-model/resnet:v3',
      alias: 'best',
      tag: '',
      run_id: '',
      'artifact_metadata.accuracy': '0.93',
      'artifact_metadata.owner': 'ana',
      'artifact_metadata.nested': '{"a":[1]}',
      'artifact_metadata.none': 'null',
    });
  });

  it('a variable that does not apply is the empty string (a foreign event has no data)', () => {
    const v = templateVariables(foreignFiring());
    for (const name of TEMPLATE_VARIABLES) {
      if (name === 'automation_name' || name === 'event_type' || name === 'event_kind') continue;
      expect(v[name], name).toBe('');
    }
    expect(v).toMatchObject({
      event_type: 'ON_EVENT',
      event_kind: 'Microsoft.MachineLearningServices.ModelRegistered',
    });
  });

  it('every listed variable is present', () => {
    expect(Object.keys(templateVariables(metricFiring())).sort()).toEqual([...TEMPLATE_VARIABLES].sort());
  });
});

describe('metric_filter', () => {
  const base = { metric: 'loss', value: 1, values: [1, 2, 3], aggregate: 2 };
  it.each([
    [
      { metric: 'accuracy', value: 0.97, values: [0.97], aggregate: 0.97, cmp: '>', threshold: 0.6 },
      'accuracy > 0.6',
    ],
    [threshold, 'mean(5) accuracy > 0.6'],
    [
      {
        ...base,
        agg: 'mean',
        change: -0.3,
        changeType: 'relative',
        direction: 'decrease',
        amount: 0.25,
        prior: { values: [1, 1, 1, 1], aggregate: 1 },
      },
      'mean(3) loss decrease >= 25% vs prior 4',
    ],
    [
      {
        ...base,
        agg: 'max',
        change: 0.5,
        changeType: 'absolute',
        direction: 'any',
        amount: 0.07,
        prior: { values: [1], aggregate: 1 },
      },
      'max(3) loss change >= 0.07 vs prior 1',
    ],
    [{ ...base, zscore: 4, threshold: 3, direction: 'increase' }, 'zscore(3) loss >= 3'],
    [{ ...base, zscore: -4, threshold: 3, direction: 'decrease' }, 'zscore(3) loss <= -3'],
    [{ ...base, zscore: 4, threshold: 2.5, direction: 'any' }, '|zscore(3) loss| >= 2.5'],
    [
      { metric: 'loss', value: Number.NaN, values: [Number.NaN], aggregate: Number.NaN },
      'loss is not finite',
    ],
  ])('%o → %s', (evidence, text) => {
    expect(metricFilterText(evidence)).toBe(text);
  });
});

/** Text rich in what could break JSON or templates: quotes, backslashes, `${…}`, separators, controls, emoji. */
const hostileText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '$',
      '{',
      '}',
      '${',
      '$${',
      'run_id}',
      '\u2028',
      '\u0000',
      '\n',
      'é',
      '😀',
      'a',
    ),
  }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
);

describe('renderPayload', () => {
  const vars = templateVariables(metricFiring());

  it('fills string values anywhere, leaves keys and other values alone', () => {
    const payload = {
      '${run_name}': '${run_name}',
      nested: { list: ['run ${run_id} at ${metric_value}', 3, true, null], n: 1.5 },
    };
    expect(renderPayload(payload, vars)).toEqual({
      '${run_name}': 'sweep-7',
      nested: { list: ['run r1 at 0.97', 3, true, null], n: 1.5 },
    });
  });

  it('unknown names render empty; $${x} is a literal; names with other characters stay as written', () => {
    expect(renderTemplate('[${nope}]', vars)).toBe('[]');
    expect(renderTemplate('$${run_id} is ${run_id}', vars)).toBe('${run_id} is r1');
    expect(renderTemplate('${run id} ${} $run_id', vars)).toBe('${run id} ${} $run_id');
  });

  it('secrets by name; a variable wins over a secret of the same name', () => {
    const secrets = { API_KEY: 'k-123', run_id: 'shadow' };
    expect(renderPayload({ auth: 'Bearer ${API_KEY}', run: '${run_id}' }, vars, secrets)).toEqual({
      auth: 'Bearer k-123',
      run: 'r1',
    });
  });

  it('substitution is one pass: a value holding ${SECRET} is not expanded again', () => {
    const v = templateVariables(metricFiring({ runName: '${API_KEY} $${run_id}' }));
    expect(renderTemplate('${run_name}', v, { API_KEY: 'k-123' })).toBe('${API_KEY} $${run_id}');
  });

  it('names never reach the prototype: __proto__, constructor, toString render empty', () => {
    const t = '${__proto__}|${constructor}|${toString}|${hasOwnProperty}|${artifact_metadata.constructor}';
    expect(renderTemplate(t, vars, {})).toBe('||||');
    const v = templateVariables(artifactFiring(JSON.parse('{"__proto__": "own", "constructor": 7}')));
    expect(renderTemplate('${artifact_metadata.__proto__} ${artifact_metadata.constructor}', v)).toBe(
      'own 7',
    );
  });

  it('a payload key __proto__ stays an own key and never becomes a prototype', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": "${run_id}"}, "a": 1}');
    const out = renderPayload(payload, vars) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__": {"polluted": "r1"}, "a": 1}'));
    expect('polluted' in {}).toBe(false);
  });

  it('no value can break out of its string (quotes, backslashes, templates, unicode)', () => {
    fc.assert(
      fc.property(hostileText, fc.double(), (name, value) => {
        const evidence = { ...threshold, value, metric: name };
        const v = templateVariables(metricFiring({ runName: name }, evidence));
        const payload = {
          a: '${run_name}',
          b: ['<${run_name}>', { c: '${metric_value}' }],
          m: '${metric_name}',
        };
        const parsed = JSON.parse(JSON.stringify(renderPayload(payload, v)));
        expect(parsed).toEqual({ a: name, b: [`<${name}>`, { c: String(value) }], m: name });
      }),
      { numRuns: FC_RUNS },
    );
  });

  it('hostile values stay inside their strings', () => {
    const hostile = 'x", "admin": true, "y": "\\" ${run_id} \u2028 }';
    const v = templateVariables(metricFiring({ runName: hostile }));
    const body = JSON.stringify(renderPayload({ name: '${run_name}' }, v));
    expect(Object.keys(JSON.parse(body))).toEqual(['name']);
    expect(JSON.parse(body).name).toBe(hostile);
  });
});
