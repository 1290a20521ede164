//! The sentences of [`CostNote`]s.

use crate::calc::service_tier::LatencyClass;
use crate::catalog::SubscriptionType;
use crate::note::{BatchDay, CostNote};
use crate::numfmt;
use crate::render::prose::cost::latency_rule;

/// What `note` says.
pub(super) fn sentence(note: &CostNote) -> String {
    match note {
        CostNote::PtuPricesUnverified => {
            "PTU prices are UNVERIFIED third-party figures (Microsoft's docs give none): check \
             them against your agreement or pass --ptu-hourly/--ptu-monthly/--ptu-yearly"
                .to_string()
        }
        CostNote::PriorityQuota {
            model,
            unverified_source,
            data_zone,
        } => priority_quota(model, unverified_source.as_deref(), *data_zone),
        CostNote::SpilloverQuota { tpm } => spillover_quota(*tpm),
        CostNote::NoSpillover { model, source } => no_spillover(model, source.as_deref()),
        CostNote::SpillPerMinute => {
            "spillover is computed per minute; bursts within a minute spill somewhat more"
                .to_string()
        }
        CostNote::AbovePeak {
            share,
            minutes,
            ptu,
            hybrid,
        } => above_peak(*share, *minutes, *ptu, *hybrid),
        CostNote::AtPeakPart { share, hybrid } => at_peak_part(*share, *hybrid),
        CostNote::AtPeakAllMonth => {
            "no --profile and no --avg-rpm: the load is taken as flat at the peak all month"
                .to_string()
        }
        CostNote::ProfileGaps { missing, span } => profile_gaps(*missing, *span),
        CostNote::ProfileScaled { span, month, scale } => profile_scaled(*span, *month, *scale),
        CostNote::MixBatchCapped {
            most,
            wanted,
            subscription,
            source,
        } => mix_batch_capped(*most, *wanted, *subscription, source),
        CostNote::InteractiveMix => mix_tiers(LatencyClass::Interactive),
        CostNote::RelaxedMix => mix_tiers(LatencyClass::Relaxed),
        CostNote::DeferrableMix => mix_tiers(LatencyClass::Deferrable),
        CostNote::MixRampDowngraded { share } => mix_ramp_downgraded(*share),
        CostNote::MixRampNotJudged => {
            "priority's ramp limit is not judged without --profile".into()
        }
        CostNote::RampNotJudged {
            increase,
            window,
            source,
        } => ramp_not_judged(*increase, *window, source),
        CostNote::RampDowngraded {
            minutes,
            increase,
            window,
            share,
            source,
        } => ramp_downgraded(*minutes, *increase, *window, *share, source),
        CostNote::LongPrompts { minutes, tokens } => long_prompts(*minutes, *tokens),
        CostNote::FlexRetry { availability } => flex_retry(*availability),
        CostNote::Batch(day) => batch(day),
    }
}

/// Priority shares the standard quota; and its UNVERIFIED prices, if they are.
fn priority_quota(model: &str, unverified_source: Option<&str>, data_zone: bool) -> String {
    let unverified = unverified_source.map_or(String::new(), |source| {
        format!(
            "its prices for {model} are UNVERIFIED third-party figures ({source}), pass \
             --price-priority-input/--price-priority-output/--price-priority-cached; "
        )
    });
    let zone = if data_zone {
        " (on data zones, in the US data zone only)"
    } else {
        ""
    };
    format!("priority: {unverified}it uses the standard deployment's quota{zone} (S58)")
}

/// Why the model gets no hybrid option, citing the catalog source of its features (the
/// errors that need a hybrid say the same: `calc::cost::no_spillover_note`).
fn no_spillover(model: &str, features_source: Option<&str>) -> String {
    format!(
        "no hybrid: {model} does not support spillover from a provisioned to a standard \
         deployment (Learn, provisioned throughput concepts: \"Models from other providers \
         (Azure DeepSeek, Meta Llama) don't currently support spillover\"; catalog source {})",
        features_source.unwrap_or("none")
    )
}

