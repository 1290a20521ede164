//! Engine tests: each expected number is computed by hand in the comment above it.

use super::traffic::{TokenSize, Traffic, TrafficSpec};
use super::*;
use proptest::prelude::*;

/// C = ptu × 6,000 ÷ 60 = 100 × ptu normalized tokens per second; output weight 2.
fn ptu(ptu: f64, bucket_seconds: f64) -> ProvisionedParams {
    ProvisionedParams {
        ptu,
        input_tpm_per_ptu: 6_000.0,
        output_weight: 2.0,
        cached_weight: 0.0,
        bucket_seconds,
    }
}

fn standard(tpm_quota: f64, rpm: f64, rpm_window: RpmWindow) -> StandardParams {
    StandardParams {
        tpm_quota,
        rpm,
        rpm_window,
    }
}

/// ttft 0, 100 tokens/s: a 100-token completion takes exactly 1 s.
const FAST: Service = Service {
    ttft_ms: 0.0,
    tokens_per_second: 100.0,
};

fn config(target: Target, retry: RetryPolicy) -> SimConfig {
    SimConfig {
        target,
        service: FAST,
        retry,
        seed: 1,
    }
}

fn req(at_us: u64, prompt: u32, completion: u32, max_tokens: u32) -> Request {
    Request {
        at_us,
        prompt,
        cached: 0,
        completion,
        max_tokens,
    }
}

/// Requests every `gap_us` from 0.
fn every(gap_us: u64, n: u64, prompt: u32, completion: u32, max_tokens: u32) -> Vec<Request> {
    (0..n)
        .map(|i| req(i * gap_us, prompt, completion, max_tokens))
        .collect()
}

fn sdk_like() -> RetryPolicy {
    RetryPolicy {
        kind: RetryKind::Exponential {
            base_ms: 500.0,
            cap_ms: 8_000.0,
        },
        max_retries: 2,
        deadline_ms: 600_000.0,
        honour_retry_after: true,
    }
}

/// Poisson traffic at `rate` for `seconds`, fixed 100 prompt / 50 completion (200 normalized
/// tokens with output weight 2).
fn poisson(rate: f64, seconds: f64, seed: u64) -> Vec<Request> {
    let spec = TrafficSpec {
        seed,
        ..TrafficSpec::steady(rate, seconds, 100, 50)
    };
    Traffic::new(&spec).expect("valid").collect()
}

#[test]
fn well_under_capacity_serves_everything() {
    // 5 req/s × 200 normalized = 1,000/s against C = 50 PTU × 100 = 5,000/s: 20 % utilization.
    // Standard: 5 req/s × 150 counted = 45,000 TPM of 1,000,000; 300 RPM of
    // 6,000 (100 per 1 s window; Poisson(5) never reaches 100).
    let reqs = poisson(5.0, 600.0, 1);
    let n = reqs.len() as u64;
    for target in [
        Target::Provisioned {
            ptu: ptu(50.0, 60.0),
            spillover: None,
        },
        Target::Standard(standard(1e6, 6_000.0, RpmWindow::OneSecond)),
    ] {
        let r = simulate(&config(target, sdk_like()), reqs.iter().copied()).expect("valid");
        assert_eq!(r.requests, n);
        assert_eq!(r.served, n);
        assert_eq!(r.first_attempt_throttled, 0);
        assert_eq!(r.ptu_rejections, 0);
        assert_eq!(r.attempts, n);
        assert_eq!(r.minutes.iter().map(|m| m.throttled).sum::<u64>(), 0);
        // Every latency is the 0.5 s service time (50 tokens at 100/s).
        let latency = r.latency_ms.expect("served");
        assert_eq!(latency.max, 500.0);
        assert!((latency.p50 - 500.0).abs() <= 500.0 / 256.0);
        assert_eq!(r.served_tokens, r.offered_tokens);
    }
}

