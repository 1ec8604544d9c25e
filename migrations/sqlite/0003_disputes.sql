-- A patient's report that a record is not theirs (records linked to the wrong person). A record
-- with an open or upheld report leaves every chart, total and export at once; a rejected
-- report (the record is theirs after all) brings it back. Every step is kept, append-only.

CREATE TABLE record_disputes (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    record_kind     TEXT NOT NULL,           -- medication | checkup | cost_notice
    record_id       INTEGER NOT NULL,
    record_summary  TEXT NOT NULL,           -- what the patient saw, kept as reported
    reason          TEXT NOT NULL,           -- not_me | never_visited | wrong_content
    note            TEXT NOT NULL,
    status          TEXT NOT NULL,           -- open | upheld | rejected
    reported_at     TEXT NOT NULL,
    resolved_at     TEXT,
    UNIQUE (record_kind, record_id)
);
CREATE INDEX record_disputes_by_patient ON record_disputes (patient_id, status);

CREATE TABLE record_dispute_steps (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES record_disputes(id),
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,               -- patient | operator
    action      TEXT NOT NULL,               -- reported | upheld | rejected
    note        TEXT NOT NULL
);
CREATE INDEX record_dispute_steps_by_dispute ON record_dispute_steps (dispute_id);

CREATE TRIGGER record_dispute_steps_no_update BEFORE UPDATE ON record_dispute_steps
BEGIN SELECT RAISE(ABORT, 'record_dispute_steps is append-only'); END;
CREATE TRIGGER record_dispute_steps_no_delete BEFORE DELETE ON record_dispute_steps
BEGIN SELECT RAISE(ABORT, 'record_dispute_steps is append-only'); END;
