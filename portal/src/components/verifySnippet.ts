// Code, not prose: it stays as written in every language, like the snippets of the developer docs.
export const VERIFY_SNIPPET = `import { Webhook } from 'standardwebhooks';

// Your endpoint's signing secret (keep it out of source control).
const wh = new Webhook(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ''));

// In your handler: pass the raw request body (a string, not parsed JSON)
// and the headers webhook-id, webhook-timestamp and webhook-signature.
const payload = wh.verify(rawBody, {
  'webhook-id': req.headers['webhook-id'],
  'webhook-timestamp': req.headers['webhook-timestamp'],
  'webhook-signature': req.headers['webhook-signature'],
}); // throws if the signature or the timestamp is wrong`;
