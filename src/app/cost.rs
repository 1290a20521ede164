//! `cost`: a month of load priced every way Azure sells tokens.

use chrono::NaiveDate;

use crate::calc::cost::{CostReport, CostSettings, Term, cost};
use crate::calc::load::LoadCurve;
use crate::calc::param::Naming;
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::service_tier::{LatencyClass, PriorityOverrides, StandardPrice, TierSetup};
use crate::calc::sizing::request_notes;
use crate::calc::workload::{RequestShape, Workload};
use crate::catalog::{Catalog, Model};
use crate::cli::{CostArgs, Format, LatencyArg, TermArg, TierArgs};
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::note::{FlagNote, Note, NoteCode};
use crate::render::{markdown, table};

use super::{
    ReadProfile, both_skus, check_one_token_source, footer, lifecycles, optional_shape,
    read_profile, render_json, request_shape, standard_options, subscription,
};

/// `cost`: validate the flags and the profile, price the month every way, report.
pub(super) fn run_cost(
    args: &CostArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let model = &*catalog.find_version(&args.model)?;
    let request = CostRequest::validate(args, catalog, model)?;
    let mut report = cost(model, &request.load, &request.settings)?;
    report.token_split = request.shape.map(|s| s.token_split);
    if let Some(shape) = request.shape {
        report.notes.extend(
            shape
                .token_split
                .assumed_note(shape.prompt_tokens, "--tokens"),
        );
        report
            .notes
            .extend(request_notes(&shape, model, Naming::Flags));
    }
    report.notes.extend(request.notes);
    report.notes.extend(unused_tier_flags(&args.tiers, &report));
    let lifecycle = lifecycles([model], &both_skus(args.deployment), catalog, as_of);
    report.notes.extend(lifecycle.notes());
    match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report),
        Format::Table => Ok(table::cost(&report)),
        Format::Markdown => Ok(markdown::cost(&report, &footer(catalog, as_of))),
    }
}

/// `cost`'s flags and profile checked and turned into what the pricing takes.
struct CostRequest {
    /// The month's load: the profile's minutes, or the peak and `--avg-rpm`.
    load: LoadCurve,
    settings: CostSettings,
    /// The request shape the flags give, if they do.
    shape: Option<RequestShape>,
    /// What the checks found: flags that are not used.
    notes: Vec<Note>,
}

impl CostRequest {
    /// Reads the profile, checks the flags against each other and it, and resolves the prices.
    fn validate(args: &CostArgs, catalog: &Catalog, model: &Model) -> anyhow::Result<Self> {
        let profile = args.profile.as_deref().map(read_profile).transpose()?;
        if let Some(profile) = profile.as_ref().filter(|p| p.parsed.has_tokens) {
            check_one_token_source(&args.shape, &profile.path)?;
        }
        let shape = optional_shape(&args.shape)?;
        let peak_workload = peak_workload(args, profile.as_ref(), shape)?;
        let load = cost_load(
            args,
            profile.as_ref(),
            peak_workload.as_ref(),
            shape.as_ref(),
        )?;
        let settings = cost_settings(args, catalog, model, peak_workload.as_ref(), shape.as_ref())?;
        let profile_has_cached = profile.as_ref().is_some_and(|p| p.parsed.has_cached);
        let notes = (profile_has_cached && args.shape.cache_rate > 0.0)
            .then(|| Note::of(NoteCode::LoadProfile, FlagNote::CacheRateFromProfile))
            .into_iter()
            .collect();
        Ok(Self {
            load,
            settings,
            shape,
            notes,
        })
    }
}

/// The peak the PTU options are sized for: `--rpm` or `--qps` with the flags' request shape,
/// else a token profile's average request (None: no peak rate given).
fn peak_workload(
    args: &CostArgs,
    profile: Option<&ReadProfile>,
    shape: Option<RequestShape>,
) -> anyhow::Result<Option<Workload>> {
    let peak_rpm = args.rpm.or(args.qps.map(|qps| qps * 60.0));
    let peak_shape = shape.or(profile.and_then(|p| p.parsed.mean_shape(args.shape.cache_rate)));
    Ok(match (peak_rpm, peak_shape) {
        (Some(rpm), Some(shape)) => Some(Workload::new(rpm, shape)?),
        // No token flags: the shape's own error says which are missing.
        (Some(_), None) => {
            return Err(request_shape(&args.shape).err().unwrap_or_else(|| {
                InputError::Usage("--rpm needs the request shape".into()).into()
            }));
        }
        (None, _) => None,
    })
}

