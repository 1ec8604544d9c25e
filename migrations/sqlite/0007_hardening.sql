-- Card ceremonies between their two requests (options sent, answer awaited). Kept here rather
-- than in the session record so that taking one is a single DELETE: of two parallel answers to
-- one challenge exactly one gets the state. `id` is the SHA-256 of the handle the session holds.
CREATE TABLE ceremonies (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,               -- enroll | sign_in | autofill_sign_in | step_up | add_card
    state       TEXT NOT NULL,               -- webauthn-rs state (JSON); never sent out
    issued_at   TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);

-- The card's signature counter as a column, so a sign-in moves it only forward in one
-- statement (`WHERE sign_count < new`); the credential record still carries it for webauthn-rs.
-- Existing cards start at 0 and take their counter at their next use.
ALTER TABLE cards ADD COLUMN sign_count INTEGER NOT NULL DEFAULT 0;

-- A login's last card check was one time for every purpose; checks now count for the purpose
-- they were made for, and `card_checks` keeps each with it, so the column has no reader left.
ALTER TABLE logins DROP COLUMN last_card_check;

-- Session records are now stored under the SHA-256 of the cookie's id; records under a plain
-- id could never be found again, so they go (everyone signs in once more).
DELETE FROM web_sessions;
