//! `sim`: a discrete-event simulation of Azure OpenAI's rate limiters. Pure: plain structs in,
//! a [`SimReport`] out; no I/O, no clock, deterministic for a seed.
//!
//! # What is simulated
//!
//! Clients send [`Request`]s (first attempts, in time order, e.g. from [`traffic::Traffic`]) to
//! a [`Target`]: a standard deployment, or a provisioned one with optional spillover to a
//! standard one. Each attempt is admitted or gets a 429; throttled clients retry by their
//! [`RetryPolicy`]. Time is integer microseconds; token levels are `f64`.
//!
//! - **Standard limiter** ([`standard`], Learn quota "How rate limiting works", S22,
//!   articles/foundry/openai/includes/quota-2.md): `prompt + max_tokens` per request against a running count reset each calendar minute
//!   (the request crossing the quota is admitted), and at most ⌊rpm ÷ 60⌋ or ⌊rpm ÷ 6⌋ requests
//!   per fixed 1 s or 10 s window. Every request received counts toward the window; only
//!   admitted ones spend tokens. 429 retry-after: to the next minute or window.
//! - **Provisioned leaky bucket** ([`provisioned`], Learn "How does utilization work",
//!   S17): normalized tokens drain at C = PTU × input TPM per PTU ÷ 60 per second; a
//!   request is admitted while the level ≤ D = `bucket_seconds` × C (100 % utilization), adds
//!   its estimate (prompt − cached + cached × weight + max_tokens × output weight), and is
//!   corrected to its actual tokens at completion. 429 retry-after: (level − D) ÷ C. D is not
//!   published by Microsoft: `bucket_seconds` is an assumption.
//! - **Spillover** (Learn spillover traffic management, S19): a request the PTU refuses goes at once to the standard
//!   deployment; if that refuses too the client sees the PTU's 429 (its retry-after) and retries
//!   by its policy, starting again at the PTU.
//! - **Retry-after** is sent as whole milliseconds (`retry-after-ms`), rounded up, so a client
//!   that waits it finds the limit lifted (unless other requests took the room first).
//! - **Service time**: an admitted request completes after `ttft_ms` + completion ÷
//!   `tokens_per_second`; its latency is completion time − its first attempt's arrival, so it
//!   includes every 429 and backoff wait. Concurrency limits are not modelled.
//! - **Clients** ([`retry`]): openai-python's default policy (a retry-after up to 120 s as
//!   given, else capped exponential backoff less up to 25 % jitter), no retries, a fixed delay,
//!   or exponential backoff with full jitter (jitter from seeded xoshiro256++); giving up after
//!   `max_retries`, past a deadline, or 24 h after the first attempt (a guard).
//! - **Bounds**: arrivals may span at most 366 days, so the per-minute series stays bounded.
//!
//! # Engine
//!
//! Arrivals are pulled from the iterator in time order, never queued. Retries are future events
//! in a timing wheel ([`queue`]) that carries each request inline (`Copy`), so the steady state
//! allocates nothing per request; retries due at or before an arrival's time are made before
//! it, in time order, ties in the order they were scheduled. Completion corrections wait in
//! [`corrections`], which hands each attempt the sum of those due by its time (corrections due
//! at an attempt's very time included): as they only lower the level, their order does not
//! matter. A completion whose correction is zero (completion = `max_tokens`, or served by
//! spillover) schedules nothing.
//!
//! # Report
//!
//! Per calendar minute (index from the first request's minute): utilization, client-visible
//! 429s and requests served. Provisioned utilization = actual normalized tokens admitted that
//! minute ÷ (C × 60); standard = max(counted tokens admitted ÷ quota, requests admitted ÷ rpm).
//! Latency percentiles come from a log-bucketed [`histogram`] (error ≤ 0.39 %, max exact).

pub mod candidates;
pub mod compare;
pub mod corrections;
pub mod histogram;
pub mod provisioned;
pub mod queue;
pub mod replay;
pub mod retry;
pub mod standard;
pub mod tiers;
pub mod traffic;

mod check;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use thiserror::Error;

use crate::calc::stats::nearest_rank;
pub use crate::sim::check::SimParam;
use crate::sim::check::{non_negative, positive};
use crate::sim::corrections::Corrections;
use crate::sim::histogram::Histogram;
use crate::sim::provisioned::LeakyBucket;
pub use crate::sim::provisioned::ProvisionedParams;
use crate::sim::queue::EventQueue;
pub use crate::sim::retry::{RetryKind, RetryPolicy};
use crate::sim::standard::StandardLimiter;
pub use crate::sim::standard::{RpmWindow, StandardParams};
pub use crate::sim::tiers::{PriorityMode, TierMode};
use crate::sim::tiers::{RampState, ServedBy};

