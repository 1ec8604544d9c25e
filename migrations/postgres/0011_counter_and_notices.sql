-- The card-reader consent flow at an institution's counter, and notices to the patient.

-- A card check made at a counter belongs to a login that was never a session: opened and ended
-- in the same moment (end_reason 'counter'), naming the institution whose terminal read the
-- card. It keeps the card check and the consent it approved tied to that place.
ALTER TABLE logins ADD COLUMN counter_institution TEXT REFERENCES institutions(code);

-- What the patient should learn on their home page: an institution read their data for the
-- first time, a consent is about to end. One row per topic (`first_read:<code>`,
-- `consent_expiring:<consent id>`), so a notice is raised once; dismissing keeps the row.
CREATE TABLE notices (
    id                BIGSERIAL PRIMARY KEY,
    patient_id        BIGINT NOT NULL REFERENCES patients(id),
    topic             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    institution_code  TEXT REFERENCES institutions(code),
    consent_id        BIGINT REFERENCES consents(id),
    raised_at         TIMESTAMPTZ NOT NULL,
    dismissed_at      TIMESTAMPTZ,
    UNIQUE (patient_id, topic)
);
CREATE INDEX notices_open ON notices (patient_id) WHERE dismissed_at IS NULL;

CREATE FUNCTION notices_dismissed_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'notices are kept';
    END IF;
    IF OLD.dismissed_at IS NOT NULL OR NEW.dismissed_at IS NULL
        OR (NEW.patient_id, NEW.topic, NEW.kind, NEW.raised_at)
           IS DISTINCT FROM (OLD.patient_id, OLD.topic, OLD.kind, OLD.raised_at)
        OR NEW.institution_code IS DISTINCT FROM OLD.institution_code
        OR NEW.consent_id IS DISTINCT FROM OLD.consent_id THEN
        RAISE EXCEPTION 'a notice is only ever dismissed, once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notices_dismissed_once BEFORE UPDATE OR DELETE ON notices
    FOR EACH ROW EXECUTE FUNCTION notices_dismissed_once();

-- The home page shows the open notices and the consents about to end, and is kept in memory
-- while the patient's records version stands (src/records_cache.rs): both move it.
CREATE TRIGGER notices_version AFTER INSERT OR UPDATE ON notices
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER consents_version AFTER INSERT OR UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
