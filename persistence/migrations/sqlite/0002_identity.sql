-- Identity: users and sessions are aggregates (state + version, events in the
-- shared events/outbox tables); API keys, OAuth2 clients and JWT signing keys
-- are plain rows. Only hashes of passwords, refresh tokens, keys and client
-- secrets are stored.
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL,  -- normalized to lower case
  version       INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  state         TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users (email);

CREATE TABLE sessions (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  version         INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL,
  revoke_until_ms INTEGER,  -- set on revocation: until when access tokens must be refused
  secrets         TEXT NOT NULL,  -- JSON: current and spent refresh-token hashes
  state           TEXT NOT NULL,
  updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX sessions_revoked ON sessions (revoke_until_ms) WHERE revoke_until_ms IS NOT NULL;

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL,
  name          TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  key_hash      TEXT NOT NULL UNIQUE,
  scopes        TEXT NOT NULL,  -- space-separated
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);

CREATE TABLE oauth_clients (
  client_id     TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  secret_hash   TEXT NOT NULL,
  scopes        TEXT NOT NULL,  -- space-separated
  created_by    TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE signing_keys (
  kid           TEXT PRIMARY KEY,
  algorithm     TEXT NOT NULL,
  private_pem   TEXT NOT NULL,
  public_pem    TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
