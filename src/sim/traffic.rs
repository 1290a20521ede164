//! Synthetic traffic: a deterministic iterator of [`Request`]s for a seed.
//!
//! - Arrivals are a Poisson process of rate `rate_per_s` × daily shape(t) × burst multipliers,
//!   drawn by thinning (Lewis & Shedler): candidates at the segment's highest rate, kept with
//!   probability rate(t) ÷ that bound. Segments end at every UTC hour (with a daily pattern) and
//!   at burst edges, so the bound stays tight and a constant rate draws no thinning numbers.
//! - Clock: t = 0 is 00:00 UTC of day 0; traffic runs over `[start_s, start_s + duration_s)`;
//!   bursts start `start_s` seconds after the traffic does.
//! - Daily pattern with peak-to-average ratio p ≥ 1, peaking at the middle of UTC hour
//!   `peak_hour` (so that hour is the busiest hourly bucket), mean 1 over 24 h. With
//!   θ = 2π (t − peak) ÷ 24 h: for p ≤ 2 the sinusoid 1 + (p − 1) cos θ; for p > 2,
//!   ((1 + cos θ) ÷ 2)^k ÷ m(k), m(k) its mean (numerical integration), k solved by bisection
//!   so that the peak 1 ÷ m(k) = p. At p = 2 both are 1 + cos θ, so the shape is continuous in
//!   p. p is capped at 24 (a whole day's traffic in about one hour).
//! - Token sizes are fixed or log-normal from a mean and a p95: σ = z − √(z² − 2 ln(p95 ÷ mean)),
//!   μ = ln(mean) − σ² ÷ 2, z = 1.6449 (the standard normal's 95th percentile); this needs
//!   mean ≤ p95 ≤ e^(z²/2) × mean ≈ 3.87 × mean. Draws are rounded to whole tokens, at least 1.
//! - Cached tokens = round(prompt × `cached_share`). The completion is clamped to `max_tokens`,
//!   which defaults to the completion's fixed size or its p95.
//! - A log-normal draw is e^(μ + σ Z), Z from `rand_distr`'s standard normal (ziggurat) and e^x
//!   from a 64-entry table of 2^(j/64) and a degree-5 polynomial (relative error < 1e-14,
//!   tested): two libm `exp` calls per request were a fifth of the simulator's time.
//! - The generator (xoshiro256++, portable) is seeded from `seed` on its own stream, distinct
//!   from the engine's jitter stream for the same seed. Draw order per request: arrival
//!   gap(s), thinning uniform(s), prompt, completion.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1, StandardNormal};

use crate::sim::SimParam;
use crate::sim::check::{fraction, non_negative, positive, require};
use crate::sim::{Request, SimError};

/// Hour (UTC) of the daily peak when not given.
pub const DEFAULT_PEAK_HOUR: u8 = 14;
/// Largest daily peak-to-average ratio.
pub const MAX_PEAK_TO_AVERAGE: f64 = 24.0;
/// Longest traffic accepted, seconds (366 days, the simulator's longest span).
pub const MAX_DURATION_S: f64 = 366.0 * 86_400.0;
/// 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;
const DAY_S: f64 = 86_400.0;
const HOUR_S: f64 = 3_600.0;
/// Mixed into the seed so the traffic stream differs from the engine's for the same seed.
const TRAFFIC_STREAM: u64 = 0x7472_6166_6669_6321;

/// Largest p95 ÷ mean a log-normal size can have: e^(z²/2) ≈ 3.868.
pub fn max_p95_to_mean() -> f64 {
    (Z95 * Z95 / 2.0).exp()
}

/// Size of a prompt or a completion, in tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TokenSize {
    /// Always this many.
    Fixed(u32),
    /// Log-normal with this mean and 95th percentile.
    LogNormal {
        /// Mean, tokens.
        mean: f64,
        /// 95th percentile, tokens (mean ≤ p95 ≤ 3.87 × mean).
        p95: f64,
    },
}

/// A daily pattern of the request rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DailyPattern {
    /// Peak rate ÷ mean rate over the day, 1–24.
    pub peak_to_average: f64,
    /// UTC hour (0–23) whose middle is the peak.
    pub peak_hour: u8,
}

