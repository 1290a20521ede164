//! Distributions: count, mean and nearest-rank percentiles of a list of values.

use serde::Serialize;

/// Summary of many values. Field names are the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Distribution {
    /// How many values.
    pub count: u64,
    /// Their mean.
    pub mean: f64,
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl Distribution {
    /// Summarizes `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Distribution {
            count: sorted.len() as u64,
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
            p50: nearest_rank(&sorted, 50.0),
            p95: nearest_rank(&sorted, 95.0),
            max: sorted[sorted.len() - 1],
        })
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `pct`% of the
/// values at or below it.
pub fn nearest_rank(sorted: &[f64], pct: f64) -> f64 {
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        let d = Distribution::of(&values).expect("some");
        assert_eq!(
            (d.count, d.mean, d.p50, d.p95, d.max),
            (20, 10.5, 10.0, 19.0, 20.0)
        );
        let one = Distribution::of(&[7.0]).expect("some");
        assert_eq!((one.p50, one.p95, one.max), (7.0, 7.0, 7.0));
        assert!(Distribution::of(&[]).is_none());
    }
}
