import { describe, expect, it } from 'vitest';
import { isDefinitionError } from '../../../src/errors/definition-error.js';
import { decodeHeaderValue } from '../../../src/events/adapters/binary-cloud-event.js';
import { fromCloudEvent, fromCloudEventBatch } from '../../../src/events/adapters/from-cloud-event.js';

const structured = {
  specversion: '1.0',
  type: 'com.github.pull.create',
  source: 'https://github.com/cloudevents/spec/pull/123',
  id: 'A234-1234-1234',
  time: '2018-04-05T17:31:00Z',
  comexampleextension1: 'value',
  datacontenttype: 'application/json',
  data: { appinfoA: 'abc', appinfoB: 123 },
};

const binaryHeaders = {
  'ce-specversion': '1.0',
  'ce-type': 'com.example.someevent',
  'ce-time': '2018-04-05T03:56:24Z',
  'ce-id': '1234-1234-1234',
  'ce-source': '/mycontext/subcontext',
  'content-type': 'application/json; charset=utf-8',
};

function issuesOf(f: () => unknown): { code: string; path: unknown[]; value: unknown }[] {
  try {
    f();
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true);
    return (error as { issues: { code: string; path: unknown[]; value: unknown }[] }).issues;
  }
  throw new Error('expected a DefinitionError');
}

describe('fromCloudEvent: structured mode (JSON format)', () => {
  it('an object passes through, extensions kept', () => {
    expect(fromCloudEvent(structured)).toEqual(structured);
  });

  it('JSON text and bytes are parsed', () => {
    expect(fromCloudEvent(JSON.stringify(structured))).toEqual(structured);
    expect(fromCloudEvent(new TextEncoder().encode(JSON.stringify(structured)))).toEqual(structured);
  });

  it('data_base64 is kept as base64 text, not decoded', () => {
    const { data: _data, ...rest } = structured;
    const event = fromCloudEvent({ ...rest, datacontenttype: 'image/png', data_base64: 'iVBORw0KGgo=' });
    expect(event).toHaveProperty('data_base64', 'iVBORw0KGgo=');
    expect(event.data).toBeUndefined();
  });

  it('data and data_base64 together are refused', () => {
    expect(issuesOf(() => fromCloudEvent({ ...structured, data_base64: 'AA==' }))[0]?.path).toEqual([
      'data_base64',
    ]);
  });

  it('specversion defaults to 1.0; another version is refused', () => {
    const { specversion: _v, ...rest } = structured;
    expect(fromCloudEvent(rest).specversion).toBe('1.0');
    expect(issuesOf(() => fromCloudEvent({ ...structured, specversion: '0.3' }))[0]?.path).toEqual([
      'specversion',
    ]);
  });

  it('a decimal sequence string (the sequence extension is a String) becomes an integer', () => {
    expect(fromCloudEvent({ ...structured, sequence: '42' }).sequence).toBe(42);
  });

  it('a missing id names the field; a JSON array points to the batch form', () => {
    const { id: _id, ...rest } = structured;
    expect(issuesOf(() => fromCloudEvent(rest))[0]).toMatchObject({ code: 'invalid_type', path: ['id'] });
    expect(issuesOf(() => fromCloudEvent('[]'))[0]?.code).toBe('invalid_type');
    expect(issuesOf(() => fromCloudEvent('{not json'))[0]?.code).toBe('invalid_format');
  });

  it('an HTTP message with application/cloudevents+json is read as structured', () => {
    const body = JSON.stringify(structured);
    const headers = { 'Content-Type': 'application/cloudevents+json; charset=UTF-8' };
    expect(fromCloudEvent({ headers, body })).toEqual(structured);
    expect(fromCloudEvent({ headers, body: structured })).toEqual(structured);
  });
});

