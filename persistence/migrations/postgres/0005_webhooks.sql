-- Mirrors migrations/sqlite/0005_webhooks.sql.
-- Webhook endpoints and their deliveries (API.md, Notifications: webhooks).
-- A delivery's id derives from its endpoint and notification, so enqueueing
-- a notification twice inserts nothing. A dispatcher leases due deliveries
-- (lease_owner, lease_until_ms) so no two nodes send one at the same moment,
-- and a lapsed lease frees them for another node. Times are ms since the epoch.
CREATE TABLE webhook_endpoints (
  id             TEXT PRIMARY KEY,
  owner_id       TEXT NOT NULL,
  url            TEXT NOT NULL,
  events         TEXT NOT NULL,
  secret         TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  disabled_at_ms BIGINT
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_id, created_at_ms);

CREATE TABLE webhook_deliveries (
  id                 TEXT PRIMARY KEY,
  endpoint_id        TEXT NOT NULL,
  notification_id    TEXT NOT NULL,
  recipient_id       TEXT NOT NULL,
  event_type         TEXT NOT NULL,
  task_id            TEXT NOT NULL,
  message            TEXT NOT NULL,
  notified_at_ms     BIGINT NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  status             TEXT NOT NULL,
  last_status_code   INTEGER,
  last_error         TEXT NOT NULL DEFAULT '',
  next_attempt_at_ms BIGINT NOT NULL,
  delivered_at_ms    BIGINT,
  created_at_ms      BIGINT NOT NULL,
  lease_owner        TEXT,
  lease_until_ms     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at_ms) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at_ms DESC, id DESC);
