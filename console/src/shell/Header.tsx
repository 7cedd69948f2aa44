import { useMe } from '../api/me.ts';
import { useOperator } from '../api/operator.tsx';
import { Link } from '../routing/router.tsx';
import { TenantSwitcher } from './TenantSwitcher.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UserMenu } from './UserMenu.tsx';

export function Header() {
  const me = useMe().data ?? null;
  const operator = useOperator();
  return (
    <header className="console-header">
      <Link to="/" className="brand" aria-label="Hookline console, overview">
        <span className="logo" aria-hidden="true">
          ⚓
        </span>
        <span className="brand-name">Hookline</span>
      </Link>
      {me && <TenantSwitcher me={me} />}
      {operator.token && <span className="badge badge-operator">Operator</span>}
      <div className="header-end">
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