/// The standard quota the hybrid's spillover deployment needs.
fn spillover_quota(tpm: u64) -> String {
    format!(
        "the hybrid's spillover deployment needs a standard quota of {} TPM: sized for its \
         busiest minute's spilled requests arriving at random (an assumption: spill comes in \
         bursts when the PTUs are full, so watch its 429s)",
        numfmt::count(tpm as f64)
    )
}

/// Part of the load is above the PTUs sized for the peak.
fn above_peak(share: f64, minutes: u64, ptu: u64, hybrid: bool) -> String {
    format!(
        "{} of the load ({minutes} minute(s)) is above the {ptu} PTU sized for the given peak: \
         the full-PTU options would throttle it and are not recommended{}",
        numfmt::percent_rounded(share),
        if hybrid {
            " (the hybrid serves it pay-as-you-go)"
        } else {
            ""
        }
    )
}

/// Without a profile, the load runs at its peak `share` of the time.
fn at_peak_part(share: f64, hybrid: bool) -> String {
    format!(
        "no --profile: the load is taken to run at its peak {} of the time and to be idle \
         otherwise{}",
        numfmt::percent(share),
        if hybrid {
            ", the least favourable shape for a partial PTU base; give --profile for an exact \
             hybrid"
        } else {
            ""
        }
    )
}

/// Minutes of the profile's span without a row.
fn profile_gaps(missing: f64, span: f64) -> String {
    format!(
        "{} of the profile's {} minutes {} no row and count as no load",
        numfmt::count(missing),
        numfmt::count(span),
        if missing == 1.0 { "has" } else { "have" }
    )
}

/// The profile's span scaled to the month.
fn profile_scaled(span: f64, month: f64, scale: f64) -> String {
    format!(
        "the profile's {} {} scaled to the month's {} (x{})",
        numfmt::count(span),
        if span == 1.0 {
            "minute is"
        } else {
            "minutes are"
        },
        numfmt::count(month),
        numfmt::number(scale, 2, true)
    )
}

/// The mix's batch share is capped by the enqueued-token quota.
fn mix_batch_capped(
    most: f64,
    wanted: f64,
    subscription: SubscriptionType,
    source: &str,
) -> String {
    format!(
        "the mix sends at most {} of the load to batch (of {} that may wait): more would not \
         fit the {subscription} subscription's enqueued-token quota in a day ({source})",
        numfmt::percent(most),
        numfmt::percent(wanted),
    )
}

/// The mix keeps to the tiers `class` allows (the rule in the words of the options'
/// exclusions).
fn mix_tiers(class: LatencyClass) -> String {
    format!(
        "the mix uses only tiers the {} latency class allows ({}); it is searched per minute, so \
         bursts within a minute overflow somewhat more",
        class.as_str(),
        latency_rule(class)
    )
}

/// A share of the mix's priority overflow is above the ramp limit.
fn mix_ramp_downgraded(share: f64) -> String {
    format!(
        "{} of the priority overflow rises faster than priority's ramp limit and would be served \
         (and billed) as standard, without the latency target: overflow starts from nothing \
         whenever the PTUs fill up",
        numfmt::percent_rounded(share)
    )
}

/// Priority's ramp limit, not judged without a profile.
fn ramp_not_judged(increase: f64, window: u64, source: &str) -> String {
    format!(
        "priority's ramp limit (traffic rising more than {} in under {window} minutes is served \
         and billed as standard, {source}) is not judged without --profile",
        numfmt::percent(increase),
    )
}

