//! The offered traffic of a simulation, measured request by request into per-second buckets,
//! as `analyze` measures a log.

use crate::calc::load::MinuteLoad;
use crate::calc::load::SecondBuckets;
use crate::sim::Request;

/// Per-second load of requests added in time order, and per second what standard admission
/// counts (prompt + max_tokens, kept in `prompt`).
#[derive(Debug, Default)]
pub struct OfferedLoad {
    /// Requests and tokens per second.
    pub offered: SecondBuckets,
    /// Per second, `prompt` holds the admission tokens (prompt + max_tokens).
    pub counted: SecondBuckets,
    /// The second being summed: its load and admission tokens.
    current: Option<(i64, MinuteLoad, f64)>,
    /// Where the current second ends, µs: a request before it adds to it without a division.
    second_end_us: u64,
}

impl OfferedLoad {
    /// Adds one request (requests come in time order).
    #[inline]
    pub fn add(&mut self, r: &Request) {
        let load = MinuteLoad {
            requests: 1.0,
            prompt: f64::from(r.prompt),
            cached: f64::from(r.cached),
            completion: f64::from(r.completion),
        };
        let admission = f64::from(r.prompt) + f64::from(r.max_tokens);
        match &mut self.current {
            Some((_, sum, count)) if r.at_us < self.second_end_us => {
                *sum += load;
                *count += admission;
            }
            _ => {
                let second = r.at_us / 1_000_000;
                self.second_end_us = (second + 1) * 1_000_000;
                if let Some(done) = self.current.replace((second as i64, load, admission)) {
                    self.store(done);
                }
            }
        }
    }

    /// Stores the last second; call once after the last request.
    pub fn finish(&mut self) {
        if let Some(done) = self.current.take() {
            self.store(done);
        }
    }

    fn store(&mut self, (second, sum, count): (i64, MinuteLoad, f64)) {
        self.offered.insert(second, sum);
        self.counted.insert(
            second,
            MinuteLoad {
                prompt: count,
                ..sum
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_second_and_counts_max_tokens_at_admission() {
        let request = |at_us, prompt, max_tokens| Request {
            at_us,
            prompt,
            cached: 0,
            completion: 10,
            max_tokens,
        };
        let mut load = OfferedLoad::default();
        load.add(&request(100, 100, 50));
        load.add(&request(999_999, 200, 50));
        load.add(&request(1_000_000, 300, 60));
        load.finish();
        assert_eq!(load.offered[&0].requests, 2.0);
        assert_eq!(load.offered[&0].prompt, 300.0);
        assert_eq!(load.counted[&0].prompt, 400.0); // 100 + 50 + 200 + 50
        assert_eq!(load.counted[&1].prompt, 360.0);
        assert_eq!(load.offered[&1].completion, 10.0);
    }
}
