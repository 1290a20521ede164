//! The offered traffic of a simulation, measured request by request into per-second buckets,
//! as `analyze` measures a log.

use crate::calc::load::{MinuteLoad, SecondAccumulator, SecondBuckets};
use crate::sim::Request;

/// Per-second load of requests added in time order, and per second what standard admission
/// counts (prompt + max_tokens, kept in `prompt`).
#[derive(Debug, Default)]
pub struct OfferedLoad {
    /// Requests and tokens per second.
    pub offered: SecondBuckets,
    /// Per second, `prompt` holds the admission tokens (prompt + max_tokens).
    pub counted: SecondBuckets,
    /// The second being summed.
    current: SecondAccumulator<Offered>,
}

/// One second's offered load and the tokens standard admission counts for it.
#[derive(Debug, Clone, Copy)]
struct Offered {
    load: MinuteLoad,
    admission: f64,
}

impl std::ops::AddAssign for Offered {
    fn add_assign(&mut self, other: Offered) {
        self.load += other.load;
        self.admission += other.admission;
    }
}

impl OfferedLoad {
    /// Adds one request (requests come in time order).
    #[inline]
    pub fn add(&mut self, r: &Request) {
        let offered = Offered {
            load: MinuteLoad {
                requests: 1.0,
                prompt: f64::from(r.prompt),
                cached: f64::from(r.cached),
                completion: f64::from(r.completion),
            },
            admission: f64::from(r.prompt) + f64::from(r.max_tokens),
        };
        let second = (r.at_us / 1_000_000) as i64;
        let (offered_buckets, counted) = (&mut self.offered, &mut self.counted);
        self.current.add(second, offered, |second, sum| {
            store(offered_buckets, counted, second, sum);
        });
    }

    /// Stores the last second; call once after the last request.
    pub fn finish(&mut self) {
        let (offered, counted) = (&mut self.offered, &mut self.counted);
        self.current
            .finish(|second, sum| store(offered, counted, second, sum));
    }
}

/// Stores a finished second in both maps.
fn store(offered: &mut SecondBuckets, counted: &mut SecondBuckets, second: i64, sum: Offered) {
    offered.insert(second, sum.load);
    counted.insert(
        second,
        MinuteLoad {
            prompt: sum.admission,
            ..sum.load
        },
    );
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
