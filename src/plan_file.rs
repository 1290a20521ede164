//! Plan files: several workloads, optional regions with failover, a reservation and a budget,
//! in TOML. Parsing and resolving against the catalog; errors name the file, line and field.
//!
//! ```toml
//! hours = 730                      # optional
//! target_utilization = 0.85        # optional
//! regions = ["eastus2", "swedencentral"]
//! failover = "active-active"       # or "active-passive"; needed with two or more regions
//!
//! [[workload]]
//! name = "support-chat"
//! model = "gpt-4.1"
//! deployment = "global"            # optional, default global
//! billing = "ptu"                  # or "payg"; optional, default ptu
//! rpm = 600                        # or qps; the peak
//! prompt = 1200                    # or tokens
//! completion = 300
//! cache_rate = 0.3                 # optional
//! max_tokens = 800                 # optional
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
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::calc::budget::Budget;
use crate::calc::cost::{PtuRates, Term};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::plan::{Billing, Failover, PlanSettings, PlannedWorkload};
use crate::calc::workload::{RequestShape, TokenCounts, Workload};
use crate::catalog::Catalog;
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::profile;

/// A parsed plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Hours billed per month.
    pub hours: Option<f64>,
    /// Target peak utilization for sizing.
    pub target_utilization: Option<f64>,
    /// Regions.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Failover mode.
    pub failover: Option<Failover>,
    /// Workloads.
    #[serde(default)]
    pub workload: Vec<Spanned<WorkloadSpec>>,
    /// Reservation.
    pub reservation: Option<Spanned<ReservationSpec>>,
    /// Budget limits.
    pub budget: Option<Spanned<Budget>>,
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
    pub rpm: Option<f64>,
    pub qps: Option<f64>,
    pub prompt: Option<f64>,
    pub completion: Option<f64>,
    pub tokens: Option<f64>,
    pub cache_rate: Option<f64>,
    pub max_tokens: Option<f64>,
    pub avg_rpm: Option<f64>,
    pub profile: Option<String>,
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

/// A plan resolved against the catalog, ready for the core.
#[derive(Debug)]
pub struct ResolvedPlan<'a> {
    /// Workloads.
    pub workloads: Vec<PlannedWorkload<'a>>,
    /// Settings.
    pub settings: PlanSettings,
    /// Budget, if any.
    pub budget: Option<Budget>,
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

