import type { PageProps } from '../pageProps.ts';
import { EventTypeEditor, NewEventType } from './EventTypeEditor.tsx';
import { EventTypeList } from './EventTypeList.tsx';
import { ImportOpenApi } from './ImportOpenApi.tsx';

/** `/event-catalog`: the list; `/event-catalog/new`: a new event type; `/event-catalog/import`: import from OpenAPI; `/event-catalog/<name>`: one. */
export default function EventCatalogPage({ params }: PageProps) {
  const [name] = params;
  if (name === undefined) return <EventTypeList />;
  if (name === 'new') return <NewEventType />;
  if (name === 'import') return <ImportOpenApi />;
  return <EventTypeEditor key={name} name={name} />;
}
