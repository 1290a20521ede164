//! Plan files: several workloads, optional regions with failover, a reservation and a budget,
//! in TOML. Parsing and resolving against the catalog; errors name the file, line and field.
//!
//! ```toml
//! hours = 730                      # optional
//! target_utilization = 0.85        # optional
//! strict = true                    # optional: a bare 'tokens' (no split) is an error
//! rpm_window = "1s"                # optional: standard quota request window, "1s" or "10s"
//! max_throttle = 0.01              # optional: 429 share a standard quota may leave
//! regions = ["eastus2", "swedencentral"]
//! failover = "active-active"       # or "active-passive"; needed with two or more regions
//! allow_unlisted_regions = false   # true: a region the catalog does not list is a note
//!
//! [[workload]]
//! name = "support-chat"
//! model = "gpt-4.1"
//! deployment = "global"            # optional, default global
//! tier = "ptu"                     # ptu, hybrid, standard, priority, flex or batch; optional,
//!                                  # default ptu (billing = "ptu" / "payg" also works)
//! batch_share = 0.2                # optional: share of the load sent to batch
//! flex_availability = 0.9          # optional (flex): share of attempts flex serves
//! rpm = 600                        # or qps; the peak
//! prompt = 1200                    # or tokens
//! completion = 300
//! cache_rate = 0.3                 # optional
//! cache_write_rate = 0.1           # optional: share of prompt tokens written to the cache
//! max_tokens = 800                 # optional
//! reasoning = 0                    # optional: hidden reasoning tokens per request
//! best_of = 1                      # optional
//! avg_rpm = 200                    # optional; or profile = "support.csv" (relative to the plan)
//!
//! [reservation]                    # optional: reserved PTUs per deployment type
//! term = "1-year"
//! global = 500
//!
//! [budget]                         # optional; used by `check`
//! max_monthly_usd = 60000
//! max_ptu = 800
//! max_utilization = 0.9
//! max_increase_pct = 10
//! min_days_to_retirement = 90      # no model may retire within 90 days of --as-of
//! within_quota_tier = true         # pay-as-you-go quota within the tier's defaults
//! max_consumer_tpm = 200000        # no [[consumer]] may have a larger token limit
//!
//! [[consumer]]                     # optional: who shares a workload, with its own limits
//! name = "team-a"
//! workload = "support-chat"
//! share = 0.6                      # of the workload's peak; or rpm = 300 (and its own
//!                                  # prompt/completion, else the workload's)
//! token_quota = 500000000          # optional: tokens per period (token_quota_period:
//!                                  # hourly, daily, weekly, monthly (default), yearly)
//!
//! [subscription]                   # optional
//! quota_tier = 2                   # standard quota tier, 1 to 6 (0 for Free)
//! type = "enterprise"              # batch quota: enterprise, default, credit-card, msdn, student
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::calc::budget::Budget;
use crate::calc::cost::{PtuRates, Term};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::param::{Naming, Param, ParamError};
use crate::calc::plan::{
    Billing, Failover, PlanSettings, PlannedConsumer, PlannedWorkload, QuotaPeriod, Tier,
};
use crate::calc::quota::{DEFAULT_MAX_THROTTLE, RpmWindow};
use crate::calc::service_tier::{PriorityOverrides, StandardPrice, TierSetup};
use crate::calc::sizing::StandardOptions;
use crate::calc::workload::{MAX_RPM, RequestShape, TokenCounts, Workload};
use crate::catalog::{Catalog, Model, SubscriptionType};
use crate::deployment::{DeploymentType, Sku};
use crate::error::InputError;
use crate::note::{Note, NoteCode};
use crate::profile::{self, Profile};

/// A parsed plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Hours billed per month.
    pub hours: Option<f64>,
    /// Target peak utilization for sizing.
    pub target_utilization: Option<f64>,
    /// A workload's bare `tokens` (no prompt/completion split) is an error.
    #[serde(default)]
    pub strict: bool,
    /// The window standard deployments count requests over.
    pub rpm_window: Option<RpmWindow>,
    /// Highest share of first attempts a standard quota may refuse.
    pub max_throttle: Option<f64>,
    /// Regions.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Failover mode.
    pub failover: Option<Failover>,
    /// A region the catalog does not list for a workload's model and SKU is a note, not an
    /// error (the catalog's region tables may be older than Microsoft's).
    #[serde(default)]
    pub allow_unlisted_regions: bool,
    /// Workloads.
    #[serde(default)]
    pub workload: Vec<Spanned<WorkloadSpec>>,
    /// Consumers sharing workloads, each with its own limits.
    #[serde(default)]
    pub consumer: Vec<Spanned<ConsumerSpec>>,
    /// Reservation.
    pub reservation: Option<Spanned<ReservationSpec>>,
    /// Budget limits.
    pub budget: Option<Spanned<Budget>>,
    /// The Azure subscription the plan deploys into.
    pub subscription: Option<Spanned<SubscriptionSpec>>,
}

/// The `[subscription]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSpec {
    /// Its standard quota tier, 1 to 6 (0: Free).
    pub quota_tier: Option<i64>,
    /// Whose batch quota applies (default: `default`).
    #[serde(rename = "type")]
    pub kind: Option<SubscriptionType>,
}

