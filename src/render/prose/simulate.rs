//! The `simulate` report's assumptions in words: the clients' retry policy, the service time
//! and the limiters.

use crate::numfmt;
use crate::sim::compare::{
    Backoff, ClientPolicy, LimiterAssumptions, ServiceTime, SyntheticTraffic, TrafficSource,
};

/// The clients' retry policy, e.g. `retry after 2 s; 3 retries, waiting at least
/// retry-after, give up after 1 min`.
pub fn client(policy: &ClientPolicy) -> String {
    let backoff = match policy.backoff {
        Backoff::None => return "no retries: the first 429 is final".into(),
        Backoff::OpenAiPython if policy.ignore_retry_after => {
            "openai-python's backoff: 0.5 s doubling up to 8 s, less up to 25% jitter".to_string()
        }
        Backoff::OpenAiPython => "openai-python defaults (v3.3.1): retry-after as given up to \
                                  2 min (longer: no retry), else 0.5 s doubling up to 8 s, \
                                  less up to 25% jitter"
            .to_string(),
        Backoff::Fixed { delay_s } => format!("retry after {}", numfmt::duration(delay_s)),
        Backoff::Exponential { delay_s, cap_s } => format!(
            "exponential backoff from {} up to {} (full jitter)",
            numfmt::duration(delay_s),
            numfmt::duration(cap_s)
        ),
    };
    let retry_after = match (policy.backoff, policy.ignore_retry_after) {
        (_, true) => ", ignoring retry-after",
        (Backoff::OpenAiPython, false) => "",
        (_, false) => ", waiting at least retry-after",
    };
    format!(
        "{backoff}; {} retries{retry_after}, {}",
        policy.max_retries,
        match policy.deadline_s {
            Some(deadline) => format!("give up after {}", numfmt::duration(deadline)),
            None => "no deadline".to_string(),
        }
    )
}

/// The service time, e.g. `500 ms to first token + 50 tokens/s (catalog latency target: …)`.
pub fn service(service: &ServiceTime) -> String {
    format!(
        "{} to first token + {} tokens/s{}",
        numfmt::duration(service.ttft_s),
        numfmt::number(service.tokens_per_second, 1, true),
        match &service.catalog_target {
            Some(t) if t.assumed_for_standard => {
                format!(
                    " (catalog PTU latency target: {}; assumed for standard)",
                    t.target
                )
            }
            Some(t) => format!(" (catalog latency target: {})", t.target),
            None => String::new(),
        }
    )
}

