/** A compiled user pattern. `test` is an unanchored search, as Go's `MatchString`: write `^…$` to anchor. */
export interface Pattern {
  readonly source: string;
  test(input: string): boolean;
}

/**
 * Compiles user-supplied patterns. The default is re2js (RE2 semantics, linear time); plug in native `re2`
 * by implementing this. `compile` throws on a bad pattern; the message is shown to the user.
 */
export interface PatternEngine {
  readonly name: string;
  compile(source: string): Pattern;
}
