import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with openssl at test time in a temp folder that
 * is removed before this returns: nothing is committed, nothing is left behind.
 */
export function testCertificate(): { readonly key: string; readonly cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A refusal the server gives at one step of the next message: `code` is the SMTP reply code. */
export type SmtpRefusal = { readonly at: 'rcpt' | 'data'; readonly code: number; readonly message: string };

/** One message as the server received it, with its MIME parts decoded. */
export type ReceivedMail = {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  /** Whether the session was TLS (STARTTLS or implicit) when the message came. */
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly headers: ReadonlyMap<string, string>;
  readonly text: string;
  readonly html: string;
  readonly raw: string;
};

export interface TestSmtpServer {
  readonly port: number;
  readonly messages: readonly ReceivedMail[];
  /** Every AUTH attempt (user, and whether the session was TLS then). */
  readonly logins: readonly { readonly user: string; readonly secure: boolean; readonly ok: boolean }[];
  /** Queue refusals for the next messages, one per message, in order. */
  refuse(...refusals: SmtpRefusal[]): void;
  close(): Promise<void>;
}

/** Unfolded headers, names lower-cased; RFC 2047 encoded words decoded. */
function parseHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      out.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return out;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQp(text.replaceAll('_', ' ')),
  );
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodePart(headers: ReadonlyMap<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQp(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Split a raw message into its headers and its text and HTML parts (one level of multipart is enough here). */
export function parseMail(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary === undefined ? [raw] : body.split(`--${boundary}`).slice(1, -1);
  let text = '';
  let html = '';
  for (const part of parts) {
    const p = part.replace(/^\r\n/, '');
    const at = p.indexOf('\r\n\r\n');
    const ph = parseHeaders(p.slice(0, at));
    const content = decodePart(ph, p.slice(at + 4).replace(/\r\n$/, ''));
    const type = ph.get('content-type') ?? '';
    if (type.startsWith('text/plain')) text = content;
    if (type.startsWith('text/html')) html = content;
  }
  return { headers, text, html };
}

const refusal = (r: SmtpRefusal): Error => Object.assign(new Error(r.message), { responseCode: r.code });

/**
 * A real SMTP server on 127.0.0.1 that checks what a submission server checks: STARTTLS offered (with the
 * given certificate) and AUTH only after it (never over a plain connection), the credentials, an envelope
 * with a sender and recipients; refusals can be scripted per message (4xx or 5xx, at RCPT or DATA).
 */
export async function startSmtpServer(options: {
  readonly tls: { readonly key: string; readonly cert: string };
  readonly users: Readonly<Record<string, string>>;
  /** Implicit TLS from the first byte, as on port 465. @default false (STARTTLS) */
  readonly secure?: boolean;
  /** Neither offer nor accept STARTTLS (a server that cannot upgrade). */
  readonly hideStartTls?: boolean;
}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const logins: { user: string; secure: boolean; ok: boolean }[] = [];
  const queue: SmtpRefusal[] = [];
  let current: SmtpRefusal | undefined;
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: options.tls.key,
    cert: options.tls.cert,
    ...(options.hideStartTls === true && { disabledCommands: ['STARTTLS'] }),
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    authOptional: false,
    logger: false,
    onAuth(auth, session, callback) {
      const ok = options.users[auth.username ?? ''] === auth.password;
      logins.push({ user: auth.username ?? '', secure: session.secure, ok });
      if (!ok) return callback(refusal({ at: 'rcpt', code: 535, message: 'Authentication failed' }));
      callback(null, { user: auth.username });
    },
    onMailFrom(_address, _session, callback) {
      current = queue.shift();
      callback();
    },
    onRcptTo(_address, _session, callback) {
      if (current?.at === 'rcpt') return callback(refusal(current));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (current?.at === 'data') return callback(refusal(current));
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text, html } = parseMail(raw);
        messages.push({
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
          headers,
          text,
          html,
          raw,
        });
        callback(null, 'Message queued as 7F3A');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    logins,
    refuse: (...refusals) => {
      queue.push(...refusals);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections) c.close?.();
        server.close(() => resolve());
      }),
  };
}
