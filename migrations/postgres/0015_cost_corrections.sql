-- What the patient says they really paid one institution for one month of care, and what was
-- refunded (補填される金額), where it differs from the cost notice's 患者負担額 (public medical
-- aid, high-cost care refunds, reduced claims). Append-only: the newest row of a month and
-- institution counts, a withdrawal is one more row (paid NULL, nothing refunded), and the
-- triggers refuse any change or deletion so the history stays what the patient entered.

CREATE TABLE cost_corrections (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id       BIGINT NOT NULL REFERENCES patients(id),
    care_month       TEXT NOT NULL,           -- YYYY-MM, as cost_notices.care_month
    institution_code TEXT NOT NULL,
    paid_yen         BIGINT CHECK (paid_yen >= 0),    -- NULL: as the notice says
    reimbursed_yen   BIGINT NOT NULL CHECK (reimbursed_yen >= 0),
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX cost_corrections_by_patient ON cost_corrections (patient_id, care_month, institution_code);

CREATE FUNCTION cost_corrections_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cost_corrections is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cost_corrections_append_only BEFORE UPDATE OR DELETE ON cost_corrections
    FOR EACH ROW EXECUTE FUNCTION cost_corrections_append_only();
CREATE TRIGGER cost_corrections_no_truncate BEFORE TRUNCATE ON cost_corrections
    FOR EACH STATEMENT EXECUTE FUNCTION cost_corrections_append_only();

CREATE TRIGGER cost_corrections_version AFTER INSERT ON cost_corrections
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