const MINUTE_US: u64 = 60_000_000;
/// Most clients that may wait to retry at once: each waiting retry is held in memory (about
/// 64 bytes), so this bounds a run that throttles nearly everything to a few hundred MB.
pub const MAX_WAITING_RETRIES: usize = 4_000_000;

/// Longest span of arrivals accepted after the first request, µs (366 days).
pub const MAX_SPAN_US: u64 = 366 * 86_400 * 1_000_000;
/// Utilization above which a minute counts as "hot" in the report.
pub const HOT_UTILIZATION: f64 = 0.85;
/// Mixed into the seed so the engine's jitter stream differs from a traffic stream.
const ENGINE_STREAM: u64 = 0x656e_6769_6e65_2121;

/// Why a simulation cannot run.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// A parameter is out of range.
    #[error("{field} = {}: must be {expected}", crate::numfmt::quoted(*value))]
    InvalidParam {
        /// Which parameter, e.g. `provisioned.ptu`.
        field: SimParam,
        /// The value given.
        value: f64,
        /// What is allowed.
        expected: &'static str,
    },
    /// Requests were not in time order.
    #[error(
        "request {index} arrives at {at_us} µs, before the previous one at {previous_us} µs: \
         requests must be in time order"
    )]
    OutOfOrder {
        /// 0-based index of the offending request.
        index: u64,
        /// Its arrival, µs.
        at_us: u64,
        /// The previous request's arrival, µs.
        previous_us: u64,
    },
    /// More clients waited to retry at once than the run may hold in memory.
    #[error(
        "more than {limit} clients waited to retry at once: the deployment is far too small \
         for this traffic (or its retry-after is long); simulate a larger candidate, less \
         traffic, fewer --max-retries or --retry none"
    )]
    TooManyWaiting {
        /// [`MAX_WAITING_RETRIES`].
        limit: usize,
    },
    /// A request's token counts are inconsistent.
    #[error("request {index}: {problem}")]
    InvalidRequest {
        /// 0-based index of the offending request.
        index: u64,
        /// What is wrong.
        problem: String,
    },
}

/// One request as offered by a client (its first attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// First attempt, µs since 00:00 UTC of day 0.
    pub at_us: u64,
    /// Prompt tokens (cached included).
    pub prompt: u32,
    /// Prompt tokens served from the prompt cache (≤ `prompt`).
    pub cached: u32,
    /// Completion tokens the model will generate (≤ `max_tokens`).
    pub completion: u32,
    /// The request's `max_tokens`, counted at admission.
    pub max_tokens: u32,
}

/// Where requests go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A standard (pay-as-you-go) deployment.
    Standard(StandardParams),
    /// A provisioned deployment, optionally spilling over to a standard one.
    Provisioned {
        /// The PTU deployment.
        ptu: ProvisionedParams,
        /// Standard deployment that takes the PTU's 429s, if any.
        spillover: Option<StandardParams>,
    },
    /// A standard deployment whose requests are sent with a service tier (priority or flex).
    Tiered {
        /// The deployment and its quota (the tiers share the standard quota).
        standard: StandardParams,
        /// Which tier.
        mode: TierMode,
    },
}

/// How long an admitted request takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Service {
    /// Time to first token, ms.
    pub ttft_ms: f64,
    /// Generation speed, completion tokens per second.
    pub tokens_per_second: f64,
}

/// Everything a simulation needs besides the requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimConfig {
    /// The deployment(s).
    pub target: Target,
    /// Service time.
    pub service: Service,
    /// Client behaviour on 429.
    pub retry: RetryPolicy,
    /// Seed of the retry jitter.
    pub seed: u64,
}

