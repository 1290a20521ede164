//! Which service tier served a log's requests: the `service_tier` an OpenAI-style response
//! carries (`default`, `priority`, `flex`; S57, S59), counted per value.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::calc::load::MinuteLoad;

/// Column or field names that hold the tier that served a request.
pub const SERVICE_TIER_NAMES: [&str; 4] = [
    "service_tier",
    "serviceTier",
    "ServiceTier",
    "ServiceTierResponse",
];

/// Most distinct values counted: Azure has a handful; more means a wrong column.
const MAX_TIERS: usize = 16;

/// Requests and tokens per `service_tier` value, and those of rows that name none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierTally(BTreeMap<String, MinuteLoad>, MinuteLoad);

impl TierTally {
    /// Counts one request served by `tier` (blank: `(none)`); an error past 16
    /// distinct values.
    pub fn add(&mut self, tier: &str, load: MinuteLoad) -> Result<(), String> {
        let tier = match tier.trim() {
            "" => "(none)".to_string(),
            name => name.to_ascii_lowercase(),
        };
        if !self.0.contains_key(&tier) && self.0.len() >= MAX_TIERS {
            return Err(format!(
                "more than {MAX_TIERS} distinct service_tier values: is the column right? \
                 (--service-tier-column)"
            ));
        }
        *self.0.entry(tier).or_default() += load;
        Ok(())
    }

    /// Counts one request whose row names no tier (a JSON line without the field, or null).
    pub fn add_untagged(&mut self, load: MinuteLoad) {
        self.1 += load;
    }

    /// Adds everything in `other`.
    pub fn merge(&mut self, other: TierTally) {
        for (tier, load) in other.0 {
            *self.0.entry(tier).or_default() += load;
        }
        self.1 += other.1;
    }

    /// Each tier's share of the requests and tokens, most requests first; rows naming no tier
    /// count as `(none)` when any row names one.
    pub fn shares(&self) -> Vec<TierShare> {
        let mut all = self.0.clone();
        if !all.is_empty() && self.1.requests > 0.0 {
            *all.entry("(none)".to_string()).or_default() += self.1;
        }
        shares_of(&all)
    }
}

/// Shares of the requests and tokens per tier.
fn shares_of(tally: &BTreeMap<String, MinuteLoad>) -> Vec<TierShare> {
    let requests: f64 = tally.values().map(|l| l.requests).sum();
    let tokens: f64 = tally.values().map(MinuteLoad::tokens).sum();
    let share = |part: f64, whole: f64| {
        if whole > 0.0 {
            crate::calc::rounding::snap(part / whole)
        } else {
            0.0
        }
    };
    let mut shares: Vec<TierShare> = tally
        .iter()
        .map(|(tier, load)| TierShare {
            tier: tier.clone(),
            requests: load.requests,
            request_share: share(load.requests, requests),
            tokens: load.tokens(),
            token_share: share(load.tokens(), tokens),
        })
        .collect();
    shares.sort_by(|a, b| b.requests.total_cmp(&a.requests));
    shares
}

/// One tier's part of the log. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierShare {
    /// The `service_tier` value, lower-cased (`default` is standard).
    pub tier: String,
    /// Requests it served.
    pub requests: f64,
    /// Their share of all requests.
    pub request_share: f64,
    /// Prompt + completion tokens it served.
    pub tokens: f64,
    /// Their share of all tokens.
    pub token_share: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(tokens: f64) -> MinuteLoad {
        MinuteLoad {
            requests: 1.0,
            prompt: tokens,
            cached: 0.0,
            completion: 0.0,
        }
    }

    #[test]
    fn shares_of_requests_and_tokens_per_tier() {
        let mut tally = TierTally::default();
        for (tier, tokens) in [("priority", 100.0), ("Priority", 100.0), ("default", 200.0)] {
            tally.add(tier, request(tokens)).expect("few tiers");
        }
        let shares = tally.shares();
        assert_eq!(shares[0].tier, "priority");
        assert_eq!((shares[0].requests, shares[0].token_share), (2.0, 0.5));
        assert!((shares[1].request_share - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_column_with_many_values_is_refused() {
        let mut tally = TierTally::default();
        for i in 0..MAX_TIERS {
            tally
                .add(&i.to_string(), request(1.0))
                .expect("within the bound");
        }
        assert!(tally.add("one more", request(1.0)).is_err());
        assert!(
            tally.add("3", request(1.0)).is_ok(),
            "a known value still counts"
        );
    }
}
