import { messageOf } from '../errors/error-message.js';
import { type Issue, issue } from '../errors/issue.js';
import type { Pattern, PatternEngine } from './pattern-engine.js';

/**
 * A plugged-in pattern engine made total: a pattern whose `test` throws (or answers anything but a boolean)
 * is reported as `invalid_pattern` and does not match, so one faulty engine cannot stop an event half applied.
 * `compile` still throws on a bad pattern, which refuses the definition at save.
 */
export function guardedPatternEngine(engine: PatternEngine, report: (i: Issue) => void): PatternEngine {
  const name = typeof engine.name === 'string' ? engine.name : 'pattern engine';
  return {
    name,
    compile(source: string): Pattern {
      const pattern: unknown = engine.compile(source);
      const test = (pattern as Partial<Pattern> | null | undefined)?.test;
      if (typeof test !== 'function') throw new Error('compile() returned no { test(input) }');
      return {
        source,
        test(input: string): boolean {
          try {
            return test.call(pattern, input) === true;
          } catch (error) {
            report(issue('invalid_pattern', [], `${name} failed on ${source}: ${messageOf(error)}`, source));
            return false;
          }
        },
      };
    },
  };
}
