-- The trace context of the write that caused a webhook delivery: the
-- delivery, sent later and perhaps retried, starts a trace of its own with a
-- link to it. Empty for deliveries made before it was kept.
ALTER TABLE webhook_deliveries ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';
