//! `cost`: what a month of load costs as pay-as-you-go, as PTUs billed hourly or reserved for a
//! month or a year, as a hybrid (a PTU base with spillover to pay-as-you-go), as priority, flex
//! or batch tokens, and as the cheapest mix of them a latency class allows.
//!
//! Billing rules (Microsoft Learn, S5/S19/S28): PAYG bills input, cached input and output tokens;
//! PTUs bill per hour whether used or not, or at a reservation's monthly price; spilled requests
//! are billed at the standard deployment's token prices. The other tiers: [`service_tier`].
//!
//! [`service_tier`]: crate::calc::service_tier

mod mix;
mod tiered;

pub use mix::{Mix, MixBreakEven, MixChoice, MixLabel};
pub use tiered::{BatchCheck, Unpriced, UnpricedReason, tier_month};

use serde::Serialize;

use crate::calc::load::{LoadCurve, LoadKind, MinuteLoad};
use crate::calc::param::{Param, ParamError};
use crate::calc::quota::{QuotaRule, poisson_quota};
use crate::calc::rounding::{cents, deployable_ptu, snap};
use crate::calc::service_tier::{LatencyClass, ServiceTier, TierPrice, TierSetup};
use crate::calc::sizing::StandardOptions;
use crate::calc::sizing::check_target;
use crate::calc::workload::{TokenSplit, check_positive, check_range};
use crate::catalog::{Model, SubscriptionType, TokenPrices};
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::note::{CostNote, Note, NoteCode};

/// Hours in a month by the common convention (8,760 ÷ 12).
pub const DEFAULT_HOURS_PER_MONTH: f64 = 730.0;
/// Most hours a month can have (31 days).
pub const MAX_HOURS_PER_MONTH: f64 = 744.0;

/// How PTUs are paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Term {
    /// Hourly, no commitment.
    #[serde(rename = "hourly")]
    Hourly,
    /// A 1-month reservation.
    #[serde(rename = "1-month")]
    OneMonth,
    /// A 1-year reservation.
    #[serde(rename = "1-year")]
    OneYear,
}

/// PTU prices in USD per PTU.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PtuRates {
    /// Per hour.
    pub hourly: f64,
    /// Per month on a 1-month reservation.
    pub monthly: f64,
    /// Per year on a 1-year reservation.
    pub yearly: f64,
}

impl Term {
    /// The name as in JSON and tables: `hourly`, `1-month`, `1-year`.
    pub fn as_str(self) -> &'static str {
        match self {
            Term::Hourly => "hourly",
            Term::OneMonth => "1-month",
            Term::OneYear => "1-year",
        }
    }
}

impl PtuRates {
    /// What one PTU costs in a month of `hours` on this term.
    pub fn per_ptu_month(&self, term: Term, hours: f64) -> f64 {
        match term {
            Term::Hourly => self.hourly * hours,
            Term::OneMonth => self.monthly,
            Term::OneYear => self.yearly / 12.0,
        }
    }
}

/// The options compared, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum OptionName {
    /// Everything pay-as-you-go.
    #[serde(rename = "payg")]
    Payg,
    /// PTUs for the peak, billed hourly.
    #[serde(rename = "ptu-hourly")]
    PtuHourly,
    /// PTUs for the peak on a 1-month reservation.
    #[serde(rename = "ptu-1-month")]
    PtuOneMonth,
    /// PTUs for the peak on a 1-year reservation.
    #[serde(rename = "ptu-1-year")]
    PtuOneYear,
    /// A PTU base plus spillover to pay-as-you-go.
    #[serde(rename = "hybrid")]
    Hybrid,
    /// Every token on priority processing.
    #[serde(rename = "priority")]
    Priority,
    /// Every token tried on flex processing, retried on standard when refused.
    #[serde(rename = "flex")]
    Flex,
    /// Every request as a batch job.
    #[serde(rename = "batch")]
    Batch,
}

impl OptionName {
    /// The name as in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionName::Payg => "payg",
            OptionName::PtuHourly => "ptu-hourly",
            OptionName::PtuOneMonth => "ptu-1-month",
            OptionName::PtuOneYear => "ptu-1-year",
            OptionName::Hybrid => "hybrid",
            OptionName::Priority => "priority",
            OptionName::Flex => "flex",
            OptionName::Batch => "batch",
        }
    }

    /// The per-token tiers the option serves traffic on besides PTUs.
    fn tiers(self) -> &'static [ServiceTier] {
        match self {
            OptionName::Payg | OptionName::Hybrid => &[ServiceTier::Standard],
            OptionName::PtuHourly | OptionName::PtuOneMonth | OptionName::PtuOneYear => &[],
            OptionName::Priority => &[ServiceTier::Priority],
            OptionName::Flex => &[ServiceTier::Flex, ServiceTier::Standard],
            OptionName::Batch => &[ServiceTier::Batch],
        }
    }
}

/// One priced option. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CostOption {
    /// Which option.
    pub option: OptionName,
    /// Monthly cost in USD (rounded to cents).
    pub monthly_usd: f64,
    /// PTUs deployed (0 for pay-as-you-go).
    pub ptu: u64,
    /// How the PTUs are paid for (null for pay-as-you-go).
    pub term: Option<Term>,
    /// USD per 1 million tokens (prompt + completion) served (null when no tokens).
    pub usd_per_1m_tokens: Option<f64>,
    /// Average utilization of the PTUs over the month (null without PTUs).
    pub utilization: Option<f64>,
    /// Average utilization at which these PTUs would cost the same as pay-as-you-go
    /// (above 1: never; null without PTUs).
    pub break_even_utilization: Option<f64>,
    /// Share of normalized tokens served pay-as-you-go (1 for payg, 0 for full PTU).
    pub spill_share: f64,
    /// Share of normalized tokens above the PTUs that nothing serves (throttled with 429s):
    /// above 0 only for full-PTU options sized below the busiest minute. Such an option is
    /// never recommended.
    pub throttled_share: f64,
    /// Pay-as-you-go part of the monthly cost, in USD.
    pub payg_usd: f64,
    /// Hybrid: the standard TPM quota the spillover deployment needs for the busiest minute's
    /// spill, in whole units (null: no spill, not sized, or no published RPM ratio).
    pub spillover_tpm_quota: Option<u64>,
    /// Batch part of the monthly cost, in USD: the `--batch-share` of the load (all of it for
    /// the batch option).
    pub batch_usd: f64,
    /// Priority: share of its tokens its rules serve, and bill, as standard (ramp limit, long
    /// prompts); flex: share of attempts retried on standard. 0 for the other options.
    pub downgraded_share: f64,
    /// What the option assumes, in one sentence.
    pub assumes: Assumption,
    /// Why the option is never recommended (null: it may be): outside the latency class, or
    /// over a quota.
    pub excluded: Option<Exclusion>,
}

