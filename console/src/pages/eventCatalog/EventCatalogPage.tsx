import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function EventCatalogPage(_props: PageProps) {
  return (
    <NotBuilt title="Event catalog">
      <p>
        Creating and editing event types with JSON Schemas and examples, and importing an OpenAPI document, will be here. Until then, use the API (/api/v1/event-type).
      </p>
    </NotBuilt>
  );
}
