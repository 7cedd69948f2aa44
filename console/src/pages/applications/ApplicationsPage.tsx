import { useState } from 'react';
import { useCan } from '../../api/me.ts';
import { Field } from '../../components/Field.tsx';
import { navigate, useSearchParams } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { ApplicationDetail } from './ApplicationDetail.tsx';
import { ApplicationList } from './ApplicationList.tsx';
import { CreateApplicationDialog } from './CreateApplicationDialog.tsx';

/** /applications: the searchable list; /applications/<appId>: one application. */
export default function ApplicationsPage({ params }: PageProps) {
  const appId = params[0];
  return appId ? <ApplicationDetail key={appId} appId={appId} /> : <Applications />;
}

function Applications() {
  const search = useSearchParams().get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const [creating, setCreating] = useState(false);
  const mayWrite = useCan('write');
  return (
    <>
      <PageHeader
        title="Applications"
        description="Each application is one of your customers, with their endpoints and messages."
        actions={
          mayWrite && (
            <button type="button" className="btn primary" onClick={() => setCreating(true)}>
              Create application
            </button>
          )
        }
      />
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = typed.trim();
          // In the address, so the search survives a reload and "back" returns to it.
          navigate(q ? `/applications?search=${encodeURIComponent(q)}` : '/applications', { replace: true });
        }}
      >
        <Field label="Search by name or UID" type="search" name="search" value={typed} maxLength={256} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      <ApplicationList key={search} search={search} />
      {creating && (
        <CreateApplicationDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            navigate(`/applications/${encodeURIComponent(id)}`);
          }}
        />
      )}
    </>
  );
}
