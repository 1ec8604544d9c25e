-- Family proxies (src/domain/proxy.rs): a patient lets another patient, signed in with their
-- own card, see their records or also manage their consents, until a day. An invitation names
-- the proxy's insured-person number and carries a one-time code kept only as an HMAC under the
-- server key; a grant is made when the named person accepts with the code. Grants are kept
-- after they end (revoked, locked, expired); each change is also in the patient's access log.
CREATE TABLE proxy_invitations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    BIGINT NOT NULL REFERENCES patients(id),
    -- The proxy's number as stored in coverages (storage::member_key, parts joined by ':'):
    -- only its holder may accept, and inviting never reveals whether they use the portal.
    proxy_member  TEXT NOT NULL,
    code_hash     TEXT NOT NULL UNIQUE,
    scope         TEXT NOT NULL CHECK (scope IN ('view_records', 'manage_consent')),
    until         DATE NOT NULL,              -- the grant's last day (Japan)
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,       -- the code's own end (a week)
    attempts      BIGINT NOT NULL DEFAULT 0,
    accepted_at   TIMESTAMPTZ,
    cancelled_at  TIMESTAMPTZ
);
CREATE INDEX proxy_invitations_by_patient ON proxy_invitations (patient_id);
CREATE INDEX proxy_invitations_open ON proxy_invitations (proxy_member)
    WHERE accepted_at IS NULL AND cancelled_at IS NULL;

CREATE TABLE proxies (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     BIGINT NOT NULL REFERENCES patients(id),
    proxy_id       BIGINT NOT NULL REFERENCES patients(id),
    scope          TEXT NOT NULL CHECK (scope IN ('view_records', 'manage_consent')),
    kind           TEXT NOT NULL CHECK (kind IN ('invited', 'guardian')),
    invitation_id  BIGINT REFERENCES proxy_invitations(id),
    granted_at     TIMESTAMPTZ NOT NULL,
    until          DATE NOT NULL,             -- the last day (Japan)
    ended_at       TIMESTAMPTZ,
    end_reason     TEXT CHECK (end_reason IN ('revoked', 'locked')),
    suspended_at   TIMESTAMPTZ,               -- the patient's card changed; until they confirm
    CHECK (patient_id <> proxy_id),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- One open grant per pair; a new one after the old ended.
CREATE UNIQUE INDEX proxies_open_pair ON proxies (patient_id, proxy_id) WHERE ended_at IS NULL;
CREATE INDEX proxies_by_proxy ON proxies (proxy_id) WHERE ended_at IS NULL;

CREATE FUNCTION proxies_kept() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'proxy grants are kept';
    END IF;
    -- A grant ends once; its terms never change (a new scope or day is a new grant).
    IF OLD.ended_at IS NOT NULL OR NEW.patient_id <> OLD.patient_id
        OR NEW.proxy_id <> OLD.proxy_id OR NEW.scope <> OLD.scope OR NEW.kind <> OLD.kind
        OR NEW.granted_at <> OLD.granted_at
        OR NEW.invitation_id IS DISTINCT FROM OLD.invitation_id THEN
        RAISE EXCEPTION 'a proxy grant ends once and keeps its terms';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER proxies_kept BEFORE UPDATE OR DELETE ON proxies
    FOR EACH ROW EXECUTE FUNCTION proxies_kept();

CREATE FUNCTION proxy_invitations_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'proxy invitations are kept';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER proxy_invitations_kept BEFORE DELETE ON proxy_invitations
    FOR EACH ROW EXECUTE FUNCTION proxy_invitations_kept();

-- Pages kept in memory for a proxy are keyed by the patient's records version: a grant's
-- change moves it, so nothing kept outlives the access.
CREATE TRIGGER proxies_version AFTER INSERT OR UPDATE ON proxies
    FOR EACH ROW EXECUTE FUNCTION records_version_bump();

-- Whom a login acts for: a grant of its patient as a proxy, chosen on /proxies; the grant is
-- checked on every request. A new sign-in starts as oneself.
ALTER TABLE logins ADD COLUMN acting_grant BIGINT REFERENCES proxies(id);