/// Parses plan TOML; `path` names the file in errors.
pub fn parse(text: &str, path: &str) -> Result<PlanFile, InputError> {
    toml::from_str(text).map_err(|e| InputError::File {
        kind: "plan",
        path: path.to_string(),
        line: e.span().map(|span| line_of(text, span.start)),
        message: e
            .message()
            .trim()
            .replace('\n', " ")
            .replace("expected f64", "expected a number"),
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
    let mut workloads = Vec::new();
    for spanned in &file.workload {
        let offset = spanned.span().start;
        let spec = spanned.get_ref();
        let in_workload =
            |message: String| at(offset, format!("workload '{}': {message}", spec.name));
        if workloads
            .iter()
            .any(|w: &PlannedWorkload<'_>| w.name == spec.name)
        {
            return Err(in_workload("the name is used twice".into()));
        }
        let model = catalog
            .find(&spec.model)
            .map_err(|e| in_workload(format!("field 'model': {e}")))?;
        let deployment = match &spec.deployment {
            Some(name) => name
                .parse::<DeploymentType>()
                .map_err(|e| in_workload(format!("field 'deployment': '{name}': {e}")))?,
            None => DeploymentType::Global,
        };
        let rpm = match (spec.rpm, spec.qps) {
            (Some(rpm), None) => rpm,
            (None, Some(qps)) => qps * 60.0,
            _ => {
                return Err(in_workload(
                    "give exactly one of 'rpm' and 'qps' (the peak)".into(),
                ));
            }
        };
        let counts = TokenCounts {
            total: spec.tokens,
            prompt: spec.prompt,
            completion: spec.completion,
        };
        let shape = RequestShape::new(counts, spec.cache_rate.unwrap_or(0.0), spec.max_tokens)
            .map_err(|e| in_workload(plan_words(&e.to_string())))?;
        let peak =
            Workload::new(rpm, shape).map_err(|e| in_workload(plan_words(&e.to_string())))?;
        let load = match (&spec.profile, spec.avg_rpm) {
            (Some(_), Some(_)) => {
                return Err(in_workload("give 'avg_rpm' or 'profile', not both".into()));
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
                let parsed = profile::parse(&text, &shown)?;
                let minutes: Vec<MinuteLoad> = parsed.minutes.iter().map(|(_, m)| *m).collect();
                LoadCurve::profile(
                    &minutes,
                    parsed.span_minutes,
                    parsed.has_tokens,
                    parsed.has_cached,
                    Some(&shape),
                )?
            }
            (None, avg) => {
                let avg = avg.unwrap_or(rpm);
                if !(avg > 0.0 && avg <= rpm) {
                    return Err(in_workload(format!(
                        "field 'avg_rpm': {avg} must be above 0 and at most the peak ({rpm} RPM)"
                    )));
                }
                LoadCurve::peak_and_average(rpm, avg, &shape)
            }
        };
        let billing = spec.billing.unwrap_or(Billing::Ptu);
        if billing == Billing::Ptu && model.provisioned(deployment).is_none() {
            return Err(in_workload(model.not_offered(deployment).to_string()));
        }
        workloads.push(PlannedWorkload {
            name: spec.name.clone(),
            model,
            deployment,
            billing,
            peak,
            load,
            token_prices: model.prices.get(&deployment).copied(),
        });
    }
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
    if !(target > 0.0 && target <= 1.0) {
        return Err(at(
            key_offset("target_utilization"),
            format!("field 'target_utilization': {target} must be above 0 and at most 1"),
        ));
    }
    if file.regions.len() > 1 && file.failover.is_none() {
        return Err(at(
            key_offset("regions"),
            "field 'regions': several regions need failover = \"active-passive\" or \"active-active\"".into(),
        ));
    }
    let mut reserved = BTreeMap::new();
    let mut reservation_term = Term::OneYear;
    if let Some(spanned) = &file.reservation {
        let spec = spanned.get_ref();
        reservation_term = match spec.term {
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
    }
    let budget = match &file.budget {
        Some(spanned) => {
            let budget = *spanned.get_ref();
            let limits = [
                ("max_monthly_usd", budget.max_monthly_usd),
                ("max_ptu", budget.max_ptu),
                ("max_utilization", budget.max_utilization),
                ("max_increase_pct", budget.max_increase_pct),
            ];
            for (name, value) in limits {
                if let Some(value) = value
                    && !(value.is_finite() && value >= 0.0)
                {
                    return Err(at(
                        spanned.span().start,
                        format!("[budget] field '{name}': {value} must be 0 or more"),
                    ));
                }
            }
            if budget.max_utilization.is_some_and(|u| u > 1.0 || u == 0.0) {
                return Err(at(
                    spanned.span().start,
                    "[budget] field 'max_utilization': must be above 0 and at most 1 (e.g. 0.85)"
                        .into(),
                ));
            }
            Some(budget)
        }
        None => None,
    };
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
    Ok(ResolvedPlan {
        workloads,
        settings: PlanSettings {
            hours_per_month: hours,
            target_utilization: target,
            regions: file.regions.clone(),
            failover: file.failover,
            reserved,
            reservation_term,
            ptu_rates,
        },
        budget,
    })
}

/// Command-line flag names in a core message, as plan field names: `--prompt` → `prompt`.
fn plan_words(message: &str) -> String {
    message
        .replace("--max-tokens", "max_tokens")
        .replace("--cache-rate", "cache_rate")
        .replace("--tokens", "tokens")
        .replace("--prompt", "prompt")
        .replace("--completion", "completion")
        .replace("--rpm", "rpm")
}
