import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useConsoleApi } from '../api/apiContext.tsx';
import { Field } from '../components/Field.tsx';
import { useSearchParams } from '../routing/router.tsx';
import { lastTenant, rememberTenant } from './lastTenant.ts';

/**
 * "Sign in with SSO": the browser goes to /console/v1/sso/start?tenant=…, which redirects to the
 * tenant's OpenID provider and back, signed in. The tenant comes from the link an owner shares
 * (`/console/?tenant=org_…`, or the SSO settings' start URL), else from this device's last tenant,
 * else the person types its id. The button shows for a known tenant only when it offers SSO
 * (/console/v1/sso/discover); a typed one is checked before leaving, so a tenant without SSO gets
 * a message here instead of an error page.
 */
/** What the sign-in page says when the SSO callback sent the browser back refused (?sso_error=<code>). */
const REFUSALS: Record<string, string> = {
  bad_request: 'The sign-in with your provider expired or was started in another browser. Start it again.',
  forbidden:
    'Your account at the provider may not sign in to this tenant: its domain is not allowed, its address is not verified, or you are not a member. Ask an owner or admin.',
  authentication_failed: 'The answer of your provider could not be verified. Try again; if it keeps failing, tell an owner.',
  not_found: 'This tenant does not offer single sign-on.',
};

/** The refusal the SSO callback sent the browser back with, in words of our own (never text from the link). */
export function SsoRefusal() {
  const code = useSearchParams().get('sso_error');
  if (code === null) return null;
  return (
    <div className="error-state" role="alert">
      <strong>Single sign-on did not sign you in.</strong> <span>{REFUSALS[code] ?? 'Try again.'}</span>
    </div>
  );
}

export function SsoSignIn() {
  const client = useConsoleApi();
  const fromLink = useSearchParams().get('tenant');
  const known = fromLink ?? lastTenant();
  const [asking, setAsking] = useState(false);
  const [tenant, setTenant] = useState(known ?? '');
  const [refused, setRefused] = useState<string | undefined>();
  const offered = (tenantId: string) => client.request('get', '/console/v1/sso/discover', { query: { tenant: tenantId } }).then((r) => r.enabled);
  const knownOffers = useQuery({ queryKey: ['sso-discover', known], queryFn: () => offered(known!), enabled: known !== null, staleTime: 60_000 });
  const go = (tenantId: string) => {
    rememberTenant(tenantId);
    // A navigation, not a form post: the provider's address is elsewhere, and the CSP's form-action is 'self'.
    window.location.assign(`/console/v1/sso/start?tenant=${encodeURIComponent(tenantId)}`);
  };
  const other = (
    <button type="button" className="link-button small" onClick={() => setAsking(true)}>
      Use SSO of another tenant
    </button>
  );
  if (!asking) {
    // A tenant known here is asked whether it offers SSO; without one, the button asks for the tenant.
    if (known && knownOffers.isPending) return null;
    const offersKnown = known !== null && knownOffers.data === true;
    if (known && !offersKnown) return <div className="stack tight">{other}</div>;
    return (
      <div className="stack tight">
        <p className="divider">
          <span>or</span>
        </p>
        <button type="button" className="btn" onClick={() => (offersKnown ? go(known) : setAsking(true))}>
          Sign in with SSO
        </button>
        {offersKnown ? other : null}
      </div>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        const tenantId = tenant.trim();
        setRefused(undefined);
        void offered(tenantId).then(
          (yes) =>
            yes ? go(tenantId) : setRefused('This tenant does not offer single sign-on. Sign in with your email and password, or ask an owner for the SSO link.'),
          () => setRefused('Could not check this tenant. Try again.'),
        );
      }}
    >
      <Field
        label="Tenant ID"
        name="tenant"
        value={tenant}
        onChange={(e) => setTenant(e.target.value)}
        hint="Your team's Hookline tenant (org_…): it is in the SSO sign-in link an owner shares."
        autoComplete="organization"
        required
        autoFocus
      />
      {refused ? <p role="alert">{refused}</p> : null}
      <button type="submit" className="btn">
        Continue with SSO
      </button>
    </form>
  );
}