impl SimConfig {
    /// Checks every parameter; errors name the field and the value.
    pub fn validate(&self) -> Result<(), SimError> {
        match &self.target {
            Target::Standard(s) => s.validate(SimParam::StandardTpmQuota, SimParam::StandardRpm)?,
            Target::Tiered { standard, mode } => {
                standard.validate(SimParam::StandardTpmQuota, SimParam::StandardRpm)?;
                match mode {
                    TierMode::Flex { availability } => {
                        check::fraction(SimParam::FlexAvailability, *availability)?;
                    }
                    TierMode::Priority(p) => {
                        positive(SimParam::PriorityTokensPerSecond, p.tokens_per_second)?;
                    }
                }
            }
            Target::Provisioned { ptu, spillover } => {
                ptu.validate()?;
                if let Some(s) = spillover {
                    s.validate(SimParam::SpilloverTpmQuota, SimParam::SpilloverRpm)?;
                }
            }
        }
        non_negative(SimParam::ServiceTtftMs, self.service.ttft_ms)?;
        positive(
            SimParam::ServiceTokensPerSecond,
            self.service.tokens_per_second,
        )?;
        self.retry.validate()
    }
}

/// Token counts. Field names are the JSON contract.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TokenTotals {
    /// Prompt tokens (cached included).
    pub prompt: u64,
    /// Cached prompt tokens.
    pub cached: u64,
    /// Completion tokens.
    pub completion: u64,
}

impl TokenTotals {
    #[inline]
    fn add(&mut self, r: &Request) {
        self.prompt += u64::from(r.prompt);
        self.cached += u64::from(r.cached);
        self.completion += u64::from(r.completion);
    }
}

/// Latency of served requests, ms (first arrival to completion).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LatencySummary {
    /// Mean (exact).
    pub mean: f64,
    /// Median (≤ 0.39 % error).
    pub p50: f64,
    /// 95th percentile (≤ 0.39 % error).
    pub p95: f64,
    /// 99th percentile (≤ 0.39 % error).
    pub p99: f64,
    /// Largest (exact).
    pub max: f64,
}

/// Distribution of per-minute utilization (nearest rank over all simulated minutes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct UtilizationSummary {
    /// Median minute.
    pub p50: f64,
    /// 90th percentile minute.
    pub p90: f64,
    /// 99th percentile minute.
    pub p99: f64,
    /// Busiest minute.
    pub max: f64,
    /// Share of minutes with utilization above 0.85.
    pub share_above_85: f64,
}

/// One calendar minute of the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MinuteStats {
    /// Minutes since the first request's minute.
    pub minute: u64,
    /// Utilization of the PTU deployment (or the standard one).
    pub utilization: f64,
    /// 429 responses the clients saw (not those rescued by spillover).
    pub throttled: u64,
    /// Requests admitted (served), by PTU or spillover.
    pub served: u64,
}

/// The outcome of a simulation. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SimReport {
    /// Requests offered (first attempts).
    pub requests: u64,
    /// Tokens of the requests offered.
    pub offered_tokens: TokenTotals,
    /// Requests served (by the PTU, the standard deployment or spillover).
    pub served: u64,
    /// Requests served by the spillover deployment.
    pub served_by_spillover: u64,
    /// Tokens of all requests served.
    pub served_tokens: TokenTotals,
    /// Tokens of the requests served by spillover (billed at standard rates).
    pub spillover_tokens: TokenTotals,
    /// Requests whose first attempt got a 429 the client saw.
    pub first_attempt_throttled: u64,
    /// 429s from the PTU limiter, including those rescued by spillover.
    pub ptu_rejections: u64,
    /// Requests given up after their last retry or deadline.
    pub throttled_final: u64,
    /// Attempts made, retries included.
    pub attempts: u64,
    /// Requests served by flex capacity (flex candidates).
    pub served_by_flex: u64,
    /// Their tokens (billed at flex rates).
    pub flex_tokens: TokenTotals,
    /// Flex attempts refused for want of flex capacity (not billed; resent on standard).
    pub flex_refused: u64,
    /// Requests served by priority processing (priority candidates).
    pub served_by_priority: u64,
    /// Their tokens (billed at priority rates).
    pub priority_tokens: TokenTotals,
    /// Requests sent as priority but served as standard (ramp limit, long prompts).
    pub downgraded: u64,
    /// Attempts ÷ requests offered.
    pub attempts_per_request: f64,
    /// Latency of the requests served, ms; `null` when none was served.
    pub latency_ms: Option<LatencySummary>,
    /// Per-minute utilization summary; `null` when there was no request.
    pub utilization: Option<UtilizationSummary>,
    /// One entry per simulated minute.
    pub minutes: Vec<MinuteStats>,
}

