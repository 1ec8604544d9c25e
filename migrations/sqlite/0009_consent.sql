-- Consent: which institution may read which kinds of a patient's data, and for how long. A
-- consent's terms never change: narrowing, widening or renewing inserts a new consent that
-- replaces the open one (ending = 'replaced'), revoking ends it (ending = 'revoked'). Nothing is
-- deleted, so every consent ever given stays readable, and "consent #12 allowed this read" in
-- the access log always names exact terms. The card check that approved each one is kept.
CREATE TABLE consents (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patients(id),
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    kinds             TEXT NOT NULL,          -- sorted names, comma-separated
    period            TEXT NOT NULL,          -- visit | until | until_revoked
    until_day         TEXT,                   -- the last Japan day, for 'until'
    granted_at        TEXT NOT NULL,
    expires_at        TEXT,                   -- NULL: until revoked
    card_check_id     INTEGER NOT NULL REFERENCES card_checks(id),
    replaces          INTEGER REFERENCES consents(id),
    ended_at          TEXT,
    ending            TEXT                    -- revoked | replaced
);
-- At most one open consent per patient and institution.
CREATE UNIQUE INDEX consents_open ON consents (patient_id, institution_code) WHERE ended_at IS NULL;
CREATE INDEX consents_by_patient ON consents (patient_id, granted_at);

CREATE TRIGGER consents_terms_fixed BEFORE UPDATE ON consents
WHEN OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL OR NEW.ending IS NULL
  OR NEW.patient_id IS NOT OLD.patient_id OR NEW.institution_code IS NOT OLD.institution_code
  OR NEW.kinds IS NOT OLD.kinds OR NEW.period IS NOT OLD.period
  OR NEW.until_day IS NOT OLD.until_day OR NEW.granted_at IS NOT OLD.granted_at
  OR NEW.expires_at IS NOT OLD.expires_at OR NEW.card_check_id IS NOT OLD.card_check_id
  OR NEW.replaces IS NOT OLD.replaces
BEGIN SELECT RAISE(ABORT, 'a consent''s terms never change; it only ends, once'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consents are kept'); END;

-- Each card check approves one consent change only: a check is a signature over one set of
-- terms, never a five-minute licence for several.
CREATE TABLE consent_approvals (
    card_check_id  INTEGER PRIMARY KEY REFERENCES card_checks(id),
    patient_id     INTEGER NOT NULL REFERENCES patients(id),
    approved_at    TEXT NOT NULL
);

-- Institutions' API credentials: the secret is shown once when issued and only its SHA-256 is
-- kept (it is 256 random bits, so no slow hash is needed). Scoped to one institution code.
CREATE TABLE institution_credentials (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,   -- the token's first part, to find the row
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    secret_sha256     TEXT NOT NULL,
    label             TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    last_used_at      TEXT,
    revoked_at        TEXT
);
CREATE INDEX institution_credentials_by_code ON institution_credentials (institution_code);