/// What an option assumes, as data; `render::prose::cost` writes the sentence (JSON: a
/// string). Each case names the option it belongs to ([`Assumption::option`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Assumption {
    /// Every request on a standard deployment at standard prices.
    Payg,
    /// PTUs sized for the peak and nothing else.
    FullPtu {
        /// PTUs deployed.
        ptu: u64,
        /// How they are paid for.
        term: Term,
        /// The target peak utilization they are sized at.
        target_utilization: f64,
    },
    /// A PTU base on the hybrid's term; what it cannot serve spills to a standard deployment.
    Hybrid {
        /// PTUs in the base.
        ptu: u64,
        /// The hybrid's term (`--hybrid-term`), even for a base of 0 PTUs.
        term: Term,
    },
    /// Every request sent as priority; what its rules downgrade is billed at standard prices.
    Priority {
        /// The catalog's latency target (None: none published).
        latency_target: Option<String>,
    },
    /// Every request tried on flex, the refused ones retried on standard.
    Flex {
        /// The share of attempts that find flex capacity.
        availability: f64,
    },
    /// Every request waits up to 24 hours as a batch job.
    Batch,
}

impl Assumption {
    /// The option that makes this assumption.
    pub fn option(&self) -> OptionName {
        match self {
            Assumption::Payg => OptionName::Payg,
            Assumption::FullPtu { term, .. } => match term {
                Term::Hourly => OptionName::PtuHourly,
                Term::OneMonth => OptionName::PtuOneMonth,
                Term::OneYear => OptionName::PtuOneYear,
            },
            Assumption::Hybrid { .. } => OptionName::Hybrid,
            Assumption::Priority { .. } => OptionName::Priority,
            Assumption::Flex { .. } => OptionName::Flex,
            Assumption::Batch => OptionName::Batch,
        }
    }
}

/// Why an option is never recommended, as data; `render::prose::cost` writes the sentence
/// (JSON: a string).
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// The latency class given does not allow a tier the option uses.
    Latency {
        /// The class given with `--latency`.
        class: LatencyClass,
        /// The first tier of the option it does not allow.
        tier: ServiceTier,
    },
    /// No latency class given, and the option uses a tier that does not answer within
    /// seconds (flex or batch).
    NoLatencyClass {
        /// That tier.
        tier: ServiceTier,
    },
    /// Under the interactive class, priority whose ramp and long-prompt rules serve most of
    /// its tokens as standard, without the latency target.
    PriorityDowngraded {
        /// The share of its tokens served as standard.
        share: f64,
    },
    /// A day's batch enqueues more prompt tokens than the subscription's quota.
    BatchOverQuota {
        /// Prompt tokens a day's batch enqueues.
        daily_prompt_tokens: f64,
        /// The enqueued-token quota.
        limit: u64,
        /// The subscription type whose quota applies.
        subscription: SubscriptionType,
        /// The model.
        model: String,
        /// The quota's catalog source.
        source: String,
    },
    /// The subscription type has no batch quota for the model.
    NoBatchQuota {
        /// The subscription type.
        subscription: SubscriptionType,
        /// The model.
        model: String,
        /// The catalog source of the batch limits.
        source: String,
    },
}

/// What the month's load amounts to.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MonthlyLoad {
    /// `flat` or `profile`.
    pub kind: LoadKind,
    /// Hours billed in the month.
    pub hours: f64,
    /// Minutes the profile covers (1 for a flat load).
    pub span_minutes: f64,
    /// Requests in the month.
    pub requests: f64,
    /// Prompt tokens, cached ones included.
    pub prompt_tokens: f64,
    /// Cached prompt tokens.
    pub cached_tokens: f64,
    /// Completion tokens.
    pub completion_tokens: f64,
    /// Average requests per minute.
    pub avg_rpm: f64,
    /// Average normalized TPM on a provisioned deployment (all the load).
    pub avg_normalized_tpm: f64,
    /// Peak normalized TPM the PTU options are sized for (without the `--batch-share`).
    pub peak_normalized_tpm: f64,
}

/// The prices used, after overrides.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PricesUsed {
    /// PAYG USD per 1M uncached prompt tokens.
    pub input: f64,
    /// PAYG USD per 1M cached prompt tokens (null: not published and not given).
    pub cached: Option<f64>,
    /// PAYG USD per 1M completion tokens.
    pub output: f64,
    /// USD per PTU per hour.
    pub ptu_hourly: f64,
    /// USD per PTU per month, 1-month reservation.
    pub ptu_monthly: f64,
    /// USD per PTU per year, 1-year reservation.
    pub ptu_yearly: f64,
    /// Where the token prices came from: source ID or `override`.
    pub token_price_source: String,
    /// Where the PTU prices came from: source ID or `override`.
    pub ptu_price_source: String,
    /// True when any price used is unverified.
    pub unverified: bool,
    /// ISO code of every amount in the answer (`USD` unless a price overlay says otherwise;
    /// keys named `_usd` hold amounts in it).
    pub currency: String,
    /// Priority prices used (null: not priced, see `unpriced`).
    pub priority: Option<TierPrice>,
    /// Flex prices used (null: not priced).
    pub flex: Option<TierPrice>,
    /// Batch prices used (null: not priced).
    pub batch: Option<TierPrice>,
}

/// The `cost` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CostReport {
    /// Catalog name.
    pub model: String,
    /// Deployment type (provisioned and standard).
    pub deployment: DeploymentType,
    /// Target peak utilization used to size the PTU options.
    pub target_utilization: f64,
    /// PTU count of the full-PTU options.
    pub ptu_for_peak: u64,
    /// The month's load.
    pub load: MonthlyLoad,
    /// Prices used.
    pub prices: PricesUsed,
    /// Every option, in a fixed order.
    pub options: Vec<CostOption>,
    /// The cheapest option.
    pub recommended: OptionName,
    /// Why, in one sentence.
    pub reason: Reason,
    /// Where the request shape's prompt/completion split came from (null: from a profile's
    /// token columns); `assumed_all_prompt` means a bare token count was counted as prompt.
    pub token_split: Option<TokenSplit>,
    /// The latency class given with `--latency` (null: none; flex and batch are then not
    /// recommended).
    pub latency: Option<LatencyClass>,
    /// Share of the load sent to batch in every option but `batch` (`--batch-share`).
    pub batch_share: f64,
    /// Tiers not priced for this model and type, and why.
    pub unpriced: Vec<Unpriced>,
    /// Batch against its quota and file limits (null: batch not priced).
    pub batch: Option<BatchCheck>,
    /// The cheapest mix the latency class allows (null without `--latency`).
    pub mix: Option<Mix>,
    /// Assumptions and caveats.
    pub notes: Vec<crate::note::Note>,
}

