-- Mirrors migrations/sqlite/0004_notifications.sql.
-- The notification feed: one row per person told, newest first. Ids derive
-- from the event that caused them, so a redelivered event inserts nothing,
-- whichever node's consumer delivers it.
CREATE TABLE notifications (
  id            TEXT PRIMARY KEY,
  recipient_id  TEXT NOT NULL,
  type          TEXT NOT NULL,
  task_id       TEXT NOT NULL,
  message       TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  read_at_ms    BIGINT
);
CREATE INDEX notifications_feed ON notifications (recipient_id, created_at_ms DESC, id DESC);
