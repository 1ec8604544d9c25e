-- The card-reader consent flow at an institution's counter, and notices to the patient.

-- A card check made at a counter belongs to a login that was never a session: opened and ended
-- in the same moment (end_reason 'counter'), naming the institution whose terminal read the
-- card. It keeps the card check and the consent it approved tied to that place.
ALTER TABLE logins ADD COLUMN counter_institution TEXT REFERENCES institutions(code);

-- What the patient should learn on their home page: an institution read their data for the
-- first time, a consent is about to end. One row per topic (`first_read:<code>`,
-- `consent_expiring:<consent id>`), so a notice is raised once; dismissing keeps the row.
CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patients(id),
    topic             TEXT NOT NULL,
    kind              TEXT NOT NULL,          -- first_read | consent_expiring
    institution_code  TEXT REFERENCES institutions(code),
    consent_id        INTEGER REFERENCES consents(id),
    raised_at         TEXT NOT NULL,
    dismissed_at      TEXT,
    UNIQUE (patient_id, topic)
);
CREATE INDEX notices_open ON notices (patient_id) WHERE dismissed_at IS NULL;

CREATE TRIGGER notices_dismissed_once BEFORE UPDATE ON notices
WHEN OLD.dismissed_at IS NOT NULL OR NEW.dismissed_at IS NULL
  OR NEW.patient_id IS NOT OLD.patient_id OR NEW.topic IS NOT OLD.topic
  OR NEW.kind IS NOT OLD.kind OR NEW.institution_code IS NOT OLD.institution_code
  OR NEW.consent_id IS NOT OLD.consent_id OR NEW.raised_at IS NOT OLD.raised_at
BEGIN SELECT RAISE(ABORT, 'a notice is only ever dismissed, once'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are kept'); END;

-- The home page shows the open notices and the consents about to end, and is kept in memory
-- while the patient's records version stands (src/records_cache.rs): both move it.
CREATE TRIGGER notices_version_insert AFTER INSERT ON notices
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER notices_version_update AFTER UPDATE ON notices
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER consents_version_insert AFTER INSERT ON consents
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER consents_version_update AFTER UPDATE ON consents
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