impl DailyPattern {
    /// A pattern peaking at [`DEFAULT_PEAK_HOUR`].
    pub fn new(peak_to_average: f64) -> Self {
        DailyPattern {
            peak_to_average,
            peak_hour: DEFAULT_PEAK_HOUR,
        }
    }
}

/// A period of multiplied rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    /// Start, seconds after the traffic starts.
    pub start_s: f64,
    /// Length, seconds.
    pub duration_s: f64,
    /// Rate multiplier during the burst (overlapping bursts multiply).
    pub multiplier: f64,
}

/// What traffic to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficSpec {
    /// Mean arrival rate, requests per second.
    pub rate_per_s: f64,
    /// Length of the traffic, seconds.
    pub duration_s: f64,
    /// Start, seconds after 00:00 UTC of day 0.
    pub start_s: f64,
    /// Daily pattern, if any.
    pub daily: Option<DailyPattern>,
    /// Bursts, if any.
    pub bursts: Vec<Burst>,
    /// Prompt size.
    pub prompt: TokenSize,
    /// Completion size.
    pub completion: TokenSize,
    /// Share of the prompt served from the prompt cache, 0–1.
    pub cached_share: f64,
    /// `max_tokens` each request sets; `None`: the completion's fixed size or p95.
    pub max_tokens: Option<u32>,
    /// Seed of the traffic's random stream.
    pub seed: u64,
}

impl TrafficSpec {
    /// Steady Poisson traffic with fixed sizes, from t = 0, no cache, no pattern.
    pub fn steady(rate_per_s: f64, duration_s: f64, prompt: u32, completion: u32) -> Self {
        TrafficSpec {
            rate_per_s,
            duration_s,
            start_s: 0.0,
            daily: None,
            bursts: Vec::new(),
            prompt: TokenSize::Fixed(prompt),
            completion: TokenSize::Fixed(completion),
            cached_share: 0.0,
            max_tokens: None,
            seed: 0,
        }
    }
}

/// A token-size sampler.
#[derive(Debug, Clone, Copy)]
enum Sampler {
    Fixed(u32),
    /// e^(mu + sigma × Z).
    LogNormal {
        mu: f64,
        sigma: f64,
    },
}

impl Sampler {
    fn new(
        size: TokenSize,
        field_mean: SimParam,
        field_p95: SimParam,
    ) -> Result<Sampler, SimError> {
        match size {
            TokenSize::Fixed(n) => Ok(Sampler::Fixed(n)),
            TokenSize::LogNormal { mean, p95 } => {
                require(
                    mean.is_finite() && mean >= 1.0,
                    field_mean,
                    mean,
                    "a finite number of tokens at or above 1",
                )?;
                require(
                    p95.is_finite() && p95 >= mean && p95 <= mean * max_p95_to_mean(),
                    field_p95,
                    p95,
                    "at least the mean and at most 3.868 × the mean (a log-normal's p95 ÷ mean \
                     is at most e^(1.645²/2))",
                )?;
                let (mu, sigma) = lognormal_mu_sigma(mean, p95);
                Ok(Sampler::LogNormal { mu, sigma })
            }
        }
    }

    #[inline(always)]
    fn sample(&self, rng: &mut Xoshiro256PlusPlus, exp: &ExpTable) -> u32 {
        match *self {
            Sampler::Fixed(n) => n,
            Sampler::LogNormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                // Round half up by truncating x + 0.5 (no libm call); `as` saturates.
                ((exp.exp(mu + sigma * z) + 0.5) as u32).max(1)
            }
        }
    }
}

/// e^x without a libm call: x = (k + f) ln 2 ÷ 64 with integer k, e^x = 2^(k ÷ 64) × e^r,
/// |r| ≤ ln 2 ÷ 128; 2^(k mod 64 ÷ 64) from a table, e^r from its Taylor polynomial to r⁵
/// (truncation error r⁶ ÷ 720 < 4e-17). The classic table method of fdlibm and musl.
#[derive(Debug, Clone)]
struct ExpTable([f64; 64]);

