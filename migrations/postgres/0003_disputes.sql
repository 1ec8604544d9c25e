-- A patient's report that a record is not theirs (records linked to the wrong person). A record
-- with an open or upheld report leaves every chart, total and export at once; a rejected
-- report (the record is theirs after all) brings it back. Every step is kept, append-only.

CREATE TABLE record_disputes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id      BIGINT NOT NULL REFERENCES patients(id),
    record_kind     TEXT NOT NULL,           -- medication | checkup | cost_notice
    record_id       BIGINT NOT NULL,
    record_summary  TEXT NOT NULL,           -- what the patient saw, kept as reported
    reason          TEXT NOT NULL,           -- not_me | never_visited | wrong_content
    note            TEXT NOT NULL,
    status          TEXT NOT NULL,           -- open | upheld | rejected
    reported_at     TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    UNIQUE (record_kind, record_id)
);
CREATE INDEX record_disputes_by_patient ON record_disputes (patient_id, status);

CREATE TABLE record_dispute_steps (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dispute_id  BIGINT NOT NULL REFERENCES record_disputes(id),
    occurred_at TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,               -- patient | operator
    action      TEXT NOT NULL,               -- reported | upheld | rejected
    note        TEXT NOT NULL
);
CREATE INDEX record_dispute_steps_by_dispute ON record_dispute_steps (dispute_id);

CREATE FUNCTION record_dispute_steps_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'record_dispute_steps is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER record_dispute_steps_no_change BEFORE UPDATE OR DELETE ON record_dispute_steps
    FOR EACH ROW EXECUTE FUNCTION record_dispute_steps_append_only();
