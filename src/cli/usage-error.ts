/** A command line the command cannot run (exit code 2): an unknown option, a missing or bad value. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}