/// One `[[workload]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct WorkloadSpec {
    pub name: String,
    pub model: String,
    pub deployment: Option<String>,
    pub billing: Option<Billing>,
    pub tier: Option<Tier>,
    pub batch_share: Option<f64>,
    pub flex_availability: Option<f64>,
    pub rpm: Option<f64>,
    pub qps: Option<f64>,
    pub prompt: Option<f64>,
    pub completion: Option<f64>,
    pub tokens: Option<f64>,
    pub cache_rate: Option<f64>,
    pub cache_write_rate: Option<f64>,
    pub max_tokens: Option<f64>,
    pub reasoning: Option<f64>,
    pub best_of: Option<u32>,
    pub avg_rpm: Option<f64>,
    pub profile: Option<String>,
}

/// One `[[consumer]]` as written: the workload it calls, and a share of its peak or its own
/// rate (with the workload's request shape unless it gives its own).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ConsumerSpec {
    pub name: String,
    pub workload: String,
    pub share: Option<f64>,
    pub rpm: Option<f64>,
    pub prompt: Option<f64>,
    pub completion: Option<f64>,
    pub tokens: Option<f64>,
    pub token_quota: Option<u64>,
    pub token_quota_period: Option<QuotaPeriod>,
}

/// The `[reservation]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReservationSpec {
    pub term: Option<ReservationTerm>,
    pub global: Option<u64>,
    #[serde(rename = "data-zone")]
    pub data_zone: Option<u64>,
    pub regional: Option<u64>,
}

/// Reservation terms.
#[derive(Debug, Clone, Copy, Deserialize)]
#[allow(missing_docs)]
pub enum ReservationTerm {
    #[serde(rename = "1-month")]
    OneMonth,
    #[serde(rename = "1-year")]
    OneYear,
}

/// The largest `min_days_to_retirement` a budget may ask for: 100 years.
const MAX_DAYS_TO_RETIREMENT: f64 = 36_500.0;

/// A plan resolved against the catalog, ready for the core.
#[derive(Debug)]
pub struct ResolvedPlan<'a> {
    /// Workloads.
    pub workloads: Vec<PlannedWorkload<'a>>,
    /// Settings.
    pub settings: PlanSettings,
    /// Budget, if any.
    pub budget: Option<Budget>,
    /// The subscription's quota tier, if given.
    pub quota_tier: Option<u8>,
    /// What resolving found worth saying (regions not checked or allowed though unlisted).
    pub notes: Vec<crate::note::Note>,
    /// Consumers, in the plan's order.
    pub consumers: Vec<PlannedConsumer<'a>>,
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

/// Parses plan TOML; `path` names the file in errors.
pub fn parse(text: &str, path: &str) -> Result<PlanFile, InputError> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|span| span.start);
        let message = e
            .message()
            .trim()
            .replace('\n', " ")
            .replace("expected f64", "expected a number")
            .replace("expected u64", "expected a whole number, 0 or more")
            .replace("expected u32", "expected a whole number, 0 or more");
        let message = match offset.and_then(|o| key_of_line(text, o)) {
            Some(key) if !message.contains("unknown field") => format!("field '{key}': {message}"),
            _ => message,
        };
        InputError::File {
            kind: "plan",
            path: path.to_string(),
            line: offset.map(|o| line_of(text, o)),
            message,
        }
    })
}

/// Resolves a parsed plan: models, deployment types, shapes, loads (profiles are read with
/// `read`, relative to `base_dir`), prices. `text` and `path` place errors.
pub fn resolve<'a>(
    file: &PlanFile,
    text: &str,
    path: &str,
    base_dir: &Path,
    catalog: &'a Catalog,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<ResolvedPlan<'a>, InputError> {
    let at = |offset: usize, message: String| InputError::File {
        kind: "plan",
        path: path.to_string(),
        line: Some(line_of(text, offset)),
        message,
    };
    if file.workload.is_empty() {
        return Err(InputError::File {
            kind: "plan",
            path: path.to_string(),
            line: None,
            message: "no [[workload]] tables: a plan needs at least one workload".into(),
        });
    }
    let workloads = resolve_workloads(file, text, base_dir, catalog, read, &at)?;
    let general = checked_settings(file, text, &at)?;
    let mut notes = Vec::new();
    notes.extend(region_notes(file, text, &workloads, catalog, &at)?);
    let (reserved, reservation_term) = reservations(file);
    let quota_tier = subscription_tier(file, text, &at)?;
    let budget = checked_budget(file, text, quota_tier, &at)?;
    let ptu_rates = catalog
        .ptu_prices
        .iter()
        .map(|(d, p)| {
            (
                *d,
                PtuRates {
                    hourly: p.hourly,
                    monthly: p.monthly,
                    yearly: p.yearly,
                },
            )
        })
        .collect();
    let consumers = resolve_consumers(file, text, &workloads, &at)?;
    Ok(ResolvedPlan {
        consumers,
        workloads,
        settings: PlanSettings {
            hours_per_month: general.hours,
            target_utilization: general.target,
            regions: file.regions.clone(),
            failover: file.failover,
            reserved,
            reservation_term,
            ptu_rates,
            standard: StandardOptions {
                rpm_window: file.rpm_window.unwrap_or(RpmWindow::OneSecond),
                max_throttle: general.max_throttle,
            },
            currency: catalog.currency.clone(),
        },
        budget,
        quota_tier,
        notes,
    })
}

