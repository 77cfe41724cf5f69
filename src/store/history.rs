//! How an execution's history is kept: its events as one JSON array, compressed with
//! zstd and a dictionary trained on registration histories (`data/history-1.zdict`).
//!
//! A history repeats the same keys, state names, ARNs and refusal sentences from one
//! execution to the next; the dictionary holds them once for all, so a history keeps
//! only what is its own (about half the bytes of compressing it alone). Each compressed
//! frame names the dictionary it needs, so a dictionary once shipped can never change:
//! train a new one, add it to `DICTIONARIES` under its own file, and keep the old ones.
//! Histories compressed with no dictionary (databases written before there was one)
//! read as they always did.

use std::cell::RefCell;
use std::io::Read;

use super::{Result, StoreError};
use crate::workflow::HistoryEvent;

/// zstd level: 3 is zstd's default; higher levels cost more time than they save bytes.
const LEVEL: i32 = 3;

/// Every dictionary histories were ever compressed with; the last one compresses new
/// ones. Made by `cargo run --release --example history-dictionary`.
const DICTIONARIES: &[&[u8]] = &[
    include_bytes!("../../data/history-1.zdict"),
    // Trained once Lambda tasks were recorded with AWS's LambdaFunction… events.
    include_bytes!("../../data/history-2.zdict"),
];

/// An execution's history, serialised and compressed, ready to keep. Encoding is the
/// costly part of keeping an execution; doing it before taking the store's lock lets
/// several executions encode at once.
pub struct EncodedHistory(pub(super) Vec<u8>);

impl EncodedHistory {
    /// The compressed bytes, as the store keeps them.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The dictionary new histories are compressed with, digested once for all threads:
/// loading a raw dictionary into a context costs more than compressing a history.
static PREPARED: std::sync::LazyLock<zstd::dict::EncoderDictionary<'static>> =
    std::sync::LazyLock::new(|| zstd::dict::EncoderDictionary::copy(current(), LEVEL));

thread_local! {
    /// One compression context per thread, reused from one history to the next.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
}

/// Serialises and compresses history events for `Store::finish_execution_encoded`.
pub fn encode_history(events: &[HistoryEvent]) -> Result<EncodedHistory> {
    let json = serde_json::to_vec(events)
        .map_err(|e| StoreError::Other(format!("cannot encode the history: {e}")))?;
    compress(&json).map(EncodedHistory)
}

fn compress(json: &[u8]) -> Result<Vec<u8>> {
    let failed = |e: std::io::Error| StoreError::Other(format!("cannot compress the history: {e}"));
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let compressor = match &mut *slot {
            Some(compressor) => compressor,
            None => slot.insert(
                zstd::bulk::Compressor::with_prepared_dictionary(&PREPARED).map_err(failed)?,
            ),
        };
        compressor.compress(json).map_err(failed)
    })
}

/// The dictionary new histories are compressed with.
fn current() -> &'static [u8] {
    DICTIONARIES.last().copied().unwrap_or_default()
}

/// The events of a kept history.
pub(super) fn decode_history(blob: &[u8]) -> Result<Vec<HistoryEvent>> {
    let json = decompress(blob)?;
    serde_json::from_slice(&json).map_err(damaged)
}

fn decompress(blob: &[u8]) -> Result<Vec<u8>> {
    let mut json = Vec::new();
    match zstd::zstd_safe::get_dict_id_from_frame(blob) {
        None => zstd::stream::read::Decoder::with_buffer(blob)
            .and_then(|mut d| d.read_to_end(&mut json))
            .map_err(damaged)?,
        Some(id) => {
            let dictionary = DICTIONARIES
                .iter()
                .find(|d| zstd::zstd_safe::get_dict_id_from_dict(d) == Some(id))
                .ok_or_else(|| {
                    StoreError::Other(format!(
                        "the stored history needs compression dictionary {id}, which this \
                         version of daycare does not have; use a newer daycare"
                    ))
                })?;
            zstd::stream::read::Decoder::with_dictionary(blob, dictionary)
                .and_then(|mut d| d.read_to_end(&mut json))
                .map_err(damaged)?
        }
    };
    Ok(json)
}

fn damaged(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("the stored history is damaged: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start of a registration's history, as the engine records it.
    fn history() -> Vec<HistoryEvent> {
        let input = serde_json::json!({"registration_info": {
            "child": {"firstName": "Zoë", "lastName": "Okafor", "dateOfBirth": "2023-02-14"},
            "parents": {"mother": {"firstName": "Ada", "lastName": "Okafor", "phone": "555-0100"}},
            "daysOfWeek": ["Monday", "Wednesday"]
        }})
        .to_string();
        serde_json::from_value(serde_json::json!([
            {"timestamp": "2026-11-24T09:00:00.000001Z", "type": "ExecutionStarted", "id": 1,
             "previousEventId": 0, "executionStartedEventDetails": {"input": input,
             "inputDetails": {"truncated": false}}},
            {"timestamp": "2026-11-24T09:00:00.000002Z", "type": "TaskStateEntered", "id": 2,
             "previousEventId": 1, "stateEnteredEventDetails": {"name": "Check Information",
             "input": input, "inputDetails": {"truncated": false}}}
        ]))
        .unwrap()
    }

    fn json(events: &[HistoryEvent]) -> String {
        serde_json::to_string(events).unwrap()
    }

    #[test]
    fn a_history_reads_back_as_it_was_kept() {
        let events = history();
        assert_eq!(events.len(), 2);
        let kept = encode_history(&events).unwrap();
        assert_eq!(json(&decode_history(kept.bytes()).unwrap()), json(&events));
    }

    #[test]
    fn new_histories_name_the_current_dictionary() {
        let kept = encode_history(&history()).unwrap();
        let id = zstd::zstd_safe::get_dict_id_from_frame(kept.bytes());
        assert!(id.is_some());
        assert_eq!(id, zstd::zstd_safe::get_dict_id_from_dict(current()));
    }

    #[test]
    fn histories_kept_with_an_earlier_dictionary_still_read() {
        let json = json(&history());
        let mut old = zstd::bulk::Compressor::with_dictionary(LEVEL, DICTIONARIES[0]).unwrap();
        let blob = old.compress(json.as_bytes()).unwrap();
        assert_ne!(
            zstd::zstd_safe::get_dict_id_from_frame(&blob),
            zstd::zstd_safe::get_dict_id_from_dict(current())
        );
        assert_eq!(decode_history(&blob).unwrap(), history());
    }

    #[test]
    fn histories_kept_without_a_dictionary_still_read() {
        let events = history();
        let plain = zstd::encode_all(json(&events).as_bytes(), LEVEL).unwrap();
        assert_eq!(zstd::zstd_safe::get_dict_id_from_frame(&plain), None);
        assert_eq!(json(&decode_history(&plain).unwrap()), json(&events));
    }

    #[test]
    fn a_history_needing_an_unknown_dictionary_is_refused_with_a_reason() {
        let samples: Vec<String> = (0..200)
            .map(|i| {
                format!(
                    "{{\"other\": {i}, \"text\": \"unlike a history {}\"}}",
                    i * 7
                )
            })
            .collect();
        let other = zstd::dict::from_samples(&samples, 1024).unwrap();
        let blob = zstd::bulk::Compressor::with_dictionary(LEVEL, &other)
            .unwrap()
            .compress(json(&history()).as_bytes())
            .unwrap();
        let err = decode_history(&blob).unwrap_err().to_string();
        assert!(err.contains("dictionary"), "{err}");
    }

    #[test]
    fn garbage_is_damaged_not_a_panic() {
        let err = decode_history(b"not zstd at all").unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }
}
