import type { JudgedResult } from './delivery/run-attempt.js';

/** An action its integration cannot deliver: final at once (sending it again cannot help). */
export function wrongAction(action: string, integration: string): JudgedResult {
  return {
    verdict: { kind: 'give-up', outcome: 'PermanentFailure' },
    error: `a ${action} action cannot be delivered through a ${integration}`,
  };
}
