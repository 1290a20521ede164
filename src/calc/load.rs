//! Load as requests and token sums: a month's load curve (flat, one average minute, or a
//! per-minute profile), and the per-second buckets logs and simulations are measured into.

use crate::calc::param::ParamError;
use crate::calc::workload::{MAX_TPM, RequestShape};
use crate::catalog::{Model, TokenPrices};
use crate::error::InputError;

/// Requests and tokens per second (Unix seconds), as logs are read and traffic is measured.
pub type SecondBuckets = std::collections::BTreeMap<i64, MinuteLoad>;

/// Sums values per second for input mostly in time order (log rows, simulated requests): the
/// current second is summed apart and handed on only when the second changes, so the buckets
/// are touched once a second rather than once a row. Shared by `analyze`'s log readers and
/// `simulate`'s offered-load measurement.
#[derive(Debug)]
pub struct SecondAccumulator<T> {
    current: Option<(i64, T)>,
}

impl<T> Default for SecondAccumulator<T> {
    fn default() -> Self {
        Self { current: None }
    }
}

impl<T: std::ops::AddAssign> SecondAccumulator<T> {
    /// Adds `value` to `second`; when `second` starts a new one, the finished second goes to
    /// `store`.
    #[inline]
    pub fn add(&mut self, second: i64, value: T, store: impl FnOnce(i64, T)) {
        match &mut self.current {
            Some((current, sum)) if *current == second => *sum += value,
            _ => {
                if let Some((done, sum)) = self.current.replace((second, value)) {
                    store(done, sum);
                }
            }
        }
    }

    /// Hands the last second to `store`; call once after the last value.
    pub fn finish(&mut self, store: impl FnOnce(i64, T)) {
        if let Some((second, sum)) = self.current.take() {
            store(second, sum);
        }
    }
}

/// Requests and the token sums of those requests over one period: a minute in a load curve, a
/// second in [`SecondBuckets`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MinuteLoad {
    /// Requests in the minute.
    pub requests: f64,
    /// Prompt tokens, cached ones included.
    pub prompt: f64,
    /// Prompt tokens served from the prompt cache.
    pub cached: f64,
    /// Completion tokens.
    pub completion: f64,
}

impl std::ops::AddAssign for MinuteLoad {
    fn add_assign(&mut self, other: MinuteLoad) {
        self.requests += other.requests;
        self.prompt += other.prompt;
        self.cached += other.cached;
        self.completion += other.completion;
    }
}

impl MinuteLoad {
    /// The load of `requests` requests of one shape.
    pub fn of_shape(requests: f64, shape: &RequestShape) -> MinuteLoad {
        let prompt = requests * shape.prompt_tokens;
        MinuteLoad {
            requests,
            prompt,
            cached: prompt * shape.cache_rate,
            completion: requests * shape.output_tokens(),
        }
    }

    /// Prompt + completion tokens.
    pub fn tokens(&self) -> f64 {
        self.prompt + self.completion
    }

    /// Input-equivalent tokens on a provisioned deployment of `model`.
    pub fn normalized(&self, model: &Model) -> f64 {
        (self.prompt - self.cached)
            + self.cached * model.cached_input_weight
            + self.completion * model.output_weight
    }

    /// Pay-as-you-go cost in USD. Cached tokens without a cached price cost the input price.
    pub fn payg_usd(&self, prices: &TokenPrices) -> f64 {
        let cached_price = prices.cached.unwrap_or(prices.input);
        ((self.prompt - self.cached) * prices.input
            + self.cached * cached_price
            + self.completion * prices.output)
            / 1e6
    }
}

/// Where a load curve came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoadKind {
    /// One average minute standing for every minute of the month.
    Flat,
    /// A per-minute profile scaled to the month.
    Profile,
}

/// Per-minute loads covering `span_minutes` (minutes without an entry had no load).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCurve {
    /// Flat or profile.
    pub kind: LoadKind,
    /// The minutes that had load.
    pub minutes: Vec<MinuteLoad>,
    /// How many minutes the curve covers.
    pub span_minutes: f64,
    /// Each entry's minute counted from the first (empty: the entries are consecutive
    /// minutes). Rules that look back in time, like priority's ramp limit, read it.
    pub offsets: Vec<u64>,
}

