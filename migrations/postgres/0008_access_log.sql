-- The patient's access log: who saw or changed what, when, under which consent, and with what
-- outcome. One hash chain per patient: each entry's hash covers the previous entry's hash and
-- its own content, so `portal verify-log` finds an edited, deleted, inserted or reordered
-- entry. Rows are only inserted (triggers below); the head holds each chain's last link, so a
-- cut-off tail is found too. Appending locks the patient's head row: one chain, one writer.
CREATE TABLE access_log (
    id           BIGSERIAL PRIMARY KEY,
    patient_id   BIGINT NOT NULL REFERENCES patients(id),
    seq          BIGINT NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    actor_kind   TEXT NOT NULL,
    actor_code   TEXT,
    actor_name   TEXT,
    action       TEXT NOT NULL,
    data_kind    TEXT,
    records      BIGINT,
    consent_id   BIGINT,
    reason       TEXT,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (patient_id, seq)
);
CREATE INDEX access_log_newest ON access_log (patient_id, occurred_at);

CREATE TABLE access_log_heads (
    patient_id  BIGINT PRIMARY KEY REFERENCES patients(id),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

CREATE FUNCTION access_log_heads_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.patient_id <> OLD.patient_id
        OR NEW.seq < OLD.seq OR NEW.seq > OLD.seq + 1 THEN
        RAISE EXCEPTION 'access_log_heads only move forward';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_heads_forward BEFORE UPDATE OR DELETE ON access_log_heads
    FOR EACH ROW EXECUTE FUNCTION access_log_heads_forward();
CREATE TRIGGER access_log_heads_no_truncate BEFORE TRUNCATE ON access_log_heads
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
