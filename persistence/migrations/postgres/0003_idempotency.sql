-- Mirrors migrations/sqlite/0003_idempotency.sql.
-- Idempotency-Key records, scoped by principal. A row is 'in_flight' while
-- its first request runs (lease_token/lease_until_ms fence it, so a crashed
-- request stops blocking the key when its lease lapses) and 'completed' once
-- the response is stored for replays. Rows are purged after expires_at_ms.
-- Several edges share the table: a claim inserts or locks the row, so two
-- edges racing on one key see one winner.
CREATE TABLE idempotency_keys (
  principal_id   TEXT NOT NULL,
  idem_key       TEXT NOT NULL,
  fingerprint    TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('in_flight', 'completed')),
  lease_token    TEXT,
  lease_until_ms BIGINT NOT NULL DEFAULT 0,
  status         INTEGER,
  headers        TEXT,
  body           TEXT,
  first_used_ms  BIGINT NOT NULL,
  expires_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (principal_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at_ms);