/// Each `[[workload]]` resolved against the catalog with its tier, names unique, and with
/// `strict = true` no assumed token split.
fn resolve_workloads<'a>(
    file: &PlanFile,
    text: &str,
    base_dir: &Path,
    catalog: &'a Catalog,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    at: At,
) -> Result<Vec<PlannedWorkload<'a>>, InputError> {
    let subscription = file
        .subscription
        .as_ref()
        .and_then(|s| s.get_ref().kind)
        .unwrap_or(SubscriptionType::Default);
    let mut workloads: Vec<PlannedWorkload<'a>> = Vec::new();
    for spanned in &file.workload {
        let span = spanned.span();
        let spec = spanned.get_ref();
        // Errors point at the field's own line inside this workload's table when there is one.
        let field_error = |field: &str, message: String| {
            at(
                field_offset(text, span.clone(), field),
                format!("workload '{}': {message}", spec.name),
            )
        };
        if workloads.iter().any(|w| w.name == spec.name) {
            return Err(field_error("name", "the name is used twice".into()));
        }
        let workload = resolve_workload(spec, &field_error, base_dir, catalog, read)
            .and_then(|w| with_tier(w, spec, &field_error, catalog, subscription))?;
        if file.strict {
            workload
                .peak
                .shape
                .token_split
                .check_strict("tokens")
                .map_err(|e| field_error("tokens", format!("{e} (strict = true in the plan)")))?;
        }
        workloads.push(workload);
    }
    Ok(workloads)
}

/// The plan's top-level numbers, checked.
struct GeneralSettings {
    hours: f64,
    target: f64,
    max_throttle: f64,
}

/// `hours`, `target_utilization`, `max_throttle`, and `regions` with `failover`, checked;
/// errors on the key's line.
fn checked_settings(file: &PlanFile, text: &str, at: At) -> Result<GeneralSettings, InputError> {
    // Top-level keys carry no span; find them in the text to place the error.
    let key_offset = |key: &str| {
        text.find(&format!("{key} "))
            .or(text.find(key))
            .unwrap_or(0)
    };
    let hours = file
        .hours
        .unwrap_or(crate::calc::cost::DEFAULT_HOURS_PER_MONTH);
    if !(hours > 0.0 && hours <= crate::calc::cost::MAX_HOURS_PER_MONTH) {
        return Err(at(
            key_offset("hours"),
            format!("field 'hours': {hours} must be above 0 and at most 744"),
        ));
    }
    let target = file.target_utilization.unwrap_or(1.0);
    if crate::calc::sizing::check_target(target).is_err() {
        return Err(at(
            key_offset("target_utilization"),
            format!("field 'target_utilization': {target} must be from 0.01 to 1"),
        ));
    }
    let max_throttle = file.max_throttle.unwrap_or(DEFAULT_MAX_THROTTLE);
    if !(crate::input::MIN_MAX_THROTTLE..=0.5).contains(&max_throttle) {
        return Err(at(
            key_offset("max_throttle"),
            format!("field 'max_throttle': {max_throttle} must be from 0.0001 to 0.5"),
        ));
    }
    if file.regions.len() > 1 && file.failover.is_none() {
        return Err(at(
            key_offset("regions"),
            "field 'regions': several regions need failover = \"active-passive\" or \"active-active\"".into(),
        ));
    }
    if file.failover.is_some() && file.regions.len() < 2 {
        return Err(at(
            key_offset("failover"),
            "field 'failover': failover needs two or more regions in 'regions'".into(),
        ));
    }
    check_region_names(&file.regions, &|message| at(key_offset("regions"), message))?;
    Ok(GeneralSettings {
        hours,
        target,
        max_throttle,
    })
}

/// The `[reservation]` table: PTUs reserved per deployment type, and the term.
fn reservations(file: &PlanFile) -> (BTreeMap<DeploymentType, u64>, Term) {
    let mut reserved = BTreeMap::new();
    let Some(spanned) = &file.reservation else {
        return (reserved, Term::OneYear);
    };
    let spec = spanned.get_ref();
    let term = match spec.term {
        Some(ReservationTerm::OneMonth) => Term::OneMonth,
        _ => Term::OneYear,
    };
    for (deployment, ptu) in [
        (DeploymentType::Global, spec.global),
        (DeploymentType::DataZone, spec.data_zone),
        (DeploymentType::Regional, spec.regional),
    ] {
        if let Some(ptu) = ptu {
            reserved.insert(deployment, ptu);
        }
    }
    (reserved, term)
}

/// Where an error goes: a byte offset in the plan, and the message.
type At<'e> = &'e dyn Fn(usize, String) -> InputError;

/// The `[subscription]` table's quota tier, 0 to 6.
fn subscription_tier(file: &PlanFile, text: &str, at: At) -> Result<Option<u8>, InputError> {
    let Some(spanned) = &file.subscription else {
        return Ok(None);
    };
    let Some(tier) = spanned.get_ref().quota_tier else {
        return Ok(None);
    };
    u8::try_from(tier)
        .ok()
        .filter(|t| *t <= crate::catalog::MAX_QUOTA_TIER)
        .map(Some)
        .ok_or_else(|| {
            at(
                field_offset(text, spanned.span(), "quota_tier"),
                format!(
                    "[subscription] field 'quota_tier': {tier} is not a quota tier; give 1 to 6 \
                     (0 for Free)"
                ),
            )
        })
}

/// Region names: lower-case ARM names, each once; `error` places the message on `regions`.
fn check_region_names(
    regions: &[String],
    error: &dyn Fn(String) -> InputError,
) -> Result<(), InputError> {
    for (i, region) in regions.iter().enumerate() {
        let arm = !region.is_empty()
            && region.len() <= 40
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !arm {
            return Err(error(format!(
                "field 'regions': '{}' is not an Azure region's ARM name: lower-case letters and \
                 digits, e.g. eastus2 or swedencentral",
                crate::text::clean(region, 60)
            )));
        }
        if regions[..i].contains(region) {
            return Err(error(format!(
                "field 'regions': '{region}' is listed twice"
            )));
        }
    }
    Ok(())
}