/// Why the recommended option is recommended, as data; `render::prose::cost` writes the
/// sentence (JSON: a string).
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// ISO code of the amounts' currency.
    pub currency: String,
    /// The cheapest option the rules allow, against pay-as-you-go.
    pub cheapest: Cheapest,
    /// A mix the latency class allows that costs less than the recommended option (None: no
    /// mix, or none cheaper).
    pub cheaper_mix: Option<CheaperMix>,
}

/// The cheapest option the latency class and the peak allow, with what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Cheapest {
    /// No option meets the latency class (pay-as-you-go is named).
    NoneAllowed,
    /// Pay-as-you-go is cheapest.
    Payg {
        /// Its monthly cost.
        monthly_usd: f64,
        /// The cheapest PTU option that may be recommended (None: none may).
        cheapest_ptu: Option<PtuAlternative>,
    },
    /// Another option is cheapest.
    Other {
        /// Which option.
        option: OptionName,
        /// Its monthly cost.
        monthly_usd: f64,
        /// Its PTUs (0: none).
        ptu: u64,
        /// Its share of the load served pay-as-you-go (the hybrid's spill).
        spill_share: f64,
        /// Pay-as-you-go's monthly cost, which it is compared with (it may itself be
        /// excluded).
        payg_usd: f64,
    },
}

/// The cheapest PTU option when pay-as-you-go wins: what it costs and why it loses.
#[derive(Debug, Clone, PartialEq)]
pub struct PtuAlternative {
    /// Which option.
    pub option: OptionName,
    /// Its monthly cost.
    pub monthly_usd: f64,
    /// Average utilization at which it would cost as much as pay-as-you-go.
    pub break_even_utilization: Option<f64>,
    /// Average utilization it gets.
    pub utilization: Option<f64>,
}

/// A mix cheaper than the recommended option.
#[derive(Debug, Clone, PartialEq)]
pub struct CheaperMix {
    /// What the mix is made of.
    pub label: MixLabel,
    /// Its monthly cost.
    pub monthly_usd: f64,
}

/// Everything `cost` needs besides the model and the load.
#[derive(Debug, Clone, PartialEq)]
pub struct CostSettings {
    /// Deployment type.
    pub deployment: DeploymentType,
    /// Peak normalized TPM to size PTUs for (None: the load curve's busiest minute).
    pub peak_normalized_tpm: Option<f64>,
    /// Hours billed per month.
    pub hours_per_month: f64,
    /// Term of the hybrid's PTUs.
    pub hybrid_term: Term,
    /// Target peak utilization for the full-PTU options.
    pub target_utilization: f64,
    /// Pay-as-you-go token prices.
    pub token_prices: TokenPrices,
    /// PTU prices.
    pub ptu_rates: PtuRates,
    /// Source (or `override`) of the token prices.
    pub token_price_source: String,
    /// Source (or `override`) of the PTU prices.
    pub ptu_price_source: String,
    /// Whether any price used is unverified.
    pub prices_unverified: bool,
    /// How the hybrid's spillover quota is sized (`None`: not sized).
    pub standard: Option<StandardOptions>,
    /// `max_tokens` × `best_of` each spilled request counts at admission, when known (else its
    /// completion tokens).
    pub admission_max_tokens: Option<f64>,
    /// ISO code of the prices' currency.
    pub currency: String,
    /// Priority, flex and batch for this model and type.
    pub tiers: TierSetup,
    /// Share of flex attempts that find capacity; the rest are retried on standard.
    pub flex_availability: f64,
    /// Share of the load that can wait 24 hours and is sent to batch.
    pub batch_share: f64,
    /// Whose batch quota applies.
    pub subscription: SubscriptionType,
    /// The latency class the recommendation and the mix must meet (None: no mix; flex and
    /// batch are not recommended).
    pub latency: Option<LatencyClass>,
}

/// Prices the month's load for every option.
pub fn cost(
    model: &Model,
    load: &LoadCurve,
    settings: &CostSettings,
) -> Result<CostReport, InputError> {
    check_settings(model, load, settings)?;
    let grid = model
        .provisioned(settings.deployment)
        .ok_or_else(|| model.not_offered(settings.deployment))?;
    // The share that can wait goes to batch; every option but batch serves the rest.
    let batch_share = settings.batch_share;
    let interactive = load.without_share(batch_share);
    let scale = settings.hours_per_month * 60.0 / load.span_minutes;
    let minutes: Vec<MinuteCost> = interactive
        .minutes
        .iter()
        .map(|m| MinuteCost::new(m, model, &settings.token_prices))
        .collect();
    let busiest = minutes.iter().map(|m| m.normalized).fold(0.0, f64::max);
    let peak = settings
        .peak_normalized_tpm
        .map_or(busiest, |p| p * (1.0 - batch_share));
    let ptu_for_peak = deployable_ptu(
        snap(peak / model.input_tpm_per_ptu / settings.target_utilization),
        grid.min_ptu,
        grid.increment,
    );
    let month = Month::of(model, load, &minutes, settings, scale);
    let base = HybridBase {
        spill: &Spill::new(&minutes),
        grid,
        most: ptu_for_peak.max(deployable_ptu(
            busiest / model.input_tpm_per_ptu,
            grid.min_ptu,
            grid.increment,
        )),
        scale,
    };
    let (mut options, mut notes) = base_options(model, &interactive, &month, &base, ptu_for_peak);
    let tiers = tiered::tier_options(model, &interactive, load, &month, scale);
    options.extend(tiers.options);
    exclude_by_latency(&mut options, settings.latency);
    exclude_downgraded_priority(&mut options, settings.latency);
    let mix = settings
        .latency
        .map(|latency| mix::cheapest(model, load, &month, &base, latency));
    notes.extend(tiers.notes);
    notes.extend(tier_notes(model, settings));
    notes.extend(cost_notes(
        model,
        load,
        &month,
        &minutes,
        ptu_for_peak,
        scale,
    ));
    let (recommended, reason) = recommend(&options, &settings.currency, mix.as_ref());
    Ok(CostReport {
        model: model.name.clone(),
        deployment: settings.deployment,
        target_utilization: settings.target_utilization,
        ptu_for_peak,
        load: monthly_load(model, load, &month, peak, scale),
        prices: prices_used(settings),
        options,
        recommended,
        reason,
        token_split: None,
        latency: settings.latency,
        batch_share,
        unpriced: tiers.unpriced,
        batch: tiers.batch,
        mix,
        notes,
    })
}

