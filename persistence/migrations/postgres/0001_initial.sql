-- Write side: task aggregates, their append-only events, and the outbox that
-- the relay drains onto the event bus. All three change in one transaction.
-- Mirrors migrations/sqlite/0001_initial.sql; payloads stay canonical JSON text.
CREATE TABLE tasks (
  id            TEXT PRIMARY KEY,
  owner_id      TEXT NOT NULL,
  version       BIGINT NOT NULL,
  deleted       BOOLEAN NOT NULL DEFAULT FALSE,
  ext_source    TEXT,
  ext_id        TEXT,
  state         TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
-- The natural key (owner, source, external id) of API.md; a deleted task frees it.
CREATE UNIQUE INDEX tasks_natural_key ON tasks (owner_id, ext_source, ext_id)
  WHERE ext_source IS NOT NULL AND ext_id IS NOT NULL AND NOT deleted;

CREATE TABLE events (
  seq            BIGSERIAL PRIMARY KEY,
  event_id       TEXT NOT NULL UNIQUE,
  aggregate_type TEXT NOT NULL,
  aggregate_id   TEXT NOT NULL,
  version        BIGINT NOT NULL,
  event_type     TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  payload        TEXT NOT NULL
);
CREATE INDEX events_by_aggregate ON events (aggregate_id, version);

-- Several nodes drain one outbox: a relay claims rows for a while
-- (claimed_by, claimed_until_ms) so the others skip them; a crashed relay's
-- claim simply lapses.
CREATE TABLE outbox (
  seq              BIGSERIAL PRIMARY KEY,
  event_id         TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL,
  created_at_ms    BIGINT NOT NULL,
  sent_at_ms       BIGINT,
  claimed_by       TEXT,
  claimed_until_ms BIGINT
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at_ms IS NULL;

-- Read side: what consumers have seen (by event id), and the task list view.
CREATE TABLE inbox (
  consumer        TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  processed_at_ms BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE task_view (
  id            TEXT PRIMARY KEY,
  owner_id      TEXT NOT NULL,
  status        TEXT NOT NULL,
  version       BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  task          TEXT NOT NULL
);
CREATE INDEX task_view_by_owner ON task_view (owner_id, created_at_ms DESC, id DESC);
CREATE INDEX task_view_newest ON task_view (created_at_ms DESC, id DESC);

CREATE TABLE task_view_assignees (
  task_id     TEXT NOT NULL REFERENCES task_view (id) ON DELETE CASCADE,
  assignee_id TEXT NOT NULL,
  PRIMARY KEY (task_id, assignee_id)
);
CREATE INDEX task_view_assignees_by_user ON task_view_assignees (assignee_id);

-- A deleted task's view row is gone; its version is kept here so a late
-- redelivered older event cannot bring it back.
CREATE TABLE task_view_tombstones (
  id      TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
