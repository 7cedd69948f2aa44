import type { SendMailOptions, SentMessageInfo, Transporter } from 'nodemailer';

/** An SMTP connection for a mailer (nodemailer, the URL syntax of HOOKLINE_SMTP_URL). */
export interface SmtpTransport {
  sendMail(message: SendMailOptions): Promise<SentMessageInfo>;
  close(): void;
}

/**
 * Opens the transport with the first message: nodemailer is the api's largest dependency that most
 * of its processes never use (it mails only invitations, password resets and notices).
 */
export function smtpTransport(smtpUrl: string): SmtpTransport {
  let transport: Promise<Transporter> | undefined;
  const open = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl)));
  return {
    sendMail: async (message) => (await open()).sendMail(message),
    close: () => void transport?.then((t) => t.close()),
  };
}