/// Minutes of the profile rise past priority's ramp limit.
fn ramp_downgraded(minutes: u64, increase: f64, window: u64, share: f64, source: &str) -> String {
    format!(
        "priority: {} minute(s) of the profile rise more than {} within {window} minutes; {} of \
         the priority tokens would be served and billed as standard, without the latency target \
         ({source}; Azure publishes no floor below which the limit is lifted: set one with \
         --priority-ramp-floor)",
        numfmt::count(minutes as f64),
        numfmt::percent(increase),
        numfmt::percent_rounded(share),
    )
}

/// Minutes whose average prompt is above priority's long-prompt threshold.
fn long_prompts(minutes: u64, tokens: u64) -> String {
    format!(
        "priority: {} minute(s) average prompts above {} tokens, which are served and billed as \
         standard (S56)",
        numfmt::count(minutes as f64),
        numfmt::count(tokens as f64)
    )
}

/// Flex's share of attempts that find capacity, and no fallback.
fn flex_retry(availability: f64) -> String {
    format!(
        "flex (preview) has no latency or service SLA and no automatic fallback: {} of attempts \
         are assumed to find capacity (--flex-availability), the rest to be retried with \
         service_tier \"default\"; flex and standard share the deployment's quota (S59)",
        numfmt::percent(availability)
    )
}