/// The limiters' assumptions, standard first, then PTU, joined by `; ` (empty for none).
pub fn limiters(limiters: &LimiterAssumptions) -> String {
    let standard = limiters.standard_rpm_window_s.map(|window| {
        format!("standard: requests limited per {window} s window, tokens per minute")
    });
    let ptu = limiters.ptu_bucket_s.map(|bucket| {
        format!(
            "PTU: leaky bucket holding {} of capacity at 100%",
            numfmt::duration(bucket)
        )
    });
    [standard, ptu]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the requests come from, e.g. `Poisson, mean 1,200 RPM for 1 h, daily peak 2.5x at
/// 14:00 UTC` or `replay of logs.csv at 2x`.
pub fn traffic_source(source: &TrafficSource) -> String {
    match source {
        TrafficSource::Replay { path, speedup } => {
            format!("replay of {path} at {}x", numfmt::trimmed(*speedup, 4))
        }
        TrafficSource::Synthetic(traffic) => synthetic(traffic),
    }
}

/// Synthetic traffic: its rate and length, then its daily peak, reasoning tokens and bursts.
fn synthetic(traffic: &SyntheticTraffic) -> String {
    let SyntheticTraffic {
        rpm,
        duration_s,
        daily_peak,
        reasoning_tokens,
        bursts,
    } = traffic;
    let mut describe = format!(
        "Poisson, mean {} RPM for {}",
        numfmt::count(*rpm),
        numfmt::duration(*duration_s)
    );
    if let Some((peak, hour)) = daily_peak {
        describe.push_str(&format!(
            ", daily peak {}x at {hour:02}:00 UTC",
            numfmt::number(*peak, 2, true)
        ));
    }
    if let Some(reasoning) = reasoning_tokens {
        describe.push_str(&format!(
            ", completions include {} reasoning tokens",
            numfmt::count(*reasoning)
        ));
    }
    for &(start, length, factor) in bursts {
        describe.push_str(&format!(
            ", {}x burst at {} for {}",
            numfmt::number(factor, 2, true),
            numfmt::duration(start),
            numfmt::duration(length)
        ));
    }
    describe
}

sentence_field!(ClientPolicy, client);
sentence_field!(ServiceTime, service);
sentence_field!(LimiterAssumptions, limiters);
sentence_field!(TrafficSource, traffic_source);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::compare::CatalogLatencyTarget;

    fn policy(backoff: Backoff, ignore_retry_after: bool) -> ClientPolicy {
        ClientPolicy {
            backoff,
            max_retries: 3,
            ignore_retry_after,
            deadline_s: Some(90.0),
        }
    }

    #[test]
    fn no_retries_says_nothing_else() {
        assert_eq!(
            client(&policy(Backoff::None, true)),
            "no retries: the first 429 is final"
        );
    }

    #[test]
    fn backoffs_name_their_delays_and_retry_after() {
        // 90 s is not whole minutes: seconds; 0.25 s is below a second: milliseconds.
        assert_eq!(
            client(&policy(Backoff::Fixed { delay_s: 2.0 }, false)),
            "retry after 2 s; 3 retries, waiting at least retry-after, give up after 90 s"
        );
        let exponential = Backoff::Exponential {
            delay_s: 0.25,
            cap_s: 120.0,
        };
        assert_eq!(
            client(&policy(exponential, true)),
            "exponential backoff from 250 ms up to 2 min (full jitter); 3 retries, ignoring \
             retry-after, give up after 90 s"
        );
    }

    #[test]
    fn openai_python_states_its_defaults_unless_retry_after_is_ignored() {
        let mut defaults = policy(Backoff::OpenAiPython, false);
        defaults.max_retries = 2;
        defaults.deadline_s = None;
        assert_eq!(
            client(&defaults),
            "openai-python defaults (v3.3.1): retry-after as given up to 2 min (longer: no \
             retry), else 0.5 s doubling up to 8 s, less up to 25% jitter; 2 retries, no deadline"
        );
        assert_eq!(
            client(&policy(Backoff::OpenAiPython, true)),
            "openai-python's backoff: 0.5 s doubling up to 8 s, less up to 25% jitter; 3 \
             retries, ignoring retry-after, give up after 90 s"
        );
    }

    #[test]
    fn service_names_the_catalog_target_it_came_from() {
        let mut time = ServiceTime {
            ttft_s: 0.5,
            tokens_per_second: 37.5,
            catalog_target: None,
        };
        assert_eq!(service(&time), "500 ms to first token + 37.5 tokens/s");
        time.catalog_target = Some(CatalogLatencyTarget {
            target: "37.5 tokens/s".into(),
            assumed_for_standard: true,
        });
        assert_eq!(
            service(&time),
            "500 ms to first token + 37.5 tokens/s (catalog PTU latency target: 37.5 tokens/s; \
             assumed for standard)"
        );
        time.catalog_target = Some(CatalogLatencyTarget {
            target: "50 tokens/s".into(),
            assumed_for_standard: false,
        });
        time.tokens_per_second = 50.0;
        assert!(service(&time).ends_with("+ 50 tokens/s (catalog latency target: 50 tokens/s)"));
    }

    #[test]
    fn limiters_list_the_standard_window_then_the_bucket() {
        let both = LimiterAssumptions {
            standard_rpm_window_s: Some(10),
            ptu_bucket_s: Some(3600.0),
        };
        assert_eq!(
            limiters(&both),
            "standard: requests limited per 10 s window, tokens per minute; PTU: leaky bucket \
             holding 1 h of capacity at 100%"
        );
        let none = LimiterAssumptions {
            standard_rpm_window_s: None,
            ptu_bucket_s: None,
        };
        assert_eq!(limiters(&none), "");
    }

    #[test]
    fn synthetic_traffic_names_its_pattern_in_order() {
        // 20 req/s is 1,200 RPM; 3,600 s is 1 h; bursts start at 30 min and last 90 s.
        let source = TrafficSource::Synthetic(SyntheticTraffic {
            rpm: 1_200.0,
            duration_s: 3_600.0,
            daily_peak: Some((2.5, 9)),
            reasoning_tokens: Some(1_500.0),
            bursts: vec![(1_800.0, 90.0, 3.0)],
        });
        assert_eq!(
            traffic_source(&source),
            "Poisson, mean 1,200 RPM for 1 h, daily peak 2.50x at 09:00 UTC, completions \
             include 1,500 reasoning tokens, 3x burst at 30 min for 90 s"
        );
        let replay = TrafficSource::Replay {
            path: "logs.csv".into(),
            speedup: 2.5,
        };
        assert_eq!(traffic_source(&replay), "replay of logs.csv at 2.5x");
    }
}