impl LoadCurve {
    /// A load known only by its peak and average: it runs at `peak_rpm` for `avg_rpm ÷
    /// peak_rpm` of the time and is idle otherwise (flat when the two are equal). Of all curves
    /// with this peak and average, this is the least favourable to a partial PTU base, so the
    /// hybrid priced on it is never optimistic.
    pub fn peak_and_average(peak_rpm: f64, avg_rpm: f64, shape: &RequestShape) -> LoadCurve {
        LoadCurve {
            kind: LoadKind::Flat,
            minutes: vec![MinuteLoad::of_shape(peak_rpm, shape)],
            span_minutes: peak_rpm / avg_rpm,
            offsets: Vec::new(),
        }
    }

    /// The same curve with each entry's minute, counted from the first (one per entry).
    pub fn at_minutes(self, offsets: Vec<u64>) -> LoadCurve {
        debug_assert_eq!(offsets.len(), self.minutes.len());
        LoadCurve { offsets, ..self }
    }

    /// The curve without `share` of its load (itself, borrowed, when the share is 0).
    pub fn without_share(&self, share: f64) -> std::borrow::Cow<'_, LoadCurve> {
        if share > 0.0 {
            std::borrow::Cow::Owned(self.scaled(1.0 - share))
        } else {
            std::borrow::Cow::Borrowed(self)
        }
    }

    /// The curve with every minute's requests and tokens multiplied by `factor`.
    pub fn scaled(&self, factor: f64) -> LoadCurve {
        let scale = |m: &MinuteLoad| MinuteLoad {
            requests: m.requests * factor,
            prompt: m.prompt * factor,
            cached: m.cached * factor,
            completion: m.completion * factor,
        };
        LoadCurve {
            minutes: self.minutes.iter().map(scale).collect(),
            ..self.clone()
        }
    }

    /// The minute of entry `i`, counted from the first.
    pub fn offset(&self, i: usize) -> u64 {
        self.offsets.get(i).copied().unwrap_or(i as u64)
    }

    /// A profile's minutes. Where the profile has no token sums, `shape` supplies them (an
    /// error when it is absent); where it has no cached sums, `shape`'s cache rate applies.
    pub fn profile(
        minutes: &[MinuteLoad],
        span_minutes: u64,
        has_tokens: bool,
        has_cached: bool,
        shape: Option<&RequestShape>,
    ) -> Result<LoadCurve, InputError> {
        let minutes: Vec<MinuteLoad> = match (has_tokens, shape) {
            (true, _) => minutes
                .iter()
                .map(|m| match (has_cached, shape) {
                    (false, Some(shape)) => MinuteLoad {
                        cached: m.prompt * shape.cache_rate,
                        ..*m
                    },
                    _ => *m,
                })
                .collect(),
            (false, Some(shape)) => minutes
                .iter()
                .map(|m| MinuteLoad::of_shape(m.requests, shape))
                .collect(),
            (false, None) => {
                return Err(ParamError::ProfileNeedsShape.into());
            }
        };
        if let Some(m) = minutes.iter().find(|m| m.tokens() > MAX_TPM) {
            return Err(InputError::Usage(format!(
                "a profile minute of {} requests carries {:e} tokens, above the {MAX_TPM:e} \
                 tokens a minute ptuplan accepts",
                m.requests,
                m.tokens()
            )));
        }
        Ok(LoadCurve {
            kind: LoadKind::Profile,
            minutes,
            span_minutes: span_minutes as f64,
            offsets: Vec::new(),
        })
    }

    /// Totals over the curve (not scaled).
    pub fn total(&self) -> MinuteLoad {
        total(&self.minutes)
    }
}

/// The sum of minute (or second) loads.
pub fn total<'a>(loads: impl IntoIterator<Item = &'a MinuteLoad>) -> MinuteLoad {
    loads.into_iter().fold(MinuteLoad::default(), |mut sum, m| {
        sum += *m;
        sum
    })
}
