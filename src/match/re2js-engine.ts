import { RE2JS } from 're2js';
import { DefinitionError } from '../errors/definition-error.js';
import { messageOf } from '../errors/error-message.js';
import { issue } from '../errors/issue.js';
import type { Pattern, PatternEngine } from './pattern-engine.js';

/** RE2 in pure JS: linear-time matching, no backtracking, and patterns are garbage-collected like any object. */
export const re2jsEngine: PatternEngine = Object.freeze({
  name: 're2js',
  compile(source: string): Pattern {
    if (typeof source !== 'string')
      throw new DefinitionError([issue('invalid_type', [], 'a pattern is text', source)], 'pattern');
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(source);
    } catch (error) {
      // The message names what is wrong with the pattern; it is shown as is.
      throw new DefinitionError([issue('invalid_pattern', [], messageOf(error), source)], 'pattern');
    }
    return Object.freeze({
      source,
      test: (input: string) => typeof input === 'string' && compiled.test(input),
    });
  },
});
