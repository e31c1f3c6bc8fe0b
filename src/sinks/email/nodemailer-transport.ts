import { createTransport } from 'nodemailer';
import type { MailAnswer, MailMessage, MailTransport, SmtpServer } from '../mail-transport.js';

type Pool = ReturnType<typeof createTransport<unknown>>;

/** How long nodemailer waits for a connection, the greeting, and a quiet socket (the attempt has its own timeout). */
const CONNECT_MS = 30_000;
const SOCKET_MS = 60_000;

/** The reply code at the start of a server answer (`250 2.0.0 OK`), or 250 when it has none. */
function codeOf(response: string): number {
  const code = Number(/^\d{3}/.exec(response)?.[0]);
  return Number.isInteger(code) ? code : 250;
}

function optionsOf(server: SmtpServer) {
  return {
    pool: true as const,
    maxConnections: 2,
    host: server.host,
    port: server.port,
    secure: server.secure,
    requireTLS: server.starttls,
    // `starttls: false` means a plain relay, as configured: no upgrade that a bad certificate could break.
    ignoreTLS: !server.secure && !server.starttls,
    ...(server.auth !== undefined && { auth: { user: server.auth.user, pass: server.auth.pass } }),
    ...(server.tls !== undefined && { tls: { ...server.tls } }),
    connectionTimeout: CONNECT_MS,
    greetingTimeout: CONNECT_MS,
    socketTimeout: SOCKET_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
}

/**
 * The default mail transport: nodemailer, one small connection pool per server (reused across messages),
 * closed when the engine closes. An SMTP refusal resolves with its reply code; only a failure with no
 * reply (connection, TLS, timeout) rejects.
 */
export function nodemailerTransport(): MailTransport {
  const pools = new Map<SmtpServer, Pool>();
  const poolFor = (server: SmtpServer): Pool => {
    let pool = pools.get(server);
    if (pool === undefined) {
      pool = createTransport(optionsOf(server)) as Pool;
      pools.set(server, pool);
    }
    return pool;
  };
  return {
    async send(server: SmtpServer, message: MailMessage): Promise<MailAnswer> {
      try {
        const info = (await poolFor(server).sendMail({
          from: message.from,
          to: [...message.to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          date: new Date(message.date),
          headers: { ...message.headers },
        })) as { response?: unknown };
        const response = typeof info.response === 'string' ? info.response : '250';
        return { code: codeOf(response), response };
      } catch (error) {
        const e = error as { responseCode?: unknown; response?: unknown };
        if (typeof e.responseCode !== 'number') throw error;
        const response = typeof e.response === 'string' ? e.response : String(e.responseCode);
        return { code: e.responseCode, response };
      }
    },
    close(): void {
      for (const pool of pools.values()) pool.close();
      pools.clear();
    },
  };
}
