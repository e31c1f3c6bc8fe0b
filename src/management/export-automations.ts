import type { Automation } from '../schema/automation.js';
import { AUTOMATION_EXPORT_FORMAT, AUTOMATION_EXPORT_VERSION } from './export-document.js';

/** What `exportAutomations` returns and `importAutomations` reads: plain JSON, ids, settings and times included. */
export type AutomationExport = {
  readonly format: typeof AUTOMATION_EXPORT_FORMAT;
  readonly version: typeof AUTOMATION_EXPORT_VERSION;
  readonly automations: readonly Automation[];
};

/** These automations (every saved one, or those a principal may read), as a document any engine imports. */
export function exportAutomations(automations: readonly Automation[]): AutomationExport {
  return { format: AUTOMATION_EXPORT_FORMAT, version: AUTOMATION_EXPORT_VERSION, automations };
}
