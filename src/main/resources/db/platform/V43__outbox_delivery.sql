-- Delivery bookkeeping of the outbox's e-mails (mail.OutboxRelay). An e-mail is claimed by pushing its
-- next_attempt_at past a lease, so a node that dies while sending leaves it to be retried once the lease ends;
-- a failure is retried with back-off until max-attempts, then marked failed_at and left for an operator.
ALTER TABLE platform.outbox
  ADD COLUMN attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_error      text,
  ADD COLUMN failed_at       timestamptz;

DROP INDEX platform.outbox_unsent_idx;
CREATE INDEX outbox_due_idx ON platform.outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