#[test]
fn twice_capacity_serves_capacity_plus_one_bucket() {
    // C = 10 PTU × 100 = 1,000 normalized/s, D = 10 s × C = 10,000. Requests of 200 normalized
    // (100 + 2 × 50, completion = max_tokens so no correction) every 100 ms = 2,000/s = 2 C,
    // for 30 min (18,000 requests, last at 1,799.9 s), no retries.
    // The bucket never empties after the first request, so tokens admitted = C × 1,799.9 s +
    // final level. Arrival k sees 100 k until k = 100 (10,000 = D, admitted); from then on it
    // alternates 10,100 (refused) and 10,000 (admitted), so the last (k = 17,999, odd) leaves
    // 10,100: admitted = 1,799,900 + 10,100 = 1,810,000 = 9,050 requests — capacity (9,000 over
    // 30 min) plus one bucket depth (50 requests), 0.56 % above C × T. In general the excess is
    // at most D + one request.
    let reqs = every(100_000, 18_000, 100, 50, 50);
    let target = Target::Provisioned {
        ptu: ptu(10.0, 10.0),
        spillover: None,
    };
    let r = simulate(&config(target, RetryPolicy::NONE), reqs).expect("valid");
    assert_eq!(r.served, 9_050);
    assert_eq!(r.throttled_final, 18_000 - r.served);
    assert_eq!(r.ptu_rejections, r.throttled_final);
    assert_eq!(r.attempts_per_request, 1.0);
    let served_norm = r.served as f64 * 200.0;
    let capacity = 1_000.0 * 1_800.0;
    assert!(served_norm / capacity >= 1.0 && served_norm / capacity <= 1.0 + 10_200.0 / capacity);
    // Minute 0 (arrivals 0–599): 101 admitted while filling + 249 (even k from 102 to 598) =
    // 350 × 200 = 70,000 ÷ 60,000 = 1.167. Later minutes: 300 of 600 → 60,000 ÷ 60,000 = 1.
    let u = r.utilization.expect("minutes");
    assert_eq!(r.minutes.len(), 30);
    assert!((u.max - 70_000.0 / 60_000.0).abs() < 1e-12, "{}", u.max);
    assert_eq!(u.p50, 1.0);
    assert_eq!(u.share_above_85, 1.0);
}

#[test]
fn standard_request_windows_admit_rpm_over_6_or_60() {
    // 600 RPM on 10 s windows → 100 per window: 150 requests 1 ms apart at the start of a
    // window → 100 served, 50 throttled (no retries).
    let quota = 1e9;
    let reqs = every(1_000, 150, 10, 10, 10);
    let ten = Target::Standard(standard(quota, 600.0, RpmWindow::TenSeconds));
    let r = simulate(&config(ten, RetryPolicy::NONE), reqs.iter().copied()).expect("valid");
    assert_eq!((r.served, r.throttled_final), (100, 50));
    // On 1 s windows → 10 per window: the same burst gets 10 through.
    let one = Target::Standard(standard(quota, 600.0, RpmWindow::OneSecond));
    let r = simulate(&config(one, RetryPolicy::NONE), reqs).expect("valid");
    assert_eq!((r.served, r.throttled_final), (10, 140));
    // 15 per second for 10 s on 1 s windows: 10 of each second's 15 → 100 of 150.
    let spread = every(1_000_000 / 15, 150, 10, 10, 10);
    let r = simulate(&config(one, RetryPolicy::NONE), spread).expect("valid");
    assert_eq!(r.served, 100);
}

#[test]
fn standard_tpm_resets_at_the_minute_and_retry_waits_for_it() {
    // Quota 1,000 tokens; each request counts 300 + 100 = 400. At 1, 2, 3 s: count before
    // 0, 400, 800 < 1,000 → admitted (the third crosses). At 4 s: 1,200 ≥ 1,000 → 429,
    // retry-after 56 s; a client honouring it retries at 60 s, the next minute: admitted.
    // Its latency: 56 s + 1 s of service (100 tokens at 100/s) = 57,000 ms.
    let reqs: Vec<Request> = (1..=4).map(|s| req(s * 1_000_000, 300, 100, 100)).collect();
    let retry = RetryPolicy {
        kind: RetryKind::Fixed { delay_ms: 0.0 },
        max_retries: 2,
        deadline_ms: f64::INFINITY,
        honour_retry_after: true,
    };
    let target = Target::Standard(standard(1_000.0, 1e6, RpmWindow::OneSecond));
    let r = simulate(&config(target, retry), reqs).expect("valid");
    assert_eq!(r.served, 4);
    assert_eq!(r.first_attempt_throttled, 1);
    assert_eq!(r.attempts, 5);
    assert_eq!(r.latency_ms.expect("served").max, 57_000.0);
    // Minute 0: 3 served (1,200 counted ÷ 1,000 = 1.2), one 429; minute 1: the retry.
    assert_eq!(r.minutes.len(), 2);
    assert_eq!((r.minutes[0].served, r.minutes[0].throttled), (3, 1));
    assert_eq!(r.minutes[0].utilization, 1.2);
    assert_eq!((r.minutes[1].served, r.minutes[1].throttled), (1, 0));
    assert_eq!(r.minutes[1].utilization, 0.4);
}

