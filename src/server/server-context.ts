import type { Clock, Engine } from '../index.js';
import type { AutomationsBackend } from './automations-backend.js';
import type { ClusterMode } from './cluster-mode.js';
import type { IntakeBackend } from './intake-backend.js';
import type { Principal } from './principals.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token (or, on /mlflow, the signature) speaks for; set by the auth hook. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Who may call the route: anyone (health), a role, or on /mlflow a valid signature instead of a token. */
    access?: 'public' | 'intake' | 'read' | 'manage' | 'mlflow';
  }
}

/** MLflow webhooks: the signing secret (read from its source at start) and how their events are scoped. */
export type MlflowIntake = { readonly secret: string; readonly entity?: string; readonly registry?: string };

/** What the routes act through. The server holds no state of its own beyond counters. */
export interface ServerContext {
  /** The local engine; absent in cluster mode, where the workers hold the state. */
  readonly engine?: Engine;
  /** Cluster mode: where the firings and the cluster's status are read. */
  readonly cluster?: ClusterMode;
  /** Where events go: the local engine, or in cluster mode the log. */
  readonly intake: IntakeBackend;
  /** Where automations are read and changed: the engine, or in cluster mode the cluster's definitions. */
  readonly automations: AutomationsBackend;
  readonly clock: Clock;
  readonly mlflow?: MlflowIntake;
  /** False once shutdown began, the last checkpoint failed, or (cluster mode) the NATS connection is down. */
  ready(): boolean;
}
