-- What the patient says they really paid one institution for one month of care, and what was
-- refunded (補填される金額), where it differs from the cost notice's 患者負担額 (public medical
-- aid, high-cost care refunds, reduced claims). Append-only: the newest row of a month and
-- institution counts, a withdrawal is one more row (paid NULL, nothing refunded), and the
-- triggers refuse any change or deletion so the history stays what the patient entered.

CREATE TABLE cost_corrections (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients(id),
    care_month       TEXT NOT NULL,           -- YYYY-MM, as cost_notices.care_month
    institution_code TEXT NOT NULL,
    paid_yen         INTEGER CHECK (paid_yen >= 0),   -- NULL: as the notice says
    reimbursed_yen   INTEGER NOT NULL CHECK (reimbursed_yen >= 0),
    recorded_at      TEXT NOT NULL
);
CREATE INDEX cost_corrections_by_patient ON cost_corrections (patient_id, care_month, institution_code);

CREATE TRIGGER cost_corrections_no_update BEFORE UPDATE ON cost_corrections
BEGIN SELECT RAISE(ABORT, 'cost_corrections is append-only'); END;
CREATE TRIGGER cost_corrections_no_delete BEFORE DELETE ON cost_corrections
BEGIN SELECT RAISE(ABORT, 'cost_corrections is append-only'); END;

CREATE TRIGGER cost_corrections_version_insert AFTER INSERT ON cost_corrections
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
