/** Where time comes from. The core reads no other source of time, so tests run on virtual time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}
