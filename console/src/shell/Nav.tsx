import type { ConsolePage } from '../pages/registry.ts';
import { Link } from '../routing/router.tsx';

/** The pages this person (or the operator) may open; the current one is marked for assistive technology too. */
export function Nav({ pages, current }: { pages: readonly ConsolePage[]; current: ConsolePage | undefined }) {
  return (
    <nav className="console-nav" aria-label="Console">
      <ul>
        {pages.map((p) => (
          <li key={p.slug}>
            <Link to={`/${p.slug}`} aria-current={p === current ? 'page' : undefined}>
              {p.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