/// The month's load `cost` prices: the profile's minutes, else the peak and `--avg-rpm`.
fn cost_load(
    args: &CostArgs,
    profile: Option<&ReadProfile>,
    peak_workload: Option<&Workload>,
    shape: Option<&RequestShape>,
) -> anyhow::Result<LoadCurve> {
    Ok(match (profile, peak_workload) {
        (Some(profile), _) => LoadCurve::profile(
            &profile.minutes,
            profile.parsed.span_minutes,
            profile.parsed.has_tokens,
            profile.parsed.has_cached,
            shape,
        )?
        .at_minutes(profile.parsed.offsets()),
        (None, Some(peak)) => {
            let avg = args.avg_rpm.unwrap_or(peak.rpm);
            if avg > peak.rpm {
                return Err(InputError::InvalidValue {
                    field: "--avg-rpm",
                    value: avg.to_string(),
                    allowed: format!("the average must not exceed the peak ({} RPM)", peak.rpm),
                }
                .into());
            }
            LoadCurve::peak_and_average(peak.rpm, avg, &peak.shape)
        }
        (None, None) => {
            return Err(InputError::Usage(
                "give the peak rate (--rpm or --qps) and the request shape, or a --profile FILE"
                    .into(),
            )
            .into());
        }
    })
}

/// `cost`'s settings: prices (catalog and overrides), the hybrid's term and peak, quota options.
fn cost_settings(
    args: &CostArgs,
    catalog: &Catalog,
    model: &Model,
    peak_workload: Option<&Workload>,
    shape: Option<&RequestShape>,
) -> anyhow::Result<CostSettings> {
    let overrides = PriceOverrides {
        input: args.price_input,
        cached: args.price_cached,
        output: args.price_output,
        ptu_hourly: args.ptu_hourly,
        ptu_monthly: args.ptu_monthly,
        ptu_yearly: args.ptu_yearly,
    };
    let catalog_ptu = catalog.ptu_prices.get(&args.deployment);
    let prices = prices::resolve(
        model,
        catalog_ptu,
        args.deployment,
        &overrides,
        &catalog.currency,
    )?;
    let tiers = tier_setup(&args.tiers, catalog, model, args.deployment, &prices);
    Ok(CostSettings {
        deployment: args.deployment,
        peak_normalized_tpm: peak_workload.map(|w| w.normalized_tpm(model)),
        hours_per_month: args.hours,
        hybrid_term: match args.hybrid_term {
            TermArg::Hourly => Term::Hourly,
            TermArg::OneMonth => Term::OneMonth,
            TermArg::OneYear => Term::OneYear,
        },
        target_utilization: args.target_utilization,
        token_prices: prices.tokens,
        ptu_rates: prices.ptu,
        token_price_source: prices.token_source,
        ptu_price_source: prices.ptu_source,
        prices_unverified: prices.unverified,
        standard: Some(standard_options(&args.quota)),
        admission_max_tokens: match shape {
            Some(shape) => shape.admission_max_tokens(model),
            None => args
                .shape
                .max_tokens
                .or(model.default_max_tokens.map(|d| d as f64)),
        },
        currency: catalog.currency.clone(),
        tiers,
        flex_availability: args.tiers.flex_availability,
        batch_share: args.tiers.batch_share,
        subscription: subscription(args.tiers.subscription_type),
        latency: args.tiers.latency.map(|l| match l {
            LatencyArg::Interactive => LatencyClass::Interactive,
            LatencyArg::Relaxed => LatencyClass::Relaxed,
            LatencyArg::Deferrable => LatencyClass::Deferrable,
        }),
    })
}

/// Priority, flex and batch for `cost`: the catalog's offers priced from the standard prices
/// in use and the priority flags.
fn tier_setup(
    args: &TierArgs,
    catalog: &Catalog,
    model: &Model,
    deployment: DeploymentType,
    prices: &prices::ResolvedPrices,
) -> TierSetup {
    let standard = StandardPrice {
        prices: &prices.tokens,
        source: &prices.token_source,
        unverified: prices.unverified_tokens,
    };
    let overrides = PriorityOverrides {
        input: args.price_priority_input,
        cached: args.price_priority_cached,
        output: args.price_priority_output,
    };
    let subscription = subscription(args.subscription_type);
    let mut setup = TierSetup::resolve(
        catalog,
        model,
        deployment,
        standard,
        &overrides,
        subscription,
    );
    if let Ok(priority) = &mut setup.priority {
        priority.ramp.floor_tpm = args.priority_ramp_floor;
    }
    setup
}

/// Notes on tier flags given for a tier the answer does not price.
fn unused_tier_flags(args: &TierArgs, report: &CostReport) -> Vec<Note> {
    let priority_flags = args.price_priority_input.is_some()
        || args.price_priority_cached.is_some()
        || args.price_priority_output.is_some()
        || args.priority_ramp_floor > 0.0;
    [
        (
            args.flex_availability < 1.0 && report.prices.flex.is_none(),
            FlagNote::FlexAvailabilityUnpriced,
        ),
        (
            priority_flags && report.prices.priority.is_none(),
            FlagNote::PriorityFlagsUnpriced,
        ),
    ]
    .into_iter()
    .filter(|(unused, _)| *unused)
    .map(|(_, flags)| Note::of(NoteCode::ServiceTier, flags))
    .collect()
}
