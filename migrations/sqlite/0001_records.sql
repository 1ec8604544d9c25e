-- Patients and their records. The internal patients.id is the key every record hangs on (and,
-- on PostgreSQL, the future partition key); insured-person numbers are a dated history in
-- coverages because a person's number changes with their insurer.

CREATE TABLE institutions (
    code        TEXT PRIMARY KEY,            -- 10-digit medical institution code
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- hospital | clinic | dental_clinic | pharmacy
    prefecture  TEXT NOT NULL                -- 01..47
);

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,        -- opaque id for URLs and WebAuthn user handles
    link_key    TEXT NOT NULL UNIQUE,        -- the intermediary's person linkage key from feeds
    name        TEXT NOT NULL,
    name_kana   TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    sex         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE coverages (
    id                   INTEGER PRIMARY KEY,
    patient_id           INTEGER NOT NULL REFERENCES patients(id),
    kind                 TEXT NOT NULL,      -- employee | national | later_elderly | welfare_aid
    insurer_number       TEXT,
    insurer_name         TEXT NOT NULL,
    symbol               TEXT,
    member_number        TEXT,
    branch               TEXT,
    public_payer_number  TEXT,
    recipient_number     TEXT,
    welfare_office       TEXT,
    ceiling_category     TEXT,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    loaded_at            TEXT NOT NULL,
    import_id            INTEGER NOT NULL,
    UNIQUE (patient_id, kind, valid_from)
);
CREATE INDEX coverages_insured ON coverages (insurer_number, member_number, branch);
CREATE INDEX coverages_welfare ON coverages (public_payer_number, recipient_number);

CREATE TABLE welfare_designations (
    coverage_id       INTEGER NOT NULL REFERENCES coverages(id),
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    PRIMARY KEY (coverage_id, institution_code)
);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    inserted     INTEGER NOT NULL,
    loaded_at    TEXT NOT NULL
);

CREATE TABLE medications (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients(id),
    record_key       TEXT NOT NULL,
    dispensed_on     TEXT NOT NULL,
    dispenser_code   TEXT NOT NULL REFERENCES institutions(code),
    prescriber_code  TEXT REFERENCES institutions(code),
    drug_code        TEXT NOT NULL,
    drug_name        TEXT NOT NULL,
    strength         TEXT NOT NULL,
    dose_per_day     REAL,
    days_supplied    INTEGER NOT NULL,
    quantity         REAL NOT NULL,
    unit             TEXT NOT NULL,
    route            TEXT NOT NULL,
    generic          BOOLEAN NOT NULL,
    source           TEXT NOT NULL,
    loaded_at        TEXT NOT NULL,
    import_id        INTEGER NOT NULL REFERENCES imports(id),
    UNIQUE (patient_id, record_key)
);
CREATE INDEX medications_by_date ON medications (patient_id, dispensed_on);

CREATE TABLE checkups (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients(id),
    record_key          TEXT NOT NULL,
    examined_on         TEXT NOT NULL,
    fiscal_year         INTEGER NOT NULL,
    kind                TEXT NOT NULL,      -- specific | later_elderly
    institution_code    TEXT NOT NULL REFERENCES institutions(code),
    fasting             BOOLEAN NOT NULL,
    on_bp_medication    BOOLEAN NOT NULL,
    on_glucose_medication BOOLEAN NOT NULL,
    on_lipid_medication BOOLEAN NOT NULL,
    smoker              BOOLEAN NOT NULL,
    source              TEXT NOT NULL,
    loaded_at           TEXT NOT NULL,
    import_id           INTEGER NOT NULL REFERENCES imports(id),
    UNIQUE (patient_id, record_key)
);
CREATE INDEX checkups_by_date ON checkups (patient_id, examined_on);

CREATE TABLE checkup_results (
    checkup_id   INTEGER NOT NULL REFERENCES checkups(id),
    item_code    TEXT NOT NULL,             -- 17-digit specific-checkup item code
    value_num    REAL,
    value_grade  TEXT,
    PRIMARY KEY (checkup_id, item_code)
);

CREATE TABLE cost_notices (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patients(id),
    record_key        TEXT NOT NULL,
    care_month        TEXT NOT NULL,        -- YYYY-MM, month of care in Japan time
    institution_code  TEXT NOT NULL REFERENCES institutions(code),
    care_type         TEXT NOT NULL,
    days              INTEGER NOT NULL,
    total_yen         INTEGER NOT NULL,
    insurer_paid_yen  INTEGER NOT NULL,
    patient_paid_yen  INTEGER NOT NULL,
    source            TEXT NOT NULL,
    loaded_at         TEXT NOT NULL,
    import_id         INTEGER NOT NULL REFERENCES imports(id),
    UNIQUE (patient_id, record_key)
);
CREATE INDEX cost_notices_by_month ON cost_notices (patient_id, care_month);
