/** A file the replay cannot use (exit code 1), with a message naming the file and what is wrong with it. */
export class InputError extends Error {
  override name = 'InputError' as const;
}
