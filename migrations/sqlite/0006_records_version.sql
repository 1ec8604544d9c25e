-- What a records page shows depends only on these rows, so the server can keep a page's data
-- in memory and reuse it until they change (src/records_cache.rs). Every change to them
-- bumps the patient's records_version, and a change to an institution's name bumps the one
-- records_epoch, from triggers: no write path, CLI import or other server process can forget.
-- The home page also says which cards changed since the previous sign-in, so a sign-in and a
-- card event move the version too. The signed-in check reads both with the login.

ALTER TABLE patients ADD COLUMN records_version INTEGER NOT NULL DEFAULT 0;

CREATE TABLE records_epoch (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO records_epoch (id, version) VALUES (1, 0);

CREATE TRIGGER coverages_version_insert AFTER INSERT ON coverages
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER coverages_version_update AFTER UPDATE ON coverages
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER coverages_version_delete AFTER DELETE ON coverages
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER medications_version_insert AFTER INSERT ON medications
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER medications_version_update AFTER UPDATE ON medications
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER medications_version_delete AFTER DELETE ON medications
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER checkups_version_insert AFTER INSERT ON checkups
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER checkups_version_update AFTER UPDATE ON checkups
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER checkups_version_delete AFTER DELETE ON checkups
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER cost_notices_version_insert AFTER INSERT ON cost_notices
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER cost_notices_version_update AFTER UPDATE ON cost_notices
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER cost_notices_version_delete AFTER DELETE ON cost_notices
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER record_disputes_version_insert AFTER INSERT ON record_disputes
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER record_disputes_version_update AFTER UPDATE ON record_disputes
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER record_disputes_version_delete AFTER DELETE ON record_disputes
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER receipts_version_insert AFTER INSERT ON receipts
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER receipts_version_update AFTER UPDATE ON receipts
BEGIN UPDATE patients SET records_version = records_version + 1
    WHERE id IN (OLD.patient_id, NEW.patient_id); END;
CREATE TRIGGER receipts_version_delete AFTER DELETE ON receipts
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id; END;

CREATE TRIGGER welfare_designations_version_insert AFTER INSERT ON welfare_designations
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = NEW.coverage_id); END;
CREATE TRIGGER welfare_designations_version_update AFTER UPDATE ON welfare_designations
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = OLD.coverage_id);
    UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = NEW.coverage_id); END;
CREATE TRIGGER welfare_designations_version_delete AFTER DELETE ON welfare_designations
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = OLD.coverage_id); END;

CREATE TRIGGER checkup_results_version_insert AFTER INSERT ON checkup_results
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = NEW.checkup_id); END;
CREATE TRIGGER checkup_results_version_update AFTER UPDATE ON checkup_results
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = OLD.checkup_id);
    UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = NEW.checkup_id); END;
CREATE TRIGGER checkup_results_version_delete AFTER DELETE ON checkup_results
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = OLD.checkup_id); END;

CREATE TRIGGER logins_version_insert AFTER INSERT ON logins
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER patient_events_version_insert AFTER INSERT ON patient_events
WHEN NEW.kind IN ('card_added', 'card_revoked', 'card_disabled')
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;

-- The inner UPDATE sets only records_version, so it does not fire this trigger again.
CREATE TRIGGER patients_version_update AFTER UPDATE OF name, name_kana, birth_date, sex ON patients
WHEN OLD.name IS NOT NEW.name OR OLD.name_kana IS NOT NEW.name_kana
    OR OLD.birth_date IS NOT NEW.birth_date OR OLD.sex IS NOT NEW.sex
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.id; END;

-- Imports upsert the whole institution list; only a real change counts.
CREATE TRIGGER institutions_epoch_update AFTER UPDATE ON institutions
WHEN OLD.name IS NOT NEW.name OR OLD.name_en IS NOT NEW.name_en OR OLD.kind IS NOT NEW.kind
    OR OLD.prefecture IS NOT NEW.prefecture OR OLD.code IS NOT NEW.code
BEGIN UPDATE records_epoch SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER institutions_epoch_delete AFTER DELETE ON institutions
BEGIN UPDATE records_epoch SET version = version + 1 WHERE id = 1; END;
