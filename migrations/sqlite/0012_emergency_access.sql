-- Emergency access: a hospital reads a patient's medications and checkups for 24 hours without
-- a consent, stating why (a reason from a fixed list and an account in words). Each start is
-- flagged in the patient's access log and raises a notice; the operators review them
-- (`portal emergency list`). Rows are only inserted.
CREATE TABLE emergency_accesses (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patients(id),
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    credential_id     TEXT NOT NULL,          -- the public id of the credential that asked
    reason            TEXT NOT NULL,          -- unconscious | cannot_communicate | life_threatening | disaster
    note              TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    ends_at           TEXT NOT NULL
);
CREATE INDEX emergency_accesses_running ON emergency_accesses (patient_id, institution_code, ends_at);
CREATE INDEX emergency_accesses_by_start ON emergency_accesses (started_at);

CREATE TRIGGER emergency_accesses_no_update BEFORE UPDATE ON emergency_accesses
BEGIN SELECT RAISE(ABORT, 'emergency_accesses is append-only'); END;
CREATE TRIGGER emergency_accesses_no_delete BEFORE DELETE ON emergency_accesses
BEGIN SELECT RAISE(ABORT, 'emergency_accesses is append-only'); END;
