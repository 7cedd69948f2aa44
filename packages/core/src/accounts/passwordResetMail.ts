import { smtpTransport } from '../mail/smtpTransport.ts';

/** Sends a password reset link to the person who asked for it. */
export interface PasswordResetMailer {
  sendPasswordReset(message: { to: string; url: string; expiresAt: Date }): Promise<void>;
  close?(): void;
}

/**
 * A PasswordResetMailer over SMTP (nodemailer, the URL syntax of HOOKLINE_SMTP_URL). The link goes
 * only into the message, never into a log.
 */
export function smtpPasswordResetMailer(smtpUrl: string, from: string): PasswordResetMailer {
  const transport = smtpTransport(smtpUrl);
  return {
    async sendPasswordReset({ to, url, expiresAt }) {
      await transport.sendMail({
        from,
        to,
        subject: 'Reset your Hookline password',
        text: [
          'Someone (we hope you) asked to reset the password of your Hookline account.',
          '',
          `Open this link to choose a new password (it works once, until ${expiresAt.toISOString()}):`,
          url,
          '',
          'Setting a new password signs you out everywhere. If you did not ask for this, ignore this message: your password stays as it is.',
        ].join('\n'),
      });
    },
    close: () => transport.close(),
  };
}
