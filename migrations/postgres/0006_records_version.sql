-- What a records page shows depends only on these rows, so the server can keep a page's data
-- in memory and reuse it until they change (src/records_cache.rs). Every change to them
-- bumps the patient's records_version, and a change to an institution's name bumps the one
-- records_epoch, from triggers: no write path, CLI import or other server process can forget.
-- The home page also says which cards changed since the previous sign-in, so a sign-in and a
-- card event move the version too. The signed-in check reads both with the login.

ALTER TABLE patients ADD COLUMN records_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE records_epoch (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO records_epoch (id, version) VALUES (1, 0);

CREATE FUNCTION records_version_bump() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = OLD.patient_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION records_version_bump_by_coverage() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = OLD.coverage_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM coverages WHERE id = NEW.coverage_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION records_version_bump_by_checkup() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = OLD.checkup_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE patients SET records_version = records_version + 1 WHERE id = (SELECT patient_id FROM checkups WHERE id = NEW.checkup_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER coverages_version AFTER INSERT OR UPDATE OR DELETE ON coverages
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER medications_version AFTER INSERT OR UPDATE OR DELETE ON medications
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER checkups_version AFTER INSERT OR UPDATE OR DELETE ON checkups
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER cost_notices_version AFTER INSERT OR UPDATE OR DELETE ON cost_notices
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER record_disputes_version AFTER INSERT OR UPDATE OR DELETE ON record_disputes
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER receipts_version AFTER INSERT OR UPDATE OR DELETE ON receipts
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER welfare_designations_version AFTER INSERT OR UPDATE OR DELETE ON welfare_designations
    FOR EACH ROW EXECUTE FUNCTION records_version_bump_by_coverage();
CREATE TRIGGER checkup_results_version AFTER INSERT OR UPDATE OR DELETE ON checkup_results
    FOR EACH ROW EXECUTE FUNCTION records_version_bump_by_checkup();

CREATE TRIGGER logins_version AFTER INSERT ON logins
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();
CREATE TRIGGER patient_events_version AFTER INSERT ON patient_events
    FOR EACH ROW WHEN (NEW.kind IN ('card_added', 'card_revoked', 'card_disabled'))
    EXECUTE FUNCTION records_version_bump();

CREATE FUNCTION patients_version_bump() RETURNS trigger AS $$
BEGIN
    NEW.records_version := OLD.records_version + 1;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER patients_version BEFORE UPDATE OF name, name_kana, birth_date, sex ON patients
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_kana IS DISTINCT FROM NEW.name_kana
        OR OLD.birth_date IS DISTINCT FROM NEW.birth_date OR OLD.sex IS DISTINCT FROM NEW.sex)
    EXECUTE FUNCTION patients_version_bump();

-- Imports upsert the whole institution list; only a real change counts.
CREATE FUNCTION records_epoch_bump() RETURNS trigger AS $$
BEGIN
    UPDATE records_epoch SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER institutions_epoch_update AFTER UPDATE ON institutions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION records_epoch_bump();
CREATE TRIGGER institutions_epoch_delete AFTER DELETE ON institutions
    FOR EACH ROW EXECUTE FUNCTION records_epoch_bump();
