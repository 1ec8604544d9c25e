-- Card sign-in: server-side web sessions, registered cards, one-time enrollment codes, the
-- index of signed-in sessions per patient and card, and the append-only patient event log.

CREATE TABLE web_sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL              -- unix seconds
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

CREATE TABLE cards (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patients(id),
    credential_id  TEXT NOT NULL UNIQUE,      -- base64url
    kind           TEXT NOT NULL,             -- attested | passkey
    credential     TEXT NOT NULL,             -- the verifier's credential record; never sent out
    created_at     TEXT NOT NULL,
    last_used_at   TEXT,
    revoked_at     TEXT,
    revoke_reason  TEXT
);
CREATE INDEX cards_by_patient ON cards (patient_id);

CREATE TABLE enrollment_codes (
    id             INTEGER PRIMARY KEY,
    patient_id     INTEGER NOT NULL REFERENCES patients(id),
    code_hash      TEXT NOT NULL UNIQUE,      -- HMAC-SHA256 under the server key, hex
    issued_at      TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT,
    superseded_at  TEXT
);
CREATE INDEX enrollment_codes_by_patient ON enrollment_codes (patient_id);

CREATE TABLE logins (
    id               TEXT PRIMARY KEY,        -- random; the web session holds it
    patient_id       INTEGER NOT NULL REFERENCES patients(id),
    card_id          INTEGER NOT NULL REFERENCES cards(id),
    signed_in_at     TEXT NOT NULL,
    last_seen_at     TEXT NOT NULL,
    last_card_check  TEXT NOT NULL,           -- for step-up: the last fresh card assertion
    user_agent       TEXT NOT NULL,
    ended_at         TEXT,
    end_reason       TEXT
);
CREATE INDEX logins_by_patient ON logins (patient_id);
CREATE INDEX logins_by_card ON logins (card_id);

CREATE TABLE patient_events (
    id           INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL REFERENCES patients(id),
    occurred_at  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    card_id      INTEGER,
    login_id     TEXT,
    detail       TEXT NOT NULL
);
CREATE INDEX patient_events_by_patient ON patient_events (patient_id, occurred_at);

CREATE TRIGGER patient_events_no_update BEFORE UPDATE ON patient_events
BEGIN SELECT RAISE(ABORT, 'patient_events is append-only'); END;
CREATE TRIGGER patient_events_no_delete BEFORE DELETE ON patient_events
BEGIN SELECT RAISE(ABORT, 'patient_events is append-only'); END;
