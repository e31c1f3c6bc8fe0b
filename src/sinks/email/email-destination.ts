import type { Verdict } from '../delivery/retry-policy.js';
import type { AttemptResult } from '../delivery/run-attempt.js';
import type { Destination } from '../destination.js';
import { checkUrl } from '../http/url-policy.js';
import type { MailAnswer, SmtpServer } from '../mail-transport.js';
import { wrongAction } from '../wrong-action.js';
import { type EmailIntegration, isEmailIntegration } from './email-integration.js';
import { renderEmail } from './email-message.js';

/**
 * An SMTP reply read as RFC 5321 does: 2yz delivered; 4yz a transient failure (retried); 5yz permanent
 * (dead-lettered), except 503 "bad sequence", which a new connection can get past.
 */
export function judgeSmtp(code: number): Verdict {
  if (code >= 200 && code < 300) return { kind: 'delivered', outcome: 'Delivered' };
  if (code >= 500 && code < 600 && code !== 503) return { kind: 'give-up', outcome: 'PermanentFailure' };
  return { kind: 'retry', outcome: 'TransientFailure' };
}

function resultOf(answer: MailAnswer): AttemptResult {
  const verdict = judgeSmtp(answer.code);
  return verdict.kind === 'delivered' ? { verdict } : { verdict, error: `SMTP ${answer.response}` };
}

function serverOf(e: EmailIntegration): SmtpServer {
  return {
    host: e.host,
    port: e.port,
    secure: e.secure,
    starttls: e.starttls,
    ...(e.auth !== undefined && { auth: e.auth }),
    ...(e.tls !== undefined && { tls: e.tls }),
  };
}

/** IPv6 hosts are written in brackets inside a URL. */
const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Email: SendEmail through an SMTP server (nodemailer by default, `delivery.mailTransport` to plug another). */
export const emailDestination: Destination<EmailIntegration> = {
  type: 'EmailIntegration',
  actions: ['SendEmail'],
  is: isEmailIntegration,
  secrets: (e) => (e.auth === undefined ? [] : [e.auth.pass]),
  // The host answers to the same policy as a URL's: allowHosts, and no metadata or link-local address.
  check: (e, policy, path) =>
    checkUrl(`http://${urlHost(e.host)}/`, policy, [...path, 'host']).map((i) => ({ ...i, value: e.host })),
  sender(e, { mailTransport }) {
    const server = serverOf(e);
    return async (firing, signal, now) => {
      const action = firing.action;
      if (action.type !== 'SendEmail') return wrongAction(action.type, e.type);
      try {
        return resultOf(await mailTransport.send(server, renderEmail(firing, action, e, now), signal));
      } catch (error) {
        const cause =
          error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        return { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
      }
    };
  },
};
