//! The OpenAPI 3.1 description of the institution API, served at
//! `/institution/v1/openapi.json`. Kept beside the handlers; `tests/institution_api_http.rs`
//! checks that every route it names answers and every route answering is named.

use crate::domain::consent::DataKind;
use axum::Json;
use serde_json::{Value, json};

pub async fn document() -> Json<Value> {
    Json(describe())
}

/// The kinds of data and what a record of each holds.
const READS: [(DataKind, &str); 4] = [
    (
        DataKind::Qualification,
        "The insurance qualification in force on the visit day, with the ceiling category for high-cost care (限度額適用区分); null when none is.",
    ),
    (
        DataKind::Medications,
        "Dispensed medicines from three years before the visit to the visit day, newest first.",
    ),
    (
        DataKind::Checkups,
        "Specific health checkups from five years before the visit to the visit day, newest first.",
    ),
    (
        DataKind::CostNotices,
        "Medical cost notice lines from three years before the visit to the visit day, newest month first.",
    ),
];

pub fn describe() -> Value {
    let mut paths = serde_json::Map::new();
    for (kind, what) in READS {
        let path = super::path_of(kind);
        let kind = kind.as_str();
        paths.insert(
            path.to_owned(),
            json!({
                "post": {
                    "operationId": format!("read_{kind}"),
                    "summary": format!("Read a patient's {}", kind.replace('_', " ")),
                    "description": format!("{what} Answered only when the patient's current consent for the calling institution includes `{kind}` and its period covers the visit day. Every call naming a patient is recorded in that patient's access log, which the patient reads. Records the patient reported as not theirs are never sent."),
                    "security": [{ "institutionCredential": [] }],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Lookup" } } }
                    },
                    "responses": {
                        "200": { "description": "What the consent allows.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Answer" } } } },
                        "400": { "description": "The body or a field is not valid (`body_invalid`, or `fields_invalid` with a code per field).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "401": { "description": "No credential, or not a working one (`credential_missing`, `credential_invalid`).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "403": { "description": "No consent allows this read: `consent_missing` (also for a number no patient holds on the visit day), `consent_expired`, `consent_revoked`, `consent_kind_missing`, `consent_visit_outside`.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "429": { "description": "Too many calls with this credential (`rate_limited`); see `Retry-After`.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                    }
                }
            }),
        );
    }
    paths.insert(
        "/emergency".to_owned(),
        json!({
            "post": {
                "operationId": "start_emergency_access",
                "summary": "Start emergency access (hospitals only)",
                "description": "For a patient who cannot consent: lets the calling hospital read `medications` and `checkups` with the usual calls for 24 hours without a consent. A reason from the list and an account in words are required. Every start and every read under it is flagged in the patient's access log, the patient is told on their home page, and the portal's operators review each one. While one runs, another needs a new account of what happened (repeating the call does not renew it). At most 10 starts an hour per institution.",
                "security": [{ "institutionCredential": [] }],
                "requestBody": {
                    "required": true,
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EmergencyStart" } } }
                },
                "responses": {
                    "201": { "description": "Started.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EmergencyStarted" } } } },
                    "400": { "description": "The body or a field is not valid (`fields_invalid`: `reason` `required` or `emergency_reason_unknown`, `note` `required` or `too_long`, and the patient's number as for reads).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "401": { "description": "No credential, or not a working one.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "403": { "description": "`emergency_not_hospital`: only hospitals may start emergency access.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "404": { "description": "`patient_not_found`: no patient holds this number today.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "409": { "description": "`emergency_not_renewed`: one is running with the same account; say what happened since.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "429": { "description": "Too many starts by this institution in the last hour (`rate_limited`); see `Retry-After`.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
            }
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Patient health record portal: institution API",
            "version": "1",
            "description": "Clinics, hospitals and pharmacies read the data a patient consented to share with them. Credentials are issued per institution by the portal's operators (`portal institutions issue-credential`)."
        },
        "servers": [{ "url": super::PREFIX }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "institutionCredential": { "type": "http", "scheme": "bearer", "description": "The institution's credential, `<id>.<secret>`, shown once when issued." }
            },
            "schemas": {
                "Lookup": {
                    "type": "object",
                    "required": ["visit_date"],
                    "oneOf": [{ "required": ["insured"] }, { "required": ["public_aid"] }],
                    "additionalProperties": false,
                    "properties": {
                        "insured": {
                            "type": "object",
                            "description": "The insured-person number as on the card (被保険者等記号・番号・枝番).",
                            "required": ["insurer", "number"],
                            "additionalProperties": false,
                            "properties": {
                                "insurer": { "type": "string", "description": "保険者番号: 6 or 8 digits with a valid check digit." },
                                "symbol": { "type": "string", "description": "記号; empty when the card has none." },
                                "number": { "type": "string", "description": "番号." },
                                "branch": { "type": "string", "description": "枝番: two digits; empty on older cards." }
                            }
                        },
                        "public_aid": {
                            "type": "object",
                            "description": "For recipients of welfare medical aid (医療扶助), who have no insured-person number: the numbers on their medical ticket. Give either `insured` or `public_aid`.",
                            "required": ["payer", "recipient"],
                            "additionalProperties": false,
                            "properties": {
                                "payer": { "type": "string", "description": "公費負担者番号: 8 digits, law number 12, valid check digit." },
                                "recipient": { "type": "string", "description": "受給者番号: 7 digits, valid check digit." }
                            }
                        },
                        "visit_date": { "type": "string", "format": "date", "description": "The day of the visit (Japan time), not in the future." }
                    }
                },
                "EmergencyStart": {
                    "type": "object",
                    "required": ["reason", "note"],
                    "oneOf": [{ "required": ["insured"] }, { "required": ["public_aid"] }],
                    "additionalProperties": false,
                    "properties": {
                        "insured": { "$ref": "#/components/schemas/Lookup/properties/insured" },
                        "public_aid": { "$ref": "#/components/schemas/Lookup/properties/public_aid" },
                        "reason": { "type": "string", "enum": ["unconscious", "cannot_communicate", "life_threatening", "disaster"], "description": "Why the patient cannot consent themself." },
                        "note": { "type": "string", "maxLength": 500, "description": "What happened, in words, for the operators' review (not shown in the patient's log)." }
                    }
                },
                "EmergencyStarted": {
                    "type": "object",
                    "required": ["emergency_id", "reason", "started_at", "ends_at", "kinds"],
                    "properties": {
                        "emergency_id": { "type": "integer" },
                        "reason": { "type": "string" },
                        "started_at": { "type": "string", "format": "date-time" },
                        "ends_at": { "type": "string", "format": "date-time" },
                        "kinds": { "type": "array", "items": { "type": "string" } }
                    }
                },
                "Answer": {
                    "type": "object",
                    "required": ["kind", "visit_date", "consent_id", "emergency_id", "from", "records"],
                    "properties": {
                        "kind": { "type": "string", "enum": ["qualification", "medications", "checkups", "cost_notices"] },
                        "visit_date": { "type": "string", "format": "date" },
                        "consent_id": { "type": ["integer", "null"], "description": "The consent that allowed this read, as the patient's access log names it; null when an emergency access did." },
                        "emergency_id": { "type": ["integer", "null"], "description": "The emergency access that allowed this read where no consent did." },
                        "from": { "type": "string", "format": "date", "description": "Records dated from this day to the visit day are included." },
                        "records": { "description": "An array of records, or for qualification one object or null." }
                    }
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": { "type": "string" },
                                "message": { "type": "string" },
                                "kind": { "type": "string", "description": "For a refusal: the kind of data asked for." },
                                "retry_at": { "type": "string", "format": "date-time" },
                                "fields": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["field", "code"],
                                        "properties": { "field": { "type": "string", "examples": ["insured.insurer", "visit_date"] }, "code": { "type": "string", "examples": ["insurer_number_check_digit", "invalid_date", "required"] } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
