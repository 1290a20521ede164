//! What the notes from sizing and pricing a plan say, as data.

use crate::deployment::DeploymentType;

/// A note from sizing and pricing a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanNote {
    /// A workload sends `share` of its load to batch; its `tier` serves the rest.
    BatchShare {
        /// Share of the load sent to batch (0 to 1).
        share: f64,
        /// The tier serving the rest, as plans spell it (`standard`, `priority`, ...).
        tier: String,
    },
    /// A flex workload's attempts that find no capacity and are resent as standard.
    FlexResent {
        /// Share of its flex attempts resent (0 to 1).
        share: f64,
    },
    /// A priority workload's tokens served and billed as standard (ramp limit, long prompts).
    PriorityAsStandard {
        /// Share of its priority tokens (0 to 1).
        share: f64,
    },
    /// A hybrid whose cheapest PTU base at `term` prices is none: it is served on standard.
    HybridNoBase {
        /// The term its PTUs were priced on, as JSON spells it (`hourly`, `1-month`, `1-year`).
        term: String,
        /// Whether the plan reserves PTUs of its type.
        reserved: bool,
    },
    /// A hybrid's PTU base and the share of its load spilling to standard.
    HybridBase {
        /// PTUs in the base.
        ptu: u64,
        /// The term its PTUs were priced on, as JSON spells it (`hourly`, `1-month`, `1-year`).
        term: String,
        /// Share of its load spilling to standard (0 to 1).
        spill_share: f64,
    },
    /// Hybrid bases on `deployment` were priced on the reservation's term, but PTUs of that
    /// type are billed hourly beyond it.
    HybridBeyondReservation {
        /// The deployment type.
        deployment: DeploymentType,
        /// PTUs of that type billed hourly.
        billed_hourly: u64,
        /// PTUs of that type reserved.
        reserved: u64,
    },
    /// Active-passive failover: every region carries all traffic alone.
    ActivePassive {
        /// Regions in the plan.
        regions: u64,
    },
    /// Active-active failover: the other regions carry all traffic when one is lost.
    ActiveActive {
        /// Regions in the plan.
        regions: u64,
    },
    /// PTUs saved by sharing deployments.
    SharingSaves {
        /// PTUs saved.
        ptu: u64,
    },
    /// No `[reservation]`: every PTU is billed hourly.
    NoReservation,
    /// PTUs beyond the reservation are billed hourly.
    BeyondReservation {
        /// PTUs billed hourly.
        ptu: u64,
    },
    /// Reserved PTUs with no deployment.
    ReservedUnused {
        /// PTUs reserved and unused.
        ptu: u64,
    },
    /// With several regions, a reservation is counted against its type in all regions together.
    ReservationAllRegions,
    /// Workloads sharing a deployment are sized for the sum of their peaks.
    SumOfPeaks,
    /// A consumer's token quota is below the tokens it is planned to use in an average period.
    ConsumerTokenQuota {
        /// The consumer's name.
        consumer: String,
        /// Tokens its quota allows per period.
        quota: u64,
        /// The quota's period, as plans spell it (`hourly`, `daily`, `weekly`, `monthly`,
        /// `yearly`).
        period: String,
        /// Tokens it is planned to use in an average period (whole).
        planned: f64,
        /// Its share of its workload's tokens (0 to 1).
        share: f64,
        /// The workload it calls.
        workload: String,
    },
}

impl From<PlanNote> for super::NoteText {
    fn from(note: PlanNote) -> Self {
        super::NoteText::Plan(note)
    }
}
