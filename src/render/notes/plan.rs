//! The sentences of [`PlanNote`]s.

use crate::note::PlanNote;
use crate::numfmt;

/// What `note` says.
pub(super) fn sentence(note: &PlanNote) -> String {
    match note {
        PlanNote::BatchShare { share, tier } => format!(
            "{} of its load goes to batch (its {tier} tier and quota serve the rest)",
            numfmt::percent(*share)
        ),
        PlanNote::FlexResent { share } => format!(
            "{} of its flex attempts find no capacity and are resent as standard",
            numfmt::percent_rounded(*share)
        ),
        PlanNote::PriorityAsStandard { share } => format!(
            "{} of its priority tokens are served and billed as standard (ramp limit, long \
             prompts)",
            numfmt::percent_rounded(*share)
        ),
        PlanNote::HybridNoBase { term, reserved } => format!(
            "hybrid: at {term} PTU prices the cheapest base is no PTU at all, so it is served on \
             standard{}",
            if *reserved {
                ""
            } else {
                " (no [reservation] for its type: PTUs would be billed hourly)"
            }
        ),
        PlanNote::HybridBase {
            ptu,
            term,
            spill_share,
        } => format!(
            "hybrid: a base of {ptu} PTU (priced {term}) with {} of its load spilling to \
             standard; the base joins its model's shared deployment",
            numfmt::percent_rounded(*spill_share)
        ),
        PlanNote::HybridBeyondReservation {
            deployment,
            billed_hourly,
            reserved,
        } => format!(
            "hybrid bases on {deployment} were priced on the reservation's term, but \
             {billed_hourly} of its PTUs are billed hourly beyond the {reserved} reserved: a \
             larger reservation, or smaller bases, may cost less"
        ),
        PlanNote::ActivePassive { regions } => format!(
            "active-passive over {regions} regions: every region is sized to carry all traffic \
             alone"
        ),
        PlanNote::ActiveActive { regions } => format!(
            "active-active over {regions} regions: each region is sized so that the remaining {} \
             carry all traffic when one region is lost",
            if *regions == 2 {
                "region can".to_string()
            } else {
                format!("{} regions", regions - 1)
            }
        ),
        PlanNote::SharingSaves { ptu } => {
            format!("sharing deployments saves {ptu} PTU over one deployment per workload")
        }
        PlanNote::NoReservation => "no [reservation]: every PTU is billed hourly".to_string(),
        PlanNote::BeyondReservation { ptu } => {
            format!("{ptu} PTU beyond the reservation are billed hourly")
        }
        PlanNote::ReservedUnused { ptu } => {
            format!("{ptu} reserved PTU have no deployment: paid for, unused")
        }
        PlanNote::ReservationAllRegions => {
            let sentence = "a reservation is counted against its deployment type in all regions \
                            together (Azure matches reservations per region: buy one per region)";
            sentence.to_string()
        }
        PlanNote::SumOfPeaks => {
            let sentence = "workloads sharing a deployment are sized for the sum of their peaks \
                            (peaks that never coincide need less)";
            sentence.to_string()
        }
        PlanNote::ConsumerTokenQuota {
            consumer,
            quota,
            period,
            planned,
            share,
            workload,
        } => {
            let unit = period_unit(period);
            format!(
                "consumer '{consumer}': its token quota of {} a {unit} is below the {} it is \
                 planned to use in an average {unit} ({} of the tokens of '{workload}'): API \
                 Management answers 403 once it is spent",
                numfmt::count(*quota as f64),
                numfmt::count(*planned),
                numfmt::percent(*share),
            )
        }
    }
}

/// The word for one period of a token quota (`daily`: `day`).
fn period_unit(period: &str) -> &str {
    match period {
        "hourly" => "hour",
        "daily" => "day",
        "weekly" => "week",
        "monthly" => "month",
        "yearly" => "year",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_active_names_what_is_left_after_a_region_is_lost() {
        assert_eq!(
            sentence(&PlanNote::ActiveActive { regions: 2 }),
            "active-active over 2 regions: each region is sized so that the remaining region can \
             carry all traffic when one region is lost"
        );
        assert_eq!(
            sentence(&PlanNote::ActiveActive { regions: 3 }),
            "active-active over 3 regions: each region is sized so that the remaining 2 regions \
             carry all traffic when one region is lost"
        );
    }

    #[test]
    fn a_hybrid_without_a_base_says_whether_its_type_is_reserved() {
        let unreserved = PlanNote::HybridNoBase {
            term: "hourly".into(),
            reserved: false,
        };
        assert_eq!(
            sentence(&unreserved),
            "hybrid: at hourly PTU prices the cheapest base is no PTU at all, so it is served on \
             standard (no [reservation] for its type: PTUs would be billed hourly)"
        );
        let reserved = PlanNote::HybridNoBase {
            term: "1-year".into(),
            reserved: true,
        };
        assert_eq!(
            sentence(&reserved),
            "hybrid: at 1-year PTU prices the cheapest base is no PTU at all, so it is served on \
             standard"
        );
    }

    #[test]
    fn a_consumer_quota_names_its_period_twice() {
        // 2,500,000 tokens planned a day; a quarter of the workload's tokens.
        let note = PlanNote::ConsumerTokenQuota {
            consumer: "web".into(),
            quota: 1_000_000,
            period: "daily".into(),
            planned: 2_500_000.0,
            share: 0.25,
            workload: "chat".into(),
        };
        assert_eq!(
            sentence(&note),
            "consumer 'web': its token quota of 1,000,000 a day is below the 2,500,000 it is \
             planned to use in an average day (25% of the tokens of 'chat'): API Management \
             answers 403 once it is spent"
        );
    }
}
