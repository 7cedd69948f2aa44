// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/App.tsx';
import { decodePortalToken, takeTokenFromLocation } from '../src/api/session.ts';
import { readPortalParams } from '../src/embed.ts';

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.sig`;

afterEach(cleanup);

describe('portal sign-in', () => {
  it('takes the token out of the address bar', () => {
    window.history.replaceState(null, '', '/portal/?darkMode=true#token=abc.def.ghi');
    expect(takeTokenFromLocation()).toBe('abc.def.ghi');
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?darkMode=true');
  });

  it('reads the app and capabilities from the token', () => {
    const s = decodePortalToken(jwt({ sub: 'app_1', cap: ['ViewBase', 'ManageEndpoint'], exp: 2_000_000_000 }));
    expect(s?.appId).toBe('app_1');
    expect([...(s?.capabilities ?? [])]).toEqual(['ViewBase', 'ManageEndpoint']);
    expect(decodePortalToken('not-a-jwt')).toBeNull();
  });

  it('explains a missing, invalid or expired token', () => {
    const { rerender } = render(<App initialToken={null} apiBase="" />);
    expect(screen.getByRole('heading', { name: 'Sign-in link needed' })).toBeTruthy();
    rerender(<App initialToken="garbage" apiBase="" />);
    expect(screen.getByRole('heading', { name: 'Invalid link' })).toBeTruthy();
    cleanup();
    render(<App initialToken={jwt({ sub: 'app_1', cap: ['ViewBase'], exp: 1 })} apiBase="" />);
    expect(screen.getByRole('heading', { name: 'Session expired' })).toBeTruthy();
  });

  it('accepts only safe theme values and an explicit parent origin', () => {
    const p = readPortalParams('?primaryColor=db2777&darkMode=true&fontFamily=Inter,%20sans-serif&parentOrigin=https://app.example.com/page');
    expect(p).toMatchObject({ primaryColor: '#db2777', darkMode: true, fontFamily: 'Inter, sans-serif', parentOrigin: 'https://app.example.com' });
    const bad = readPortalParams('?primaryColor=red;background:url(x)&fontFamily=%7Bx%7D&parentOrigin=*');
    expect(bad).toMatchObject({ primaryColor: null, fontFamily: null, parentOrigin: null });
  });
});
