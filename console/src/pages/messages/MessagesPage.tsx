import { useCallback, useMemo, useState } from 'react';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { navigate, useSearchParams } from '../../routing/router.tsx';
import type { PageProps } from '../pageProps.ts';
import { MessageDetail } from './MessageDetail.tsx';
import { MessageFiltersForm } from './MessageFilters.tsx';
import { MessageList } from './MessageList.tsx';
import { filtersFromParams, hasFilters, paramsOfFilters, searchQueryOf } from './messageQuery.ts';

// /console/messages: every application's messages, searched by the filters in the address;
// /console/messages/<appId>/<msgId>: one message, its deliveries and attempts, resend and bulk replay.

export default function MessagesPage({ params }: PageProps) {
  const [app, msg] = params;
  if (app && msg) return <MessageDetail app={app} msg={msg} />;
  return <MessageSearch />;
}

function MessageSearch() {
  const search = useSearchParams().toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(search)), [search]);
  const query = useMemo(() => searchQueryOf(filters), [filters]);
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const onPayloadError = useCallback((e: string | null) => setPayloadError(e), []);
  return (
    <>
      <PageHeader title="Messages" description="Every message your applications published: find one by id, event, channel, tag, status, time or payload content." />
      {/* Keyed by the address, so Back and Forward refill the form. */}
      <MessageFiltersForm key={`form?${search}`} filters={filters} payloadError={payloadError} onSearch={(f) => navigate(`/messages${paramsOfFilters(f)}`)} />
      <MessageList key={`list?${search}`} query={query} filtered={hasFilters(filters)} onPayloadError={onPayloadError} />
    </>
  );
}
