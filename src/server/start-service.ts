import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { type Engine, FileStateStore, openEngine } from '../index.js';
import { buildIntegrations } from './build-integrations.js';
import { configError } from './config-error.js';
import { createServer, type Server } from './create-server.js';
import { authorizePrincipal, Principals } from './principals.js';
import { readSecret, SecretUnavailable } from './secret-source.js';
import { ROLES, type ServerConfig, type TokenConfig } from './server-config.js';
import type { MlflowIntake } from './server-context.js';

/** With no token configured, one from this variable speaks for `admin` with every role. */
export const DEFAULT_TOKEN_ENV = 'ML_AUTOMATIONS_TOKEN';

export interface Service {
  readonly engine: Engine;
  readonly server: Server;
  /** `http://host:port` as bound (port 0 picks a free one). */
  readonly url: string;
  /** Graceful shutdown: stop intake, let deliveries in flight finish (pending ones are kept), last checkpoint. */
  close(): Promise<void>;
}

/** Where log lines go; secrets are redacted by path, and no route logs a header or a body. */
export function serviceLogger(level: ServerConfig['logLevel'], destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-mlflow-signature"]',
        'req.headers["webhook-signature"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

function tokensOf(config: ServerConfig, env: NodeJS.ProcessEnv): readonly TokenConfig[] {
  if (config.tokens !== undefined) return config.tokens;
  if (env[DEFAULT_TOKEN_ENV] === undefined || env[DEFAULT_TOKEN_ENV] === '') return [];
  return [{ principal: 'admin', token: { env: DEFAULT_TOKEN_ENV }, roles: [...ROLES] }];
}

function mlflowOf(config: ServerConfig, env: NodeJS.ProcessEnv): MlflowIntake | undefined {
  const m = config.mlflow;
  if (m === undefined) return undefined;
  let secret: string;
  try {
    secret = readSecret(m.secret, env);
  } catch (error) {
    if (error instanceof SecretUnavailable) throw configError(['mlflow', 'secret'], error.message, m.secret);
    throw error;
  }
  return {
    secret,
    ...(m.entity !== undefined && { entity: m.entity }),
    ...(m.registry !== undefined && { registry: m.registry }),
  };
}

/**
 * Open the state, the engine and the HTTP server from a validated configuration. Everything that can be wrong
 * with the configuration (a secret not set, an integration refused) fails here, before the port is bound.
 */
export async function startService(
  config: ServerConfig,
  options: { readonly logger?: Logger; readonly version?: string } = {},
): Promise<Service> {
  // Secrets come from the process environment only (integrations read it themselves, too).
  const env = process.env;
  const logger = options.logger ?? serviceLogger(config.logLevel);
  const integrations = buildIntegrations(config.integrations);
  const principals = new Principals(tokensOf(config, env), env);
  const mlflow = mlflowOf(config, env);
  mkdirSync(config.store, { recursive: true });
  const store = new FileStateStore(join(config.store, 'state.json'));
  const engine = await openEngine({
    store,
    integrations,
    authorize: authorizePrincipal,
    partitions: config.partitions,
  });
  engine.on('error', (issue) =>
    logger.warn({ code: issue.code, path: issue.path, automationId: issue.automationId }, issue.message),
  );
  const server = await createServer({
    engine,
    principals,
    limits: config.limits,
    partitions: config.partitions,
    logger,
    ...(mlflow !== undefined && { mlflow }),
    ...(options.version !== undefined && { version: options.version }),
  });
  if (principals.size === 0)
    logger.warn(
      `no bearer token configured (set ${DEFAULT_TOKEN_ENV}, or "tokens" in the config): only /healthz and /readyz answer`,
    );
  const url = await server.app.listen({ port: config.port, host: config.host });
  let closing: Promise<void> | undefined;
  return {
    engine,
    server,
    url,
    close() {
      closing ??= (async () => {
        await server.stop();
        await engine.close();
      })();
      return closing;
    },
  };
}
