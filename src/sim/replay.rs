//! Replaying a request log: per-second (or per-minute) buckets of `analyze` back into
//! requests, spread evenly over their second (minute), with whole-token sizes that add up
//! exactly to the bucket's sums.

use crate::calc::load::MinuteLoad;
use crate::calc::load::SecondBuckets;
use crate::sim::Request;

/// Requests rebuilt from log buckets, in time order.
#[derive(Debug, Clone)]
pub struct Replay {
    buckets: Vec<(i64, MinuteLoad)>,
    origin: i64,
    bucket_us: f64,
    speedup: f64,
    max_tokens: Option<u32>,
    /// Position: bucket, request within it.
    at: (usize, u64),
    /// Completions cut to `max_tokens`.
    pub clamped: u64,
}

impl Replay {
    /// Requests of `buckets` (each `bucket_seconds` long: 1, or 60 for per-minute exports),
    /// from the first bucket's minute, `speedup` times faster. Every request sets `max_tokens`
    /// when given (completions above it are cut to it, as the service stops there), else its
    /// own completion.
    pub fn new(
        buckets: &SecondBuckets,
        bucket_seconds: u32,
        speedup: f64,
        max_tokens: Option<u32>,
    ) -> Replay {
        let origin = origin_s(buckets);
        Replay {
            buckets: buckets.iter().map(|(s, b)| (*s, *b)).collect(),
            origin,
            bucket_us: f64::from(bucket_seconds) * 1e6,
            speedup,
            max_tokens,
            at: (0, 0),
            clamped: 0,
        }
    }
}

/// Where a replay of `buckets` puts simulated time 0: the first bucket's minute, Unix s.
pub fn origin_s(buckets: &SecondBuckets) -> i64 {
    buckets.keys().next().map_or(0, |s| s.div_euclid(60) * 60)
}

/// The `i`-th of `n` whole shares of `total`, so that the shares add up to `total` rounded.
fn share(total: f64, i: u64, n: u64) -> u32 {
    let cut = |k: u64| (total * k as f64 / n as f64).round();
    (cut(i + 1) - cut(i)).max(0.0) as u32
}

impl Iterator for Replay {
    type Item = Request;

    fn next(&mut self) -> Option<Request> {
        loop {
            let (second, load) = *self.buckets.get(self.at.0)?;
            let n = load.requests.round() as u64;
            let i = self.at.1;
            if i >= n {
                self.at = (self.at.0 + 1, 0);
                continue;
            }
            self.at.1 += 1;
            let offset_us =
                (second - self.origin) as f64 * 1e6 + self.bucket_us * i as f64 / n as f64;
            let prompt = share(load.prompt, i, n);
            let cached = share(load.cached, i, n).min(prompt);
            let mut completion = share(load.completion, i, n);
            let max_tokens = match self.max_tokens {
                Some(max) => {
                    if completion > max {
                        completion = max;
                        self.clamped += 1;
                    }
                    max
                }
                None => completion,
            };
            return Some(Request {
                at_us: (offset_us / self.speedup) as u64,
                prompt,
                cached,
                completion,
                max_tokens,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_become_evenly_spread_requests_with_exact_sums() {
        // 3 requests with 100 prompt, 10 cached, 7 completion tokens at 09:00:01, and one of
        // 5 + 1 at 09:00:02: offsets from 09:00:00 are 1 s, 1.333 s, 1.667 s and 2 s.
        let mut buckets = SecondBuckets::new();
        let base = 1_793_610_000;
        buckets.insert(
            base + 1,
            MinuteLoad {
                requests: 3.0,
                prompt: 100.0,
                cached: 10.0,
                completion: 7.0,
            },
        );
        buckets.insert(
            base + 2,
            MinuteLoad {
                requests: 1.0,
                prompt: 5.0,
                cached: 0.0,
                completion: 1.0,
            },
        );
        let requests: Vec<Request> = Replay::new(&buckets, 1, 1.0, None).collect();
        let at: Vec<u64> = requests.iter().map(|r| r.at_us).collect();
        assert_eq!(at, [1_000_000, 1_333_333, 1_666_666, 2_000_000]);
        assert_eq!(requests[..3].iter().map(|r| r.prompt).sum::<u32>(), 100);
        assert_eq!(requests[..3].iter().map(|r| r.cached).sum::<u32>(), 10);
        assert_eq!(requests[..3].iter().map(|r| r.completion).sum::<u32>(), 7);
        assert!(requests.iter().all(|r| r.max_tokens == r.completion));
        // Twice as fast, and a max_tokens of 2 cuts the 3-token completion.
        let mut fast = Replay::new(&buckets, 1, 2.0, Some(2));
        let first = fast.next().expect("a request");
        assert_eq!((first.at_us, first.max_tokens), (500_000, 2));
        assert_eq!(fast.by_ref().count(), 3);
        assert_eq!(fast.clamped, 1);
    }
}
