import { type Behaviour, type RecordedRequest, respond } from './http-server.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'respond',
  status,
  headers: { ...JSON_TYPE, ...headers },
  body: JSON.stringify(body),
});

const header = (r: RecordedRequest, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

function parse(r: RecordedRequest): unknown {
  try {
    return JSON.parse(r.body);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > 0 && v.length <= max;

/** What PagerDuty's Events API v2 checks of a `trigger`, per its published request shape; the problems found. */
export function pagerDutyProblems(r: RecordedRequest, routingKey: string): string[] {
  const problems: string[] = [];
  const body = parse(r);
  if (r.method !== 'POST' || r.url !== '/v2/enqueue') problems.push('not POST /v2/enqueue');
  if (!header(r, 'content-type')?.startsWith('application/json')) problems.push('content-type');
  if (!isRecord(body)) return [...problems, 'body is not a JSON object'];
  if (body['routing_key'] !== routingKey) problems.push("'routing_key' is invalid");
  if (body['event_action'] !== 'trigger') problems.push("'event_action' must be trigger");
  if (body['dedup_key'] !== undefined && !text(body['dedup_key'], 255)) problems.push("'dedup_key' too long");
  const p = body['payload'];
  if (!isRecord(p)) return [...problems, "'payload' is missing"];
  if (!text(p['summary'], 1024)) problems.push("'payload.summary' is missing or too long");
  if (!text(p['source'], 255)) problems.push("'payload.source' is missing");
  if (!['critical', 'error', 'warning', 'info'].includes(String(p['severity'])))
    problems.push("'payload.severity'");
  if (p['timestamp'] !== undefined && Number.isNaN(Date.parse(String(p['timestamp']))))
    problems.push('timestamp');
  if (p['custom_details'] !== undefined && !isRecord(p['custom_details'])) problems.push('custom_details');
  return problems;
}

/** PagerDuty's answers: 202 with its success body, or 400 "invalid event" listing the errors. */
export function pagerDutyReceiver(routingKey: string): (r: RecordedRequest) => Behaviour {
  return (r) => {
    const problems = pagerDutyProblems(r, routingKey);
    if (problems.length > 0)
      return json(400, { status: 'invalid event', message: 'Event object is invalid', errors: problems });
    const dedup = (parse(r) as { dedup_key?: string }).dedup_key;
    return json(202, { status: 'success', message: 'Event processed', dedup_key: dedup });
  };
}

/** What GitHub checks of `POST /repos/{owner}/{repo}/dispatches`: 401, 403 (no User-Agent), 422, or 204. */
export function gitHubReceiver(options: {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
}): (r: RecordedRequest) => Behaviour {
  return (r) => {
    if (r.method !== 'POST' || r.url !== `/repos/${options.owner}/${options.repo}/dispatches`)
      return json(404, { message: 'Not Found' });
    if (header(r, 'authorization') !== `Bearer ${options.token}`)
      return json(401, { message: 'Bad credentials' });
    if (header(r, 'user-agent') === undefined)
      return json(403, { message: 'Request forbidden: no User-Agent' });
    if (header(r, 'accept') !== 'application/vnd.github+json')
      return json(415, { message: 'Unsupported Accept' });
    const body = parse(r);
    const problems: string[] = [];
    if (!isRecord(body)) problems.push('body is not a JSON object');
    else {
      if (!text(body['event_type'], 100)) problems.push('event_type is missing or longer than 100');
      const payload = body['client_payload'];
      if (payload !== undefined && !isRecord(payload)) problems.push('client_payload is not an object');
      const keys = isRecord(payload) ? Object.keys(payload).length : 0;
      if (keys > 10) problems.push(`No more than 10 properties are allowed; ${keys} were supplied.`);
    }
    if (problems.length > 0) return json(422, { message: `Invalid request.\n\n${problems.join('\n')}` });
    return respond(204);
  };
}

const CARD_ELEMENTS = new Set(['TextBlock', 'FactSet', 'ColumnSet', 'Container', 'Image']);

/** What a Teams workflow webhook takes: a `message` whose attachment is an Adaptive Card; 202, else 400. */
export function teamsProblems(r: RecordedRequest): string[] {
  const body = parse(r);
  if (!isRecord(body) || body['type'] !== 'message') return ['not a message'];
  const attachments = body['attachments'];
  if (!Array.isArray(attachments) || attachments.length !== 1) return ['expected one attachment'];
  const a = attachments[0] as Record<string, unknown>;
  if (a['contentType'] !== 'application/vnd.microsoft.card.adaptive') return ['not an Adaptive Card'];
  const card = a['content'];
  if (!isRecord(card) || card['type'] !== 'AdaptiveCard' || typeof card['version'] !== 'string')
    return ['content is not an AdaptiveCard'];
  const elements = card['body'];
  if (!Array.isArray(elements) || elements.length === 0) return ['empty card'];
  const bad = elements.filter((e) => !isRecord(e) || !CARD_ELEMENTS.has(String(e['type'])));
  const facts = elements.filter((e) => isRecord(e) && e['type'] === 'FactSet');
  const badFacts = facts
    .flatMap((f) => (f as { facts?: unknown[] }).facts ?? [])
    .filter((f) => !isRecord(f) || typeof f['title'] !== 'string' || typeof f['value'] !== 'string');
  if (Buffer.byteLength(r.body) > 28 * 1024) return ['message over 28 KB'];
  return [...bad.map(() => 'unknown element'), ...badFacts.map(() => 'bad fact')];
}

export function teamsReceiver(): (r: RecordedRequest) => Behaviour {
  return (r) => {
    const problems = teamsProblems(r);
    return problems.length > 0
      ? json(400, { error: { code: 'BadRequest', message: problems.join('; ') } })
      : respond(202);
  };
}