/// A scheduled retry; the request's state travels inline.
#[derive(Debug, Clone, Copy)]
struct Retry {
    req: Request,
    /// Retries so far, this one included.
    retries: u32,
    /// A flex request resent with `service_tier = "default"` after flex refused it.
    on_standard: bool,
}

/// The limiter state behind a target.
#[derive(Debug)]
enum Limiters {
    Standard(StandardLimiter, StandardParams),
    Provisioned {
        bucket: LeakyBucket,
        params: ProvisionedParams,
        spillover: Option<StandardLimiter>,
    },
    Tiered(StandardLimiter, StandardParams, TierMode),
}

/// What the limiters decided for one attempt.
enum Outcome {
    Served {
        by: ServedBy,
        /// What the attempt adds to the minute's utilization numerator.
        load: f64,
        /// PTU correction at completion (0: none).
        correction: f64,
    },
    Throttled {
        retry_after_us: u64,
    },
}

/// Per-minute accumulator.
#[derive(Debug, Clone, Copy, Default)]
struct MinuteAcc {
    load: f64,
    admitted: u64,
    served: u64,
    throttled: u64,
}

/// Runs the simulation over `requests` (first attempts, in non-decreasing `at_us`).
pub fn simulate(
    config: &SimConfig,
    requests: impl IntoIterator<Item = Request>,
) -> Result<SimReport, SimError> {
    config.validate()?;
    let mut engine = Engine::new(config);
    let mut previous_us = 0u64;
    let mut first_us = None;
    for (index, req) in requests.into_iter().enumerate() {
        let index = index as u64;
        if req.at_us < previous_us {
            return Err(SimError::OutOfOrder {
                index,
                at_us: req.at_us,
                previous_us,
            });
        }
        let first = *first_us.get_or_insert(req.at_us);
        if req.at_us - first > MAX_SPAN_US {
            return Err(SimError::InvalidRequest {
                index,
                problem: format!(
                    "arrives at {} µs, more than 366 days after the first request at {first} µs",
                    req.at_us
                ),
            });
        }
        check_request(index, &req)?;
        previous_us = req.at_us;
        engine.run_until(req.at_us);
        engine.offer(req);
        if engine.too_many_waiting {
            return Err(SimError::TooManyWaiting {
                limit: MAX_WAITING_RETRIES,
            });
        }
    }
    engine.run_until(u64::MAX);
    if engine.too_many_waiting {
        return Err(SimError::TooManyWaiting {
            limit: MAX_WAITING_RETRIES,
        });
    }
    Ok(engine.report())
}

#[inline(always)]
fn check_request(index: u64, r: &Request) -> Result<(), SimError> {
    if r.cached > r.prompt || r.completion > r.max_tokens {
        return Err(invalid_request(index, r));
    }
    Ok(())
}

/// The error for a request [`check_request`] refuses (kept out of the hot loop).
#[cold]
#[inline(never)]
fn invalid_request(index: u64, r: &Request) -> SimError {
    if r.cached > r.prompt {
        return SimError::InvalidRequest {
            index,
            problem: format!(
                "{} cached tokens exceed its {} prompt tokens",
                r.cached, r.prompt
            ),
        };
    }
    SimError::InvalidRequest {
        index,
        problem: format!(
            "{} completion tokens exceed its max_tokens {}",
            r.completion, r.max_tokens
        ),
    }
}

/// The simulation state.
struct Engine<'a> {
    config: &'a SimConfig,
    limiters: Limiters,
    /// PTU level corrections (actual − estimate) at completions.
    corrections: Corrections,
    retries: EventQueue<Retry>,
    rng: Xoshiro256PlusPlus,
    latency: Histogram,
    ttft_us: f64,
    us_per_token: f64,
    /// Service time per token of requests priority serves.
    priority_us_per_token: f64,
    first_minute: Option<u64>,
    /// The minute last looked up: its start and end (µs) and index, so that most lookups cost
    /// two comparisons instead of a division.
    current_minute: (u64, u64, usize),
    minutes: Vec<MinuteAcc>,
    requests: u64,
    offered_tokens: TokenTotals,
    served: u64,
    served_by_spillover: u64,
    served_tokens: TokenTotals,
    spillover_tokens: TokenTotals,
    first_attempt_throttled: u64,
    ptu_rejections: u64,
    throttled_final: u64,
    attempts: u64,
    served_by_flex: u64,
    flex_tokens: TokenTotals,
    flex_refused: u64,
    served_by_priority: u64,
    priority_tokens: TokenTotals,
    downgraded: u64,
    /// Priority's ramp bookkeeping (priority candidates).
    ramp: RampState,
    /// More than [`MAX_WAITING_RETRIES`] clients waited to retry at once: the run stops.
    too_many_waiting: bool,
}

