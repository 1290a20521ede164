//! The sentences of `cost`'s report fields: why an option is recommended, what each option
//! assumes and why it may be left out, the mix's name, why a tier is not priced.

use crate::calc::cost::{
    Assumption, CheaperMix, Cheapest, Exclusion, MixLabel, OptionName, PtuAlternative, Reason,
    UnpricedReason,
};
use crate::calc::service_tier::{LatencyClass, ServiceTier};
use crate::numfmt::{amount, count, percent, percent_rounded};

sentence_field!(Reason, reason);
sentence_field!(Assumption, assumption);
sentence_field!(Exclusion, exclusion);
sentence_field!(MixLabel, mix_label);
sentence_field!(UnpricedReason, unpriced_reason);

/// What a latency class allows, in a few words.
pub fn latency_rule(class: LatencyClass) -> &'static str {
    match class {
        LatencyClass::Interactive => "PTUs and priority only: the tiers with a latency target",
        LatencyClass::Relaxed => "PTUs, priority, standard and flex: no batch",
        LatencyClass::Deferrable => "every tier, batch included",
    }
}

/// Why the recommended option is recommended, naming a cheaper mix.
pub fn reason(reason: &Reason) -> String {
    let currency = reason.currency.as_str();
    let mut text = cheapest(&reason.cheapest, currency);
    if let Some(CheaperMix { label, monthly_usd }) = &reason.cheaper_mix {
        text.push_str(&format!(
            "; cheaper still, the mix {} for {}/month",
            mix_label(label),
            amount(currency, *monthly_usd)
        ));
    }
    text
}

/// The cheapest option against pay-as-you-go.
fn cheapest(cheapest: &Cheapest, currency: &str) -> String {
    match cheapest {
        Cheapest::NoneAllowed => {
            "no option meets the latency class: see each option's 'excluded'".to_string()
        }
        Cheapest::Payg {
            monthly_usd,
            cheapest_ptu: None,
        } => format!(
            "pay-as-you-go ({}/month) is cheapest",
            amount(currency, *monthly_usd)
        ),
        Cheapest::Payg {
            monthly_usd,
            cheapest_ptu: Some(ptu),
        } => payg_over_ptu(*monthly_usd, ptu, currency),
        Cheapest::Other {
            option,
            monthly_usd,
            ptu,
            spill_share,
            payg_usd,
        } => {
            let spill = if *option == OptionName::Hybrid {
                format!(
                    ", {} of the load spilling to pay-as-you-go",
                    percent_rounded(*spill_share)
                )
            } else {
                String::new()
            };
            let what = if *ptu > 0 {
                format!(": {} PTU{spill}", count(*ptu as f64))
            } else {
                String::new()
            };
            let saving = if *payg_usd > 0.0 {
                1.0 - monthly_usd / payg_usd
            } else {
                0.0
            };
            let versus = if saving >= 0.0 {
                format!("{} less than", percent_rounded(saving))
            } else {
                format!("{} more than the excluded", percent_rounded(-saving))
            };
            format!(
                "{} is cheapest{what} for {}/month, {versus} pay-as-you-go ({})",
                option.as_str(),
                amount(currency, *monthly_usd),
                amount(currency, *payg_usd)
            )
        }
    }
}

/// Pay-as-you-go wins: the cheapest PTU option would need more utilization than it gets.
fn payg_over_ptu(payg_usd: f64, ptu: &PtuAlternative, currency: &str) -> String {
    format!(
        "pay-as-you-go ({}/month) is cheapest: the cheapest PTU option, {} at {}, would need {} \
         average utilization to break even and gets {}",
        amount(currency, payg_usd),
        ptu.option.as_str(),
        amount(currency, ptu.monthly_usd),
        ptu.break_even_utilization.map_or("-".into(), percent),
        ptu.utilization.map_or("-".into(), percent)
    )
}

/// What an option assumes.
pub fn assumption(assumption: &Assumption) -> String {
    match assumption {
        Assumption::Payg => "every request on a standard deployment at standard prices".into(),
        Assumption::FullPtu {
            ptu,
            target_utilization,
            ..
        } => format!(
            "{ptu} PTU for the peak at {} utilization, nothing else",
            percent(*target_utilization)
        ),
        Assumption::Hybrid { ptu, term } => format!(
            "{ptu} PTU on the {} term; what they cannot serve spills to a standard deployment",
            term.as_str()
        ),
        Assumption::Priority { latency_target } => format!(
            "every request sent with service_tier \"priority\" ({}); what its rules downgrade is \
             billed at standard prices",
            latency_target
                .as_deref()
                .map_or("no published latency target".to_string(), |t| format!(
                    "latency target {t}"
                ))
        ),
        Assumption::Flex { availability } => format!(
            "every request sent with service_tier \"flex\"; {} find flex capacity, the rest get \
             HTTP 429 (not billed) and are retried on standard by the client",
            percent(*availability)
        ),
        Assumption::Batch => {
            "every request can wait up to 24 hours and is sent as a batch job".into()
        }
    }
}

