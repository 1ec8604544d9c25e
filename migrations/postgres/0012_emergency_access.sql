-- Emergency access: a hospital reads a patient's medications and checkups for 24 hours without
-- a consent, stating why (a reason from a fixed list and an account in words). Each start is
-- flagged in the patient's access log and raises a notice; the operators review them
-- (`portal emergency list`). Rows are only inserted.
CREATE TABLE emergency_accesses (
    id                BIGSERIAL PRIMARY KEY,
    patient_id        BIGINT NOT NULL REFERENCES patients(id),
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    credential_id     TEXT NOT NULL,
    reason            TEXT NOT NULL,
    note              TEXT NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    ends_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX emergency_accesses_running ON emergency_accesses (patient_id, institution_code, ends_at);
CREATE INDEX emergency_accesses_by_start ON emergency_accesses (started_at);

CREATE FUNCTION emergency_accesses_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'emergency_accesses is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER emergency_accesses_append_only BEFORE UPDATE OR DELETE ON emergency_accesses
    FOR EACH ROW EXECUTE FUNCTION emergency_accesses_append_only();