impl<'a> Engine<'a> {
    fn new(config: &'a SimConfig) -> Self {
        let limiters = match &config.target {
            Target::Standard(s) => Limiters::Standard(StandardLimiter::new(s), *s),
            Target::Provisioned { ptu, spillover } => Limiters::Provisioned {
                bucket: LeakyBucket::new(ptu),
                params: *ptu,
                spillover: spillover.as_ref().map(StandardLimiter::new),
            },
            Target::Tiered { standard, mode } => {
                Limiters::Tiered(StandardLimiter::new(standard), *standard, *mode)
            }
        };
        Engine {
            config,
            limiters,
            corrections: Corrections::new(),
            retries: EventQueue::new(),
            rng: Xoshiro256PlusPlus::seed_from_u64(config.seed ^ ENGINE_STREAM),
            latency: Histogram::new(),
            ttft_us: config.service.ttft_ms * 1_000.0,
            us_per_token: 1e6 / config.service.tokens_per_second,
            priority_us_per_token: match config.target {
                Target::Tiered {
                    mode: TierMode::Priority(p),
                    ..
                } => 1e6 / p.tokens_per_second,
                _ => 1e6 / config.service.tokens_per_second,
            },
            first_minute: None,
            current_minute: (0, 0, 0),
            minutes: Vec::new(),
            requests: 0,
            offered_tokens: TokenTotals::default(),
            served: 0,
            served_by_spillover: 0,
            served_tokens: TokenTotals::default(),
            spillover_tokens: TokenTotals::default(),
            first_attempt_throttled: 0,
            ptu_rejections: 0,
            throttled_final: 0,
            too_many_waiting: false,
            attempts: 0,
            served_by_flex: 0,
            flex_tokens: TokenTotals::default(),
            flex_refused: 0,
            served_by_priority: 0,
            priority_tokens: TokenTotals::default(),
            downgraded: 0,
            ramp: RampState::default(),
        }
    }

    /// A new request's first attempt.
    #[inline]
    fn offer(&mut self, req: Request) {
        if self.first_minute.is_none() {
            self.first_minute = Some(req.at_us / MINUTE_US);
        }
        self.requests += 1;
        self.offered_tokens.add(&req);
        self.attempt(req.at_us, req, 0, false);
    }

    /// Makes the retries due at or before `limit`, in `(time, scheduling)` order.
    #[inline]
    fn run_until(&mut self, limit: u64) {
        if self.retries.is_empty() {
            return;
        }
        while let Some((t, retry)) = self.retries.pop_until(limit) {
            self.attempt(t, retry.req, retry.retries, retry.on_standard);
        }
    }

    /// The accumulator of the minute holding `now`.
    #[inline(always)]
    fn minute(&mut self, now: u64) -> &mut MinuteAcc {
        let (start, end, mut index) = self.current_minute;
        if now < start || now >= end {
            index = self.enter_minute(now);
        }
        &mut self.minutes[index]
    }

    /// Makes the minute holding `now` the current one; returns its index.
    #[inline(never)]
    fn enter_minute(&mut self, now: u64) -> usize {
        let first = self.first_minute.unwrap_or(now / MINUTE_US);
        let minute = now / MINUTE_US;
        let i = (minute - first) as usize;
        if i >= self.minutes.len() {
            self.minutes.resize(i + 1, MinuteAcc::default());
        }
        self.current_minute = (minute * MINUTE_US, (minute + 1) * MINUTE_US, i);
        i
    }

