import { describe, expect, it } from 'vitest';
import { isDefinitionError, type PatternEngine, RunEvent, re2jsEngine } from '../../src/index.js';
import { fixture, row, watch } from '../helpers/fixture.js';

describe('user patterns run on RE2', () => {
  it('a catastrophic-backtracking pattern matches in linear time', () => {
    // With a backtracking engine (RegExp) this input takes 2^40 steps; RE2 answers at once.
    const hostile = `${'a'.repeat(40)}!`;
    const pattern = re2jsEngine.compile('^(a+)+$');
    expect(pattern.test(hostile)).toBe(false);
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').gt(0), { runFilter: { runName: '^(a|aa)+$' } });
    expect(engine.ingest(row('r', { m: 1 }, { runName: hostile }))).toHaveLength(0);
    expect(engine.ingest(row('r2', { m: 1 }, { runName: 'a'.repeat(40) }))).toHaveLength(1);
  });

  it('the engine compiles with the pattern engine it was given, and reports its refusals as invalid_pattern', () => {
    const compiled: string[] = [];
    const strict: PatternEngine = {
      name: 'strict',
      compile(source) {
        if (source.includes('(')) throw new Error('no groups here');
        compiled.push(source);
        return re2jsEngine.compile(source);
      },
    };
    const { engine } = fixture({ patternEngine: strict });
    watch(engine, RunEvent.metric('m').gt(0), { runFilter: { runName: '^sweep-' } });
    expect(compiled).toContain('^sweep-');
    try {
      watch(engine, RunEvent.metric('m').gt(0), { runFilter: { runName: '(sweep)' } });
      expect.unreachable('save should refuse the pattern');
    } catch (error) {
      expect(isDefinitionError(error) && error.issues.map((i) => [i.code, i.path, i.value])).toEqual([
        ['invalid_pattern', ['event', 'runFilter', 'runName'], '(sweep)'],
      ]);
    }
  });
});
