-- Mirrors migrations/sqlite/0006_reminders.sql.
-- Due-date reminders as durable timers stored with the task: each task's next
-- reminder time (NULL: none pending), written in the same transaction as its
-- state, and the last reminder committed for which due date, so a timer that
-- fires again tells nobody twice. Every node's timer wheel reads what comes
-- due through the partial index.
ALTER TABLE tasks ADD COLUMN remind_at_ms BIGINT;
ALTER TABLE tasks ADD COLUMN reminded_kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN reminded_due_at_ms BIGINT;
CREATE INDEX tasks_remind_at ON tasks (remind_at_ms, id) WHERE remind_at_ms IS NOT NULL;

-- Open tasks due in the future get their timers, with the default lead of an
-- hour; those already past due when the cluster is upgraded are left alone,
-- rather than telling everyone at once about deadlines long gone.
UPDATE tasks SET remind_at_ms = (state::jsonb ->> 'due_at_ms')::bigint - 3600000
WHERE NOT deleted
  AND state::jsonb ? 'due_at_ms'
  AND coalesce(state::jsonb ->> 'status', '') NOT IN ('TASK_STATUS_DONE', 'TASK_STATUS_CANCELLED')
  AND (state::jsonb ->> 'due_at_ms')::bigint > (extract(epoch FROM now()) * 1000)::bigint;