impl ExpTable {
    fn new() -> Self {
        let mut table = [0.0; 64];
        for (j, v) in table.iter_mut().enumerate() {
            *v = (j as f64 / 64.0).exp2();
        }
        ExpTable(table)
    }

    #[inline]
    fn exp(&self, x: f64) -> f64 {
        // Outside ±700 (or NaN) the scale 2^(k ÷ 64) would leave the normal range.
        if x.is_nan() || x.abs() > 700.0 {
            return x.exp();
        }
        // Adding 1.5 × 2^52 rounds to an integer, read from the low bits.
        const SHIFTER: f64 = 6_755_399_441_055_744.0;
        const INV_LN2_64: f64 = 64.0 / std::f64::consts::LN_2;
        // ln 2 ÷ 64 split so that k × HI is exact: fdlibm's ln2_hi (32 trailing zero bits)
        // and ln2_lo = ln 2 − ln2_hi.
        const LN2_64_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / 64.0;
        const LN2_64_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / 64.0;
        let shifted = x * INV_LN2_64 + SHIFTER;
        let k = shifted.to_bits().wrapping_sub(SHIFTER.to_bits()) as i64;
        let kd = shifted - SHIFTER;
        let r = (x - kd * LN2_64_HI) - kd * LN2_64_LO;
        let poly =
            1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
        let scale = f64::from_bits((((k >> 6) + 1023) as u64) << 52);
        self.0[(k & 63) as usize] * scale * poly
    }
}

/// μ and σ of the log-normal with this mean and p95 (the smaller root of
/// σ² − 2zσ + 2 ln(p95 ÷ mean) = 0, from mean = e^(μ + σ²/2) and p95 = e^(μ + zσ)).
fn lognormal_mu_sigma(mean: f64, p95: f64) -> (f64, f64) {
    let disc = (Z95 * Z95 - 2.0 * (p95 / mean).ln()).max(0.0);
    let sigma = (Z95 - disc.sqrt()).max(0.0);
    (mean.ln() - sigma * sigma / 2.0, sigma)
}

/// The daily shape: mean 1 over 24 h, maximum p at the peak.
#[derive(Debug, Clone, Copy)]
enum ShapeKind {
    /// 1 + amplitude × cos θ.
    Sinusoid { amplitude: f64 },
    /// ((1 + cos θ) ÷ 2)^k × scale.
    Power { k: f64, scale: f64 },
}

#[derive(Debug, Clone, Copy)]
struct DailyShape {
    /// Peak, seconds after 00:00 UTC.
    peak_s: f64,
    kind: ShapeKind,
    max: f64,
}

/// Mean over a period of ((1 + cos θ) ÷ 2)^k: (1/π) ∫₀^π … dθ by Simpson's rule.
fn power_mean(k: f64) -> f64 {
    const N: usize = 4_096;
    let h = std::f64::consts::PI / N as f64;
    let f = |i: usize| ((1.0 + (i as f64 * h).cos()) / 2.0).powf(k);
    let mut sum = f(0) + f(N);
    for i in 1..N {
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * f(i);
    }
    sum * h / 3.0 / std::f64::consts::PI
}

