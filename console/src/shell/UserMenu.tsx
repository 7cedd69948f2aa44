import { useEffect, useRef } from 'react';
import { useMe, useSignOut } from '../api/me.ts';
import { useOperator } from '../api/operator.tsx';
import { Link, navigate } from '../routing/router.tsx';

/** Who is signed in, and the ways out. A <details> disclosure: keyboard-usable as it is; Escape and a click elsewhere close it. */
export function UserMenu() {
  const me = useMe().data ?? null;
  const operator = useOperator();
  const signOut = useSignOut();
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      const menu = ref.current;
      if (!menu?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !menu.contains(e.target as Node)) {
        menu.open = false;
        if (e instanceof KeyboardEvent) menu.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('keydown', close);
    document.addEventListener('click', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('click', close);
    };
  }, []);
  const closeMenu = () => ref.current && (ref.current.open = false);
  const label = me ? me.name || me.email : 'Operator';
  return (
    <details className="menu" ref={ref}>
      <summary className="btn ghost small">
        <span className="avatar" aria-hidden="true">
          {label.slice(0, 1).toUpperCase()}
        </span>
        <span className="sr-only">Account: </span>
        <span className="menu-label">{label}</span>
      </summary>
      <div className="menu-body">
        {me && (
          <>
            <p className="menu-who">
              <strong>{me.name || me.email}</strong>
              <span className="muted small">{me.email}</span>
            </p>
            <Link to="/team" onClick={closeMenu}>
              Your sessions and sign-in
            </Link>
            <button
              type="button"
              className="btn small"
              disabled={signOut.isPending}
              onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/', { replace: true }) })}
            >
              Sign out
            </button>
          </>
        )}
        {operator.token && (
          <button
            type="button"
            className="btn small"
            onClick={() => {
              operator.signOut();
              navigate('/', { replace: true });
            }}
          >
            Leave operator mode
          </button>
        )}
      </div>
    </details>
  );
}
