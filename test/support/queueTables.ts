// Tests read pg-boss's rows to check what the queue's door (packages/db/src/queue) wrote. The
// schema's name is the door's own; this copy is for tests only (see eslint.config.js).
export const QUEUE_SCHEMA = 'pgboss';