/// The `[budget]` table, checked: limits 0 or more, whole PTUs and days, at most 100 years,
/// a utilization above 0 and at most 1, and a quota tier for `within_quota_tier`.
fn checked_budget(
    file: &PlanFile,
    text: &str,
    quota_tier: Option<u8>,
    at: At,
) -> Result<Option<Budget>, InputError> {
    let Some(spanned) = &file.budget else {
        return Ok(None);
    };
    let budget = *spanned.get_ref();
    let place = |name: &str| field_offset(text, spanned.span(), name);
    let limits = [
        ("max_monthly_usd", budget.max_monthly_usd, ""),
        ("max_ptu", budget.max_ptu, "PTUs"),
        ("max_utilization", budget.max_utilization, ""),
        ("max_increase_pct", budget.max_increase_pct, ""),
        ("max_consumer_tpm", budget.max_consumer_tpm, ""),
        (
            "min_days_to_retirement",
            budget.min_days_to_retirement,
            "days",
        ),
    ];
    for (name, value, unit) in limits {
        let Some(value) = value else { continue };
        if !(value.is_finite() && value >= 0.0) {
            return Err(at(
                place(name),
                format!("[budget] field '{name}': {value} must be 0 or more"),
            ));
        }
        if !unit.is_empty() && value.fract() != 0.0 {
            return Err(at(
                place(name),
                format!("[budget] field '{name}': {value} must be a whole number of {unit}"),
            ));
        }
    }
    if let Some(days) = budget.min_days_to_retirement
        && days > MAX_DAYS_TO_RETIREMENT
    {
        return Err(at(
            place("min_days_to_retirement"),
            format!(
                "[budget] field 'min_days_to_retirement': {days} is more than \
                 {MAX_DAYS_TO_RETIREMENT} days (100 years); give e.g. 90"
            ),
        ));
    }
    if budget.within_quota_tier == Some(true) && quota_tier.is_none() {
        return Err(at(
            place("within_quota_tier"),
            "[budget] field 'within_quota_tier': the plan names no quota tier; add \
             [subscription] quota_tier = N (1 to 6, 0 for Free)"
                .into(),
        ));
    }
    if budget.max_utilization.is_some_and(|u| u > 1.0 || u == 0.0) {
        return Err(at(
            spanned.span().start,
            "[budget] field 'max_utilization': must be above 0 and at most 1 (e.g. 0.85)".into(),
        ));
    }
    Ok(Some(budget))
}

/// Checks the plan's regions for every workload (see [`unlisted_regions`]); returns the notes,
/// or the error placed on the workload's `model` line.
fn region_notes(
    file: &PlanFile,
    text: &str,
    workloads: &[PlannedWorkload<'_>],
    catalog: &Catalog,
    at: At,
) -> Result<Vec<Note>, InputError> {
    let mut notes = Vec::new();
    for (spanned, workload) in file.workload.iter().zip(workloads) {
        let (span, spec) = (spanned.span(), spanned.get_ref());
        let field_error = |field: &str, message: String| {
            at(
                field_offset(text, span.clone(), field),
                format!("workload '{}': {message}", spec.name),
            )
        };
        match unlisted_regions(workload, &file.regions, catalog) {
            RegionCheck::Listed => {}
            RegionCheck::NotInCatalog(note) => {
                notes.push(Note::sentence(NoteCode::RegionsUnchecked, note))
            }
            RegionCheck::Unlisted(message) if file.allow_unlisted_regions => {
                notes.push(Note::sentence(
                    NoteCode::RegionUnlisted,
                    format!(
                        "workload '{}': {message} (allow_unlisted_regions)",
                        spec.name
                    ),
                ))
            }
            RegionCheck::Unlisted(message) => {
                return Err(field_error(
                    "model",
                    format!(
                        "{message}; if Microsoft offers it there now, set \
                         allow_unlisted_regions = true or add the region to the catalog"
                    ),
                ));
            }
        }
    }
    Ok(notes)
}

/// What the catalog's region tables say about a workload's regions.
enum RegionCheck {
    /// Every region is listed (or the plan names none).
    Listed,
    /// The catalog has no regions for the model and SKU: a note.
    NotInCatalog(String),
    /// Some region is not listed: the message.
    Unlisted(String),
}

/// Checks the plan's regions against where the catalog lists the workload's model on its SKU.
fn unlisted_regions(
    workload: &PlannedWorkload<'_>,
    regions: &[String],
    catalog: &Catalog,
) -> RegionCheck {
    if regions.is_empty() {
        return RegionCheck::Listed;
    }
    let sku = Sku::of(workload.deployment, workload.billing == Billing::Ptu);
    let model = &workload.model.name;
    let Some(offered) = catalog.availability(model, sku) else {
        return RegionCheck::NotInCatalog(format!(
            "the catalog lists no regions for {model} on {sku}: workload '{}' regions not checked",
            workload.name
        ));
    };
    let missing: Vec<&str> = regions
        .iter()
        .filter(|r| !offered.regions.iter().any(|o| o.eq_ignore_ascii_case(r)))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return RegionCheck::Listed;
    }
    let date = catalog
        .sources
        .get(&offered.source)
        .map_or(String::new(), |s| format!(", {}", s.date));
    RegionCheck::Unlisted(format!(
        "{model} is not offered on {sku} in {} per the catalog's region table ({}{date}); \
         offered in: {}",
        missing.join(", "),
        offered.source,
        offered.regions.join(", ")
    ))
}

