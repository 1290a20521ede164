//! Requests sent to a standard deployment with a service tier: priority (a faster service, and
//! a ramp limit above which traffic is served, and billed, as standard: S57) or flex (served
//! only when flex capacity is there; a refusal is a 429 the client answers by resending on
//! standard at once, as Microsoft advises: S59).

use crate::calc::service_tier::RampRule;

/// How a tiered candidate treats its requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TierMode {
    /// Sent with `service_tier = "priority"`.
    Priority(PriorityMode),
    /// Sent with `service_tier = "flex"`.
    Flex {
        /// Share of flex attempts that find capacity.
        availability: f64,
    },
}

/// Priority processing's service and rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriorityMode {
    /// Generation speed of requests priority serves (its latency target), tokens per second.
    pub tokens_per_second: f64,
    /// The ramp limit.
    pub ramp: RampRule,
    /// Prompts above this many tokens are served as standard.
    pub long_prompt_tokens: Option<u32>,
}

/// Who served an admitted request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServedBy {
    /// The candidate's own deployment (PTU or standard).
    Deployment,
    /// The spillover deployment.
    Spillover,
    /// Flex capacity.
    Flex,
    /// Priority processing.
    Priority,
    /// Standard, for a request sent as priority (ramp limit, long prompt).
    Downgraded,
}

/// Priority's ramp bookkeeping: tokens sent as priority per simulated minute, and the cap of
/// the current minute.
#[derive(Debug, Default)]
pub(crate) struct RampState {
    /// Tokens sent as priority per minute since the first.
    sent: Vec<f64>,
    /// The minute the cap was computed for, and the cap.
    cap: Option<(usize, f64)>,
}

impl RampState {
    /// Whether a request of `tokens` sent in minute `minute` is served as priority (true) or
    /// downgraded; counts it as sent either way.
    pub(crate) fn admit(&mut self, minute: usize, tokens: f64, rule: RampRule) -> bool {
        if self.sent.len() <= minute {
            self.sent.resize(minute + 1, 0.0);
        }
        let cap = match self.cap {
            Some((m, cap)) if m == minute => cap,
            _ => {
                let window = rule.minutes as usize;
                let looked_back = &self.sent[minute.saturating_sub(window)..minute];
                let cap = if looked_back.is_empty() {
                    f64::INFINITY
                } else {
                    let fewest = looked_back.iter().copied().fold(f64::INFINITY, f64::min);
                    (fewest * (1.0 + rule.increase)).max(rule.floor_tpm)
                };
                self.cap = Some((minute, cap));
                cap
            }
        };
        let before = self.sent[minute];
        self.sent[minute] += tokens;
        before + tokens <= cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_state_downgrades_above_half_again_the_quietest_minute() {
        let rule = RampRule {
            increase: 0.5,
            minutes: 15,
            floor_tpm: 0.0,
        };
        let mut state = RampState::default();
        // Minute 0: nothing before it, no cap.
        assert!((0..10).all(|_| state.admit(0, 100.0, rule)));
        // Minute 1: cap 1.5 × 1,000 = 1,500: the 16th request of 100 is over it.
        let served: Vec<bool> = (0..16).map(|_| state.admit(1, 100.0, rule)).collect();
        assert!(served[..15].iter().all(|&s| s) && !served[15]);
        // Minute 3: minute 2 had nothing, so the cap is 0.
        assert!(!state.admit(3, 1.0, rule));
        let floored = RampRule {
            floor_tpm: 50.0,
            ..rule
        };
        assert!(state.admit(4, 50.0, floored) && !state.admit(4, 1.0, floored));
    }
}