/// Checks the settings against the model and the load.
fn check_settings(
    model: &Model,
    load: &LoadCurve,
    settings: &CostSettings,
) -> Result<(), InputError> {
    check_target(settings.target_utilization)?;
    check_positive(
        Param::Hours,
        settings.hours_per_month,
        MAX_HOURS_PER_MONTH,
        "hours per month",
    )?;
    check_range(
        Param::FlexAvailability,
        settings.flex_availability,
        1.0,
        "a share",
    )?;
    check_range(
        Param::BatchShare,
        settings.batch_share,
        MAX_BATCH_SHARE,
        "a share",
    )?;
    if settings.batch_share > 0.0 {
        let daily = load.total().prompt * 1440.0 / load.span_minutes;
        let fits = match &settings.tiers.batch {
            Ok(batch) => batch.fits(daily, settings.batch_share, &model.name),
            Err(reason) => Err(reason.clone()),
        };
        if let Err(reason) = fits {
            return Err(ParamError::TierNotPriced {
                param: Param::BatchShare,
                reason,
            }
            .into());
        }
    }
    if load.total().cached > 0.0 && settings.token_prices.cached.is_none() {
        return Err(ParamError::MissingCachedPrice {
            currency: settings.currency.clone(),
            model: model.name.clone(),
            deployment: settings.deployment.to_string(),
        }
        .into());
    }
    Ok(())
}

/// The largest `--batch-share`: something must stay interactive for the other options to mean
/// anything (the batch option prices all of it).
pub const MAX_BATCH_SHARE: f64 = 0.99;

/// Pay-as-you-go, the full-PTU options on each term, and the hybrid; with the hybrid's note.
fn base_options(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    base: &HybridBase,
    ptu_for_peak: u64,
) -> (Vec<CostOption>, Vec<Note>) {
    let settings = month.settings;
    let scale = base.scale;
    let payg_usd: f64 = month.minutes_usd;
    let payg = month.priced(
        Assumption::Payg,
        0,
        None,
        payg_usd,
        month.normalized_month,
        0.0,
    );
    let mut options = vec![payg];
    let throttled = base.spill.over(ptu_for_peak as f64 * month.tpm_per_ptu).1 * scale;
    for term in [Term::Hourly, Term::OneMonth, Term::OneYear] {
        let assumes = Assumption::FullPtu {
            ptu: ptu_for_peak,
            term,
            target_utilization: settings.target_utilization,
        };
        let option = month.priced(assumes, ptu_for_peak, Some(term), 0.0, 0.0, throttled);
        options.push(option);
    }
    let mut notes = Vec::new();
    if model.spillover {
        let hybrid = hybrid_option(model, load, month, base);
        notes.extend(
            hybrid
                .spillover_tpm_quota
                .map(|tpm| Note::of(NoteCode::Spillover, CostNote::SpilloverQuota { tpm })),
        );
        options.push(hybrid);
    } else {
        notes.push(Note::of(
            NoteCode::Spillover,
            CostNote::NoSpillover {
                model: model.name.clone(),
                source: model.sources.features.clone(),
            },
        ));
    }
    (options, notes)
}

/// Marks the options the latency class does not allow; without a class, flex and batch (which
/// do not answer within seconds) are listed but not recommended.
fn exclude_by_latency(options: &mut [CostOption], latency: Option<LatencyClass>) {
    // The latency class comes first: a quota is no reason when the class rules a tier out.
    for option in options.iter_mut() {
        let refused = option.option.tiers().iter().find(|&&tier| match latency {
            Some(class) => !class.allows(tier),
            None => matches!(tier, ServiceTier::Flex | ServiceTier::Batch),
        });
        let Some(tier) = refused else {
            continue;
        };
        option.excluded = Some(match latency {
            Some(class) => Exclusion::Latency { class, tier: *tier },
            None => Exclusion::NoLatencyClass { tier: *tier },
        });
    }
}

/// Under `interactive`, priority whose rules serve most of its tokens as standard (past the
/// ramp limit, long prompts) does not give the class its latency target: not recommended.
fn exclude_downgraded_priority(options: &mut [CostOption], latency: Option<LatencyClass>) {
    if latency != Some(LatencyClass::Interactive) {
        return;
    }
    for option in options
        .iter_mut()
        .filter(|o| o.option == OptionName::Priority && o.excluded.is_none())
        .filter(|o| o.downgraded_share > 0.5)
    {
        option.excluded = Some(Exclusion::PriorityDowngraded {
            share: option.downgraded_share,
        });
    }
}

/// Notes on the tiers: what shares quota, what is UNVERIFIED.
fn tier_notes(model: &Model, settings: &CostSettings) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Ok(priority) = &settings.tiers.priority {
        let unverified = priority.price.unverified;
        notes.push(Note::of(
            if unverified {
                NoteCode::PricesUnverified
            } else {
                NoteCode::ServiceTier
            },
            CostNote::PriorityQuota {
                model: model.name.clone(),
                unverified_source: unverified.then(|| priority.price.source.clone()),
                data_zone: settings.deployment == DeploymentType::DataZone,
            },
        ));
    }
    notes
}

/// The notes that were always there: UNVERIFIED prices, the load, minutes above the peak.
fn cost_notes(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    minutes: &[MinuteCost],
    ptu_for_peak: u64,
    scale: f64,
) -> Vec<Note> {
    let mut notes = Vec::new();
    if month.settings.prices_unverified {
        notes.push(Note::of(
            NoteCode::PricesUnverified,
            CostNote::PtuPricesUnverified,
        ));
    }
    notes.extend(load_notes(model, load, month.month_minutes, scale));
    let capacity = ptu_for_peak as f64 * month.tpm_per_ptu;
    let overflow = minutes
        .iter()
        .filter(|m| m.normalized > capacity * (1.0 + 1e-9))
        .count();
    if overflow > 0 {
        let throttled = Spill::new(minutes).over(capacity).1 * scale;
        notes.push(Note::of(
            NoteCode::LoadAbovePeak,
            CostNote::AbovePeak {
                share: month.share(throttled),
                minutes: overflow as u64,
                ptu: ptu_for_peak,
                hybrid: model.spillover,
            },
        ));
    }
    if model.spillover {
        notes.push(Note::of(NoteCode::Spillover, CostNote::SpillPerMinute));
    }
    notes
}

/// The month's load as reported.
fn monthly_load(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    peak: f64,
    scale: f64,
) -> MonthlyLoad {
    let total = load.total();
    let normalized: f64 = load.minutes.iter().map(|m| m.normalized(model)).sum();
    MonthlyLoad {
        kind: load.kind,
        hours: month.hours,
        span_minutes: load.span_minutes,
        requests: snap(total.requests * scale),
        prompt_tokens: snap(total.prompt * scale),
        cached_tokens: snap(total.cached * scale),
        completion_tokens: snap(total.completion * scale),
        avg_rpm: snap(total.requests / load.span_minutes),
        avg_normalized_tpm: snap(normalized / load.span_minutes),
        peak_normalized_tpm: snap(peak),
    }
}

