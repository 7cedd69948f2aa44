import { smtpTransport } from '../mail/smtpTransport.ts';

/** Sends an invitation's link to the invitee. */
export interface InviteMailer {
  sendInvite(message: { to: string; url: string; tenantName: string; role: string; expiresAt: Date }): Promise<void>;
  close?(): void;
}

/**
 * An InviteMailer over SMTP (nodemailer), e.g. `smtps://user:pass@mail.example.com:465` or
 * `smtp://127.0.0.1:2525`. The link goes only into the message, never into a log.
 */
export function smtpInviteMailer(smtpUrl: string, from: string): InviteMailer {
  const transport = smtpTransport(smtpUrl);
  return {
    async sendInvite({ to, url, tenantName, role, expiresAt }) {
      await transport.sendMail({
        from,
        to,
        subject: `You are invited to ${tenantName} on Hookline`,
        text: [
          `You have been invited to join ${tenantName} on Hookline as ${role}.`,
          '',
          `Open this link to set your password and join (it works once, until ${expiresAt.toISOString()}):`,
          url,
        ].join('\n'),
      });
    },
    close: () => transport.close(),
  };
}
