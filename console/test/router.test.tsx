// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { takeFragmentToken } from '../src/auth/fragmentToken.ts';
import { consolePath, hrefOf, Link, navigate, segmentsOf, takeFocusRequest } from '../src/routing/router.tsx';

afterEach(cleanup);

describe('console router', () => {
  it('maps addresses under /console to console-relative paths and back', () => {
    expect(consolePath('/console')).toBe('/');
    expect(consolePath('/console/')).toBe('/');
    expect(consolePath('/console/applications/app_1/')).toBe('/applications/app_1');
    expect(hrefOf('/')).toBe('/console/');
    expect(hrefOf('/team')).toBe('/console/team');
    expect(segmentsOf('/applications/app%201/x')).toEqual(['applications', 'app 1', 'x']);
  });

  it('navigates in place on a plain click, asks for the new heading’s focus, and leaves modified clicks to the browser', () => {
    window.history.replaceState(null, '', '/console/');
    takeFocusRequest();
    render(<Link to="/team">Team</Link>);
    const link = screen.getByRole('link', { name: 'Team' });
    expect(link.getAttribute('href')).toBe('/console/team');
    // A modified click (new tab) keeps the browser's default action: not prevented, no navigation of ours.
    expect(fireEvent.click(link, { ctrlKey: true })).toBe(true);
    expect(takeFocusRequest()).toBe(false);
    window.history.replaceState(null, '', '/console/');
    expect(fireEvent.click(link)).toBe(false);
    expect(window.location.pathname).toBe('/console/team');
    expect(takeFocusRequest()).toBe(true);
    expect(takeFocusRequest()).toBe(false);
    navigate('/messages?status=fail', { replace: true });
    expect(window.location.pathname + window.location.search).toBe('/console/messages?status=fail');
  });

  it('takes an invitation token out of the address bar, and only one with its prefix', () => {
    window.history.replaceState(null, '', '/console/invite?x=1#hki_abc');
    expect(takeFragmentToken('hkr_')).toBeNull();
    expect(window.location.hash).toBe('#hki_abc');
    expect(takeFragmentToken('hki_')).toBe('hki_abc');
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?x=1');
  });
});
