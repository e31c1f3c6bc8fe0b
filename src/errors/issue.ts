/** Every way an input can be refused or a step can fail; issues are data first, exceptions carry them. */
export type IssueCode =
  // shape of the input (mapped from zod)
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_format'
  | 'too_big'
  | 'too_small'
  | 'invalid_union'
  | 'unrecognized_keys'
  | 'custom'
  // definitions
  | 'invalid_pattern'
  | 'scope_not_allowed'
  | 'duplicate_name'
  | 'unknown_integration'
  // events
  | 'out_of_order'
  | 'out_of_range'
  | 'source_error'
  | 'internal_error'
  // snapshots
  | 'checksum_mismatch'
  // sinks and listeners
  | 'sink_failed'
  | 'dead_lettered'
  | 'listener_failed';

export type IssuePath = readonly (string | number)[];

export interface Issue {
  readonly code: IssueCode;
  /** Where in the input, e.g. `['data', 'metrics', 'loss']`. */
  readonly path: IssuePath;
  readonly message: string;
  /** The offending value (for sink failures: the error). */
  readonly value: unknown;
  /** The event's id and source when the issue is about an event. */
  readonly eventId?: string;
  readonly source?: string;
  readonly automationId?: string;
}

export function issue(code: IssueCode, path: IssuePath, message: string, value: unknown): Issue {
  return { code, path, message, value };
}
