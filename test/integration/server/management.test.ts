import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/index.js';
import { READER_TOKEN, startTestService, type TestService } from '../../helpers/service.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.stopAll();
  service = undefined;
});

const draft = (name: string, entity = 'acme') => ({
  name,
  description: 'watch failures',
  event: { type: 'OnRunState', scope: `${entity}/vision`, states: ['failed'] },
  action: { type: 'DoNothing' },
});
const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

describe('REST for automations', () => {
  it('create, get with an ETag, PATCH with If-Match (412 when stale), null unsets, enable/disable, delete', async () => {
    service = await startTestService();
    const created = await service.call('/automations', jsonInit('POST', { ...draft('a'), id: 'failures' }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/automations/failures');
    const etag = created.headers.get('etag') as string;
    const got = await service.call('/automations/failures');
    expect(got.headers.get('etag')).toBe(etag);

    const patched = await service.call(
      '/automations/failures',
      jsonInit('PATCH', { description: null }, { 'if-match': etag }),
    );
    expect(patched.status).toBe(200);
    expect('description' in ((await patched.json()) as object)).toBe(false);
    const newTag = patched.headers.get('etag') as string;
    expect(newTag).not.toBe(etag);

    const stale = await service.call(
      '/automations/failures',
      jsonInit('PATCH', { name: 'b' }, { 'if-match': etag }),
    );
    expect(stale.status).toBe(412);
    expect(((await (await service.call('/automations/failures')).json()) as { name: string }).name).toBe('a');

    const disabled = await service.call('/automations/failures/disable', {
      method: 'POST',
      headers: { 'if-match': newTag },
    });
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { enabled: boolean }).enabled).toBe(false);
    expect((await service.call('/automations/failures/enable', { method: 'POST' })).status).toBe(200);
    expect(
      (await service.call('/automations/failures', { method: 'DELETE', headers: { 'if-match': newTag } }))
        .status,
    ).toBe(412);
    expect((await service.call('/automations/failures', { method: 'DELETE' })).status).toBe(204);
    expect((await service.call('/automations/failures')).status).toBe(404);
    expect((await service.call('/automations/failures', { method: 'DELETE' })).status).toBe(404);
  });

  it('a bad definition is a 400 problem naming the field, and changes nothing', async () => {
    service = await startTestService();
    const bad = { ...draft('a'), event: { type: 'OnRunState', scope: 'acme/vision', states: ['exploded'] } };
    const res = await service.call('/automations', jsonInit('POST', bad));
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { type: string; issues: { path: unknown[]; value: unknown }[] };
    expect(problem.type).toBe('urn:ml-automations:problem:validation');
    expect(problem.issues[0]?.path).toEqual(['event', 'states', 0]);
    expect((await service.call('/automations', jsonInit('POST', { ...draft('a'), extra: 1 }))).status).toBe(
      400,
    );
    expect(
      (
        await service.call('/automations', {
          method: 'POST',
          body: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await service.call('/automations', {
          method: 'POST',
          body: 'x',
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(415);
    expect(((await (await service.call('/automations')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('pages through the list with a cursor and filters by scope and enabled', async () => {
    service = await startTestService();
    for (let i = 0; i < 5; i++)
      await service.call('/automations', jsonInit('POST', draft(`n${i}`, i < 3 ? 'acme' : 'beta')));
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await service.call(
        `/automations?limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      const page = (await res.json()) as { items: { name: string }[]; nextCursor?: string };
      names.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
      if (cursor !== undefined) expect(res.headers.get('link')).toContain('rel="next"');
    } while (cursor !== undefined);
    expect(names).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
    const beta = (await (await service.call('/automations?scope=beta/vision')).json()) as {
      items: { name: string }[];
    };
    expect(beta.items.map((a) => a.name)).toEqual(['n3', 'n4']);
    expect((await service.call('/automations?limit=0')).status).toBe(400);
    expect((await service.call('/automations?nope=1')).status).toBe(400);
  });

  it('export and import (all or nothing, If-Match on the export), read-only tokens cannot change', async () => {
    service = await startTestService();
    await service.call('/automations', jsonInit('POST', draft('keep')));
    const exported = await service.call('/automations/export', { token: READER_TOKEN });
    const doc = (await exported.json()) as { automations: { name: string }[] };
    const etag = exported.headers.get('etag') as string;
    expect(doc.automations.map((a) => a.name)).toEqual(['keep']);
    // A document with one bad automation imports nothing.
    const broken = {
      ...doc,
      automations: [...doc.automations, { ...draft('bad'), action: { type: 'Nope' } }],
    };
    expect((await service.call('/automations/import?mode=replace', jsonInit('POST', broken))).status).toBe(
      400,
    );
    expect(((await (await service.call('/automations')).json()) as { items: unknown[] }).items).toHaveLength(
      1,
    );
    const ok = await service.call(
      '/automations/import?mode=merge',
      jsonInit('POST', { ...doc, automations: [...doc.automations, draft('more')] }, { 'if-match': etag }),
    );
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { created: string[] }).created).toHaveLength(1);
    expect(
      (await service.call('/automations/import', jsonInit('POST', doc, { 'if-match': etag }))).status,
    ).toBe(412);
    expect(
      (await service.call('/automations', { ...jsonInit('POST', draft('x')), token: READER_TOKEN })).status,
    ).toBe(403);
    expect(
      (await service.call('/automations/import', { ...jsonInit('POST', doc), token: READER_TOKEN })).status,
    ).toBe(403);
  });

  it('an entity-limited principal sees and changes only its entity (asked through authorize)', async () => {
    service = await startTestService(
      {
        tokens: [
          { principal: 'admin', token: { env: 'ADMIN_TOKEN' } },
          { principal: 'beta-team', token: { env: 'BETA_TOKEN' }, entities: ['beta'] },
        ],
      },
      { BETA_TOKEN: 'beta-6c1e0b7d2f9a' },
    );
    await service.call('/automations', jsonInit('POST', { ...draft('acme-one'), id: 'acme-one' }));
    const asBeta = (path: string, init: RequestInit = {}) =>
      service?.call(path, { ...init, token: 'beta-6c1e0b7d2f9a' }) as Promise<Response>;
    expect(((await (await asBeta('/automations')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await asBeta('/automations/acme-one')).status).toBe(403);
    expect((await asBeta('/automations', jsonInit('POST', draft('mine', 'acme')))).status).toBe(403);
    expect((await asBeta('/automations', jsonInit('POST', draft('mine', 'beta')))).status).toBe(201);
  });

  it('history and dead letters list delivery records; stats counts', async () => {
    service = await startTestService();
    await service.call('/automations', jsonInit('POST', draft('f')));
    const event = {
      specversion: '1.0',
      id: 'x',
      source: 's',
      type: 'run.state',
      time: '2026-01-01T00:00:00Z',
      data: { entity: 'acme', project: 'vision', runId: 'r', state: 'failed' },
    };
    expect(
      (
        await service.call('/events', {
          method: 'POST',
          body: JSON.stringify(event),
          headers: { 'content-type': 'application/cloudevents+json' },
        })
      ).status,
    ).toBe(202);
    await (service.engine as Engine).idle();
    const history = (await (await service.call('/history?limit=10', { token: READER_TOKEN })).json()) as {
      items: { automationName: string }[];
    };
    expect(history.items.map((r) => r.automationName)).toEqual(['f']);
    expect(((await (await service.call('/dead-letters')).json()) as { items: unknown[] }).items).toEqual([]);
    const stats = (await (await service.call('/stats')).json()) as { accepted: number; firings: number };
    expect([stats.accepted, stats.firings]).toEqual([1, 1]);
    expect((await service.call('/history?status=odd')).status).toBe(400);
  });
});
