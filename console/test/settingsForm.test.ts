import { describe, expect, it } from 'vitest';
import { ApiError } from '@hookline/ui';
import { draftOf, patchOf, settingsFieldErrors, type TenantSettings } from '../src/pages/settings/settingsForm.ts';
import { keyState } from '../src/pages/apiKeys/apiKeyQueries.ts';

const installation = { retrySchedule: [5, 300], messageRetentionDays: 90, payloadRetentionDays: 30, portalFrameAncestors: "'self'" };
// Settings the form does not edit (yet): they are in every answer.
const https = { httpsOnly: false, httpEndpoints: { count: 0, data: [] } };

describe('the Settings form', () => {
  it('reads empty fields as "the installation\'s" (null) and round-trips what the API holds', () => {
    const unset: TenantSettings = {
      retrySchedule: null,
      retentionDays: null,
      signatureHeaderNames: 'webhook',
      portal: { theme: null, frameAncestors: null, logo: null, brand: null },
      ...https,
      installation,
    };
    expect(patchOf(draftOf(unset))).toEqual({ retrySchedule: null, retentionDays: null, portal: { theme: null, frameAncestors: null, logo: null, brand: null } });
    const set: TenantSettings = {
      retrySchedule: [1, 60],
      retentionDays: 7,
      signatureHeaderNames: 'svix',
      portal: {
        theme: { primaryColor: '#0a7d5a', darkMode: true },
        frameAncestors: 'https://app.example.com',
        logo: 'https://cdn.example.com/logo.png',
        brand: { name: 'Acme', primaryColor: '#0f766e', radius: 4, poweredBy: false },
      },
      ...https,
      installation,
    };
    expect(draftOf(set).retrySchedule).toBe('1, 60');
    expect(patchOf(draftOf(set))).toEqual({
      retrySchedule: [1, 60],
      retentionDays: 7,
      portal: {
        theme: { primaryColor: '#0a7d5a', darkMode: true },
        frameAncestors: 'https://app.example.com',
        logo: 'https://cdn.example.com/logo.png',
        brand: { name: 'Acme', primaryColor: '#0f766e', radius: 4, poweredBy: false },
      },
    });
  });

  it('sends what is not a number as typed, so the API refuses it on its field instead of reading it as unset', () => {
    const patch = patchOf({
      ...draftOf({
        retrySchedule: null,
        retentionDays: null,
        signatureHeaderNames: 'webhook',
        portal: { theme: null, frameAncestors: null, logo: null, brand: null },
        ...https,
        installation,
      }),
      retentionDays: 'ten',
      retrySchedule: '5 x',
    });
    expect(JSON.parse(JSON.stringify(patch))).toMatchObject({ retentionDays: 'ten', retrySchedule: [5, 'x'] });
  });

  it('puts each 422 problem on the field it names, nested ones included', () => {
    const error = new ApiError(422, 'validation_error', [
      { loc: ['body', 'retrySchedule', 1], msg: 'Expected number', type: 'invalid_type' },
      { loc: ['body', 'portal', 'frameAncestors'], msg: 'not allowed', type: 'custom' },
      { loc: ['body', 'portal', 'theme', 'primaryColor'], msg: 'not a colour', type: 'custom' },
      { loc: ['body', 'portal', 'logo'], msg: 'expected an https URL or a data:image URL', type: 'custom' },
      { loc: ['body', 'portal', 'brand', 'accentColor'], msg: 'expected a colour as #rrggbb', type: 'custom' },
      { loc: ['body', 'portal', 'brand', 'radius'], msg: 'to 24 px', type: 'custom' },
    ]);
    expect(settingsFieldErrors(error)).toEqual({
      retrySchedule: 'Expected number',
      frameAncestors: 'not allowed',
      primaryColor: 'not a colour',
      logo: 'expected an https URL or a data:image URL',
      brandAccent: 'expected a colour as #rrggbb',
      brandRadius: 'to 24 px',
    });
    expect(settingsFieldErrors(new ApiError(500, 'x', 'boom'))).toEqual({});
  });
});

describe('an API key’s state', () => {
  const key = { id: 'k', name: 'n', prefix: 'p', createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null, expiresAt: null, revokedAt: null };
  it('is revoked, expired (a rotated key after its overlap) or active', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(keyState(key, now)).toBe('active');
    expect(keyState({ ...key, expiresAt: '2026-06-02T00:00:00Z' }, now)).toBe('active');
    expect(keyState({ ...key, expiresAt: '2026-05-01T00:00:00Z' }, now)).toBe('expired');
    expect(keyState({ ...key, revokedAt: '2026-05-01T00:00:00Z' }, now)).toBe('revoked');
  });
});
