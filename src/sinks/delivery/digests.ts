import { hash } from 'node:crypto';
import type { Firing } from '../../core/firing.js';
import { digestOf } from '../../schema/actions.js';
import type { DeliveryEntry } from './delivery-entry.js';

/** A digest lists at most this many firings; the rest are counted. */
export const DIGEST_LISTED = 100;

/** `dig_` + 32 hex digits of SHA-256 over the first firing's id: the same digest in any process, on any retry. */
function digestId(first: Firing): string {
  return `dig_${hash('sha256', first.id, 'hex').slice(0, 32)}`;
}

/** The delivery a window starts with: the first firing's fields, a digest id, and the digest listing it. */
export function openDigest(first: Firing, windowMs: number): Firing {
  const { digest: _none, ...fields } = first;
  const closes = first.time + windowMs;
  return {
    ...fields,
    id: digestId(first),
    digest: { windowMs, opens: first.time, closes, firings: [first], count: 1 },
  };
}

function append(digest: Firing, firing: Firing): Firing {
  const d = digest.digest;
  if (d === undefined) return digest;
  const firings = d.firings.length < DIGEST_LISTED ? [...d.firings, firing] : d.firings;
  return { ...digest, digest: { ...d, firings, count: d.count + 1 } };
}

/** Two actions are the same when their JSON is: an automation updated mid-window starts a new window. */
const sameAction = (a: Firing, b: Firing): boolean => JSON.stringify(a.action) === JSON.stringify(b.action);

/**
 * The open digest windows, one per automation: each is a pending delivery entry due when its window closes,
 * so it is in history (one delivery of several firings) and in snapshots like any pending delivery. A firing
 * joins its automation's window while the engine clock has not reached the window's close and its own event
 * time is before it; otherwise it opens a window of its own.
 */
export class DigestWindows {
  readonly #open = new Map<string, DeliveryEntry>();

  /**
   * Where a new firing goes: into its automation's open window (`joined`), or a delivery of its own due at
   * `due` (a new window's digest when its action asks for one, due when the window closes).
   */
  hold(
    firing: Firing,
    integration: string | undefined,
    now: number,
  ): { readonly joined: DeliveryEntry } | { readonly firing: Firing; readonly due: number } {
    const window = integration === undefined ? undefined : digestOf(firing.action);
    if (integration === undefined || window === undefined) return { firing, due: now };
    const joined = this.#join(firing, integration, now);
    if (joined !== undefined) return { joined };
    return { firing: openDigest(firing, window.windowMs), due: firing.time + window.windowMs };
  }

  #join(firing: Firing, integration: string, now: number): DeliveryEntry | undefined {
    const entry = this.#open.get(firing.automationId);
    const d = entry?.firing.digest;
    if (entry === undefined || d === undefined) return undefined;
    const open = entry.status === 'pending' && entry.attempts.length === 0 && now < d.closes;
    if (!open) {
      this.#open.delete(firing.automationId);
      return undefined;
    }
    if (firing.time >= d.closes || entry.integration !== integration || !sameAction(entry.firing, firing))
      return undefined;
    entry.firing = append(entry.firing, firing);
    return entry;
  }

  /** An entry whose window is open (a new one, or one restored from a snapshot before its attempt). */
  opened(entry: DeliveryEntry): void {
    if (entry.firing.digest !== undefined && entry.attempts.length === 0)
      this.#open.set(entry.firing.automationId, entry);
  }

  /** An entry that ended: its window is certainly closed. */
  ended(entry: DeliveryEntry): void {
    if (this.#open.get(entry.firing.automationId) === entry) this.#open.delete(entry.firing.automationId);
  }
}
