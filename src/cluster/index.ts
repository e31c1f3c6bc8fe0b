// The `ml-automations/cluster` entry: workers on NATS JetStream (SEMANTICS §9, CLUSTER.md). An explicit list.

export { ClusterError, type ClusterFailure, isClusterError } from '../errors/cluster-error.js';
export type { ClusterConnectionOptions, InitClusterOptions, NatsServers } from './cluster-options.js';
export { type ClusterStatus, clusterStatus, type PartitionStatus } from './cluster-status.js';
export { createWorker, type Worker } from './create-worker.js';
export { type ClusterInfo, initCluster } from './init-cluster.js';
export type { Heartbeat } from './members.js';
export { type PublishEventsOptions, type PublishResult, publishEvents } from './publish-events.js';
export { type PushDefinitionsOptions, type PushResult, pushDefinitions } from './push-definitions.js';
export { readAutomations } from './read-automations.js';
export { type ReadFiringsOptions, readFirings } from './read-firings.js';
export type { WorkerOptions } from './worker-options.js';
