/** One HTTP attempt, fully rendered: what the transport sends. Header names are lower-case. */
export type HttpRequest = {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/** What came back: the status and the headers the retry policy reads (`retry-after`). */
export type HttpResponse = {
  readonly status: number;
  header(name: string): string | undefined;
  /**
   * The start of the body, for the delivery history only (at most 4 KiB are kept). The outcome is decided on
   * the status before this settles, so a slow body never changes it; it should never reject.
   */
  readonly bodyPrefix?: Promise<string>;
};

/**
 * Sends one request. The default uses Node's fetch; tests and embedders may plug their own.
 * Rejects on network errors and when `signal` aborts (the per-attempt timeout).
 */
export interface Transport {
  send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse>;
}