/// Places an error on a field's line: `error(field, message)`.
type PlaceError<'e> = &'e dyn Fn(&str, String) -> InputError;

/// Resolves one `[[workload]]`; `error(field, message)` places an error on the field's line.
fn resolve_workload<'a>(
    spec: &WorkloadSpec,
    error: PlaceError,
    base_dir: &Path,
    catalog: &'a Catalog,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<PlannedWorkload<'a>, InputError> {
    if !crate::text::is_printable_name(&spec.name) {
        return Err(error(
            "name",
            "field 'name': a workload's name names its deployments and gateway groups: give \
             one that is not blank, without control, invisible or line-separator characters"
                .into(),
        ));
    }
    let (model, deployment, billing) = where_deployed(spec, error, catalog)?;
    let given = given_shape(spec, error)?;
    let profile = read_workload_profile(spec, error, base_dir, read)?;
    // A profile with token columns is the one source of the request shape; a given peak
    // rate is then sized with its average request.
    let shape = match profile.as_ref().filter(|p| p.has_tokens) {
        Some(parsed) => {
            reject_shape_with_token_profile(spec, error)?;
            parsed.mean_shape(spec.cache_rate.unwrap_or(0.0))
        }
        None => given,
    };
    let (rate, rate_field) = peak_rate(spec, error)?;
    let load = workload_load(spec, profile.as_ref(), shape.as_ref(), rate, error)?;
    let peak = match rate {
        Some(rpm) => {
            let shape = shape.ok_or_else(|| missing_shape(error))?;
            given_peak(rpm, shape, rate_field, &load, model, error)?
        }
        None => busiest_peak(spec, &load, model, error)?,
    };
    Ok(PlannedWorkload {
        name: spec.name.clone(),
        model,
        deployment,
        billing,
        tier: match billing {
            Billing::Ptu => Tier::Ptu,
            Billing::Payg => Tier::Standard,
        },
        batch_share: 0.0,
        flex_availability: 1.0,
        tiers: TierSetup::none("not resolved"),
        peak,
        load,
        token_prices: model.prices.get(&deployment).copied(),
    })
}

/// The error for a workload that gives no request shape.
fn missing_shape(error: PlaceError) -> InputError {
    error(
        "name",
        "give the request shape: 'prompt' and 'completion' (or 'tokens')".into(),
    )
}

/// The workload's load curve: its profile, or its peak `rpm` with `avg_rpm`.
fn workload_load(
    spec: &WorkloadSpec,
    profile: Option<&Profile>,
    shape: Option<&RequestShape>,
    rate: Option<f64>,
    error: PlaceError,
) -> Result<LoadCurve, InputError> {
    Ok(match profile {
        Some(parsed) => {
            let minutes: Vec<MinuteLoad> = parsed.minutes.iter().map(|(_, m)| *m).collect();
            LoadCurve::profile(
                &minutes,
                parsed.span_minutes,
                parsed.has_tokens,
                parsed.has_cached,
                shape,
            )
            .map_err(|e| error("profile", in_plan_words(&e)))?
            .at_minutes(parsed.offsets())
        }
        None => {
            let rpm = rate.ok_or_else(|| {
                error(
                    "name",
                    "give the peak 'rpm' (or 'qps'), or a 'profile'".into(),
                )
            })?;
            let avg = spec.avg_rpm.unwrap_or(rpm);
            if !(avg > 0.0 && avg <= rpm) {
                return Err(error(
                    "avg_rpm",
                    format!(
                        "field 'avg_rpm': {} must be above 0 and at most the peak ({} RPM)",
                        crate::numfmt::quoted(avg),
                        crate::numfmt::quoted(rpm)
                    ),
                ));
            }
            LoadCurve::peak_and_average(rpm, avg, shape.ok_or_else(|| missing_shape(error))?)
        }
    })
}

/// The workload with its `tier`, `batch_share` and `flex_availability`, checked against what
/// the catalog offers and prices for its model and type.
fn with_tier<'a>(
    mut w: PlannedWorkload<'a>,
    spec: &WorkloadSpec,
    error: PlaceError,
    catalog: &'a Catalog,
    subscription: SubscriptionType,
) -> Result<PlannedWorkload<'a>, InputError> {
    let tier = match (spec.tier, spec.billing) {
        (Some(_), Some(_)) => {
            return Err(error(
                "tier",
                "field 'tier': give 'tier' or 'billing', not both".into(),
            ));
        }
        (Some(tier), None) => tier,
        (None, _) => w.tier,
    };
    let standard = w.token_prices;
    if standard.is_none() {
        w.tiers = TierSetup::none(&format!(
            "the catalog has no pay-as-you-go price for {} on {} to price its tiers from",
            w.model.name, w.deployment
        ));
    }
    if let Some(prices) = &standard {
        let source = w.model.sources.prices.as_deref().unwrap_or("catalog");
        let standard = StandardPrice {
            prices,
            source,
            unverified: w.model.is_unverified(crate::catalog::CatalogField::Prices),
        };
        w.tiers = TierSetup::resolve(
            catalog,
            w.model,
            w.deployment,
            standard,
            &PriorityOverrides::default(),
            subscription,
        );
    }
    check_tier(&w, tier, catalog, error)?;
    let share = |key: &str, value: Option<f64>, most: f64| match value {
        Some(v) if !(v.is_finite() && (0.0..=most).contains(&v)) => Err(error(
            key,
            format!("field '{key}': {v} must be a share from 0 to {most}"),
        )),
        Some(v) => Ok(v),
        None => Ok(if key == "flex_availability" { 1.0 } else { 0.0 }),
    };
    w.batch_share = share(
        "batch_share",
        spec.batch_share,
        crate::calc::cost::MAX_BATCH_SHARE,
    )?;
    w.flex_availability = share("flex_availability", spec.flex_availability, 1.0)?;
    if spec.flex_availability.is_some() && tier != Tier::Flex {
        return Err(error(
            "flex_availability",
            format!(
                "field 'flex_availability': it applies to tier = \"flex\", not {}",
                tier.as_str()
            ),
        ));
    }
    check_batch(&w, tier, error)?;
    w.tier = tier;
    w.billing = tier.billing();
    Ok(w)
}

