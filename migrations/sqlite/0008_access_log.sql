-- The patient's access log: who saw or changed what, when, under which consent, and with what
-- outcome. One hash chain per patient: each entry's hash covers the previous entry's hash and
-- its own content, so `portal verify-log` finds an edited, deleted, inserted or reordered
-- entry. Rows are only inserted (triggers below); the head holds each chain's last link, so a
-- cut-off tail is found too.
CREATE TABLE access_log (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patients(id),
    seq          INTEGER NOT NULL,            -- 1, 2, 3… per patient
    occurred_at  TEXT NOT NULL,
    actor_kind   TEXT NOT NULL,               -- patient | proxy | institution | operator | unknown
    actor_code   TEXT,                        -- the institution code, for an institution
    actor_name   TEXT,                        -- the institution's name at the time
    action       TEXT NOT NULL,               -- sign_in | sign_in_failed | card_added | read | …
    data_kind    TEXT,                        -- medications | checkups | cost_notices | qualification
    records      INTEGER,                     -- how many records a read returned
    consent_id   INTEGER,                     -- the consent that allowed it
    reason       TEXT,                        -- why it was refused, or what a change was for
    outcome      TEXT NOT NULL,               -- allowed | refused | done | failed
    detail       TEXT NOT NULL,               -- a small JSON object of codes and ids
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (patient_id, seq)
);
CREATE INDEX access_log_newest ON access_log (patient_id, occurred_at);

CREATE TABLE access_log_heads (
    patient_id  INTEGER PRIMARY KEY REFERENCES patients(id),
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
-- A head only moves forward, one link at a time, and is never removed.
CREATE TRIGGER access_log_heads_forward BEFORE UPDATE ON access_log_heads
WHEN NEW.seq < OLD.seq OR NEW.seq > OLD.seq + 1 OR NEW.patient_id <> OLD.patient_id
BEGIN SELECT RAISE(ABORT, 'access_log_heads only move forward'); END;
CREATE TRIGGER access_log_heads_no_delete BEFORE DELETE ON access_log_heads
BEGIN SELECT RAISE(ABORT, 'access_log_heads are kept'); END;
