import { useState } from 'react';
import { Field } from '../components/Field.tsx';
import { useSearchParams } from '../routing/router.tsx';
import { lastTenant, rememberTenant } from './lastTenant.ts';

/**
 * "Sign in with SSO": the browser goes to /console/v1/sso/start?tenant=…, which redirects to the
 * tenant's OpenID provider and back, signed in. The tenant comes from the link an owner shares
 * (`/console/?tenant=org_…`, or the SSO settings' start URL), else from this device's last tenant,
 * else the person types its id.
 */
export function SsoSignIn() {
  const fromLink = useSearchParams().get('tenant');
  const known = fromLink ?? lastTenant();
  const [asking, setAsking] = useState(false);
  const [tenant, setTenant] = useState(known ?? '');
  const go = (tenantId: string) => {
    rememberTenant(tenantId);
    // A navigation, not a form post: the provider's address is elsewhere, and the CSP's form-action is 'self'.
    window.location.assign(`/console/v1/sso/start?tenant=${encodeURIComponent(tenantId)}`);
  };
  if (!asking && known) {
    return (
      <div className="stack tight">
        <button type="button" className="btn" onClick={() => go(known)}>
          Sign in with SSO
        </button>
        <button type="button" className="link-button small" onClick={() => setAsking(true)}>
          Use SSO of another tenant
        </button>
      </div>
    );
  }
  if (!asking) {
    return (
      <button type="button" className="btn" onClick={() => setAsking(true)}>
        Sign in with SSO
      </button>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        go(tenant.trim());
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
      <button type="submit" className="btn">
        Continue with SSO
      </button>
    </form>
  );
}
