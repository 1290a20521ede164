//! Parameter checks shared by the simulator's inputs; each error names the field and the value.

use crate::sim::SimError;

/// Fails with `expected` unless `ok`.
pub(crate) fn require(
    ok: bool,
    field: &'static str,
    value: f64,
    expected: &'static str,
) -> Result<(), SimError> {
    if ok {
        Ok(())
    } else {
        Err(SimError::InvalidParam {
            field,
            value,
            expected,
        })
    }
}

/// `value` must be finite and > 0.
pub(crate) fn positive(field: &'static str, value: f64) -> Result<(), SimError> {
    require(
        value.is_finite() && value > 0.0,
        field,
        value,
        "a finite number above 0",
    )
}

/// `value` must be finite and ≥ 0.
pub(crate) fn non_negative(field: &'static str, value: f64) -> Result<(), SimError> {
    require(
        value.is_finite() && value >= 0.0,
        field,
        value,
        "a finite number at or above 0",
    )
}

/// `value` must be ≥ 0; infinity allowed (no limit).
pub(crate) fn non_negative_or_infinite(field: &'static str, value: f64) -> Result<(), SimError> {
    require(
        value >= 0.0,
        field,
        value,
        "a number at or above 0 (or infinity for no limit)",
    )
}

/// `value` must lie in `[0, 1]`.
pub(crate) fn fraction(field: &'static str, value: f64) -> Result<(), SimError> {
    require(
        (0.0..=1.0).contains(&value),
        field,
        value,
        "a fraction from 0 to 1",
    )
}
