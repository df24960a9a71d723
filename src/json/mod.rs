//! Go-compatible JSON (contract §3): the bytes `encoding/json`'s `json.Marshal` writes for
//! the API's structs, and the decoding and checking of cached values.
//!
//! - [`write_str`], [`write_f64`], [`write_time`], [`write_i64`]: strings, floats, times and
//!   integers in Go's exact layout;
//! - [`GoJson`]: the encoders of every model type (member order and `omitempty` rules);
//! - [`decode_value`] and [`check_value`]: a cached value back into model types, with the
//!   problems found on the way, a summary for `inspect`, and helpers for lineage graphs.
mod decode;
mod encode;
mod value;
mod write;

#[cfg(test)]
mod tests_decode;
#[cfg(test)]
mod tests_encode;
#[cfg(test)]
mod tests_roundtrip;
#[cfg(test)]
mod tests_write;

pub use decode::DecodeProblem;
pub use encode::Encoder;
pub use value::{
    check_value, decode_graph, decode_value, first_node_id, has_node, seed_present, Decoded,
    ValueSummary,
};
pub use write::{
    is_plain, write_bool, write_f64, write_i64, write_str, write_str_body, write_time,
};

use crate::model::Timestamp;

/// A value `json.Marshal` refuses, so the API would never cache it.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum EncodeError {
    /// Go's `json: unsupported value: NaN` (or `+Inf`, `-Inf`).
    #[error("json: unsupported value: {0} (Go cannot encode a non-finite float)")]
    NonFiniteFloat(f64),
    /// Go's `Time.MarshalJSON: year outside of range [0,9999]`.
    #[error("time {secs}s since the epoch has a year outside of range [0,9999]", secs = .0.secs)]
    TimeOutOfRange(Timestamp),
}

/// A value with Go's `json.Marshal` encoding.
pub trait GoJson {
    /// Write the value through `enc`. Implementations call the [`Encoder`] methods.
    fn encode(&self, enc: &mut Encoder<'_>);

    /// Append Go's bytes for the value to `out`.
    ///
    /// A part Go would refuse (see [`EncodeError`]) is written as `null` so the output stays
    /// valid JSON; use [`GoJson::try_to_json`] to refuse such a value as the API does.
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut enc = Encoder::new(out);
        self.encode(&mut enc);
    }

    /// Go's bytes for the value (lenient like [`GoJson::write_json`]).
    fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.write_json(&mut out);
        out
    }

    /// Go's bytes for the value, or the first reason `json.Marshal` would fail.
    fn try_to_json(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(256);
        let mut enc = Encoder::new(&mut out);
        self.encode(&mut enc);
        match enc.finish() {
            Some(err) => Err(err),
            None => Ok(out),
        }
    }
}