impl DailyShape {
    fn new(pattern: &DailyPattern) -> Self {
        let p = pattern.peak_to_average;
        let peak_s = (f64::from(pattern.peak_hour) + 0.5) * HOUR_S;
        if p <= 2.0 {
            return DailyShape {
                peak_s,
                kind: ShapeKind::Sinusoid { amplitude: p - 1.0 },
                max: p,
            };
        }
        // 1 ÷ m(k) grows from 2 at k = 1 to ≈ √(πk) for large k: bisect on [1, 2,000].
        let (mut lo, mut hi) = (1.0f64, 2_000.0f64);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            if 1.0 / power_mean(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let k = (lo + hi) / 2.0;
        let scale = 1.0 / power_mean(k);
        DailyShape {
            peak_s,
            kind: ShapeKind::Power { k, scale },
            max: scale,
        }
    }

    /// The shape at `s` seconds after 00:00 UTC of day 0.
    #[inline]
    fn at(&self, s: f64) -> f64 {
        let cos = (std::f64::consts::TAU * (s - self.peak_s) / DAY_S).cos();
        match self.kind {
            ShapeKind::Sinusoid { amplitude } => 1.0 + amplitude * cos,
            ShapeKind::Power { k, scale } => ((1.0 + cos) / 2.0).powf(k) * scale,
        }
    }

    /// Largest value over `[a, b]` (absolute seconds). The shape falls with the distance to
    /// the peak on the 24 h circle, so it is the peak if inside, else the nearer end.
    fn max_over(&self, a: f64, b: f64) -> f64 {
        if b - a >= DAY_S || (self.peak_s - a).rem_euclid(DAY_S) <= b - a {
            self.max
        } else {
            self.at(a).max(self.at(b))
        }
    }
}

/// The iterator of synthetic requests.
#[derive(Debug, Clone)]
pub struct Traffic {
    rng: Xoshiro256PlusPlus,
    rate: f64,
    duration_s: f64,
    start_s: f64,
    daily: Option<DailyShape>,
    bursts: Vec<Burst>,
    /// Burst starts and ends, sorted.
    edges: Vec<f64>,
    edge_i: usize,
    /// Time of the last candidate (or segment start), seconds after the traffic's start.
    t: f64,
    seg_end: f64,
    seg_shape_max: f64,
    bound: f64,
    prompt: Sampler,
    completion: Sampler,
    exp: ExpTable,
    cached_share: f64,
    max_tokens: u32,
}

impl Traffic {
    /// Checks `spec` and starts the stream.
    pub fn new(spec: &TrafficSpec) -> Result<Traffic, SimError> {
        positive(SimParam::TrafficRatePerS, spec.rate_per_s)?;
        positive(SimParam::TrafficDurationS, spec.duration_s)?;
        non_negative(SimParam::TrafficStartS, spec.start_s)?;
        require(
            spec.duration_s <= MAX_DURATION_S && spec.start_s <= MAX_DURATION_S,
            SimParam::TrafficDurationS,
            spec.duration_s,
            "at most 366 days (31,622,400 s), and the start at most as much",
        )?;
        fraction(SimParam::TrafficCachedShare, spec.cached_share)?;
        if let Some(d) = spec.daily {
            require(
                (1.0..=MAX_PEAK_TO_AVERAGE).contains(&d.peak_to_average),
                SimParam::TrafficDailyPeakToAverage,
                d.peak_to_average,
                "a ratio from 1 to 24",
            )?;
            require(
                d.peak_hour <= 23,
                SimParam::TrafficDailyPeakHour,
                f64::from(d.peak_hour),
                "an hour from 0 to 23",
            )?;
        }
        for b in &spec.bursts {
            non_negative(SimParam::TrafficBurstStartS, b.start_s)?;
            positive(SimParam::TrafficBurstDurationS, b.duration_s)?;
            non_negative(SimParam::TrafficBurstMultiplier, b.multiplier)?;
        }
        let prompt = Sampler::new(
            spec.prompt,
            SimParam::TrafficPromptMean,
            SimParam::TrafficPromptP95,
        )?;
        let completion = Sampler::new(
            spec.completion,
            SimParam::TrafficCompletionMean,
            SimParam::TrafficCompletionP95,
        )?;
        let max_tokens = spec.max_tokens.unwrap_or(match spec.completion {
            TokenSize::Fixed(n) => n,
            TokenSize::LogNormal { p95, .. } => p95.round() as u32,
        });
        let mut edges: Vec<f64> = spec
            .bursts
            .iter()
            .flat_map(|b| [b.start_s, b.start_s + b.duration_s])
            .collect();
        edges.sort_by(f64::total_cmp);
        let mut traffic = Traffic {
            rng: Xoshiro256PlusPlus::seed_from_u64(spec.seed ^ TRAFFIC_STREAM),
            rate: spec.rate_per_s,
            duration_s: spec.duration_s,
            start_s: spec.start_s,
            daily: spec.daily.as_ref().map(DailyShape::new),
            bursts: spec.bursts.clone(),
            edges,
            edge_i: 0,
            t: 0.0,
            seg_end: 0.0,
            seg_shape_max: 1.0,
            bound: 0.0,
            prompt,
            completion,
            exp: ExpTable::new(),
            cached_share: spec.cached_share,
            max_tokens,
        };
        traffic.enter_segment();
        Ok(traffic)
    }