/// The prices used, as reported.
fn prices_used(settings: &CostSettings) -> PricesUsed {
    let tiers = &settings.tiers;
    PricesUsed {
        input: settings.token_prices.input,
        cached: settings.token_prices.cached,
        output: settings.token_prices.output,
        ptu_hourly: settings.ptu_rates.hourly,
        ptu_monthly: settings.ptu_rates.monthly,
        ptu_yearly: settings.ptu_rates.yearly,
        token_price_source: settings.token_price_source.clone(),
        ptu_price_source: settings.ptu_price_source.clone(),
        unverified: settings.prices_unverified,
        currency: settings.currency.clone(),
        priority: tiers.priority.as_ref().ok().map(|p| p.price.clone()),
        flex: tiers.flex.as_ref().ok().cloned(),
        batch: tiers.batch.as_ref().ok().map(|b| b.price.clone()),
    }
}

/// One minute's normalized tokens and pay-as-you-go cost.
#[derive(Debug, Clone, Copy)]
struct MinuteCost {
    normalized: f64,
    usd: f64,
}

impl MinuteCost {
    fn new(load: &MinuteLoad, model: &Model, prices: &TokenPrices) -> MinuteCost {
        MinuteCost {
            normalized: load.normalized(model),
            usd: load.payg_usd(prices),
        }
    }
}

/// Spillover over a capacity, answered in O(log n): minutes sorted by load, with suffix sums of
/// their cost and of their cost per normalized token. A minute with load n above capacity C
/// spills (n − C) of its n normalized tokens, at its own token mix: cost × (n − C) / n.
struct Spill {
    /// Normalized loads, ascending.
    loads: Vec<f64>,
    /// Sums from index i to the end: (cost, cost ÷ load, load).
    suffix: Vec<(f64, f64, f64)>,
}

impl Spill {
    fn new(minutes: &[MinuteCost]) -> Spill {
        let mut sorted: Vec<MinuteCost> = minutes
            .iter()
            .filter(|m| m.normalized > 0.0)
            .copied()
            .collect();
        sorted.sort_by(|a, b| a.normalized.total_cmp(&b.normalized));
        let mut suffix = vec![(0.0, 0.0, 0.0); sorted.len() + 1];
        for (i, m) in sorted.iter().enumerate().rev() {
            let next = suffix[i + 1];
            suffix[i] = (
                next.0 + m.usd,
                next.1 + m.usd / m.normalized,
                next.2 + m.normalized,
            );
        }
        Spill {
            loads: sorted.iter().map(|m| m.normalized).collect(),
            suffix,
        }
    }

    /// PAYG cost and normalized tokens of what spills over `capacity` normalized TPM.
    fn over(&self, capacity: f64) -> (f64, f64) {
        let first_above = self.loads.partition_point(|&load| load <= capacity);
        let (usd, usd_per_token, tokens) = self.suffix[first_above];
        let count = (self.loads.len() - first_above) as f64;
        (
            (usd - capacity * usd_per_token).max(0.0),
            (tokens - capacity * count).max(0.0),
        )
    }
}

impl<'a> Month<'a> {
    /// The month the load's minutes add up to (`scale` months per load span); the interactive
    /// minutes pay as they go, and `--batch-share` of the whole load is priced at batch.
    fn of(
        model: &Model,
        load: &LoadCurve,
        interactive: &[MinuteCost],
        settings: &'a CostSettings,
        scale: f64,
    ) -> Self {
        let hours = settings.hours_per_month;
        let payg_month = interactive.iter().map(|m| m.usd).sum::<f64>() * scale;
        let normalized_month = interactive.iter().map(|m| m.normalized).sum::<f64>() * scale;
        let batch_share = settings.batch_share;
        let batch_usd = match (&settings.tiers.batch, batch_share > 0.0) {
            (Ok(batch), true) => load.total().payg_usd(&batch.price.tokens()) * batch_share * scale,
            _ => 0.0,
        };
        Month {
            settings,
            hours,
            month_minutes: hours * 60.0,
            normalized_month,
            tokens_month: load.total().tokens() * scale,
            // PAYG cost of one fully used PTU-month at this load's token mix: the break-even
            // yardstick.
            payg_per_normalized: (normalized_month > 0.0).then(|| payg_month / normalized_month),
            tpm_per_ptu: model.input_tpm_per_ptu,
            minutes_usd: payg_month,
            batch_usd,
        }
    }
}

/// A month of the load, and how an option is priced over it.
struct Month<'a> {
    settings: &'a CostSettings,
    hours: f64,
    month_minutes: f64,
    normalized_month: f64,
    tokens_month: f64,
    payg_per_normalized: Option<f64>,
    tpm_per_ptu: f64,
    /// The month's load (less any batch share) at standard prices.
    minutes_usd: f64,
    /// The batch share's cost, added to every option but batch.
    batch_usd: f64,
}

impl Month<'_> {
    /// A share of the month's normalized tokens.
    fn share(&self, tokens: f64) -> f64 {
        if self.normalized_month > 0.0 {
            snap(tokens / self.normalized_month)
        } else {
            0.0
        }
    }

    /// The option making the assumption `assumes`: `ptu` PTUs paid by `term`, `payg_usd` of
    /// pay-as-you-go; `spilled` are the normalized tokens served pay-as-you-go, `throttled`
    /// those above the PTUs that nothing serves (full-PTU options sized below the busiest
    /// minute).
    fn priced(
        &self,
        assumes: Assumption,
        ptu: u64,
        term: Option<Term>,
        payg_usd: f64,
        spilled: f64,
        throttled: f64,
    ) -> CostOption {
        let ptu_usd = term.map_or(0.0, |t| {
            ptu as f64 * self.settings.ptu_rates.per_ptu_month(t, self.hours)
        });
        let monthly = ptu_usd + payg_usd + self.batch_usd;
        let capacity_month = ptu as f64 * self.tpm_per_ptu * self.month_minutes;
        let has_ptu = ptu > 0;
        CostOption {
            option: assumes.option(),
            monthly_usd: cents(monthly),
            ptu,
            term,
            usd_per_1m_tokens: (self.tokens_month > 0.0)
                .then(|| snap(monthly / self.tokens_month * 1e6)),
            utilization: has_ptu
                .then(|| snap((self.normalized_month - spilled - throttled) / capacity_month)),
            break_even_utilization: match (has_ptu, self.payg_per_normalized) {
                (true, Some(rate)) if rate > 0.0 => Some(snap(ptu_usd / (capacity_month * rate))),
                _ => None,
            },
            spill_share: self.share(spilled),
            throttled_share: self.share(throttled),
            payg_usd: cents(payg_usd),
            spillover_tpm_quota: None,
            batch_usd: cents(self.batch_usd),
            downgraded_share: 0.0,
            assumes,
            excluded: None,
        }
    }
}

/// What the hybrid's search runs over: the load's spill, the PTU grid up to `most`, and the
/// load's scale to the month.
struct HybridBase<'a> {
    spill: &'a Spill,
    grid: crate::catalog::Provisioned,
    most: u64,
    scale: f64,
}

