import { checkData } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { type Issue, issue } from '../../errors/issue.js';
import type { CloudEvent } from '../../schema/cloud-event.js';
import { binaryEvent } from './binary-cloud-event.js';
import { type HttpHeaders, mediaType, readHeaders } from './http-headers.js';
import { jsonBody, type Result, structuredEvent } from './structured-cloud-event.js';

/** An HTTP request as a host framework hands it over: headers, and the body as text, bytes or parsed JSON. */
export interface HttpMessage {
  readonly headers: HttpHeaders;
  readonly body?: unknown;
}

const STRUCTURED = 'application/cloudevents';
const BATCH = 'application/cloudevents-batch';

/** A message has headers and, unlike any CloudEvent, no string `type`. */
function isHttpMessage(input: unknown): input is HttpMessage {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || input instanceof Uint8Array)
    return false;
  const { headers, type } = input as { headers?: unknown; type?: unknown };
  return typeof headers === 'object' && headers !== null && typeof type !== 'string';
}

function unwrap<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new DefinitionError(result.issues, what);
  return result.value;
}

/** The content mode of a message, from its Content-Type (HTTP binding §1.3): structured, batched or binary. */
function modeOf(headers: ReadonlyMap<string, string>): 'structured' | 'batch' | 'binary' | Issue {
  const type = mediaType(headers.get('content-type'));
  if (type === undefined || !type.startsWith(STRUCTURED)) return 'binary';
  if (type.startsWith(BATCH)) return type === `${BATCH}+json` ? 'batch' : unsupported(type);
  return type === `${STRUCTURED}+json` || type === STRUCTURED ? 'structured' : unsupported(type);
}

function unsupported(type: string): Issue {
  return issue('invalid_value', ['content-type'], 'only the JSON event format (+json) is supported', type);
}

function fromJson(value: unknown): Result<CloudEvent> {
  if (Array.isArray(value)) {
    return {
      ok: false,
      issues: [issue('invalid_type', [], 'a JSON array is a batch: use fromCloudEventBatch', value)],
    };
  }
  return structuredEvent(value);
}

function batchOf(value: unknown): Result<CloudEvent[]> {
  if (!Array.isArray(value)) {
    return { ok: false, issues: [issue('invalid_type', [], 'a batch is a JSON array of events', value)] };
  }
  const results = value.map((e, i) => structuredEvent(e, [i]));
  const issues = results.flatMap((r) => (r.ok ? [] : r.issues));
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, value: results.flatMap((r) => (r.ok ? [r.value] : [])) };
}

/**
 * One CloudEvent from: a JSON-format event (an object, or its JSON text or bytes), or an HTTP message
 * `{ headers, body }` in binary mode (`ce-*` headers, percent-decoded) or structured mode
 * (`application/cloudevents+json`). `data_base64` is kept as base64 text. Bad input: DefinitionError naming the field.
 */
export function fromCloudEvent(input: unknown): CloudEvent {
  checkData(input, 'CloudEvent', 'message');
  if (!isHttpMessage(input)) {
    const value =
      typeof input === 'string' || input instanceof Uint8Array
        ? unwrap(jsonBody(input, []), 'CloudEvent')
        : input;
    return unwrap(fromJson(value), 'CloudEvent');
  }
  const headers = readHeaders(input.headers, 'CloudEvent HTTP message');
  const mode = modeOf(headers);
  if (typeof mode === 'object') throw new DefinitionError([mode], 'CloudEvent HTTP message');
  if (mode === 'batch') {
    throw new DefinitionError(
      [
        issue(
          'invalid_value',
          ['content-type'],
          'a batched message: use fromCloudEventBatch',
          headers.get('content-type'),
        ),
      ],
      'CloudEvent HTTP message',
    );
  }
  if (mode === 'binary')
    return unwrap(binaryEvent(headers, input.body), 'CloudEvent HTTP message (binary mode)');
  const body = unwrap(jsonBody(input.body, ['body']), 'CloudEvent HTTP message (structured mode)');
  return unwrap(fromJson(body), 'CloudEvent HTTP message (structured mode)');
}

/** Many CloudEvents from a JSON batch (an array, its JSON text or bytes), or an `application/cloudevents-batch+json` message. */
export function fromCloudEventBatch(input: unknown): CloudEvent[] {
  checkData(input, 'CloudEvent batch', 'message');
  if (!isHttpMessage(input)) {
    const value =
      typeof input === 'string' || input instanceof Uint8Array
        ? unwrap(jsonBody(input, []), 'CloudEvent batch')
        : input;
    return unwrap(batchOf(value), 'CloudEvent batch');
  }
  const headers = readHeaders(input.headers, 'CloudEvent HTTP message');
  const mode = modeOf(headers);
  if (mode !== 'batch') {
    const value = typeof mode === 'object' ? mode.value : headers.get('content-type');
    throw new DefinitionError(
      [issue('invalid_value', ['content-type'], `expected ${BATCH}+json`, value)],
      'CloudEvent batch',
    );
  }
  const body = unwrap(jsonBody(input.body, ['body']), 'CloudEvent batch');
  return unwrap(batchOf(body), 'CloudEvent batch');
}
