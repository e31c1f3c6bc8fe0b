import type { Clock, Engine } from '../index.js';
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
  readonly engine: Engine;
  /** Where events go: the local engine, or in cluster mode the log. */
  readonly intake: IntakeBackend;
  readonly clock: Clock;
  readonly mlflow?: MlflowIntake;
  /** Resolves once everything applied so far is in the store: what every 2xx waits for. */
  durable(): Promise<void>;
  /** False once shutdown began or the last checkpoint failed: /readyz says so. */
  ready(): boolean;
}