/// The hybrid: the PTU base that minimizes the month (PTUs on the hybrid's term plus the spill
/// pay-as-you-go), exact along the grid; with its spillover quota.
fn hybrid_option(model: &Model, load: &LoadCurve, month: &Month, base: &HybridBase) -> CostOption {
    let settings = month.settings;
    let (tpm_per_ptu, scale, spill) = (month.tpm_per_ptu, base.scale, base.spill);
    let per_ptu = settings
        .ptu_rates
        .per_ptu_month(settings.hybrid_term, month.hours);
    let hybrid_cost = |ptu: u64| {
        let (usd, normalized) = spill.over(ptu as f64 * tpm_per_ptu);
        (ptu, ptu as f64 * per_ptu + usd * scale, normalized * scale)
    };
    let search = PtuGrid::new(base.grid.min_ptu, base.grid.increment, base.most);
    let (best_ptu, best_usd, best_spilled) = hybrid_cost(search.cheapest(|ptu| hybrid_cost(ptu).1));
    let hybrid_payg = best_usd - best_ptu as f64 * per_ptu;
    let hybrid_term = (best_ptu > 0).then_some(settings.hybrid_term);
    let assumes = Assumption::Hybrid {
        ptu: best_ptu,
        term: settings.hybrid_term,
    };
    let mut hybrid = month.priced(
        assumes,
        best_ptu,
        hybrid_term,
        hybrid_payg,
        best_spilled,
        0.0,
    );
    hybrid.spillover_tpm_quota = hybrid_spill_quota(load, model, best_ptu as f64, settings);
    hybrid
}

/// Notes on how the load stands for the month: flat at its peak, or a profile scaled.
fn load_notes(model: &Model, load: &LoadCurve, month_minutes: f64, scale: f64) -> Vec<Note> {
    let mut notes = Vec::new();
    match load.kind {
        LoadKind::Flat if load.span_minutes > 1.0 => notes.push(Note::of(
            NoteCode::LoadAssumed,
            CostNote::AtPeakPart {
                share: 1.0 / load.span_minutes,
                hybrid: model.spillover,
            },
        )),
        LoadKind::Flat => notes.push(Note::of(NoteCode::LoadAssumed, CostNote::AtPeakAllMonth)),
        LoadKind::Profile => {
            let missing = load.span_minutes - load.minutes.len() as f64;
            if missing > 0.0 {
                notes.push(Note::of(
                    NoteCode::LoadProfile,
                    CostNote::ProfileGaps {
                        missing,
                        span: load.span_minutes,
                    },
                ));
            }
            notes.push(Note::of(
                NoteCode::LoadProfile,
                CostNote::ProfileScaled {
                    span: load.span_minutes,
                    month: month_minutes,
                    scale,
                },
            ));
        }
    }
    notes
}

/// The standard quota a hybrid's spillover deployment needs for `load` over a base of `ptu`
/// PTUs (fractional: a region's share of a base); None without a published RPM ratio or when
/// nothing spills.
pub fn hybrid_spill_quota(
    load: &LoadCurve,
    model: &Model,
    ptu: f64,
    settings: &CostSettings,
) -> Option<u64> {
    let options = settings.standard?;
    let ratio = model.rpm_per_1000_tpm_for(settings.deployment)?;
    let rule = QuotaRule {
        rpm_per_1000_tpm: ratio,
        unit_tpm: model.quota_unit_tpm,
        window: options.rpm_window,
    };
    let spill = SpillShape {
        capacity: ptu * model.input_tpm_per_ptu,
        max_tokens: settings.admission_max_tokens,
        target: settings.target_utilization,
    };
    spillover_quota(&load.minutes, model, spill, &rule, options)
}

/// The standard quota that takes the spill over `capacity` normalized TPM: the largest
/// [`poisson_quota`] over the minutes that spill, each spilling its requests and tokens in
/// proportion to its normalized tokens above the capacity. `None` when nothing spills.
fn spillover_quota(
    minutes: &[MinuteLoad],
    model: &Model,
    spill: SpillShape,
    rule: &QuotaRule,
    options: StandardOptions,
) -> Option<u64> {
    minutes
        .iter()
        .filter_map(|m| {
            let normalized = m.normalized(model);
            if normalized <= spill.capacity * (1.0 + 1e-9) || m.requests <= 0.0 {
                return None;
            }
            let spilled = (normalized - spill.capacity) / normalized;
            let output = spill.max_tokens.unwrap_or(m.completion / m.requests);
            let tokens_per_request = m.prompt / m.requests + output;
            let quota = poisson_quota(
                rule,
                m.requests * spilled,
                tokens_per_request,
                options.max_throttle,
            );
            // With the same headroom as any standard quota at the target utilization.
            Some(rule.units_up(quota.tpm_quota as f64 / spill.target))
        })
        .max()
}

/// What spills: load above `capacity` normalized TPM, each request counting `max_tokens` at
/// admission when known, onto a quota sized for the `target` utilization.
#[derive(Debug, Clone, Copy)]
struct SpillShape {
    capacity: f64,
    max_tokens: Option<f64>,
    target: f64,
}

/// Why a model gets no hybrid option: Azure offers no spillover for it. The text of the
/// errors that need a hybrid (errors are written where they are made); the same words as the
/// sentence `render` writes for [`CostNote::NoSpillover`].
pub fn no_spillover_note(model: &Model) -> String {
    format!(
        "no hybrid: {} does not support spillover from a provisioned to a standard \
         deployment (Learn, provisioned throughput concepts: \"Models from other providers \
         (Azure DeepSeek, Meta Llama) don't currently support spillover\"; catalog source {})",
        model.name,
        model.sources.features.as_deref().unwrap_or("none")
    )
}

/// The deployable PTU counts a hybrid can use, from 0 to at least `most`: 0, the minimum, then
/// the multiples of the increment above it.
#[derive(Debug, Clone, Copy)]
struct PtuGrid {
    min: u64,
    increment: u64,
    /// First multiple of the increment above the minimum.
    first_multiple: u64,
    /// How many points.
    len: u64,
}

impl PtuGrid {
    fn new(min_ptu: u32, increment: u32, most: u64) -> PtuGrid {
        let min = u64::from(min_ptu);
        let increment = u64::from(increment.max(1));
        let first_multiple = (min / increment + 1) * increment;
        let multiples = if most >= first_multiple {
            (most - first_multiple) / increment + 1
        } else {
            0
        };
        let multiples = if multiples > 0 && first_multiple + (multiples - 1) * increment < most {
            multiples + 1
        } else {
            multiples
        };
        PtuGrid {
            min,
            increment,
            first_multiple,
            len: 2 + multiples,
        }
    }

    /// The k-th point.
    fn at(&self, k: u64) -> u64 {
        match k {
            0 => 0,
            1 => self.min,
            _ => self.first_multiple + (k - 2) * self.increment,
        }
    }