/// Why an option is never recommended.
pub fn exclusion(exclusion: &Exclusion) -> String {
    match exclusion {
        Exclusion::Latency { class, tier } => format!(
            "the {} latency class does not allow {} ({})",
            class.as_str(),
            tier.as_str(),
            latency_rule(*class)
        ),
        Exclusion::NoLatencyClass { tier } => format!(
            "{} does not answer within seconds: give --latency {} to consider it",
            tier.as_str(),
            if *tier == ServiceTier::Batch {
                "deferrable"
            } else {
                "relaxed or deferrable"
            }
        ),
        Exclusion::PriorityDowngraded { share } => format!(
            "its ramp and long-prompt rules serve {} of its tokens as standard, without the \
             latency target the interactive class needs",
            percent_rounded(*share)
        ),
        Exclusion::BatchOverQuota {
            daily_prompt_tokens,
            limit,
            subscription,
            model,
            source,
        } => format!(
            "a day's batch enqueues {} prompt tokens, above the {} enqueued-token quota of \
             {subscription} subscriptions for {model} ({source})",
            count(*daily_prompt_tokens),
            count(*limit as f64),
        ),
        Exclusion::NoBatchQuota {
            subscription,
            model,
            source,
        } => format!("{subscription} subscriptions have no batch quota for {model} ({source})"),
    }
}

/// The mix in words: `60 PTU (1-year) + priority + 20% batch`.
pub fn mix_label(label: &MixLabel) -> String {
    let mut parts = Vec::new();
    if let Some(term) = label.term {
        parts.push(format!(
            "{} PTU ({})",
            count(label.ptu as f64),
            term.as_str()
        ));
    }
    if let Some(tier) = label.overflow {
        parts.push(tier.as_str().to_string());
    }
    if label.batch_share > 0.0 {
        parts.push(format!("{} batch", percent(label.batch_share)));
    }
    if parts.is_empty() {
        "nothing to serve".to_string()
    } else {
        parts.join(" + ")
    }
}

