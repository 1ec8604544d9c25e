-- Out-of-pocket payments the patient enters from their receipts (travel to appointments,
-- medicines bought, private care): they count toward the medical-expense deduction and appear
-- in the tax-form export. Removing one keeps the row, marked removed.

CREATE TABLE receipts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id      BIGINT NOT NULL REFERENCES patients(id),
    paid_on         DATE NOT NULL,
    payee           TEXT NOT NULL,
    kind            TEXT NOT NULL,           -- medical_care | medicine | care_service | transport | other
    amount_yen      BIGINT NOT NULL,
    reimbursed_yen  BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    removed_at      TIMESTAMPTZ
);
CREATE INDEX receipts_by_patient ON receipts (patient_id, paid_on);
