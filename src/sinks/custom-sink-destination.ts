import type { Destination } from './destination.js';
import { type Integration, isIntegration } from './integration.js';

/**
 * Any `{ deliver(firing, signal) }`: success when `deliver` returns or resolves; a throw or rejection is a failed
 * attempt, reported as the sink's failure. It has no URL to check and no secret of its own.
 */
export const customSinkDestination: Destination<Integration> = {
  actions: [
    'SendNotification',
    'SendWebhook',
    'SendEmail',
    'SendPagerDuty',
    'DispatchGitHubWorkflow',
    'SendTeamsMessage',
  ],
  is: isIntegration,
  secrets: () => [],
  check: () => [],
  sender: (sink) => async (firing, signal) => {
    try {
      await sink.deliver(firing, signal);
      return { ok: true };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error), fromSink: true };
    }
  },
};