    /// The point where `cost` is lowest. PTU cost grows linearly and the spilled cost falls in
    /// a convex, piecewise-linear way, so the total along the grid falls and then rises: a
    /// binary search for the first point where the next one costs no less finds it in
    /// O(log n) evaluations, however large the grid. Ties go to fewer PTUs.
    fn cheapest(&self, cost: impl Fn(u64) -> f64) -> u64 {
        let (mut low, mut high) = (0, self.len - 1);
        while low < high {
            let mid = low + (high - low) / 2;
            if cost(self.at(mid + 1)) >= cost(self.at(mid)) - 1e-9 {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        self.at(low)
    }
}

/// The cheapest option and why, naming a cheaper mix.
fn recommend(options: &[CostOption], currency: &str, mix: Option<&Mix>) -> (OptionName, Reason) {
    let (recommended, cheapest) = cheapest_option(options);
    let single = options.iter().find(|o| o.option == recommended);
    let cheaper_mix = match (mix, single) {
        (Some(mix), Some(single)) if mix.chosen.monthly_usd < single.monthly_usd - 0.005 => {
            Some(CheaperMix {
                label: mix.chosen.label.clone(),
                monthly_usd: mix.chosen.monthly_usd,
            })
        }
        _ => None,
    };
    let reason = Reason {
        currency: currency.to_string(),
        cheapest,
        cheaper_mix,
    };
    (recommended, reason)
}

/// The cheapest option (ties go to the simpler one, earlier in the list) and why.
fn cheapest_option(options: &[CostOption]) -> (OptionName, Cheapest) {
    let payg = &options[0];
    let eligible = |o: &&CostOption| o.throttled_share == 0.0 && o.excluded.is_none();
    let Some(first) = options.iter().find(eligible) else {
        return (payg.option, Cheapest::NoneAllowed);
    };
    let best = options.iter().filter(eligible).fold(first, |best, o| {
        if o.monthly_usd < best.monthly_usd - 0.005 {
            o
        } else {
            best
        }
    });
    let cheapest = match best.option {
        OptionName::Payg => Cheapest::Payg {
            monthly_usd: payg.monthly_usd,
            cheapest_ptu: options[1..]
                .iter()
                .filter(|o| o.ptu > 0 && o.throttled_share == 0.0 && o.excluded.is_none())
                .min_by(|a, b| a.monthly_usd.total_cmp(&b.monthly_usd))
                .map(|o| PtuAlternative {
                    option: o.option,
                    monthly_usd: o.monthly_usd,
                    break_even_utilization: o.break_even_utilization,
                    utilization: o.utilization,
                }),
        },
        _ => Cheapest::Other {
            option: best.option,
            monthly_usd: best.monthly_usd,
            ptu: best.ptu,
            spill_share: best.spill_share,
            payg_usd: payg.monthly_usd,
        },
    };
    (best.option, cheapest)
}

/// Settings with the issue's hand-example prices, for tests: gpt-4.1 global, $2/$0.50/$8 per 1M
/// tokens; $1/h, $260/month, $2,652/year per PTU; 730 h; 1-year hybrid; 100% target.
#[cfg(test)]
pub(crate) fn example_settings() -> CostSettings {
    CostSettings {
        deployment: DeploymentType::Global,
        peak_normalized_tpm: None,
        hours_per_month: 730.0,
        hybrid_term: Term::OneYear,
        target_utilization: 1.0,
        token_prices: TokenPrices {
            input: 2.0,
            cached: Some(0.5),
            output: 8.0,
        },
        ptu_rates: PtuRates {
            hourly: 1.0,
            monthly: 260.0,
            yearly: 2652.0,
        },
        token_price_source: "S30".into(),
        ptu_price_source: "S32".into(),
        prices_unverified: true,
        standard: None,
        admission_max_tokens: None,
        currency: "USD".to_string(),
        tiers: TierSetup::none("not priced in this test"),
        flex_availability: 1.0,
        batch_share: 0.0,
        subscription: SubscriptionType::Default,
        latency: None,
    }
}

#[cfg(test)]
mod tier_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::workload::{RequestShape, TokenCounts};
    use crate::catalog::{Catalog, EMBEDDED};
    use crate::note::NoteText;

    fn shape(prompt: f64, completion: f64, cache_rate: f64) -> RequestShape {
        let counts = TokenCounts {
            total: None,
            prompt: Some(prompt),
            completion: Some(completion),
        };
        RequestShape::new(counts, cache_rate, None).expect("valid")
    }

    fn settings(peak: Option<f64>) -> CostSettings {
        CostSettings {
            peak_normalized_tpm: peak,
            ..example_settings()
        }
    }

    fn option(report: &CostReport, name: OptionName) -> &CostOption {
        report
            .options
            .iter()
            .find(|o| o.option == name)
            .expect("option present")
    }

    #[test]
    fn load_notes_say_how_the_load_stands_for_the_month() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let request = shape(1000.0, 500.0, 0.0);
        // 100 RPM at peak, 20 on average: at the peak 1 ÷ 5 of the time.
        let flat = LoadCurve::peak_and_average(100.0, 20.0, &request);
        assert_eq!(
            load_notes(model, &flat, 43_800.0, 1.0)[0].text,
            CostNote::AtPeakPart {
                share: 0.2,
                hybrid: true
            }
            .into()
        );
        // Three rows over a 5-minute span: 2 minutes without a row; 43,800 ÷ 5 = 8,760.
        let minutes = [MinuteLoad::of_shape(10.0, &request); 3];
        let profile = LoadCurve::profile(&minutes, 5, true, true, None).expect("valid");
        let texts: Vec<NoteText> = load_notes(model, &profile, 43_800.0, 8_760.0)
            .into_iter()
            .map(|n| n.text)
            .collect();
        assert_eq!(
            texts,
            [
                CostNote::ProfileGaps {
                    missing: 2.0,
                    span: 5.0
                }
                .into(),
                CostNote::ProfileScaled {
                    span: 5.0,
                    month: 43_800.0,
                    scale: 8_760.0
                }
                .into(),
            ]
        );
    }

