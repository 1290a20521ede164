//! The one place where ptuplan rounds: up to a whole number, or up to a deployable PTU size.
//!
//! Floating-point arithmetic leaves noise such as `100.00000000000001` where the exact answer is
//! `100`; rounding that up would add a whole increment. Values within [`RELATIVE_TOLERANCE`] of
//! a whole number count as that number. Inputs are at most ~1e13 and pass through a handful of
//! operations, so the noise is ~1e-15 relative; 1e-9 is far above it and far below any
//! difference that matters to capacity.

/// Relative distance from a whole number under which a value counts as that number.
pub const RELATIVE_TOLERANCE: f64 = 1e-9;

/// Removes floating-point noise from a value: one within the tolerance of a whole number
/// becomes that number (`100.00000000000001` → `100`, `1.0000000000000002` → `1`).
pub fn snap(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= RELATIVE_TOLERANCE * nearest.abs().max(1.0) {
        nearest
    } else {
        x
    }
}

/// Money to the cent, as bills show it (after removing floating-point noise).
pub fn cents(usd: f64) -> f64 {
    (snap(usd * 100.0)).round() / 100.0
}

/// Rounds up to a whole number, treating values within the tolerance of one as that number.
pub fn ceil_whole(x: f64) -> f64 {
    snap(x).ceil()
}

/// The smallest deployable PTU count that is at least `raw`.
///
/// Deployable sizes are the minimum and every multiple of the increment above it, so the
/// result is `max(minimum, raw rounded up to the increment)` as Microsoft's calculator
/// describes it, except where the minimum is not a multiple of the increment (o1 regional:
/// minimum 25, increment 50): a load that fits in the minimum gets the minimum.
pub fn deployable_ptu(raw: f64, min_ptu: u32, increment: u32) -> u64 {
    let min_ptu = u64::from(min_ptu);
    let increment = u64::from(increment.max(1));
    if raw <= min_ptu as f64 * (1.0 + RELATIVE_TOLERANCE) {
        return min_ptu;
    }
    let steps = ceil_whole(raw / increment as f64) as u64;
    (steps * increment).max(min_ptu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_boundaries_stay_exact() {
        assert_eq!(deployable_ptu(100.0, 15, 5), 100);
        // 1,000 RPM × 1,000 prompt tokens with a 70% cache hit rate on gpt-4.1 (3,000 TPM/PTU):
        // 1,000,000 × (1 − 0.7) / 3,000 is exactly 100, but f64 gives 100.00000000000001.
        let raw = 1_000_000.0 * (1.0 - 0.7) / 3_000.0;
        assert!(
            raw > 100.0,
            "the noise this test guards against is present: {raw}"
        );
        assert_eq!(deployable_ptu(raw, 15, 5), 100);
        assert_eq!(ceil_whole(raw), 100.0);
    }

    #[test]
    fn rounds_up_to_the_increment_and_the_minimum() {
        assert_eq!(deployable_ptu(100.01, 15, 5), 105);
        assert_eq!(deployable_ptu(147.06, 50, 50), 150);
        assert_eq!(deployable_ptu(105.88, 15, 5), 110);
        assert_eq!(deployable_ptu(76.47, 15, 5), 80);
        assert_eq!(deployable_ptu(0.0, 15, 5), 15);
        assert_eq!(deployable_ptu(3.2, 15, 5), 15);
        assert_eq!(deployable_ptu(15.0, 15, 5), 15);
        assert_eq!(deployable_ptu(15.2, 15, 5), 20);
    }

    #[test]
    fn minimum_that_is_not_a_multiple_of_the_increment() {
        // o1 regional: minimum 25, increment 50.
        assert_eq!(deployable_ptu(10.0, 25, 50), 25);
        assert_eq!(deployable_ptu(25.0, 25, 50), 25);
        assert_eq!(deployable_ptu(26.0, 25, 50), 50);
        assert_eq!(deployable_ptu(51.0, 25, 50), 100);
    }

    #[test]
    fn snap_removes_noise_only() {
        assert_eq!(snap(100.000_000_000_000_01), 100.0);
        assert_eq!(snap(1.000_000_000_000_000_2), 1.0);
        assert_eq!(snap(300_000.000_000_000_06), 300_000.0);
        assert_eq!(snap(76.47), 76.47);
        assert_eq!(snap(0.5), 0.5);
    }

    #[test]
    fn ceil_whole_rounds_real_fractions_up() {
        assert_eq!(ceil_whole(2.5), 3.0);
        assert_eq!(ceil_whole(3_000_000.0000000005), 3_000_000.0);
        assert_eq!(ceil_whole(0.0), 0.0);
        assert_eq!(ceil_whole(83_333.33), 83_334.0);
    }
}