/// A day of batch against its limits.
fn batch(day: &BatchDay) -> String {
    format!(
        "batch: a 24-hour target turnaround (S60); {} of the load is {} requests a day, {} input \
         file(s) a day at {} requests per file, and enqueues {} prompt tokens a day if submitted \
         at once ({} subscriptions may enqueue {}; --subscription-type)",
        numfmt::percent(day.share),
        numfmt::count(day.requests),
        numfmt::count(day.files as f64),
        numfmt::count(day.requests_per_file as f64),
        numfmt::count(day.prompt_tokens),
        day.subscription,
        day.enqueued_limit
            .map_or("none".to_string(), |l| numfmt::count(l as f64))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_names_unverified_prices_and_data_zones() {
        let note = CostNote::PriorityQuota {
            model: "gpt-4.1".into(),
            unverified_source: Some("S30".into()),
            data_zone: true,
        };
        assert_eq!(
            sentence(&note),
            "priority: its prices for gpt-4.1 are UNVERIFIED third-party figures (S30), pass \
             --price-priority-input/--price-priority-output/--price-priority-cached; it uses the \
             standard deployment's quota (on data zones, in the US data zone only) (S58)"
        );
        let note = CostNote::PriorityQuota {
            model: "gpt-4.1".into(),
            unverified_source: None,
            data_zone: false,
        };
        assert_eq!(
            sentence(&note),
            "priority: it uses the standard deployment's quota (S58)"
        );
    }

    #[test]
    fn no_spillover_says_what_the_errors_say() {
        let catalog =
            crate::catalog::Catalog::parse(crate::catalog::EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("DeepSeek-R1").expect("present");
        assert!(!model.spillover);
        let note = CostNote::NoSpillover {
            model: model.name.clone(),
            source: model.sources.features.clone(),
        };
        assert_eq!(sentence(&note), crate::calc::cost::no_spillover_note(model));
    }

    #[test]
    fn profile_minutes_agree_in_number() {
        let one_gap = CostNote::ProfileGaps {
            missing: 1.0,
            span: 3.0,
        };
        assert_eq!(
            sentence(&one_gap),
            "1 of the profile's 3 minutes has no row and count as no load"
        );
        let gaps = CostNote::ProfileGaps {
            missing: 2.0,
            span: 1440.0,
        };
        assert_eq!(
            sentence(&gaps),
            "2 of the profile's 1,440 minutes have no row and count as no load"
        );
        let one_minute = CostNote::ProfileScaled {
            span: 1.0,
            month: 43_800.0,
            scale: 43_800.0,
        };
        assert_eq!(
            sentence(&one_minute),
            "the profile's 1 minute is scaled to the month's 43,800 (x43,800)"
        );
        // A day to a 730-hour month: 43,800 ÷ 1,440 = 30.416… → x30.42.
        let day = CostNote::ProfileScaled {
            span: 1440.0,
            month: 43_800.0,
            scale: 43_800.0 / 1440.0,
        };
        assert_eq!(
            sentence(&day),
            "the profile's 1,440 minutes are scaled to the month's 43,800 (x30.42)"
        );
    }

    #[test]
    fn the_hybrid_is_named_only_when_there_is_one() {
        let above = |hybrid| CostNote::AbovePeak {
            share: 0.1148,
            minutes: 3,
            ptu: 100,
            hybrid,
        };
        assert_eq!(
            sentence(&above(true)),
            "11.5% of the load (3 minute(s)) is above the 100 PTU sized for the given peak: the \
             full-PTU options would throttle it and are not recommended (the hybrid serves it \
             pay-as-you-go)"
        );
        assert_eq!(
            sentence(&above(false)),
            "11.5% of the load (3 minute(s)) is above the 100 PTU sized for the given peak: the \
             full-PTU options would throttle it and are not recommended"
        );
        let part = |hybrid| CostNote::AtPeakPart { share: 0.2, hybrid };
        assert_eq!(
            sentence(&part(false)),
            "no --profile: the load is taken to run at its peak 20% of the time and to be idle \
             otherwise"
        );
        assert_eq!(
            sentence(&part(true)),
            "no --profile: the load is taken to run at its peak 20% of the time and to be idle \
             otherwise, the least favourable shape for a partial PTU base; give --profile for an \
             exact hybrid"
        );
    }

    #[test]
    fn the_mix_names_its_latency_class_and_rule() {
        assert_eq!(
            sentence(&CostNote::InteractiveMix),
            "the mix uses only tiers the interactive latency class allows (PTUs and priority \
             only: the tiers with a latency target); it is searched per minute, so bursts within \
             a minute overflow somewhat more"
        );
        assert_eq!(
            sentence(&CostNote::DeferrableMix),
            "the mix uses only tiers the deferrable latency class allows (every tier, batch \
             included); it is searched per minute, so bursts within a minute overflow somewhat \
             more"
        );
    }

    #[test]
    fn ramp_downgrades_round_the_share() {
        // 0.1234 rounds to 12.3%; the rise of 0.5 reads 50%.
        let note = CostNote::RampDowngraded {
            minutes: 3,
            increase: 0.5,
            window: 15,
            share: 0.1234,
            source: "S57".into(),
        };
        assert_eq!(
            sentence(&note),
            "priority: 3 minute(s) of the profile rise more than 50% within 15 minutes; 12.3% of \
             the priority tokens would be served and billed as standard, without the latency \
             target (S57; Azure publishes no floor below which the limit is lifted: set one with \
             --priority-ramp-floor)"
        );
    }

    #[test]
    fn batch_without_a_quota_may_enqueue_none() {
        let day = |subscription, enqueued_limit| {
            CostNote::Batch(BatchDay {
                share: 0.05,
                requests: 36_000.0,
                files: 1,
                requests_per_file: 100_000,
                prompt_tokens: 36_000_000.0,
                subscription,
                enqueued_limit,
            })
        };
        assert_eq!(
            sentence(&day(SubscriptionType::Student, None)),
            "batch: a 24-hour target turnaround (S60); 5% of the load is 36,000 requests a day, \
             1 input file(s) a day at 100,000 requests per file, and enqueues 36,000,000 prompt \
             tokens a day if submitted at once (student subscriptions may enqueue none; \
             --subscription-type)"
        );
        assert_eq!(
            sentence(&day(SubscriptionType::CreditCard, Some(50_000_000))),
            "batch: a 24-hour target turnaround (S60); 5% of the load is 36,000 requests a day, \
             1 input file(s) a day at 100,000 requests per file, and enqueues 36,000,000 prompt \
             tokens a day if submitted at once (credit-card subscriptions may enqueue \
             50,000,000; --subscription-type)"
        );
    }
}
