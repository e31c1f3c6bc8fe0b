import { createHash } from 'node:crypto';
import type { Authorize } from '../index.js';
import { configError } from './config-error.js';
import { readSecret, SecretUnavailable } from './secret-source.js';
import type { Role, TokenConfig } from './server-config.js';

/** Who a bearer token speaks for. Holds no token: principals appear in logs and in `authorize`. */
export type Principal = {
  readonly name: string;
  readonly roles: ReadonlySet<Role>;
  readonly entities?: ReadonlySet<string>;
};

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64');

/** Bearer tokens to principals. Tokens are kept only as SHA-256 digests, so a heap dump shows none. */
export class Principals {
  readonly #byDigest = new Map<string, Principal>();

  /** Reads every token from its source; a missing one is a DefinitionError naming the field, never the value. */
  constructor(tokens: readonly TokenConfig[], env: NodeJS.ProcessEnv = process.env) {
    tokens.forEach((t, i) => {
      let token: string;
      try {
        token = readSecret(t.token, env);
      } catch (error) {
        if (error instanceof SecretUnavailable) throw configError(['tokens', i, 'token'], error.message);
        throw error;
      }
      this.#byDigest.set(digest(token), {
        name: t.principal,
        roles: new Set(t.roles),
        ...(t.entities !== undefined && { entities: new Set(t.entities) }),
      });
    });
  }

  get size(): number {
    return this.#byDigest.size;
  }

  /** The principal of an `Authorization: Bearer …` header, or undefined. */
  fromHeader(header: string | undefined): Principal | undefined {
    if (header === undefined) return undefined;
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
    if (match === null) return undefined;
    return this.#byDigest.get(digest(match[1] as string));
  }
}

export function isPrincipal(value: unknown): value is Principal {
  return typeof value === 'object' && value !== null && (value as Principal).roles instanceof Set;
}

/**
 * The engine's `authorize` for principals: `read` needs the read or manage role, every change the manage role,
 * and a principal limited to entities acts only on automations scoped inside them. Anything else is refused.
 */
export const authorizePrincipal: Authorize = (principal, operation, target) => {
  if (!isPrincipal(principal)) return false;
  const role: Role = operation === 'read' ? 'read' : 'manage';
  if (!principal.roles.has(role) && !(role === 'read' && principal.roles.has('manage'))) return false;
  if (principal.entities === undefined || operation === 'import') return true;
  const entity = target.scope?.entity;
  return entity !== undefined && principal.entities.has(entity);
};
