-- A patient's report about one entry of their access log ("this wasn't me", "I don't know this
-- institution"), for the operators to review. The entry itself is never touched (it is
-- evidence, in a hash chain); a report names it. Every step is kept, append-only.
-- entry_id has no foreign key: the log refuses TRUNCATE by its own trigger (a key would answer
-- first, with another error), and the log will be partitioned by patient (docs/scaling.md);
-- the report's transaction checks that the entry is the patient's.
CREATE TABLE access_reports (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patients(id),
    entry_id     INTEGER NOT NULL UNIQUE,          -- an entry of this patient's own log
    concern      TEXT NOT NULL,               -- not_me | unknown_institution
    note         TEXT NOT NULL,
    status       TEXT NOT NULL,               -- open | confirmed | explained
    reported_at  TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX access_reports_by_patient ON access_reports (patient_id, reported_at);
CREATE INDEX access_reports_open ON access_reports (status, reported_at);

CREATE TABLE access_report_steps (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES access_reports(id),
    occurred_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,               -- patient | operator
    action       TEXT NOT NULL,               -- reported | confirmed | explained
    note         TEXT NOT NULL
);
CREATE INDEX access_report_steps_by_report ON access_report_steps (report_id);

CREATE TRIGGER access_report_steps_no_update BEFORE UPDATE ON access_report_steps
BEGIN SELECT RAISE(ABORT, 'access_report_steps is append-only'); END;
CREATE TRIGGER access_report_steps_no_delete BEFORE DELETE ON access_report_steps
BEGIN SELECT RAISE(ABORT, 'access_report_steps is append-only'); END;
-- Only the status and its time change, once, from open.
CREATE TRIGGER access_reports_no_delete BEFORE DELETE ON access_reports
BEGIN SELECT RAISE(ABORT, 'access_reports are kept'); END;
CREATE TRIGGER access_reports_decided_once BEFORE UPDATE ON access_reports
WHEN OLD.status <> 'open' OR NEW.id <> OLD.id OR NEW.patient_id <> OLD.patient_id
    OR NEW.entry_id <> OLD.entry_id OR NEW.concern <> OLD.concern OR NEW.note <> OLD.note
    OR NEW.reported_at <> OLD.reported_at
BEGIN SELECT RAISE(ABORT, 'an access report is decided once'); END;
