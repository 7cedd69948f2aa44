// The portal's views: its own module, so the pages that navigate and the shell that shows them import it without a circle.
export type Route =
  | { view: 'endpoints' }
  | { view: 'new-endpoint' }
  | { view: 'edit-endpoint'; id: string }
  | { view: 'endpoint'; id: string }
  | { view: 'catalog' }
  | { view: 'logs' }
  | { view: 'pollers' }
  | { view: 'notifications' };
