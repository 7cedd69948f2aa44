import { Suspense, useEffect } from 'react';
import { EmptyState, Loading } from '@hookline/ui';
import { can } from '../api/access.ts';
import { useMe } from '../api/me.ts';
import { useOperator } from '../api/operator.tsx';
import { OperatorSignInForm } from '../auth/OperatorSignInForm.tsx';
import { PAGES, pageOf, type ConsolePage } from '../pages/registry.ts';
import { navigate, segmentsOf } from '../routing/router.tsx';
import { Header } from './Header.tsx';
import { Nav } from './Nav.tsx';
import { PageErrorBoundary } from './PageErrorBoundary.tsx';
import { PageHeader } from './PageHeader.tsx';

/** The signed-in console: header, navigation and the page the path names. */
export function Shell({ path }: { path: string }) {
  const me = useMe().data ?? null;
  const operator = useOperator();
  const segments = segmentsOf(path);
  const page = pageOf(segments);
  const mayView = (p: ConsolePage) => (p.audience === 'operator' ? operator.token !== null : me !== null && can(me.role, p.audience.person));
  const visible = PAGES.filter(mayView);

  // Signed in as the operator only: the operator page is the whole console.
  const operatorOnly = !me && operator.token !== null;
  useEffect(() => {
    if (operatorOnly && page?.slug !== 'operator') navigate('/operator', { replace: true });
  }, [operatorOnly, page]);
  useEffect(() => {
    document.title = `${page?.title ?? 'Not found'} · Hookline console`;
  }, [page]);
  return (
    <div className="console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <div className="console-body">
        <Nav pages={visible} current={page} />
        <main id="main" className="console-main" tabIndex={-1}>
          <PageErrorBoundary key={path}>
            <Suspense fallback={<Loading what="the page" />}>{body()}</Suspense>
          </PageErrorBoundary>
        </main>
      </div>
    </div>
  );

  function body() {
    if (!page) {
      return (
        <>
          <PageHeader title="Page not found" />
          <EmptyState title="There is no such page in the console">
            <p>Pick a page from the navigation.</p>
          </EmptyState>
        </>
      );
    }
    if (page.audience === 'operator' && !operator.token) {
      return (
        <>
          <PageHeader title="Operator sign-in" />
          <div className="card narrow">
            <OperatorSignInForm />
          </div>
        </>
      );
    }
    if (page.audience !== 'operator' && me && !me.currentTenantId) {
      return (
        <>
          <PageHeader title={page.title} />
          <EmptyState title="You are not in any tenant">
            <p>Ask an owner of your team for an invitation, or the operator of this Hookline for a tenant.</p>
          </EmptyState>
        </>
      );
    }
    if (!mayView(page)) {
      return (
        <>
          <PageHeader title={page.title} />
          <EmptyState title="Your role does not include this page">
            <p>Ask an owner or admin of this tenant if you need it.</p>
          </EmptyState>
        </>
      );
    }
    const Page = page.component;
    return <Page params={segments.slice(1)} />;
  }
}
