import type { Readable } from 'node:stream';
import type { Clock } from '../clock/clock.js';
import type { ProgressTarget } from './progress.js';

/** Exit codes: done (bad lines skipped), bad input, usage error. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** Where the command reads and writes; the real process, or fakes in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressTarget;
  readonly stdin: Readable;
  /** Wall time, for the progress bar and the report's "generated at". */
  readonly clock: Clock;
}