/// A workload's batch part (its `batch_share`, or all of a batch tier): offered, and a day of
/// it within the subscription's enqueued-token quota.
fn check_batch(w: &PlannedWorkload<'_>, tier: Tier, error: PlaceError) -> Result<(), InputError> {
    if w.batch_share > 0.0 {
        if tier == Tier::Batch {
            return Err(error(
                "batch_share",
                "field 'batch_share': the workload is all batch already (tier = \"batch\")".into(),
            ));
        }
        if let Err(reason) = &w.tiers.batch {
            return Err(error(
                "batch_share",
                format!(
                    "field 'batch_share': {}: batch cannot be used: {reason}; remove \
                     batch_share",
                    w.batch_share
                ),
            ));
        }
    }
    // A day of the batch part must fit the subscription's enqueued-token quota.
    let batch_part = if tier == Tier::Batch {
        1.0
    } else {
        w.batch_share
    };
    if let (Ok(batch), true) = (&w.tiers.batch, batch_part > 0.0) {
        let daily = w.load.total().prompt * 1440.0 / w.load.span_minutes;
        let key = if tier == Tier::Batch {
            "tier"
        } else {
            "batch_share"
        };
        batch
            .fits(daily, batch_part, &w.model.name)
            .map_err(|reason| error(key, format!("field '{key}': {reason}")))?;
    }
    Ok(())
}

/// A consumer name that is safe in a policy attribute, a C# string and a counter key: ASCII
/// letters, digits, spaces, `.`, `_`, `-`, starting with a letter or digit, at most 80 long
/// (never a policy expression `@(...)` nor a named value `{{...}}`).
fn is_consumer_name(name: &str) -> bool {
    name.len() <= 80
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'))
}

/// The `[[consumer]]` tables: a known workload, a unique name, and either a `share` of the
/// workload's peak (0 to 1) or an `rpm` (with the workload's request shape, or its own).
fn resolve_consumers<'a>(
    file: &PlanFile,
    text: &str,
    workloads: &[PlannedWorkload<'a>],
    at: &dyn Fn(usize, String) -> InputError,
) -> Result<Vec<PlannedConsumer<'a>>, InputError> {
    let mut consumers: Vec<PlannedConsumer<'a>> = Vec::new();
    for spanned in &file.consumer {
        let spec = spanned.get_ref();
        let error = |field: &str, message: String| {
            at(
                field_offset(text, spanned.span(), field),
                format!("consumer '{}': {message}", spec.name),
            )
        };
        if !is_consumer_name(&spec.name) {
            return Err(error(
                "name",
                format!(
                    "field 'name': '{}' is not a consumer name API Management can match safely: \
                     1 to 80 letters, digits, spaces, '.', '_' or '-', starting with a letter or \
                     digit",
                    crate::text::clean(&spec.name, 80)
                ),
            ));
        }
        if consumers.iter().any(|c| c.name == spec.name) {
            return Err(error("name", "the name is used twice".into()));
        }
        let workload = workloads
            .iter()
            .find(|w| w.name == spec.workload)
            .ok_or_else(|| {
                error(
                    "workload",
                    format!("field 'workload': no workload named '{}'", spec.workload),
                )
            })?;
        consumers.push(PlannedConsumer {
            name: spec.name.clone(),
            workload: spec.workload.clone(),
            model: workload.model,
            peak: consumer_peak(spec, workload, &error)?,
            token_quota: consumer_token_quota(spec, &error)?,
        });
    }
    Ok(consumers)
}

/// A consumer's peak: a `share` of its workload's rate or its own `rpm`, with the workload's
/// request shape unless it gives its own.
fn consumer_peak(
    spec: &ConsumerSpec,
    workload: &PlannedWorkload<'_>,
    error: PlaceError,
) -> Result<Workload, InputError> {
    let shape = match (spec.prompt, spec.completion, spec.tokens) {
        (None, None, None) => workload.peak.shape,
        (prompt, completion, total) => RequestShape::new(
            TokenCounts {
                total,
                prompt,
                completion,
            },
            workload.peak.shape.cache_rate,
            None,
        )
        .map_err(|e| error(e.param().key(), e.describe(Naming::PlanKeys)))?,
    };
    let rpm = match (spec.share, spec.rpm) {
        (Some(share), None) if share > 0.0 && share <= 1.0 => workload.peak.rpm * share,
        (Some(share), None) => {
            return Err(error(
                "share",
                format!(
                    "field 'share': {} must be above 0 and at most 1",
                    crate::numfmt::quoted(share)
                ),
            ));
        }
        (None, Some(rpm)) => rpm,
        _ => {
            return Err(error(
                "name",
                "give 'share' (of the workload's peak) or 'rpm', one of them".into(),
            ));
        }
    };
    Workload::new(rpm, shape).map_err(|e| error("rpm", e.describe(Naming::PlanKeys)))
}

