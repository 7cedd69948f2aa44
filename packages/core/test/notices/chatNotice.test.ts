import { describe, expect, it } from 'vitest';
import { parseAllowList, ValidationError } from '../../src/index.ts';
import { chatKindOf, checkChatUrl, maskChatUrl } from '../../src/notices/chatNotice.ts';
import { displayUrl } from '../../src/notices/noticeMessage.ts';

describe('chat notice targets', () => {
  it('tells the chat service from the webhook host', () => {
    expect(chatKindOf(new URL('https://hooks.slack.com/services/T0/B0/x'))).toBe('slack');
    expect(chatKindOf(new URL('https://discord.com/api/webhooks/1/x'))).toBe('discord');
    expect(chatKindOf(new URL('https://discordapp.com/api/webhooks/1/x'))).toBe('discord');
    expect(chatKindOf(new URL('https://acme.webhook.office.com/webhookb2/x'))).toBe('teams');
    expect(chatKindOf(new URL('https://prod-12.westus.logic.azure.com/workflows/x'))).toBe('teams');
    expect(chatKindOf(new URL('https://hooks.slack.com.evil.example/x'))).toBeUndefined();
    expect(chatKindOf(new URL('https://notdiscord.com/api/webhooks/1/x'))).toBeUndefined();
  });

  it('masks everything after the host, and leaves credentials out of endpoint URLs', () => {
    expect(maskChatUrl('https://hooks.slack.com/services/T0/B0/secret')).toBe('https://hooks.slack.com/…');
    expect(displayUrl('https://user:pw@rx.example.com/hook?token=abc#f')).toBe('https://rx.example.com/hook (query left out)');
    expect(displayUrl('https://rx.example.com/hook')).toBe('https://rx.example.com/hook');
  });

  it('takes https, and plain http only to a private address the deployment allows', async () => {
    const loopback = parseAllowList('127.0.0.1/32');
    await expect(checkChatUrl('http://127.0.0.1:9/hook', 'slack', loopback)).resolves.toBe('slack');
    await expect(checkChatUrl('http://127.0.0.1:9/hook', 'slack', parseAllowList(undefined))).rejects.toBeInstanceOf(ValidationError);
    await expect(checkChatUrl('http://8.8.8.8/hook', 'slack', parseAllowList('true'))).rejects.toThrow('expected an https URL');
    await expect(checkChatUrl('https://93.184.215.14/hook', undefined, loopback)).rejects.toThrow('give chatKind');
    await expect(checkChatUrl('https://93.184.215.14/hook', 'teams', loopback)).resolves.toBe('teams');
  });
});