describe('fromCloudEvent: binary mode (HTTP binding §3.1)', () => {
  it('reads ce-* headers, content-type as datacontenttype, and parses a JSON body', () => {
    expect(fromCloudEvent({ headers: binaryHeaders, body: '{"a":1}' })).toEqual({
      specversion: '1.0',
      type: 'com.example.someevent',
      time: '2018-04-05T03:56:24Z',
      id: '1234-1234-1234',
      source: '/mycontext/subcontext',
      datacontenttype: 'application/json; charset=utf-8',
      data: { a: 1 },
    });
  });

  it('header names are case-insensitive; extension headers become attributes', () => {
    const headers = {
      'CE-ID': '1',
      'Ce-Source': '/s',
      'ce-Type': 't',
      'ce-traceparent': '00-abc-01',
      'ce-partitionkey': 'p1',
    };
    expect(fromCloudEvent({ headers })).toEqual({
      specversion: '1.0',
      id: '1',
      source: '/s',
      type: 't',
      traceparent: '00-abc-01',
      partitionkey: 'p1',
    });
  });

  it('values are percent-decoded as UTF-8 (the spec example "Euro € 😀")', () => {
    const headers = {
      ...binaryHeaders,
      'ce-subject': 'Euro%20%E2%82%AC%20%F0%9F%98%80',
      'ce-myext': '100%25',
    };
    const event = fromCloudEvent({ headers, body: '{}' });
    expect(event.subject).toBe('Euro € 😀');
    expect(event).toHaveProperty('myext', '100%');
  });

  it('double-quoted values (older senders) are unquoted before decoding; lower-case hex is accepted', () => {
    expect(decodeHeaderValue('"a \\"b\\" c"')).toBe('a "b" c');
    expect(decodeHeaderValue('%e2%82%ac')).toBe('€');
  });

  it('invalid UTF-8 (the overlong %C0%A0) and a bare % are refused, naming the header', () => {
    expect(decodeHeaderValue('%C0%A0')).toBeUndefined();
    const issues = issuesOf(() =>
      fromCloudEvent({ headers: { ...binaryHeaders, 'ce-subject': '50%' }, body: '{}' }),
    );
    expect(issues[0]).toMatchObject({ code: 'invalid_format', path: ['ce-subject'], value: '50%' });
  });

  it('a missing required attribute names its header', () => {
    const { 'ce-source': _s, ...headers } = binaryHeaders;
    expect(issuesOf(() => fromCloudEvent({ headers, body: '{}' }))[0]?.path).toEqual(['ce-source']);
  });

  it('+json content types are JSON; other bodies are kept as text', () => {
    const json = fromCloudEvent({
      headers: { ...binaryHeaders, 'content-type': 'application/vnd.api+json' },
      body: '[1]',
    });
    expect(json.data).toEqual([1]);
    const text = fromCloudEvent({
      headers: { ...binaryHeaders, 'content-type': 'text/plain' },
      body: '{"a":1}',
    });
    expect(text.data).toBe('{"a":1}');
  });

  it('byte bodies: JSON parsed, UTF-8 text kept as text, anything else as data_base64', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(fromCloudEvent({ headers: binaryHeaders, body: bytes('{"a":1}') }).data).toEqual({ a: 1 });
    const plain = { ...binaryHeaders, 'content-type': 'text/csv' };
    expect(fromCloudEvent({ headers: plain, body: bytes('a,b') }).data).toBe('a,b');
    const png = { ...binaryHeaders, 'content-type': 'image/png' };
    const event = fromCloudEvent({ headers: png, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff]) });
    expect(event).toHaveProperty(
      'data_base64',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]).toString('base64'),
    );
  });

  it('an empty body means no data; a framework-parsed JSON body is taken as is', () => {
    expect(fromCloudEvent({ headers: binaryHeaders, body: '' })).not.toHaveProperty('data');
    expect(fromCloudEvent({ headers: binaryHeaders, body: { a: 2 } }).data).toEqual({ a: 2 });
  });

  it('bad JSON in a JSON body names the body', () => {
    expect(issuesOf(() => fromCloudEvent({ headers: binaryHeaders, body: '{' }))[0]).toMatchObject({
      code: 'invalid_format',
      path: ['body'],
    });
  });

  it('accepts a Fetch Headers object', () => {
    const headers = new Headers(binaryHeaders);
    expect(fromCloudEvent({ headers, body: '{"a":1}' }).id).toBe('1234-1234-1234');
  });

  it('a ce-time that is not RFC 3339 names ce-time', () => {
    const headers = { ...binaryHeaders, 'ce-time': 'yesterday' };
    expect(issuesOf(() => fromCloudEvent({ headers }))[0]?.path).toEqual(['ce-time']);
  });
});

describe('fromCloudEventBatch', () => {
  it('reads an application/cloudevents-batch+json message and a plain array', () => {
    const headers = { 'content-type': 'application/cloudevents-batch+json' };
    const body = JSON.stringify([structured, { ...structured, id: 'B' }]);
    expect(fromCloudEventBatch({ headers, body }).map((e) => e.id)).toEqual(['A234-1234-1234', 'B']);
    expect(fromCloudEventBatch([structured])).toEqual([structured]);
  });

  it('names the index of a bad event; fromCloudEvent refuses a batch message', () => {
    expect(issuesOf(() => fromCloudEventBatch([structured, { ...structured, id: '' }]))[0]?.path).toEqual([
      1,
      'id',
    ]);
    const headers = { 'content-type': 'application/cloudevents-batch+json' };
    expect(issuesOf(() => fromCloudEvent({ headers, body: '[]' }))[0]?.path).toEqual(['content-type']);
  });
});
