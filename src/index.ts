// The public entry: an explicit list, so nothing internal leaks by accident.

export type { Clock } from './clock/clock.js';
export { systemClock } from './clock/system-clock.js';
export type {
  ArtifactFacts,
  CountEvidence,
  CountedRun,
  Firing,
  FiringDigest,
  StallEvidence,
} from './core/firing.js';
export type { IngestResult, IngestStatus } from './core/ingest-result.js';
export { partitionKey, partitionOf } from './core/partition-key.js';
export type { Suppressed } from './core/suppressed.js';
export { DoNothing, SendNotification, SendWebhook } from './definitions/actions.js';
export {
  type ChangeAmount,
  type ChangeWindows,
  MetricExpression,
  RunEvent,
} from './definitions/builder/run-event.js';
export type { ZScoreAbs, ZScoreComparisons, ZScoreExpression } from './definitions/builder/zscore-chain.js';
export {
  DispatchGitHubWorkflow,
  SendEmail,
  SendPagerDuty,
  SendTeamsMessage,
} from './definitions/destination-actions.js';
export {
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
} from './definitions/filters.js';
export { parseAutomation } from './definitions/parse-automation.js';
export {
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnAddCollectionTag,
  OnCreateArtifact,
  OnEvent,
  OnLinkArtifact,
  OnRemoveArtifactTag,
  OnRemoveCollectionTag,
  OnRunMetric,
  OnRunStalled,
  OnRunState,
  OnSchedule,
  OnUnlinkArtifact,
  type Trigger,
} from './definitions/triggers.js';
export {
  type FromWandbOptions,
  fromWandbAutomation,
} from './definitions/wandb/from-wandb-automation.js';
export { type AutomateOptions, automate } from './engine/automate.js';
export { createEngine } from './engine/create-engine.js';
export { Engine, type EngineEvents, type EngineStats } from './engine/engine.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { EngineState } from './engine/engine-state.js';
export { openEngine } from './engine/open-engine.js';
export type { StateStore } from './engine/state-store.js';
export { DefinitionError, isDefinitionError } from './errors/definition-error.js';
export { EngineClosedError, isEngineClosedError } from './errors/engine-closed-error.js';
export {
  ForbiddenError,
  type ForbiddenReason,
  type ForbiddenTarget,
  isForbiddenError,
} from './errors/forbidden-error.js';
export type { Issue, IssueCode, IssuePath } from './errors/issue.js';
export { isNotFoundError, NotFoundError } from './errors/not-found-error.js';
export { isStateNotSavedError, StateNotSavedError } from './errors/state-not-saved-error.js';
export {
  isWebhookVerificationError,
  WebhookVerificationError,
  type WebhookVerificationFailure,
} from './errors/webhook-verification-error.js';
export {
  AZURE_ML_EVENT_TYPES,
  type AzureMlData,
  type AzureMlEventType,
  type DatasetDriftDetectedData,
  datasetDriftDetectedDataSchema,
  isAzureMlEventType,
  type ModelDeployedData,
  type ModelRegisteredData,
  modelDeployedDataSchema,
  modelRegisteredDataSchema,
  parseAzureMlData,
  type RunCompletedData,
  type RunStatusChangedData,
  runCompletedDataSchema,
  runStatusChangedDataSchema,
} from './events/adapters/azure-ml.js';
export {
  type EventGridValidation,
  EventGridValidationError,
  isEventGridValidationError,
} from './events/adapters/event-grid-validation-error.js';
export { fromCloudEvent, fromCloudEventBatch, type HttpMessage } from './events/adapters/from-cloud-event.js';
export {
  type EventGridEvent,
  eventGridValidationResponse,
  type FromEventGridOptions,
  fromEventGrid,
} from './events/adapters/from-event-grid.js';
export { type FromMlflowWebhookOptions, fromMlflowWebhook } from './events/adapters/from-mlflow-webhook.js';
export type { HeadersLike, HttpHeaders } from './events/adapters/http-headers.js';
export {
  isWebhookSignatureError,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './events/adapters/webhook-signature-error.js';
export type { ArtifactEventInput } from './events/artifact-events.js';
export { events } from './events/events.js';
export { DEFAULT_INPUT_LIMITS, type InputLimits } from './events/input-limits.js';
export type { EnvelopeInput, RunMetricsInput, RunStateInput, RunUpdatedInput } from './events/run-events.js';
export type { Evidence } from './filters/evidence.js';
export type { Authorize, AuthorizeTarget, Operation } from './management/authorize.js';
export type { AuthorizedAutomations } from './management/authorized-automations.js';
export type { AutomationExport } from './management/export-automations.js';
export { AUTOMATION_EXPORT_FORMAT } from './management/export-document.js';
export type { HistoryFilter } from './management/history-filter.js';
export type { ImportResult } from './management/import-automations.js';
export type { ImportMode, ImportOptions } from './management/import-options.js';
export type { AutomationFilter } from './management/list-filter.js';
export type { Pattern, PatternEngine } from './match/pattern-engine.js';
export { re2jsEngine } from './match/re2js-engine.js';
export type { ActionDefinition, JsonValue, Severity } from './schema/actions.js';
export type { AdvancedFilter, AdvancedOperator } from './schema/advanced-filter.js';
export { ADVANCED_OPERATORS } from './schema/advanced-filter.js';
export type {
  AliasData,
  ArtifactCreatedData,
  ArtifactEventData,
  ArtifactEventType,
  ArtifactLinkData,
  ArtifactSource,
  CollectionPlace,
  CollectionTagData,
  TagData,
} from './schema/artifact-events.js';
export type {
  Automation,
  AutomationRateLimit,
  AutomationUpdate,
  NewAutomation,
  RetryPolicy,
  SaveOptions,
} from './schema/automation.js';
export { automationJsonSchema, type JsonSchema } from './schema/automation-json-schema.js';
export type { CloudEvent } from './schema/cloud-event.js';
export type { Digest, PagerDutySeverity } from './schema/destination-actions.js';
export type { EventGridFilter, EventGridFilterInput } from './schema/event-grid-filter.js';
export type {
  Aggregation,
  ChangeDirection,
  ChangeFilterDirection,
  ChangeType,
  Comparison,
  MetricFilter,
} from './schema/metric-filters.js';
export type { RunMetricsData, RunState, RunStateData, RunUpdatedData } from './schema/run-events.js';
export type { RunFilter, RunFilterExpression, SimpleRunFilter } from './schema/run-filter.js';
export type {
  CollectionScope,
  EntityScope,
  ProjectScope,
  RegistryScope,
  Scope,
  ScopeInput,
} from './schema/scope.js';
export type {
  ArtifactTrigger,
  ArtifactTriggerType,
  TriggerableState,
  TriggerDefinition,
} from './schema/triggers.js';
export { CallbackSink } from './sinks/callback-sink.js';
export { createDeliverer } from './sinks/delivery/create-deliverer.js';
export type { DeadLetterSink } from './sinks/delivery/dead-letter-sink.js';
export type { Deliverer } from './sinks/delivery/deliverer.js';
export type { DelivererOptions } from './sinks/delivery/deliverer-options.js';
export type { DeliveryLedger, HistoryQuery, LedgerDelivery } from './sinks/delivery/delivery-ledger.js';
export type { DeliveryOptions } from './sinks/delivery/delivery-options.js';
export type { AutomationDeliverySettings } from './sinks/delivery/delivery-policy.js';
export type {
  DeadLetter,
  DeadLetterReason,
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
} from './sinks/delivery/delivery-record.js';
export { fetchTransport } from './sinks/delivery/fetch-transport.js';
export { MemoryLedger, type MemoryLedgerOptions } from './sinks/delivery/memory-ledger.js';
export type { AttemptOutcome } from './sinks/delivery/retry-policy.js';
export type { RateLimit } from './sinks/delivery/token-bucket.js';
export type { DestinationIntegration } from './sinks/destinations.js';
export {
  EmailIntegration,
  type EmailIntegrationInput,
  isEmailIntegration,
} from './sinks/email/email-integration.js';
export { GitHubIntegration, isGitHubIntegration } from './sinks/github/github-integration.js';
export { renderPayload, renderSlackMessage, templateVariables } from './sinks/http/checked-render.js';
export { checkUrl } from './sinks/http/checked-url.js';
export type { HttpRequest, HttpResponse, Transport } from './sinks/http/http-request.js';
export {
  type HttpIntegration,
  isHttpIntegration,
  SlackIntegration,
  WebhookIntegration,
  type WebhookSigning,
} from './sinks/http/integrations.js';
export type { SecretInput, SecretRef } from './sinks/http/secret-ref.js';
export {
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookHeaders,
} from './sinks/http/signing.js';
export type { SlackMessage } from './sinks/http/slack.js';
export { TEMPLATE_VARIABLES, type TemplateVariable } from './sinks/http/templates.js';
export type { CheckUrlOptions, UrlPolicy } from './sinks/http/url-policy.js';
export { WANDB_EVENT_TYPES, type WandbEventType } from './sinks/http/wandb-event-type.js';
export { signWandb } from './sinks/http/wandb-signature.js';
export type { Integration } from './sinks/integration.js';
export type { MailAnswer, MailMessage, MailTransport, SmtpServer } from './sinks/mail-transport.js';
export {
  isPagerDutyIntegration,
  PagerDutyIntegration,
} from './sinks/pagerduty/pagerduty-integration.js';
export { isTeamsIntegration, TeamsIntegration } from './sinks/teams/teams-integration.js';
export type { Counters } from './state/counters.js';
export { FileStateStore, isStateFileError, StateFileError } from './state/file-state-store.js';
export { DEFAULT_RETENTION, type Retention } from './state/retention.js';
