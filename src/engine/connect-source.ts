import type { Subscribable, Subscription } from 'rxjs';
import { messageOf } from '../errors/error-message.js';
import { type Issue, issue } from '../errors/issue.js';
import { subscribeTo } from './intake.js';

/**
 * Feed every event of an observable to `ingest` while `open()`. Its errors are reported and end only that
 * connection; a `subscribe` that throws is reported the same way, and the subscription returned is then closed.
 * `connections` holds the subscription while it lives.
 */
export function connectSource(
  events: Subscribable<unknown>,
  ingest: (event: unknown) => void,
  open: () => boolean,
  report: (issue: Issue) => void,
  connections: Set<Subscription>,
): Subscription {
  const failed = (error: unknown): void =>
    report(issue('source_error', [], `the connected source failed: ${messageOf(error)}`, error));
  // A source may finish inside subscribe() (from(array) does), before `subscription` exists: track it by a flag.
  let finished = false;
  let subscription: Subscription | undefined;
  const done = (): void => {
    finished = true;
    if (subscription !== undefined) connections.delete(subscription);
  };
  const observer = {
    next: (event: unknown) => {
      if (open()) ingest(event);
    },
    error: (error: unknown) => {
      failed(error);
      done();
    },
    complete: done,
  };
  subscription = subscribeTo(events, observer, (error) => {
    failed(error);
    finished = true;
  });
  if (finished) subscription.unsubscribe();
  else if (!subscription.closed) connections.add(subscription);
  return subscription;
}
