-- +goose Up
-- Notifications (issue 11): one inbox row per event and recipient, written
-- in the same transaction as the change that causes it; the e-mail is a
-- River job enqueued in that transaction. notification_prefs holds the
-- kinds a person does not want by e-mail (the inbox always gets them).

CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    event_key  TEXT NOT NULL,             -- stable per event: a replay or a second instance adds nothing
    data       TEXT NOT NULL DEFAULT '[]', -- JSON list of {name, value}: the message's details
    link       TEXT NOT NULL DEFAULT '',  -- site path of the exact page
    emailed_at TIMESTAMPTZ,               -- the e-mail went to the SMTP server
    read_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (event_key, user_id)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE notification_prefs (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    email      BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
