// The cluster commands' options, parsed with node:util's parseArgs.
import type { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export const OPTIONS = {
  nats: { type: 'string' },
  partitions: { type: 'string' },
  replicas: { type: 'string' },
  'lease-ttl': { type: 'string' },
  automations: { type: 'string', short: 'a' },
  merge: { type: 'boolean', default: false },
  events: { type: 'string', short: 'e' },
  id: { type: 'string' },
  deliver: { type: 'boolean', default: false },
  integrations: { type: 'string', short: 'i' },
  format: { type: 'string', short: 'f' },
  partition: { type: 'string' },
  follow: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type ClusterArgs = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** A whole number option, or undefined when absent; a usage error otherwise. */
export function wholeNumber(values: ClusterArgs, name: keyof ClusterArgs, min = 0): number | undefined {
  const text = values[name];
  if (text === undefined || typeof text !== 'string') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`--${name} ${text}: expected a whole number ≥ ${min}`);
  return Number(text);
}
