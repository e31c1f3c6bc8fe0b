import { describe, expect, it } from 'vitest';
import { etagOf, ifMatchPasses } from '../../../src/server/etag.js';
import { authorizePrincipal, type Principal, Principals } from '../../../src/server/principals.js';
import { RequestGate } from '../../../src/server/request-gate.js';
import { VirtualClock } from '../../../src/testing/index.js';

const limits = { inFlight: 3, tokenRate: 2, tokenBurst: 2, tokenConcurrency: 2 };

describe('RequestGate', () => {
  it('refuses over the in-flight bound, the per-token concurrency and the token bucket; a refusal holds no place', () => {
    const clock = new VirtualClock(0);
    const gate = new RequestGate(limits, clock);
    expect(gate.enter('a')).toBeUndefined();
    expect(gate.enter('a')).toBeUndefined();
    expect(gate.enter('a')).toEqual({ reason: 'concurrency', retryAfter: 1 });
    expect(gate.enter('b')).toBeUndefined();
    expect(gate.enter('c')).toEqual({ reason: 'saturated', retryAfter: 1 });
    expect(gate.inFlight).toBe(3);
    gate.leave('a');
    gate.leave('a');
    // The bucket is empty (burst 2 spent): refused until it refills at 2 per second.
    expect(gate.enter('a')).toEqual({ reason: 'rate', retryAfter: 1 });
    clock.advance(500);
    expect(gate.enter('a')).toBeUndefined();
    expect(gate.inFlight).toBe(2);
  });
});

describe('ETags', () => {
  it('If-Match: absent passes, * needs the resource, else a listed tag must match', () => {
    const tag = etagOf({ a: 1 });
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf({ a: 2 })).not.toBe(tag);
    expect(ifMatchPasses(undefined, undefined)).toBe(true);
    expect(ifMatchPasses('*', tag)).toBe(true);
    expect(ifMatchPasses('*', undefined)).toBe(false);
    expect(ifMatchPasses(`"x", ${tag}`, tag)).toBe(true);
    expect(ifMatchPasses('"x"', tag)).toBe(false);
  });
});

describe('principals', () => {
  const admin: Principal = { name: 'admin', roles: new Set(['intake', 'read', 'manage']) };
  const reader: Principal = { name: 'r', roles: new Set(['read']) };
  const beta: Principal = { name: 'b', roles: new Set(['manage']), entities: new Set(['beta']) };
  const scope = (entity: string) => ({ scope: { type: 'entity', entity } as const });

  it('read needs read or manage, changes need manage, entities limit both; anything else is refused', () => {
    expect(authorizePrincipal(admin, 'save', scope('acme'))).toBe(true);
    expect(authorizePrincipal(reader, 'read', scope('acme'))).toBe(true);
    expect(authorizePrincipal(reader, 'update', scope('acme'))).toBe(false);
    expect(authorizePrincipal(beta, 'read', scope('beta'))).toBe(true);
    expect(authorizePrincipal(beta, 'delete', scope('acme'))).toBe(false);
    expect(authorizePrincipal(beta, 'read', { id: 'gone' })).toBe(false);
    expect(authorizePrincipal({ name: 'x', roles: ['manage'] }, 'save', scope('acme'))).toBe(false);
    expect(authorizePrincipal(undefined, 'read', {})).toBe(false);
  });

  it('a bearer header maps to its principal; the token is kept only as a digest', () => {
    const p = new Principals([{ principal: 'ops', token: { env: 'T' }, roles: ['read'] }], {
      T: 'secret-token-1',
    });
    expect(p.fromHeader('Bearer secret-token-1')?.name).toBe('ops');
    expect(p.fromHeader('bearer secret-token-1')?.name).toBe('ops');
    expect(p.fromHeader('Bearer secret-token-2')).toBeUndefined();
    expect(p.fromHeader('Basic secret-token-1')).toBeUndefined();
    expect(p.fromHeader(undefined)).toBeUndefined();
    expect(JSON.stringify([...Object.values(p)])).not.toContain('secret-token-1');
  });
});
