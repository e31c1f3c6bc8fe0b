import { RE2JS } from 're2js';
import type { Pattern, PatternEngine } from './pattern-engine.js';

/** RE2 in pure JS: linear-time matching, no backtracking, and patterns are garbage-collected like any object. */
export const re2jsEngine: PatternEngine = Object.freeze({
  name: 're2js',
  compile(source: string): Pattern {
    const compiled = RE2JS.compile(source);
    return Object.freeze({ source, test: (input: string) => compiled.test(input) });
  },
});