#[test]
fn leaky_bucket_retry_after_and_correction_in_the_engine() {
    // 1 PTU, output weight 1, 1 s bucket: C = 100/s, D = 100. Each request: prompt 150,
    // max_tokens 50 (estimate 200), completion 10 (actual 160, correction −40 at completion,
    // 0.1 s after admission at 100 tokens/s).
    // A at 0: level 0 → admitted, 200; its correction at 0.1 s: 200 − 10 − 40 = 150.
    // B at 1.0 s: level 150 − 90 = 60 → admitted, 260; correction at 1.1 s: 260 − 10 − 40 = 210.
    // C at 1.5 s: level 210 − 40 = 170 > 100 → 429, retry-after (170 − 100) ÷ 100 = 0.7 s.
    // (Without corrections C would see 400 − 150 = 250 and wait 1.5 s.)
    // C retries at 2.2 s: level 170 − 70 = 100 = D → admitted. Latency 0.7 + 0.1 s = 800 ms.
    let p = ProvisionedParams {
        output_weight: 1.0,
        ..ptu(1.0, 1.0)
    };
    let reqs = vec![
        req(0, 150, 10, 50),
        req(1_000_000, 150, 10, 50),
        req(1_500_000, 150, 10, 50),
    ];
    let retry = RetryPolicy {
        kind: RetryKind::Fixed { delay_ms: 0.0 },
        max_retries: 1,
        deadline_ms: f64::INFINITY,
        honour_retry_after: true,
    };
    let target = Target::Provisioned {
        ptu: p,
        spillover: None,
    };
    let r = simulate(&config(target, retry), reqs).expect("valid");
    assert_eq!((r.served, r.ptu_rejections, r.attempts), (3, 1, 4));
    assert_eq!(r.latency_ms.expect("served").max, 800.0);
    // Utilization of minute 0 uses actual tokens: 3 × 160 ÷ (100 × 60) = 0.08.
    assert!((r.minutes[0].utilization - 0.08).abs() < 1e-12);
}

#[test]
fn aggressive_retries_mean_more_attempts_under_overload() {
    // 20 req/s × 200 = 4,000/s against C = 2,000/s (20 PTU): half the offered load is refused.
    // No retries: exactly 1 attempt per request; the SDK-like policy (2 retries, ≥ retry-after)
    // fewer than a client retrying every 100 ms up to 10 times, ignoring retry-after.
    let reqs = poisson(20.0, 600.0, 4);
    let target = Target::Provisioned {
        ptu: ptu(20.0, 10.0),
        spillover: None,
    };
    let run = |retry| simulate(&config(target, retry), reqs.iter().copied()).expect("valid");
    let none = run(RetryPolicy::NONE);
    let sdk = run(sdk_like());
    let eager = run(RetryPolicy {
        kind: RetryKind::Fixed { delay_ms: 100.0 },
        max_retries: 10,
        deadline_ms: f64::INFINITY,
        honour_retry_after: false,
    });
    assert_eq!(none.attempts_per_request, 1.0);
    assert!(sdk.attempts_per_request > 1.0);
    assert!(
        eager.attempts_per_request > sdk.attempts_per_request + 1.0,
        "{} vs {}",
        eager.attempts_per_request,
        sdk.attempts_per_request
    );
    for r in [&none, &sdk, &eager] {
        assert_eq!(r.served + r.throttled_final, r.requests);
    }
}

