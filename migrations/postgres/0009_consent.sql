-- Consent: which institution may read which kinds of a patient's data, and for how long. A
-- consent's terms never change: narrowing, widening or renewing inserts a new consent that
-- replaces the open one (ending = 'replaced'), revoking ends it (ending = 'revoked'). Nothing is
-- deleted, so every consent ever given stays readable, and "consent #12 allowed this read" in
-- the access log always names exact terms. The card check that approved each one is kept.
CREATE TABLE consents (
    id                BIGSERIAL PRIMARY KEY,
    patient_id        BIGINT NOT NULL REFERENCES patients(id),
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    kinds             TEXT NOT NULL,
    period            TEXT NOT NULL,
    until_day         DATE,
    granted_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ,
    card_check_id     BIGINT NOT NULL REFERENCES card_checks(id),
    replaces          BIGINT REFERENCES consents(id),
    ended_at          TIMESTAMPTZ,
    ending            TEXT
);
CREATE UNIQUE INDEX consents_open ON consents (patient_id, institution_code) WHERE ended_at IS NULL;
CREATE INDEX consents_by_patient ON consents (patient_id, granted_at);

CREATE FUNCTION consents_terms_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'consents are kept';
    END IF;
    IF OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL OR NEW.ending IS NULL
        OR (NEW.patient_id, NEW.institution_code, NEW.kinds, NEW.period, NEW.granted_at,
            NEW.card_check_id)
           IS DISTINCT FROM (OLD.patient_id, OLD.institution_code, OLD.kinds, OLD.period,
            OLD.granted_at, OLD.card_check_id)
        OR NEW.until_day IS DISTINCT FROM OLD.until_day
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
        OR NEW.replaces IS DISTINCT FROM OLD.replaces THEN
        RAISE EXCEPTION 'a consent''s terms never change; it only ends, once';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consents_terms_fixed BEFORE UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION consents_terms_fixed();

-- Each card check approves one consent change only: a check is a signature over one set of
-- terms, never a five-minute licence for several.
CREATE TABLE consent_approvals (
    card_check_id  BIGINT PRIMARY KEY REFERENCES card_checks(id),
    patient_id     BIGINT NOT NULL REFERENCES patients(id),
    approved_at    TIMESTAMPTZ NOT NULL
);

-- Institutions' API credentials: the secret is shown once when issued and only its SHA-256 is
-- kept (it is 256 random bits, so no slow hash is needed). Scoped to one institution code.
CREATE TABLE institution_credentials (
    id                BIGSERIAL PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    secret_sha256     TEXT NOT NULL,
    label             TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    last_used_at      TIMESTAMPTZ,
    revoked_at        TIMESTAMPTZ
);
CREATE INDEX institution_credentials_by_code ON institution_credentials (institution_code);
