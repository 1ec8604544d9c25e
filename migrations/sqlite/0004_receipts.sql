-- Out-of-pocket payments the patient enters from their receipts (travel to appointments,
-- medicines bought, private care): they count toward the medical-expense deduction and appear
-- in the tax-form export. Removing one keeps the row, marked removed.

CREATE TABLE receipts (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    paid_on         TEXT NOT NULL,
    payee           TEXT NOT NULL,
    kind            TEXT NOT NULL,           -- medical_care | medicine | care_service | transport | other
    amount_yen      INTEGER NOT NULL,
    reimbursed_yen  INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    removed_at      TEXT
);
CREATE INDEX receipts_by_patient ON receipts (patient_id, paid_on);