#[test]
fn same_seed_same_report_other_seed_other_report() {
    // Overloaded with jittered backoff: the jitter stream decides retry times.
    let reqs = poisson(20.0, 300.0, 5);
    let target = Target::Provisioned {
        ptu: ptu(20.0, 10.0),
        spillover: None,
    };
    let with_seed = |seed| SimConfig {
        seed,
        ..config(target, sdk_like())
    };
    let a = simulate(&with_seed(1), reqs.iter().copied()).expect("valid");
    let b = simulate(&with_seed(1), reqs.iter().copied()).expect("valid");
    let c = simulate(&with_seed(2), reqs.iter().copied()).expect("valid");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn spillover_serves_what_the_ptu_refuses() {
    // PTU at 2× load as above; spillover with 10M TPM and 100,000 RPM (1,666 per 1 s window)
    // takes every refusal: everything is served on the first attempt.
    let reqs = poisson(20.0, 600.0, 6);
    let n = reqs.len() as u64;
    let target = Target::Provisioned {
        ptu: ptu(20.0, 10.0),
        spillover: Some(standard(1e7, 1e5, RpmWindow::OneSecond)),
    };
    let r = simulate(&config(target, sdk_like()), reqs).expect("valid");
    assert_eq!(r.served, n);
    assert_eq!(r.attempts, n);
    assert_eq!(r.first_attempt_throttled, 0);
    assert!(r.served_by_spillover > n / 3, "{}", r.served_by_spillover);
    assert_eq!(r.ptu_rejections, r.served_by_spillover);
    // Fixed sizes: 100 prompt and 50 completion tokens per spilled request.
    assert_eq!(r.spillover_tokens.prompt, 100 * r.served_by_spillover);
    assert_eq!(r.spillover_tokens.completion, 50 * r.served_by_spillover);
    assert_eq!(r.served_tokens, r.offered_tokens);
}

#[test]
fn spillover_refusal_is_a_429_with_the_ptus_retry_after() {
    // PTU (C = 100, D = 100) full after A (estimate 200); the spillover admits 1 request per
    // 1 s window (60 RPM): B at 0.5 s spills; C at 0.6 s is refused by both and sees the PTU's
    // retry-after: level 200 − 60 = 140 → (140 − 100) ÷ 100 = 0.4 s; it retries at 1.0 s and
    // the PTU (level 100 = D) admits it. Latency 0.4 + 0.5 s service = 900 ms.
    let reqs = vec![
        req(0, 100, 50, 50),
        req(500_000, 100, 50, 50),
        req(600_000, 100, 50, 50),
    ];
    let retry = RetryPolicy {
        kind: RetryKind::Fixed { delay_ms: 0.0 },
        max_retries: 1,
        deadline_ms: f64::INFINITY,
        honour_retry_after: true,
    };
    let target = Target::Provisioned {
        ptu: ptu(1.0, 1.0),
        spillover: Some(standard(1e6, 60.0, RpmWindow::OneSecond)),
    };
    let r = simulate(&config(target, retry), reqs).expect("valid");
    assert_eq!((r.served, r.served_by_spillover), (3, 1));
    assert_eq!((r.ptu_rejections, r.first_attempt_throttled), (2, 1));
    assert_eq!(r.latency_ms.expect("served").max, 900.0);
}

#[test]
fn errors_name_the_request_or_field() {
    let target = Target::Provisioned {
        ptu: ptu(1.0, 1.0),
        spillover: None,
    };
    let cfg = config(target, RetryPolicy::NONE);
    let out_of_order = vec![req(5, 1, 1, 1), req(9, 1, 1, 1), req(7, 1, 1, 1)];
    let err = simulate(&cfg, out_of_order).expect_err("out of order");
    assert_eq!(
        err,
        SimError::OutOfOrder {
            index: 2,
            at_us: 7,
            previous_us: 9
        }
    );
    let too_late = vec![req(0, 1, 1, 1), req(MAX_SPAN_US + 1, 1, 1, 1)];
    let err = simulate(&cfg, too_late).expect_err("span > 366 days");
    assert!(err.to_string().starts_with("request 1: arrives"), "{err}");
    let too_long = vec![req(0, 1, 20, 10)];
    let err = simulate(&cfg, too_long).expect_err("completion > max_tokens");
    assert!(
        err.to_string().starts_with("request 0: 20 completion"),
        "{err}"
    );
    let bad = SimConfig {
        service: Service {
            ttft_ms: 0.0,
            tokens_per_second: 0.0,
        },
        ..cfg
    };
    let err = simulate(&bad, Vec::new()).expect_err("zero speed");
    assert!(
        err.to_string().contains("service.tokens_per_second = 0"),
        "{err}"
    );
    let bad = config(
        Target::Provisioned {
            ptu: ptu(1.0, 1.0),
            spillover: Some(standard(1e6, 0.0, RpmWindow::OneSecond)),
        },
        RetryPolicy::NONE,
    );
    let err = simulate(&bad, Vec::new()).expect_err("rpm 0");
    assert!(err.to_string().contains("spillover.rpm"), "{err}");
}

#[test]
fn no_requests_gives_an_empty_report() {
    let target = Target::Standard(standard(1e6, 600.0, RpmWindow::OneSecond));
    let r = simulate(&config(target, sdk_like()), Vec::new()).expect("valid");
    assert_eq!((r.requests, r.served, r.attempts), (0, 0, 0));
    assert_eq!(r.attempts_per_request, 0.0);
    assert!(r.latency_ms.is_none() && r.utilization.is_none() && r.minutes.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the load and policy: every request is served or given up; every attempt is
    /// served or a 429 in some minute; the minute series accounts for all of them.
    #[test]
    fn every_request_and_attempt_is_accounted_for(
        rate in 0.5f64..40.0,
        ptus in 1.0f64..20.0,
        spill in any::<bool>(),
        max_retries in 0u32..5,
        honour in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let spec = TrafficSpec {
            prompt: TokenSize::LogNormal { mean: 100.0, p95: 250.0 },
            completion: TokenSize::LogNormal { mean: 40.0, p95: 100.0 },
            seed,
            ..TrafficSpec::steady(rate, 120.0, 0, 0)
        };
        let target = Target::Provisioned {
            ptu: ptu(ptus, 5.0),
            spillover: spill.then(|| standard(30_000.0, 60.0, RpmWindow::OneSecond)),
        };
        let retry = RetryPolicy { max_retries, honour_retry_after: honour, ..sdk_like() };
        let r = simulate(&SimConfig { seed, ..config(target, retry) },
                         Traffic::new(&spec).expect("valid")).expect("valid");
        prop_assert_eq!(r.served + r.throttled_final, r.requests);
        prop_assert!(r.attempts >= r.requests);
        prop_assert_eq!(r.minutes.iter().map(|m| m.served).sum::<u64>(), r.served);
        prop_assert_eq!(
            r.minutes.iter().map(|m| m.throttled).sum::<u64>(),
            r.attempts - r.served
        );
        prop_assert!(r.served_by_spillover <= r.ptu_rejections);
        prop_assert!(r.first_attempt_throttled <= r.requests);
        prop_assert!(r.attempts <= r.requests * (u64::from(max_retries) + 1));
    }
}

/// Simulated seconds of the benchmark: `SIM_BENCH_SECONDS`, default 10,000 (10 M requests).
fn bench_seconds() -> f64 {
    std::env::var("SIM_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000.0)
}

/// Release-mode speed check: `cargo test --release --lib sim::tests::bench -- --ignored
/// --nocapture`. 1,000 req/s Poisson with log-normal sizes for 10,000 s (10 M requests;
/// `SIM_BENCH_SECONDS` changes it) against a provisioned deployment near capacity, SDK-like
/// retries; the clock includes generating the traffic.
#[test]
#[ignore = "benchmark: run in release"]
fn bench_simulated_requests_per_second() {
    // Per request ≈ 800 uncached prompt (1,000 × 0.8) + 4 × ≈ 290 completion ≈ 1,960
    // normalized → 1.96 M/s = 117.6 M TPM; at 3,000 TPM per PTU that is 39,200 PTU: 41,000
    // runs at ≈ 96 %, 37,500 at ≈ 105 % (429s and retries).
    let spec = TrafficSpec {
        prompt: TokenSize::LogNormal {
            mean: 1_000.0,
            p95: 3_000.0,
        },
        completion: TokenSize::LogNormal {
            mean: 300.0,
            p95: 800.0,
        },
        cached_share: 0.2,
        seed: 42,
        ..TrafficSpec::steady(1_000.0, bench_seconds(), 0, 0)
    };
    for ptu in [41_000.0, 37_500.0] {
        let cfg = SimConfig {
            target: Target::Provisioned {
                ptu: ProvisionedParams {
                    ptu,
                    input_tpm_per_ptu: 3_000.0,
                    output_weight: 4.0,
                    cached_weight: 0.0,
                    bucket_seconds: 60.0,
                },
                spillover: None,
            },
            service: Service {
                ttft_ms: 500.0,
                tokens_per_second: 50.0,
            },
            retry: sdk_like(),
            seed: 1,
        };
        let start = std::time::Instant::now();
        let r = simulate(&cfg, Traffic::new(&spec).expect("valid")).expect("valid");
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "{ptu} PTU: {} requests, {:.3} attempts each, {} PTU 429s, p99 utilization {:.3}, \
             in {secs:.3} s: {:.1} M simulated requests/s",
            r.requests,
            r.attempts_per_request,
            r.ptu_rejections,
            r.utilization.map_or(0.0, |u| u.p99),
            r.requests as f64 / secs / 1e6
        );
    }
    let start = std::time::Instant::now();
    let n = Traffic::new(&spec).expect("valid").count();
    eprintln!(
        "traffic generation alone: {n} in {:.3} s",
        start.elapsed().as_secs_f64()
    );
}

fn tiered(mode: TierMode) -> Target {
    Target::Tiered {
        standard: standard(1e9, 1e9, RpmWindow::OneSecond),
        mode,
    }
}

#[test]
fn flex_serves_its_availability_and_resends_the_rest_as_standard() {
    // 10,000 requests on an ample quota, half the flex attempts find capacity: about 5,000
    // served by flex (binomial, σ = 50), the rest refused once and resent as standard; every
    // request is served and each refusal is one more attempt.
    let flex = tiered(TierMode::Flex { availability: 0.5 });
    let r = simulate(&config(flex, sdk_like()), every(1_000, 10_000, 10, 10, 10)).expect("runs");
    assert_eq!(r.served, 10_000);
    assert_eq!(r.served_by_flex + r.flex_refused, 10_000);
    assert!(
        (r.served_by_flex as i64 - 5_000).abs() < 250,
        "{}",
        r.served_by_flex
    );
    assert_eq!(r.attempts, 10_000 + r.flex_refused);
    assert_eq!(r.flex_tokens.prompt, 10 * r.served_by_flex);
    let all = tiered(TierMode::Flex { availability: 1.0 });
    let r = simulate(&config(all, sdk_like()), every(1_000, 100, 10, 10, 10)).expect("runs");
    assert_eq!((r.served_by_flex, r.flex_refused), (100, 0));
    let bad = tiered(TierMode::Flex { availability: 1.5 });
    assert!(simulate(&config(bad, sdk_like()), every(1_000, 1, 10, 10, 10)).is_err());
}

#[test]
fn priority_serves_faster_and_downgrades_a_sudden_rise() {
    // One request a second for 5 minutes (10 + 90 tokens each: 6,000 a minute), then ten a
    // second. Minute 5 may carry 1.5 × 6,000 = 9,000 tokens: 90 of its 600 requests; the
    // other 510 are downgraded. Priority serves at 200 tokens/s: 90 tokens take 0.45 s, at
    // standard's 100 tokens/s 0.9 s.
    let mode = PriorityMode {
        tokens_per_second: 200.0,
        ramp: crate::calc::service_tier::RampRule {
            increase: 0.5,
            minutes: 15,
            floor_tpm: 0.0,
        },
        long_prompt_tokens: Some(1_000),
    };
    let mut requests = every(1_000_000, 300, 10, 90, 90);
    requests.extend((0..600).map(|i| req(300_000_000 + i * 100_000, 10, 90, 90)));
    let r = simulate(
        &config(tiered(TierMode::Priority(mode)), sdk_like()),
        requests.clone(),
    )
    .expect("runs");
    assert_eq!(r.served, 900);
    assert_eq!(r.downgraded, 510);
    assert_eq!(r.served_by_priority, 390);
    let latency = r.latency_ms.expect("served");
    // Mean (exact): (390 × 450 + 510 × 900) ÷ 900 = 705 ms.
    assert!((latency.mean - 705.0).abs() < 1e-6, "{latency:?}");
    assert!((latency.max - 900.0).abs() < 1e-6, "{latency:?}");
    // A floor above the busy minute's tokens lifts the limit; a long prompt is downgraded.
    let floored = PriorityMode {
        ramp: crate::calc::service_tier::RampRule {
            floor_tpm: 60_000.0,
            ..mode.ramp
        },
        ..mode
    };
    let r = simulate(
        &config(tiered(TierMode::Priority(floored)), sdk_like()),
        requests,
    )
    .expect("runs");
    assert_eq!(r.downgraded, 0);
    let long = vec![req(0, 2_000, 10, 10)];
    let r = simulate(&config(tiered(TierMode::Priority(mode)), sdk_like()), long).expect("runs");
    assert_eq!((r.downgraded, r.served_by_priority), (1, 0));
}
