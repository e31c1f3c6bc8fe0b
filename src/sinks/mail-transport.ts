/** Where and how to reach the SMTP server, from an EmailIntegration. */
export type SmtpServer = {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** Upgrade with STARTTLS before anything else, and refuse to go on without it. */
  readonly starttls: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly tls?: {
    readonly ca?: string;
    readonly rejectUnauthorized?: boolean;
    readonly servername?: string;
  };
};

/** One rendered message. `messageId` is the same on every retry, so receivers can drop a duplicate. */
export type MailMessage = {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  /** The attempt's time on the engine clock: the Date header. */
  readonly date: number;
  readonly headers: Readonly<Record<string, string>>;
};

/** What the server answered: the SMTP reply code of the last command and its text. */
export type MailAnswer = { readonly code: number; readonly response: string };

/**
 * Sends one message over SMTP. Resolves with the server's final reply (250 when accepted, or a 4xx/5xx
 * refusal); rejects only when no reply came (connection, TLS, timeout). The default uses nodemailer;
 * tests and embedders may plug their own.
 */
export interface MailTransport {
  send(server: SmtpServer, message: MailMessage, signal: AbortSignal): Promise<MailAnswer>;
  /** Close pooled connections: the engine calls it when it closes. */
  close?(): Promise<void> | void;
}
