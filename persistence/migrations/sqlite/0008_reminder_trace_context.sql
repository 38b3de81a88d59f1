-- The trace context of the write that last committed a task's reminder
-- timer: a ring, long after, starts a trace of its own linked to it. Empty
-- for timers written before it was kept.
ALTER TABLE tasks ADD COLUMN remind_traceparent TEXT NOT NULL DEFAULT '';