    /// The request rate at `t` seconds after the traffic's start, per second.
    pub fn rate_at(&self, t: f64) -> f64 {
        let shape = self.daily.map_or(1.0, |d| d.at(self.start_s + t));
        self.rate * shape * self.burst_factor(t)
    }

    fn burst_factor(&self, t: f64) -> f64 {
        self.bursts
            .iter()
            .filter(|b| b.start_s <= t && t < b.start_s + b.duration_s)
            .map(|b| b.multiplier)
            .product()
    }

    /// Starts the segment at `self.t`: it ends at the next UTC hour (with a daily pattern), burst
    /// edge or the end of the traffic; its bound is the highest rate within it.
    fn enter_segment(&mut self) {
        let a = self.t;
        let mut end = self.duration_s;
        if self.daily.is_some() {
            let abs = self.start_s + a;
            let mut next_hour = ((abs / HOUR_S).floor() + 1.0) * HOUR_S - self.start_s;
            if next_hour <= a {
                next_hour += HOUR_S;
            }
            end = end.min(next_hour);
        }
        while self.edge_i < self.edges.len() && self.edges[self.edge_i] <= a {
            self.edge_i += 1;
        }
        if let Some(&edge) = self.edges.get(self.edge_i) {
            end = end.min(edge);
        }
        self.seg_shape_max = self
            .daily
            .map_or(1.0, |d| d.max_over(self.start_s + a, self.start_s + end));
        self.seg_end = end;
        self.bound = self.rate * self.seg_shape_max * self.burst_factor((a + end) / 2.0);
    }

    fn request_at(&mut self, t: f64) -> Request {
        let prompt = self.prompt.sample(&mut self.rng, &self.exp);
        let completion = self
            .completion
            .sample(&mut self.rng, &self.exp)
            .min(self.max_tokens);
        Request {
            // Via i64: a cheaper conversion than f64 → u64 (times stay far below 2^63 µs).
            at_us: ((self.start_s + t) * 1e6) as i64 as u64,
            prompt,
            cached: (f64::from(prompt) * self.cached_share + 0.5) as u32,
            completion,
            max_tokens: self.max_tokens,
        }
    }
}

impl Iterator for Traffic {
    type Item = Request;

