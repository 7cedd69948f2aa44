// Ready-made transformations for chat services' incoming webhooks: each turns any message into
// the body the service expects. The endpoint's URL is the incoming-webhook URL the service gives.
// The text names the event type and shows the payload (cut to stay within the services' limits).

export interface TransformationTemplate {
  id: string;
  name: string;
  description: string;
  instructions: string;
  code: string;
}

/** The payload as indented JSON, cut to `max` characters. */
const SUMMARY = `function summary(payload, max) {
  const text = JSON.stringify(payload, null, 2);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}`;

export const TRANSFORMATION_TEMPLATES: readonly TransformationTemplate[] = Object.freeze([
  {
    id: 'slack',
    name: 'Slack incoming webhook',
    description: 'Posts each message to a Slack channel as a formatted text block.',
    instructions:
      'Create an incoming webhook in your Slack app (api.slack.com/apps → Incoming Webhooks) and set its https://hooks.slack.com/services/… URL as the endpoint URL.',
    code: `${SUMMARY}

function handler(webhook) {
  const title = '*' + webhook.eventType + '*';
  webhook.payload = {
    text: title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      { type: 'section', text: { type: 'mrkdwn', text: '\`\`\`' + summary(webhook.payload, 2900) + '\`\`\`' } },
    ],
  };
  return webhook;
}
`,
  },
  {
    id: 'discord',
    name: 'Discord webhook',
    description: 'Posts each message to a Discord channel as an embed.',
    instructions:
      'In the Discord channel settings choose Integrations → Webhooks → New Webhook, copy its https://discord.com/api/webhooks/… URL and set it as the endpoint URL.',
    code: `${SUMMARY}

function handler(webhook) {
  webhook.payload = {
    content: webhook.eventType,
    embeds: [{ title: webhook.eventType, description: '\`\`\`json\\n' + summary(webhook.payload, 4000) + '\\n\`\`\`' }],
  };
  return webhook;
}
`,
  },
  {
    id: 'microsoft-teams',
    name: 'Microsoft Teams incoming webhook',
    description: 'Posts each message to a Teams channel as an Adaptive Card.',
    instructions:
      'Add an incoming webhook to the channel (a Workflows "post to a channel when a webhook request is received" flow, or the older Incoming Webhook connector) and set its URL as the endpoint URL.',
    code: `${SUMMARY}

function handler(webhook) {
  webhook.payload = {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', size: 'Medium', weight: 'Bolder', text: webhook.eventType },
            { type: 'TextBlock', wrap: true, fontType: 'Monospace', text: summary(webhook.payload, 20000) },
          ],
        },
      },
    ],
  };
  return webhook;
}
`,
  },
]);