/// Why a tier is not priced.
pub fn unpriced_reason(reason: &UnpricedReason) -> String {
    match reason {
        UnpricedReason::NoCachedPriorityPrice => {
            "no price: the load has cached prompt tokens and there is no cached priority price; \
             pass --price-priority-cached"
                .to_string()
        }
        UnpricedReason::Setup(reason) => reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::cost::Term;
    use crate::catalog::SubscriptionType;

    fn usd_reason(cheapest: Cheapest, cheaper_mix: Option<CheaperMix>) -> Reason {
        Reason {
            currency: "USD".into(),
            cheapest,
            cheaper_mix,
        }
    }

    #[test]
    fn the_reason_compares_the_cheapest_with_pay_as_you_go() {
        // The hybrid of calc's hand example: 50 PTU for $12,364 against $14,454; 150,000 of
        // 1,650,000 tokens spill (9.1%); 1 − 12,364 ÷ 14,454 = 14.46% less (14.5%).
        let hybrid = Cheapest::Other {
            option: OptionName::Hybrid,
            monthly_usd: 12_364.0,
            ptu: 50,
            spill_share: 150_000.0 / 1_650_000.0,
            payg_usd: 14_454.0,
        };
        assert_eq!(
            reason(&usd_reason(hybrid.clone(), None)),
            "hybrid is cheapest: 50 PTU, 9.1% of the load spilling to pay-as-you-go for \
             $12,364.00/month, 14.5% less than pay-as-you-go ($14,454.00)"
        );
        let mix = CheaperMix {
            label: MixLabel {
                ptu: 45,
                term: Some(Term::OneYear),
                overflow: Some(ServiceTier::Standard),
                batch_share: 0.2,
            },
            monthly_usd: 10_000.5,
        };
        assert_eq!(
            usd_reason(hybrid, Some(mix)).to_string(),
            "hybrid is cheapest: 50 PTU, 9.1% of the load spilling to pay-as-you-go for \
             $12,364.00/month, 14.5% less than pay-as-you-go ($14,454.00); cheaper still, the \
             mix 45 PTU (1-year) + standard + 20% batch for $10,000.50/month"
        );
        // Priority at 3,000 EUR against an excluded 2,000 EUR: 1 − 1.5 = 50% more; no PTUs,
        // no spill named.
        let priority = Reason {
            currency: "EUR".into(),
            cheapest: Cheapest::Other {
                option: OptionName::Priority,
                monthly_usd: 3_000.0,
                ptu: 0,
                spill_share: 0.0,
                payg_usd: 2_000.0,
            },
            cheaper_mix: None,
        };
        assert_eq!(
            reason(&priority),
            "priority is cheapest for 3,000.00 EUR/month, 50% more than the excluded \
             pay-as-you-go (2,000.00 EUR)"
        );
    }

    #[test]
    fn pay_as_you_go_names_the_cheapest_ptu_option_when_there_is_one() {
        // $22,100 ÷ $2,628 = 8.4094: 840.9% to break even, against 10%.
        let ptu = PtuAlternative {
            option: OptionName::PtuOneYear,
            monthly_usd: 22_100.0,
            break_even_utilization: Some(22_100.0 / 2_628.0),
            utilization: Some(0.1),
        };
        let payg = |cheapest_ptu| Cheapest::Payg {
            monthly_usd: 2_628.0,
            cheapest_ptu,
        };
        assert_eq!(
            reason(&usd_reason(payg(Some(ptu)), None)),
            "pay-as-you-go ($2,628.00/month) is cheapest: the cheapest PTU option, ptu-1-year \
             at $22,100.00, would need 840.9% average utilization to break even and gets 10%"
        );
        assert_eq!(
            reason(&usd_reason(payg(None), None)),
            "pay-as-you-go ($2,628.00/month) is cheapest"
        );
        assert_eq!(
            reason(&usd_reason(Cheapest::NoneAllowed, None)),
            "no option meets the latency class: see each option's 'excluded'"
        );
    }

    #[test]
    fn exclusions_say_which_flag_or_quota_rules_an_option_out() {
        let no_class = |tier| exclusion(&Exclusion::NoLatencyClass { tier });
        assert_eq!(
            no_class(ServiceTier::Batch),
            "batch does not answer within seconds: give --latency deferrable to consider it"
        );
        assert_eq!(
            no_class(ServiceTier::Flex),
            "flex does not answer within seconds: give --latency relaxed or deferrable to \
             consider it"
        );
        let relaxed = Exclusion::Latency {
            class: LatencyClass::Relaxed,
            tier: ServiceTier::Batch,
        };
        assert_eq!(
            relaxed.to_string(),
            "the relaxed latency class does not allow batch (PTUs, priority, standard and flex: \
             no batch)"
        );
        assert_eq!(
            exclusion(&Exclusion::PriorityDowngraded { share: 0.6666 }),
            "its ramp and long-prompt rules serve 66.7% of its tokens as standard, without the \
             latency target the interactive class needs"
        );
        let over = Exclusion::BatchOverQuota {
            daily_prompt_tokens: 1_234_567.0,
            limit: 1_000_000,
            subscription: SubscriptionType::CreditCard,
            model: "gpt-4.1".into(),
            source: "S61".into(),
        };
        assert_eq!(
            exclusion(&over),
            "a day's batch enqueues 1,234,567 prompt tokens, above the 1,000,000 enqueued-token \
             quota of credit-card subscriptions for gpt-4.1 (S61)"
        );
        let none = Exclusion::NoBatchQuota {
            subscription: SubscriptionType::Student,
            model: "gpt-4.1".into(),
            source: "S61".into(),
        };
        assert_eq!(
            exclusion(&none),
            "student subscriptions have no batch quota for gpt-4.1 (S61)"
        );
    }

    #[test]
    fn a_mix_names_its_parts_or_nothing() {
        let label = |ptu, term, overflow, batch_share| {
            mix_label(&MixLabel {
                ptu,
                term,
                overflow,
                batch_share,
            })
        };
        assert_eq!(label(0, None, None, 0.0), "nothing to serve");
        assert_eq!(label(0, None, None, 1.0), "100% batch");
        assert_eq!(
            label(
                1_500,
                Some(Term::OneMonth),
                Some(ServiceTier::Priority),
                0.125
            ),
            "1,500 PTU (1-month) + priority + 12.5% batch"
        );
    }

    #[test]
    fn assumptions_name_their_numbers() {
        let full = Assumption::FullPtu {
            ptu: 1_500,
            term: Term::Hourly,
            target_utilization: 0.8,
        };
        assert_eq!(
            assumption(&full),
            "1500 PTU for the peak at 80% utilization, nothing else"
        );
        assert_eq!(
            assumption(&Assumption::Priority {
                latency_target: None
            }),
            "every request sent with service_tier \"priority\" (no published latency target); \
             what its rules downgrade is billed at standard prices"
        );
        assert_eq!(
            assumption(&Assumption::Flex { availability: 0.9 }),
            "every request sent with service_tier \"flex\"; 90% find flex capacity, the rest \
             get HTTP 429 (not billed) and are retried on standard by the client"
        );
    }

    #[test]
    fn json_holds_the_sentence_and_the_schema_of_a_string() {
        let excluded = Some(Exclusion::NoLatencyClass {
            tier: ServiceTier::Batch,
        });
        assert_eq!(
            serde_json::to_string(&excluded).expect("serializes"),
            "\"batch does not answer within seconds: give --latency deferrable to consider it\""
        );
        assert_eq!(
            serde_json::to_string(&None::<Exclusion>).expect("serializes"),
            "null"
        );
        assert_eq!(
            schemars::schema_for!(Option<Exclusion>),
            schemars::schema_for!(Option<String>)
        );
        assert_eq!(schemars::schema_for!(Reason), schemars::schema_for!(String));
    }
}