/// A consumer's `token_quota` and its period (monthly unless given).
fn consumer_token_quota(
    spec: &ConsumerSpec,
    error: PlaceError,
) -> Result<Option<(u64, QuotaPeriod)>, InputError> {
    match (spec.token_quota, spec.token_quota_period) {
        (Some(0), _) => Err(error(
            "token_quota",
            "field 'token_quota': 0 tokens would refuse every request; give a whole number of \
             tokens, 1 or more, or leave it out"
                .into(),
        )),
        (Some(tokens), period) => Ok(Some((tokens, period.unwrap_or(QuotaPeriod::Monthly)))),
        (None, Some(_)) => Err(error(
            "token_quota_period",
            "field 'token_quota_period' needs 'token_quota' (the tokens allowed in each period)"
                .into(),
        )),
        (None, None) => Ok(None),
    }
}

/// Whether the catalog offers and prices `tier` for the workload's model and type.
fn check_tier(
    w: &PlannedWorkload<'_>,
    tier: Tier,
    catalog: &Catalog,
    error: PlaceError,
) -> Result<(), InputError> {
    let (model, deployment) = (w.model, w.deployment);
    // Whether the catalog lists the tier for the model and type at all, before its prices.
    let offered = match tier {
        Tier::Priority => model
            .priority
            .as_ref()
            .is_some_and(|p| p.deployments.contains(&deployment)),
        Tier::Flex => model
            .flex
            .as_ref()
            .is_some_and(|f| f.deployments.contains(&deployment)),
        Tier::Batch => catalog.batch_quota(&model.name, deployment).is_some(),
        _ => true,
    };
    let reason = match tier {
        _ if !offered => Some(format!(
            "not offered: the catalog lists no {} for {} on {deployment}",
            tier.as_str(),
            model.name
        )),
        Tier::Ptu | Tier::Hybrid if model.provisioned(deployment).is_none() => {
            Some(model.not_offered(deployment).to_string())
        }
        Tier::Hybrid if !model.spillover => Some(crate::calc::cost::no_spillover_note(model)),
        Tier::Ptu => None,
        _ if w.token_prices.is_none() => Some(format!(
            "the catalog has no pay-as-you-go price for {} on {deployment}, which the {} tier \
             needs",
            model.name,
            tier.as_str()
        )),
        Tier::Priority => w.tiers.priority.as_ref().err().cloned(),
        Tier::Flex => w.tiers.flex.as_ref().err().cloned(),
        Tier::Batch => w.tiers.batch.as_ref().err().cloned(),
        _ => None,
    };
    match reason {
        Some(reason) => Err(error(
            "tier",
            format!("field 'tier': {} cannot be used: {reason}", tier.as_str()),
        )),
        None => Ok(()),
    }
}

/// The workload's model, deployment type and billing, checked against the catalog.
fn where_deployed<'a>(
    spec: &WorkloadSpec,
    error: PlaceError,
    catalog: &'a Catalog,
) -> Result<(&'a Model, DeploymentType, Billing), InputError> {
    let model = catalog
        .find(&spec.model)
        .map_err(|e| error("model", format!("field 'model': {e}")))?;
    let deployment = match &spec.deployment {
        Some(name) => name
            .parse::<DeploymentType>()
            .map_err(|e| error("deployment", format!("field 'deployment': '{name}': {e}")))?,
        None => DeploymentType::Global,
    };
    let billing = spec
        .billing
        .or(spec.tier.map(Tier::billing))
        .unwrap_or(Billing::Ptu);
    match billing {
        Billing::Ptu if model.provisioned(deployment).is_none() => {
            return Err(error(
                "deployment",
                model.not_offered(deployment).to_string(),
            ));
        }
        // A tier's own check says what it needs.
        Billing::Payg if spec.tier.is_none() && !model.prices.contains_key(&deployment) => {
            return Err(error(
                "billing",
                format!(
                    "field 'billing': the catalog has no pay-as-you-go price for {} on {deployment}; \
                     use billing = \"ptu\", another deployment type, or a catalog with the price",
                    model.name
                ),
            ));
        }
        _ => {}
    }
    Ok((model, deployment, billing))
}

/// The request shape the workload's token keys give, if any.
fn given_shape(spec: &WorkloadSpec, error: PlaceError) -> Result<Option<RequestShape>, InputError> {
    let shape_given = spec.tokens.is_some() || spec.prompt.is_some() || spec.completion.is_some();
    Ok(if shape_given {
        let counts = TokenCounts {
            total: spec.tokens,
            prompt: spec.prompt,
            completion: spec.completion,
        };
        Some(
            RequestShape::new(counts, spec.cache_rate.unwrap_or(0.0), spec.max_tokens)
                .and_then(|shape| shape.with_cache_writes(spec.cache_write_rate))
                .and_then(|shape| shape.with_output_extras(spec.reasoning, spec.best_of))
                .map_err(|e| error(e.param().key(), e.describe(Naming::PlanKeys)))?,
        )
    } else {
        None
    })
}

