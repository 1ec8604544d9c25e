-- Card sign-in: server-side web sessions, registered cards, one-time enrollment codes, the
-- index of signed-in sessions per patient and card, and the append-only patient event log.

CREATE TABLE web_sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL              -- unix seconds
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

CREATE TABLE cards (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     BIGINT NOT NULL REFERENCES patients(id),
    credential_id  TEXT NOT NULL UNIQUE,      -- base64url
    kind           TEXT NOT NULL,             -- attested | passkey
    credential     TEXT NOT NULL,             -- the verifier's credential record; never sent out
    created_at     TIMESTAMPTZ NOT NULL,
    last_used_at   TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    revoke_reason  TEXT
);
CREATE INDEX cards_by_patient ON cards (patient_id);

CREATE TABLE enrollment_codes (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id     BIGINT NOT NULL REFERENCES patients(id),
    code_hash      TEXT NOT NULL UNIQUE,      -- HMAC-SHA256 under the server key, hex
    issued_at      TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ,
    superseded_at  TIMESTAMPTZ
);
CREATE INDEX enrollment_codes_by_patient ON enrollment_codes (patient_id);

CREATE TABLE logins (
    id               TEXT PRIMARY KEY,        -- random; the web session holds it
    patient_id       BIGINT NOT NULL REFERENCES patients(id),
    card_id          BIGINT NOT NULL REFERENCES cards(id),
    signed_in_at     TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    last_card_check  TIMESTAMPTZ NOT NULL,           -- for step-up: the last fresh card assertion
    user_agent       TEXT NOT NULL,
    ended_at         TIMESTAMPTZ,
    end_reason       TEXT
);
CREATE INDEX logins_by_patient ON logins (patient_id);
CREATE INDEX logins_by_card ON logins (card_id);

CREATE TABLE patient_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id   BIGINT NOT NULL REFERENCES patients(id),
    occurred_at  TIMESTAMPTZ NOT NULL,
    kind         TEXT NOT NULL,
    card_id      BIGINT,
    login_id     TEXT,
    detail       TEXT NOT NULL
);
CREATE INDEX patient_events_by_patient ON patient_events (patient_id, occurred_at);

CREATE FUNCTION patient_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'patient_events is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER patient_events_no_change BEFORE UPDATE OR DELETE ON patient_events
    FOR EACH ROW EXECUTE FUNCTION patient_events_append_only();