    #[inline]
    fn next(&mut self) -> Option<Request> {
        loop {
            if self.t >= self.duration_s {
                return None;
            }
            if self.bound <= 0.0 {
                self.t = self.seg_end;
                self.enter_segment();
                continue;
            }
            let gap: f64 = Exp1.sample(&mut self.rng);
            let candidate = self.t + gap / self.bound;
            if candidate >= self.seg_end {
                // Memoryless: restart from the segment's end at the next segment's bound.
                self.t = self.seg_end;
                self.enter_segment();
                continue;
            }
            self.t = candidate;
            if let Some(d) = self.daily {
                let keep = d.at(self.start_s + candidate);
                if self.rng.random::<f64>() * self.seg_shape_max >= keep {
                    continue;
                }
            }
            return Some(self.request_at(candidate));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::stats::nearest_rank;

    #[test]
    fn table_exp_matches_std_exp() {
        // Relative error against the libm exp over the range log-normal sizes use and beyond.
        let table = ExpTable::new();
        let mut worst = 0.0f64;
        for i in -200_000..=200_000 {
            let x = f64::from(i) * 1e-3 + 1e-7 * f64::from(i % 7);
            let exact = x.exp();
            worst = worst.max(((table.exp(x) - exact) / exact).abs());
        }
        assert!(worst < 1e-14, "worst relative error {worst:e}");
        assert_eq!(table.exp(0.0), 1.0);
        assert_eq!(table.exp(1_000.0), f64::INFINITY);
        assert_eq!(table.exp(-1_000.0), 0.0);
        assert!(table.exp(f64::NAN).is_nan());
    }

    #[test]
    fn poisson_count_is_rate_times_duration() {
        // 50/s × 20,000 s = 1,000,000 expected; Poisson sd = √1e6 = 1,000: allow 4 sd.
        let spec = TrafficSpec {
            seed: 3,
            ..TrafficSpec::steady(50.0, 20_000.0, 100, 10)
        };
        let mut last = 0;
        let mut n = 0u64;
        for r in Traffic::new(&spec).expect("valid") {
            assert!(r.at_us >= last, "time order");
            assert!(r.at_us < 20_000_000_000);
            last = r.at_us;
            n += 1;
        }
        assert!((n as f64 - 1e6).abs() < 4_000.0, "{n}");
    }

    #[test]
    fn daily_peak_hour_is_p_times_the_mean() {
        // p = 3 over 5 days at 1/s: the 14:00–15:00 UTC hour holds ≈ 3 × 3,600 × 5 = 54,000
        // (a little less: the hour's average of the shape around its peak is ≈ 0.996 × 3);
        // Poisson sd ≈ 230, so ±10 % is loose. The mean over the days is the rate.
        let spec = TrafficSpec {
            daily: Some(DailyPattern::new(3.0)),
            seed: 11,
            ..TrafficSpec::steady(1.0, 5.0 * DAY_S, 100, 10)
        };
        let mut by_hour = [0u64; 24];
        let mut last = 0;
        for r in Traffic::new(&spec).expect("valid") {
            assert!(r.at_us >= last);
            last = r.at_us;
            by_hour[((r.at_us / 3_600_000_000) % 24) as usize] += 1;
        }
        let total: u64 = by_hour.iter().sum();
        let mean_per_hour = total as f64 / 24.0;
        assert!((total as f64 / (5.0 * DAY_S) - 1.0).abs() < 0.01, "{total}");
        let ratio = by_hour[14] as f64 / mean_per_hour;
        assert!((ratio / 3.0 - 1.0).abs() < 0.1, "peak/mean = {ratio}");
        assert_eq!(
            by_hour
                .iter()
                .enumerate()
                .max_by_key(|(_, c)| **c)
                .map(|(h, _)| h),
            Some(14)
        );
        // The trough, 12 h away at 02:00–03:00, is near 0 for p = 3: ((1 + cos θ)/2)^2.6 ≈ 0.
        assert!((by_hour[2] as f64) < 0.01 * mean_per_hour, "{by_hour:?}");
    }

    #[test]
    fn daily_shapes_have_mean_one_and_max_p() {
        // Numerically: mean over the day 1, max at the peak = p, for both forms.
        for p in [1.0, 1.5, 2.0, 2.5, 3.0, 8.0, 24.0] {
            let shape = DailyShape::new(&DailyPattern::new(p));
            let n = 86_400;
            let mean = (0..n).map(|s| shape.at(s as f64 + 0.5)).sum::<f64>() / n as f64;
            assert!((mean - 1.0).abs() < 1e-3, "p {p}: mean {mean}");
            assert!((shape.at(14.5 * HOUR_S) / p - 1.0).abs() < 1e-6, "p {p}");
            assert!((shape.max / p - 1.0).abs() < 1e-6, "p {p}");
        }
    }

    #[test]
    fn lognormal_mean_and_p95_match() {
        // mean 500, p95 1,500: σ = 1.6449 − √(1.6449² − 2 ln 3) ≈ 0.932, cv ≈ 1.18; the sample
        // mean of 200,000 has sd ≈ 0.26 %, the p95 ≈ 0.4 %: allow 3 %.
        let spec = TrafficSpec {
            prompt: TokenSize::LogNormal {
                mean: 500.0,
                p95: 1_500.0,
            },
            completion: TokenSize::LogNormal {
                mean: 200.0,
                p95: 400.0,
            },
            max_tokens: None,
            cached_share: 0.25,
            seed: 5,
            ..TrafficSpec::steady(100.0, 2_000.0, 0, 0)
        };
        let reqs: Vec<Request> = Traffic::new(&spec).expect("valid").collect();
        assert!(reqs.len() > 190_000);
        let mut prompts: Vec<f64> = reqs.iter().map(|r| f64::from(r.prompt)).collect();
        let mean = prompts.iter().sum::<f64>() / prompts.len() as f64;
        prompts.sort_by(f64::total_cmp);
        let p95 = nearest_rank(&prompts, 95.0);
        assert!((mean / 500.0 - 1.0).abs() < 0.03, "mean {mean}");
        assert!((p95 / 1_500.0 - 1.0).abs() < 0.03, "p95 {p95}");
        // max_tokens defaults to the completion's p95: 400; completions are clamped to it.
        assert!(
            reqs.iter()
                .all(|r| r.max_tokens == 400 && r.completion <= 400)
        );
        assert!(reqs.iter().all(|r| r.completion >= 1 && r.prompt >= 1));
        // Cached = round(prompt × 0.25).
        assert!(
            reqs.iter()
                .all(|r| r.cached == (r.prompt as f64 * 0.25).round() as u32)
        );
    }

    #[test]
    fn bursts_multiply_the_rate() {
        // 10/s for 1,000 s with ×5 from 400 s to 500 s: 9,000 + 5,000 = 14,000 expected.
        let spec = TrafficSpec {
            bursts: vec![Burst {
                start_s: 400.0,
                duration_s: 100.0,
                multiplier: 5.0,
            }],
            seed: 2,
            ..TrafficSpec::steady(10.0, 1_000.0, 10, 10)
        };
        let traffic = Traffic::new(&spec).expect("valid");
        assert_eq!(traffic.rate_at(450.0), 50.0);
        assert_eq!(traffic.rate_at(500.0), 10.0);
        let reqs: Vec<Request> = traffic.collect();
        let inside = reqs
            .iter()
            .filter(|r| (400_000_000..500_000_000).contains(&r.at_us))
            .count() as f64;
        // Poisson sd: √5,000 ≈ 71 inside, √14,000 ≈ 118 overall.
        assert!((inside - 5_000.0).abs() < 300.0, "{inside}");
        assert!(
            (reqs.len() as f64 - 14_000.0).abs() < 500.0,
            "{}",
            reqs.len()
        );
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let spec = TrafficSpec {
            seed: 9,
            ..TrafficSpec::steady(10.0, 100.0, 10, 10)
        };
        let a: Vec<Request> = Traffic::new(&spec).expect("valid").collect();
        let b: Vec<Request> = Traffic::new(&spec).expect("valid").collect();
        let c: Vec<Request> = Traffic::new(&TrafficSpec { seed: 10, ..spec })
            .expect("valid")
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn bad_sizes_and_patterns_are_named() {
        let with = |prompt| TrafficSpec {
            prompt,
            ..TrafficSpec::steady(1.0, 10.0, 1, 1)
        };
        // p95 below the mean.
        let err = Traffic::new(&with(TokenSize::LogNormal {
            mean: 100.0,
            p95: 50.0,
        }))
        .expect_err("p95 < mean");
        assert!(err.to_string().contains("traffic.prompt.p95 = 50"), "{err}");
        // p95/mean = 4 > e^(1.6449²/2) ≈ 3.868.
        assert!((max_p95_to_mean() - 3.868).abs() < 1e-3);
        assert!(
            Traffic::new(&with(TokenSize::LogNormal {
                mean: 100.0,
                p95: 400.0,
            }))
            .is_err()
        );
        // p95 = mean: σ = 0, every draw is the mean.
        let flat: Vec<Request> = Traffic::new(&with(TokenSize::LogNormal {
            mean: 100.0,
            p95: 100.0,
        }))
        .expect("valid")
        .collect();
        assert!(flat.iter().all(|r| r.prompt == 100));
        let spec = TrafficSpec {
            daily: Some(DailyPattern::new(0.5)),
            ..TrafficSpec::steady(1.0, 10.0, 1, 1)
        };
        let err = Traffic::new(&spec).expect_err("p < 1");
        assert!(err.to_string().contains("peak_to_average"), "{err}");
        let spec = TrafficSpec {
            rate_per_s: f64::INFINITY,
            ..TrafficSpec::steady(1.0, 10.0, 1, 1)
        };
        assert!(Traffic::new(&spec).is_err());
    }
}