    /// One attempt of `req` at `now`, after `retries` retries; `on_standard`: a flex request
    /// resent as standard.
    #[inline]
    fn attempt(&mut self, now: u64, req: Request, retries: u32, on_standard: bool) {
        self.attempts += 1;
        if !on_standard && self.flex_refuses(now, retries) {
            return self.attempt(now, req, retries, true);
        }
        let outcome = match &mut self.limiters {
            Limiters::Standard(limiter, _) => {
                let counted = f64::from(req.prompt) + f64::from(req.max_tokens);
                match limiter.try_admit(now, counted) {
                    Ok(()) => Outcome::Served {
                        by: ServedBy::Deployment,
                        load: counted,
                        correction: 0.0,
                    },
                    Err(retry_after_us) => Outcome::Throttled {
                        retry_after_us: ceil_ms(retry_after_us as f64),
                    },
                }
            }
            Limiters::Tiered(limiter, _, mode) => {
                let counted = f64::from(req.prompt) + f64::from(req.max_tokens);
                let mode = *mode;
                match limiter.try_admit(now, counted) {
                    Ok(()) => Outcome::Served {
                        by: self.tier_served(now, &req, mode, on_standard),
                        load: counted,
                        correction: 0.0,
                    },
                    Err(retry_after_us) => Outcome::Throttled {
                        retry_after_us: ceil_ms(retry_after_us as f64),
                    },
                }
            }
            Limiters::Provisioned {
                bucket,
                params,
                spillover,
            } => {
                let estimate = params.estimate(&req);
                let corrections = self.corrections.take_due(now);
                match bucket.try_admit(now, corrections, estimate) {
                    Ok(()) => {
                        let actual = params.actual(&req);
                        Outcome::Served {
                            by: ServedBy::Deployment,
                            load: actual,
                            correction: actual - estimate,
                        }
                    }
                    Err(retry_after_us) => {
                        self.ptu_rejections += 1;
                        let counted = f64::from(req.prompt) + f64::from(req.max_tokens);
                        match spillover.as_mut().map(|s| s.try_admit(now, counted)) {
                            Some(Ok(())) => Outcome::Served {
                                by: ServedBy::Spillover,
                                load: 0.0,
                                correction: 0.0,
                            },
                            _ => Outcome::Throttled {
                                retry_after_us: ceil_ms(retry_after_us),
                            },
                        }
                    }
                }
            }
        };
        match outcome {
            Outcome::Served {
                by,
                load,
                correction,
            } => {
                let us_per_token = if by == ServedBy::Priority {
                    self.priority_us_per_token
                } else {
                    self.us_per_token
                };
                // + 0.5 then truncate: rounding without a libm call (the value is ≥ 0). Through
                // i64, which x86-64 converts in one instruction (u64 takes a dozen).
                let service_us = self.ttft_us + f64::from(req.completion) * us_per_token;
                let done = now.saturating_add((service_us + 0.5) as i64 as u64);
                self.latency.record(done - req.at_us);
                self.served += 1;
                self.served_tokens.add(&req);
                self.count_served(by, &req);
                let by_spillover = by == ServedBy::Spillover;
                if correction != 0.0 {
                    self.corrections.push(done, correction);
                }
                let minute = self.minute(now);
                minute.served += 1;
                if !by_spillover {
                    minute.load += load;
                    minute.admitted += 1;
                }
            }
            Outcome::Throttled { retry_after_us } => {
                self.minute(now).throttled += 1;
                // A resend right after a flex refusal is not a first attempt again.
                if retries == 0 && !on_standard {
                    self.first_attempt_throttled += 1;
                }
                match self.config.retry.next_attempt(
                    &mut self.rng,
                    now,
                    req.at_us,
                    retries,
                    retry_after_us,
                ) {
                    Some(_) if self.retries.len() >= MAX_WAITING_RETRIES => {
                        self.too_many_waiting = true;
                        self.throttled_final += 1;
                    }
                    Some(at) => self.retries.push(
                        at,
                        Retry {
                            req,
                            retries: retries + 1,
                            on_standard,
                        },
                    ),
                    None => self.throttled_final += 1,
                }
            }
        }
    }

    /// Whether a flex attempt finds no flex capacity: a 429 that is not billed and leaves the
    /// quota alone, counted here; the client resends the request as standard at once.
    fn flex_refuses(&mut self, now: u64, retries: u32) -> bool {
        let Limiters::Tiered(_, _, TierMode::Flex { availability }) = self.limiters else {
            return false;
        };
        if self.rng.random::<f64>() < availability {
            return false;
        }
        self.flex_refused += 1;
        self.minute(now).throttled += 1;
        if retries == 0 {
            self.first_attempt_throttled += 1;
        }
        true
    }

