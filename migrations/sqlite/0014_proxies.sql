-- Family proxies (src/domain/proxy.rs): a patient lets another patient, signed in with their
-- own card, see their records or also manage their consents, until a day. An invitation names
-- the proxy's insured-person number and carries a one-time code kept only as an HMAC under the
-- server key; a grant is made when the named person accepts with the code. Grants are kept
-- after they end (revoked, locked, expired); each change is also in the patient's access log.
CREATE TABLE proxy_invitations (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patients(id),
    -- The proxy's number as stored in coverages (storage::member_key, parts joined by ':'):
    -- only its holder may accept, and inviting never reveals whether they use the portal.
    proxy_member  TEXT NOT NULL,
    code_hash     TEXT NOT NULL UNIQUE,
    scope         TEXT NOT NULL CHECK (scope IN ('view_records', 'manage_consent')),
    until         TEXT NOT NULL,              -- the grant's last day (Japan)
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,              -- the code's own end (a week)
    attempts      INTEGER NOT NULL DEFAULT 0,
    accepted_at   TEXT,
    cancelled_at  TEXT
);
CREATE INDEX proxy_invitations_by_patient ON proxy_invitations (patient_id);
CREATE INDEX proxy_invitations_open ON proxy_invitations (proxy_member)
    WHERE accepted_at IS NULL AND cancelled_at IS NULL;

CREATE TABLE proxies (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patients(id),
    proxy_id       INTEGER NOT NULL REFERENCES patients(id),
    scope          TEXT NOT NULL CHECK (scope IN ('view_records', 'manage_consent')),
    kind           TEXT NOT NULL CHECK (kind IN ('invited', 'guardian')),
    invitation_id  INTEGER REFERENCES proxy_invitations(id),
    granted_at     TEXT NOT NULL,
    until          TEXT NOT NULL,             -- the last day (Japan)
    ended_at       TEXT,
    end_reason     TEXT CHECK (end_reason IN ('revoked', 'locked')),
    suspended_at   TEXT,                      -- the patient's card changed; until they confirm
    CHECK (patient_id <> proxy_id),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- One open grant per pair; a new one after the old ended.
CREATE UNIQUE INDEX proxies_open_pair ON proxies (patient_id, proxy_id) WHERE ended_at IS NULL;
CREATE INDEX proxies_by_proxy ON proxies (proxy_id) WHERE ended_at IS NULL;

CREATE TRIGGER proxies_no_delete BEFORE DELETE ON proxies
BEGIN SELECT RAISE(ABORT, 'proxy grants are kept'); END;
-- A grant ends once; its terms never change (a new scope or day is a new grant).
CREATE TRIGGER proxies_ended_once BEFORE UPDATE ON proxies
WHEN OLD.ended_at IS NOT NULL OR NEW.patient_id IS NOT OLD.patient_id
    OR NEW.proxy_id IS NOT OLD.proxy_id OR NEW.scope IS NOT OLD.scope OR NEW.kind IS NOT OLD.kind
    OR NEW.granted_at IS NOT OLD.granted_at
    OR NEW.invitation_id IS NOT OLD.invitation_id
BEGIN SELECT RAISE(ABORT, 'a proxy grant ends once and keeps its terms'); END;
CREATE TRIGGER proxy_invitations_no_delete BEFORE DELETE ON proxy_invitations
BEGIN SELECT RAISE(ABORT, 'proxy invitations are kept'); END;

-- Pages kept in memory for a proxy are keyed by the patient's records version: a grant's
-- change moves it, so nothing kept outlives the access.
CREATE TRIGGER proxies_version_insert AFTER INSERT ON proxies
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;
CREATE TRIGGER proxies_version_update AFTER UPDATE ON proxies
BEGIN UPDATE patients SET records_version = records_version + 1 WHERE id = NEW.patient_id; END;

-- Whom a login acts for: a grant of its patient as a proxy, chosen on /proxies; the grant is
-- checked on every request. A new sign-in starts as oneself.
ALTER TABLE logins ADD COLUMN acting_grant INTEGER REFERENCES proxies(id);