/// The workload's load profile, read relative to the plan's folder, if it names one.
fn read_workload_profile(
    spec: &WorkloadSpec,
    error: PlaceError,
    base_dir: &Path,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<Option<Profile>, InputError> {
    Ok(match (&spec.profile, spec.avg_rpm) {
        (Some(_), Some(_)) => {
            return Err(error(
                "avg_rpm",
                "give 'avg_rpm' or 'profile', not both".into(),
            ));
        }
        (Some(file_name), None) => {
            let profile_path = base_dir.join(file_name);
            let shown = profile_path.display().to_string();
            let text = read(&profile_path).map_err(|e| InputError::File {
                kind: "profile",
                path: shown.clone(),
                line: None,
                message: format!("cannot read it (workload '{}'): {e}", spec.name),
            })?;
            Some(profile::parse(&text, &shown)?)
        }
        (None, _) => None,
    })
}

/// A profile with token columns gives the tokens: token keys beside it are an error.
fn reject_shape_with_token_profile(
    spec: &WorkloadSpec,
    error: PlaceError,
) -> Result<(), InputError> {
    let given = [
        ("tokens", spec.tokens.is_some()),
        ("prompt", spec.prompt.is_some()),
        ("completion", spec.completion.is_some()),
        ("reasoning", spec.reasoning.is_some()),
    ];
    if let Some((field, _)) = given.iter().find(|(_, set)| *set) {
        return Err(error(
            field,
            format!(
                "field '{field}': the profile has prompt/completion columns, which give \
                 the tokens; drop '{field}' (a given rpm is sized with the profile's \
                 average request)"
            ),
        ));
    }
    Ok(())
}

/// The peak rate in RPM (from `rpm` or `qps`, if given) and the key that gave it.
fn peak_rate(
    spec: &WorkloadSpec,
    error: PlaceError,
) -> Result<(Option<f64>, &'static str), InputError> {
    let rate = match (spec.rpm, spec.qps) {
        (Some(_), Some(_)) => return Err(error("qps", "give 'rpm' or 'qps', not both".into())),
        (rpm, qps) => rpm.or(qps.map(|q| q * 60.0)),
    };
    let rate_field = if spec.rpm.is_some() { "rpm" } else { "qps" };
    if let Some(rpm) = rate
        && !(rpm > 0.0 && rpm <= MAX_RPM)
    {
        let given = spec.rpm.or(spec.qps).unwrap_or(rpm);
        return Err(error(
            rate_field,
            format!(
                "field '{rate_field}': {} must be above 0 and at most {} requests per minute",
                crate::numfmt::quoted(given),
                crate::numfmt::short(MAX_RPM)
            ),
        ));
    }
    Ok((rate, rate_field))
}

/// The peak from a given rate and shape; an error when a profile's busiest minute is above it.
fn given_peak(
    rpm: f64,
    shape: RequestShape,
    rate_field: &str,
    load: &LoadCurve,
    model: &Model,
    error: PlaceError,
) -> Result<Workload, InputError> {
    let busiest = busiest_minute(load, model);
    let peak =
        Workload::new(rpm, shape).map_err(|e| error(rate_field, e.describe(Naming::PlanKeys)))?;
    if let Some(m) =
        busiest.filter(|m| m.normalized(model) > peak.normalized_tpm(model) * (1.0 + 1e-9))
    {
        return Err(error(
            rate_field,
            format!(
                "field '{rate_field}': the peak ({rpm} RPM) is below the profile's busiest \
                 minute ({} requests): omit 'rpm' and 'qps' to size from the profile, or \
                 raise the peak",
                m.requests
            ),
        ));
    }
    Ok(peak)
}

/// The peak a profile gives when no rate is: its busiest minute for this model.
fn busiest_peak(
    spec: &WorkloadSpec,
    load: &LoadCurve,
    model: &Model,
    error: PlaceError,
) -> Result<Workload, InputError> {
    let Some(m) = busiest_minute(load, model) else {
        return Err(error(
            "name",
            "give the peak 'rpm' (or 'qps'), or a 'profile'".into(),
        ));
    };
    let counts = TokenCounts {
        total: None,
        prompt: Some(m.prompt / m.requests),
        completion: Some(m.completion / m.requests),
    };
    let cache_rate = if m.prompt > 0.0 {
        m.cached / m.prompt
    } else {
        0.0
    };
    let busiest_error = |e: ParamError| {
        let key = match e.param() {
            Param::Rpm => "profile",
            param => param.key(),
        };
        error(key, e.describe(Naming::PlanKeys))
    };
    let shape = RequestShape::new(counts, cache_rate, spec.max_tokens)
        .and_then(|shape| shape.with_output_extras(spec.reasoning, spec.best_of))
        .map_err(busiest_error)?;
    Workload::new(m.requests, shape).map_err(busiest_error)
}

/// The load's busiest minute for `model` (most normalized tokens).
fn busiest_minute(load: &LoadCurve, model: &Model) -> Option<MinuteLoad> {
    load.minutes
        .iter()
        .copied()
        .max_by(|a, b| a.normalized(model).total_cmp(&b.normalized(model)))
}

/// Offset of `field = ...` in the table that starts at `span` (up to the next table header),
/// else the table's start.
fn field_offset(text: &str, span: std::ops::Range<usize>, field: &str) -> usize {
    let start = span.start.min(text.len());
    let mut offset = start;
    for (index, line) in text[start..].split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if index > 0 && trimmed.starts_with('[') {
            break;
        }
        if let Some(rest) = trimmed.strip_prefix(field)
            && rest.trim_start().starts_with('=')
        {
            return offset;
        }
        offset += line.len();
    }
    start
}

/// The key of a `key = value` line, if the line is one.
fn key_of_line(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

/// A core error in the plan's words: a workload error names keys, not flags.
fn in_plan_words(err: &InputError) -> String {
    match err {
        InputError::Param(e) => e.describe(Naming::PlanKeys),
        other => other.to_string(),
    }
}