    /// Who serves an admitted request of a tiered candidate: flex (unless resent as standard),
    /// or priority unless its prompt is long or the minute is over the ramp limit.
    fn tier_served(
        &mut self,
        now: u64,
        req: &Request,
        mode: TierMode,
        on_standard: bool,
    ) -> ServedBy {
        match mode {
            TierMode::Flex { .. } if on_standard => ServedBy::Deployment,
            TierMode::Flex { .. } => ServedBy::Flex,
            TierMode::Priority(p) => {
                if p.long_prompt_tokens.is_some_and(|limit| req.prompt > limit) {
                    return ServedBy::Downgraded;
                }
                self.minute(now);
                let minute = self.current_minute.2;
                let tokens = f64::from(req.prompt) + f64::from(req.completion);
                if self.ramp.admit(minute, tokens, p.ramp) {
                    ServedBy::Priority
                } else {
                    ServedBy::Downgraded
                }
            }
        }
    }

    /// Counts a served request against who served it.
    fn count_served(&mut self, by: ServedBy, req: &Request) {
        match by {
            ServedBy::Deployment => {}
            ServedBy::Spillover => {
                self.served_by_spillover += 1;
                self.spillover_tokens.add(req);
            }
            ServedBy::Flex => {
                self.served_by_flex += 1;
                self.flex_tokens.add(req);
            }
            ServedBy::Priority => {
                self.served_by_priority += 1;
                self.priority_tokens.add(req);
            }
            ServedBy::Downgraded => self.downgraded += 1,
        }
    }

    fn report(self) -> SimReport {
        let utilization_of = |m: &MinuteAcc| match &self.limiters {
            Limiters::Standard(_, p) | Limiters::Tiered(_, p, _) => {
                (m.load / p.tpm_quota).max(m.admitted as f64 / p.rpm)
            }
            Limiters::Provisioned { params, .. } => m.load / (params.capacity_per_s() * 60.0),
        };
        let minutes: Vec<MinuteStats> = self
            .minutes
            .iter()
            .enumerate()
            .map(|(i, m)| MinuteStats {
                minute: i as u64,
                utilization: utilization_of(m),
                throttled: m.throttled,
                served: m.served,
            })
            .collect();
        let utilization = (!minutes.is_empty()).then(|| {
            let mut sorted: Vec<f64> = minutes.iter().map(|m| m.utilization).collect();
            sorted.sort_by(f64::total_cmp);
            let hot = sorted.iter().filter(|&&u| u > HOT_UTILIZATION).count();
            UtilizationSummary {
                p50: nearest_rank(&sorted, 50.0),
                p90: nearest_rank(&sorted, 90.0),
                p99: nearest_rank(&sorted, 99.0),
                max: sorted[sorted.len() - 1],
                share_above_85: hot as f64 / sorted.len() as f64,
            }
        });
        let ms = |us: f64| us / 1_000.0;
        let latency_ms = match (
            self.latency.mean(),
            self.latency.percentile(50.0),
            self.latency.percentile(95.0),
            self.latency.percentile(99.0),
            self.latency.max(),
        ) {
            (Some(mean), Some(p50), Some(p95), Some(p99), Some(max)) => Some(LatencySummary {
                mean: ms(mean),
                p50: ms(p50),
                p95: ms(p95),
                p99: ms(p99),
                max: ms(max as f64),
            }),
            _ => None,
        };
        SimReport {
            requests: self.requests,
            offered_tokens: self.offered_tokens,
            served: self.served,
            served_by_spillover: self.served_by_spillover,
            served_tokens: self.served_tokens,
            spillover_tokens: self.spillover_tokens,
            first_attempt_throttled: self.first_attempt_throttled,
            ptu_rejections: self.ptu_rejections,
            throttled_final: self.throttled_final,
            attempts: self.attempts,
            served_by_flex: self.served_by_flex,
            flex_tokens: self.flex_tokens,
            flex_refused: self.flex_refused,
            served_by_priority: self.served_by_priority,
            priority_tokens: self.priority_tokens,
            downgraded: self.downgraded,
            attempts_per_request: if self.requests == 0 {
                0.0
            } else {
                self.attempts as f64 / self.requests as f64
            },
            latency_ms,
            utilization,
            minutes,
        }
    }
}

/// A retry-after in µs rounded up to whole milliseconds, as `retry-after-ms` carries it.
#[inline]
fn ceil_ms(us: f64) -> u64 {
    // Integer rounding up, not f64::ceil: a libm call on this hot path under overload; through
    // i64, which converts in one instruction (retry-afters are far below 2^63 µs).
    let ms = us / 1_000.0;
    let whole = ms as i64;
    (whole.saturating_add(i64::from((whole as f64) < ms)) as u64).saturating_mul(1_000)
}

#[cfg(test)]
mod tests;