    #[test]
    fn issue_hand_example_gpt_4_1_flat_100_rpm() {
        // 100 RPM × 43,800 min = 4.38M requests; 4.38e9 input × $2 + 2.19e9 output × $8 per 1M
        // = $8,760 + $17,520 = $26,280. 100 × (1,000 + 4 × 500) = 300,000 TPM ÷ 3,000 = 100 PTU:
        // hourly 100 × $1 × 730 = $73,000; 1-month 100 × $260 = $26,000; 1-year 100 × $221.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let request = shape(1000.0, 500.0, 0.0);
        let load = LoadCurve::peak_and_average(100.0, 100.0, &request);
        let report = cost(model, &load, &settings(Some(300_000.0))).expect("valid");
        assert_eq!(report.ptu_for_peak, 100);
        assert_eq!(option(&report, OptionName::Payg).monthly_usd, 26_280.0);
        assert_eq!(option(&report, OptionName::PtuHourly).monthly_usd, 73_000.0);
        assert_eq!(
            option(&report, OptionName::PtuOneMonth).monthly_usd,
            26_000.0
        );
        assert_eq!(
            option(&report, OptionName::PtuOneYear).monthly_usd,
            22_100.0
        );
        // Flat load fills 100 PTU exactly, so the hybrid is the 1-year option.
        let hybrid = option(&report, OptionName::Hybrid);
        assert_eq!((hybrid.ptu, hybrid.monthly_usd), (100, 22_100.0));
        assert_eq!(
            report.recommended,
            OptionName::PtuOneYear,
            "ties go to the simpler option"
        );
        // Break-even of the 1-year option: $22,100 ÷ $26,280 = 84.1% average utilization.
        let be = option(&report, OptionName::PtuOneYear)
            .break_even_utilization
            .expect("some");
        assert!((be - 22_100.0 / 26_280.0).abs() < 1e-9);
        assert_eq!(
            option(&report, OptionName::PtuOneYear).utilization,
            Some(1.0)
        );
        // $26,280 for 6.57e9 tokens = $4.00 per 1M.
        assert_eq!(
            option(&report, OptionName::Payg).usd_per_1m_tokens,
            Some(4.0)
        );
    }

    #[test]
    fn low_average_load_favours_payg() {
        // Peak 100 RPM but an average of 10: PTUs sized for the peak run at 10%.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let load = LoadCurve::peak_and_average(100.0, 10.0, &shape(1000.0, 500.0, 0.0));
        let report = cost(model, &load, &settings(Some(300_000.0))).expect("valid");
        assert_eq!(option(&report, OptionName::Payg).monthly_usd, 2_628.0);
        assert_eq!(report.recommended, OptionName::Payg);
        assert_eq!(
            option(&report, OptionName::PtuOneYear).utilization,
            Some(0.1)
        );
        assert!(
            matches!(
                report.reason.cheapest,
                Cheapest::Payg {
                    cheapest_ptu: Some(_),
                    ..
                }
            ),
            "{:?}",
            report.reason
        );
    }

    #[test]
    fn hybrid_covers_the_base_and_spills_the_peak() {
        // A 10-minute profile of gpt-4.1 requests (1,000 prompt, 500 completion: $0.006 each,
        // 3,000 normalized tokens): 9 minutes of 50 requests (150,000 TPM = 50 PTU), one minute of
        // 100 (300,000 TPM = 100 PTU). Scale to the month: 43,800 ÷ 10 = 4,380.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let request = shape(1000.0, 500.0, 0.0);
        let mut minutes = vec![MinuteLoad::of_shape(50.0, &request); 9];
        minutes.push(MinuteLoad::of_shape(100.0, &request));
        let load = LoadCurve::profile(&minutes, 10, true, true, None).expect("valid");
        let report = cost(model, &load, &settings(None)).expect("valid");
        assert_eq!(report.ptu_for_peak, 100, "sized for the busiest minute");
        // PAYG: (9 × $0.30 + $0.60) × 4,380 = $14,454.
        assert_eq!(option(&report, OptionName::Payg).monthly_usd, 14_454.0);
        // Hybrid at p PTU: below 50 the cost is 14,454 − 41.8 p, above 50 it is 2,628 + 194.72 p,
        // so 50 PTU is best: 50 × $221 + the busy minute's half (0.5 × $0.60 × 4,380 = $1,314).
        let hybrid = option(&report, OptionName::Hybrid);
        assert_eq!((hybrid.ptu, hybrid.monthly_usd), (50, 12_364.0));
        assert_eq!(hybrid.payg_usd, 1_314.0);
        // Spilled: 150,000 of 1,650,000 normalized tokens in the profile.
        assert!((hybrid.spill_share - 150_000.0 / 1_650_000.0).abs() < 1e-12);
        assert_eq!(report.recommended, OptionName::Hybrid);
        for o in &report.options {
            assert!(
                hybrid.monthly_usd <= o.monthly_usd + 0.005,
                "{:?}",
                o.option
            );
        }
    }

    #[test]
    fn missing_cached_price_is_an_error_only_with_cached_tokens() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let mut no_cached = settings(None);
        no_cached.token_prices.cached = None;
        let cached_load = LoadCurve::peak_and_average(10.0, 10.0, &shape(1000.0, 100.0, 0.5));
        assert!(cost(model, &cached_load, &no_cached).is_err());
        let plain_load = LoadCurve::peak_and_average(10.0, 10.0, &shape(1000.0, 100.0, 0.0));
        assert!(cost(model, &plain_load, &no_cached).is_ok());
    }

    fn points(grid: PtuGrid) -> Vec<u64> {
        (0..grid.len).map(|k| grid.at(k)).collect()
    }

    #[test]
    fn hybrid_grid_is_deployable() {
        assert_eq!(points(PtuGrid::new(15, 5, 30)), [0, 15, 20, 25, 30]);
        assert_eq!(points(PtuGrid::new(15, 5, 32)), [0, 15, 20, 25, 30, 35]);
        assert_eq!(points(PtuGrid::new(25, 50, 100)), [0, 25, 50, 100]);
        assert_eq!(points(PtuGrid::new(100, 100, 50)), [0, 100]);
        assert_eq!(points(PtuGrid::new(15, 5, 15)), [0, 15]);
    }

    proptest::proptest! {
        #[test]
        fn binary_search_finds_the_brute_force_minimum(
            loads in proptest::collection::vec((1.0f64..2e6, 0.01f64..50.0), 1..40),
            per_ptu in 50.0f64..3000.0,
        ) {
            let minutes: Vec<MinuteCost> = loads.iter().map(|&(normalized, usd)| MinuteCost { normalized, usd }).collect();
            let spill = Spill::new(&minutes);
            let grid = PtuGrid::new(15, 5, 700);
            let cost = |ptu: u64| ptu as f64 * per_ptu + spill.over(ptu as f64 * 3000.0).0 * 100.0;
            let brute = (0..grid.len).map(|k| cost(grid.at(k))).fold(f64::INFINITY, f64::min);
            let found = cost(grid.cheapest(cost));
            proptest::prop_assert!((found - brute).abs() <= 1e-6 * brute.max(1.0), "{found} vs {brute}");
        }
    }

    #[test]
    fn cheapest_point_of_a_valley() {
        let grid = PtuGrid::new(15, 5, 1_000_000_000);
        assert_eq!(grid.cheapest(|p| (p as f64 - 4_000_000.0).abs()), 4_000_000);
        assert_eq!(grid.cheapest(|p| p as f64), 0);
        assert_eq!(grid.cheapest(|p| -(p as f64)), grid.at(grid.len - 1));
    }
}
