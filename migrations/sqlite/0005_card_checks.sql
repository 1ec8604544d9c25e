-- Every card check a patient passed (sign-in, or a fresh check before a change such as adding
-- a card): the exact assertion the card produced, so a later dispute about "who agreed to this"
-- can be settled by re-verifying the signature against the card's public key. Append-only.

CREATE TABLE card_checks (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients(id),
    card_id             INTEGER NOT NULL REFERENCES cards(id),
    login_id            TEXT NOT NULL REFERENCES logins(id),
    purpose             TEXT NOT NULL,       -- sign_in | step_up
    checked_at          TEXT NOT NULL,
    counter             INTEGER NOT NULL,
    user_verified       INTEGER NOT NULL,
    client_data_json    TEXT NOT NULL,       -- base64url, as the card signed it
    authenticator_data  TEXT NOT NULL,       -- base64url
    signature           TEXT NOT NULL        -- base64url
);
CREATE INDEX card_checks_by_login ON card_checks (login_id, checked_at);
CREATE INDEX card_checks_by_patient ON card_checks (patient_id, checked_at);

CREATE TRIGGER card_checks_no_update BEFORE UPDATE ON card_checks
BEGIN SELECT RAISE(ABORT, 'card_checks is append-only'); END;
CREATE TRIGGER card_checks_no_delete BEFORE DELETE ON card_checks
BEGIN SELECT RAISE(ABORT, 'card_checks is append-only'); END;
