-- Publishing a webhook from plain SQL, in your own transaction: the message exists exactly when
-- the order does. Any driver can send these statements; with psql:
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v tenant=org_… -v role=billing_service -v order=ord_1001 -f publish.sql
--
-- :'tenant' is your Hookline tenant, :"role" a login role of your service
-- (CREATE ROLE billing_service LOGIN PASSWORD '…'), :'order' the order to create.

-- Once, as the database owner (the role that ran Hookline's migrations): the vendor's own table,
-- and the service's role allowed to publish for the tenant (it gets EXECUTE on hookline.publish,
-- nothing else of Hookline's).
CREATE TABLE IF NOT EXISTS orders (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  total_cents integer NOT NULL
);
GRANT INSERT ON orders TO :"role";
SELECT hookline.allow_publish(:'role', :'tenant');

-- At every order, as the owner or as the allowed role: the insert and the publish commit together.
-- A ROLLBACK (or a crash before COMMIT) leaves no order, no message and nothing to deliver.
BEGIN;
INSERT INTO orders (id, customer_id, total_cents) VALUES (:'order', 'cus_acme', 4200);
SELECT hookline.publish(
  :'tenant',
  'cus_acme',
  'order.created',
  jsonb_build_object('id', :'order', 'customerId', 'cus_acme', 'totalCents', 4200),
  jsonb_build_object('eventId', :'order', 'application', jsonb_build_object('name', 'Acme', 'uid', 'cus_acme'))
);
COMMIT;
