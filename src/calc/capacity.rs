//! `capacity`: the inverse of `size` — the largest sustainable request rate for a given
//! standard TPM quota or provisioned PTU count and a request shape.

use serde::Serialize;

use crate::calc::context;
use crate::calc::param::Naming;
use crate::calc::param::Param;
use crate::calc::quota::{RpmWindow, poisson_max_rpm};
use crate::calc::rounding::snap;
use crate::calc::sizing::{
    Binding, MAX_PTU_PER_DEPLOYMENT, StandardOptions, check_target, request_notes,
};
use crate::calc::workload::{MAX_TPM, MaxTokensSource, RequestShape, check_positive};
use crate::catalog::Model;
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::note::{CapacityNote, Note, NoteCode};

/// Largest PTU count accepted (far above one deployment's 100,000 maximum).
pub const MAX_PTU: f64 = 1e7;

/// The capacity being asked about.
#[derive(Debug, Clone, Copy)]
pub enum Limit<'a> {
    /// A standard deployment's TPM quota; the model (optional) supplies the RPM ratio.
    Standard {
        /// Tokens per minute of quota.
        tpm: f64,
        /// Model whose RPM-per-TPM ratio applies, if known.
        model: Option<&'a Model>,
    },
    /// A provisioned deployment of `ptu` PTUs of a model.
    Provisioned {
        /// PTUs deployed.
        ptu: f64,
        /// The model deployed.
        model: &'a Model,
    },
}

/// Which kind of deployment was asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// Pay-as-you-go TPM quota.
    Standard,
    /// Provisioned PTUs.
    Provisioned,
}

/// The `capacity` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CapacityReport {
    /// `standard` or `provisioned`.
    pub limit: LimitKind,
    /// Model, when given.
    pub model: Option<String>,
    /// Deployment type.
    pub deployment: DeploymentType,
    /// TPM quota asked about (standard).
    pub tpm_quota: Option<f64>,
    /// PTUs asked about (provisioned).
    pub ptu: Option<f64>,
    /// The shape of one request (flattened into the JSON object).
    #[serde(flatten)]
    pub shape: RequestShape,
    /// Prompt + completion tokens per request.
    pub tokens_per_request: f64,
    /// Tokens one request uses of the limit: prompt + max_tokens (standard admission) or
    /// normalized tokens (provisioned).
    pub counted_tokens_per_request: f64,
    /// The limit in tokens per minute: the quota, or PTUs × input TPM per PTU.
    pub capacity_tpm: f64,
    /// Standard RPM per 1,000 TPM, when known.
    pub rpm_per_1000_tpm: Option<f64>,
    /// Standard RPM limit of the quota, when known.
    pub rpm_limit: Option<f64>,
    /// Target utilization applied to the limits.
    pub target_utilization: f64,
    /// Largest sustainable requests per minute.
    pub max_rpm: f64,
    /// Largest sustainable requests per second.
    pub max_qps: f64,
    /// Tokens per minute (prompt + completion) at `max_rpm`.
    pub max_tpm: f64,
    /// Standard: the largest mean rate of random (Poisson) arrivals the quota serves refusing
    /// at most `max_throttle` of first attempts (null for provisioned).
    pub max_rpm_random: Option<f64>,
    /// Window standard deployments count requests over: `1s` or `10s`.
    pub rpm_window: RpmWindow,
    /// Highest share of first attempts refused that `max_rpm_random` allows.
    pub max_throttle: f64,
    /// What binds: `tpm`, `rpm` or `ptu`.
    pub binding: Binding,
    /// Whether one request fits the model's context window on this kind of deployment
    /// (null: no model, or limits not published).
    pub fits_context: Option<bool>,
    /// Assumptions and caveats.
    pub notes: Vec<crate::note::Note>,
}

/// Computes the largest sustainable rate for a limit, a request shape and a deployment type.
pub fn capacity(
    limit: Limit<'_>,
    shape: &RequestShape,
    deployment: DeploymentType,
    target_utilization: f64,
    standard: StandardOptions,
) -> Result<CapacityReport, InputError> {
    check_target(target_utilization)?;
    let mut notes = Vec::new();
    let terms = match limit {
        Limit::Standard { tpm, model } => {
            standard_terms(tpm, model, shape, deployment, &mut notes)?
        }
        Limit::Provisioned { ptu, model } => {
            provisioned_terms(ptu, model, shape, deployment, &mut notes)?
        }
    };
    let Terms {
        kind,
        model,
        tpm_quota,
        ptu,
        counted,
        capacity_tpm,
        ratio,
    } = terms;
    let fits_context = model.and_then(|m| model_checks(m, kind, shape, &mut notes));
    let max_rpm_by_tokens = snap(capacity_tpm * target_utilization / counted);
    let rpm_limit = ratio.map(|r| snap(tpm_quota.unwrap_or(0.0) * r / 1000.0));
    if let Some(rpm) = rpm_limit {
        notes.extend(window_note(rpm * target_utilization, standard.rpm_window));
    }
    let (max_rpm, binding) = match (kind, rpm_limit) {
        (LimitKind::Provisioned, _) => (max_rpm_by_tokens, Binding::Ptu),
        (LimitKind::Standard, Some(rpm)) if rpm * target_utilization < max_rpm_by_tokens => {
            (snap(rpm * target_utilization), Binding::Rpm)
        }
        (LimitKind::Standard, _) => (max_rpm_by_tokens, Binding::Tpm),
    };
    let max_rpm_random = (kind == LimitKind::Standard).then(|| {
        let window = rpm_limit.map(|rpm| {
            let window = standard.rpm_window;
            (window, window.requests_per_window(rpm * target_utilization))
        });
        let tpm = capacity_tpm * target_utilization;
        snap(poisson_max_rpm(
            window,
            tpm,
            counted,
            standard.max_throttle,
            max_rpm,
        ))
    });
    Ok(CapacityReport {
        limit: kind,
        model: model.map(|m| m.name.clone()),
        deployment,
        tpm_quota,
        ptu,
        shape: *shape,
        tokens_per_request: shape.tokens_per_request(),
        counted_tokens_per_request: counted,
        capacity_tpm,
        rpm_per_1000_tpm: ratio,
        rpm_limit,
        target_utilization,
        max_rpm,
        max_qps: snap(max_rpm / 60.0),
        max_tpm: snap(max_rpm * shape.tokens_per_request()),
        max_rpm_random,
        rpm_window: standard.rpm_window,
        max_throttle: standard.max_throttle,
        binding,
        fits_context,
        notes,
    })
}

/// Whether one request fits `model`'s context window on this kind of deployment; notes the
/// context problems and UNVERIFIED catalog values.
fn model_checks(
    model: &Model,
    kind: LimitKind,
    shape: &RequestShape,
    notes: &mut Vec<Note>,
) -> Option<bool> {
    let fit = context::check(shape, model);
    let fits = match kind {
        LimitKind::Standard => fit.standard,
        LimitKind::Provisioned => fit.provisioned,
    };
    notes.extend(
        fit.problems
            .into_iter()
            .map(|p| Note::of(NoteCode::ContextWindow, p)),
    );
    if !model.unverified.is_empty() {
        notes.push(Note::of(
            NoteCode::UnverifiedCatalogValue,
            CapacityNote::UnverifiedCatalogValues {
                model: model.name.clone(),
            },
        ));
    }
    fits
}

/// What a limit gives: its capacity in counted tokens per minute, and how a request counts.
struct Terms<'a> {
    kind: LimitKind,
    model: Option<&'a Model>,
    tpm_quota: Option<f64>,
    ptu: Option<f64>,
    /// Tokens one request counts against the capacity.
    counted: f64,
    /// Tokens per minute the limit holds at 100%.
    capacity_tpm: f64,
    /// The model's standard RPM per 1,000 TPM, if published.
    ratio: Option<f64>,
}

/// A standard TPM quota's terms: admission counts prompt + `max_tokens`.
fn standard_terms<'a>(
    tpm: f64,
    model: Option<&'a Model>,
    shape: &RequestShape,
    deployment: DeploymentType,
    notes: &mut Vec<Note>,
) -> Result<Terms<'a>, InputError> {
    check_positive(Param::Tpm, tpm, MAX_TPM, "tokens per minute")?;
    let ratio = model.and_then(|m| m.rpm_per_1000_tpm_for(deployment));
    if ratio.is_none() {
        notes.push(Note::of(
            NoteCode::RpmNotChecked,
            match model {
                None => CapacityNote::NoModelRpmNotChecked,
                Some(m) => CapacityNote::NoRpmRatio {
                    model: m.name.clone(),
                },
            },
        ));
    }
    notes.extend(standard_notes(tpm, shape, model));
    let counted = model.map_or(shape.admission_tokens_per_request(), |m| {
        shape.admission_tokens_for(m)
    });
    Ok(Terms {
        kind: LimitKind::Standard,
        model,
        tpm_quota: Some(tpm),
        ptu: None,
        counted,
        capacity_tpm: tpm,
        ratio,
    })
}

/// A PTU count's terms: a request counts its normalized (weighted, cache-deducted) tokens.
fn provisioned_terms<'a>(
    ptu: f64,
    model: &'a Model,
    shape: &RequestShape,
    deployment: DeploymentType,
    notes: &mut Vec<Note>,
) -> Result<Terms<'a>, InputError> {
    check_positive(Param::Ptu, ptu, MAX_PTU, "a PTU count")?;
    let grid = model
        .provisioned(deployment)
        .ok_or_else(|| model.not_offered(deployment))?;
    let on_grid = ptu == f64::from(grid.min_ptu)
        || (ptu >= f64::from(grid.min_ptu)
            && ptu.fract() == 0.0
            && (ptu as u64).is_multiple_of(u64::from(grid.increment)));
    if !on_grid {
        notes.push(Note::of(
            NoteCode::PtuSize,
            CapacityNote::PtuOffGrid {
                ptu,
                deployment,
                model: model.name.clone(),
                min_ptu: grid.min_ptu,
                increment: grid.increment,
            },
        ));
    }
    if ptu > MAX_PTU_PER_DEPLOYMENT as f64 {
        notes.push(Note::of(
            NoteCode::PtuSize,
            CapacityNote::PtuAboveMaximum {
                ptu,
                max_ptu: MAX_PTU_PER_DEPLOYMENT,
            },
        ));
    }
    let counted = snap(shape.normalized_tokens_per_request(model));
    if counted <= 0.0 {
        return Err(InputError::Usage(
            "this request shape uses no provisioned capacity (all prompt tokens cached, \
             no completion): give --completion or a cache rate below 1"
                .into(),
        ));
    }
    if shape.max_tokens.is_some() {
        notes.push(Note::of(
            NoteCode::ProvisionedAdmission,
            CapacityNote::ProvisionedAdmission,
        ));
    }
    // What the request shape leaves out (reasoning tokens, long context, caching rules)
    // weighs on PTUs as on a standard quota.
    notes.extend(request_notes(shape, model, Naming::Flags));
    Ok(Terms {
        kind: LimitKind::Provisioned,
        model: Some(model),
        tpm_quota: None,
        ptu: Some(ptu),
        counted,
        capacity_tpm: snap(ptu * model.input_tpm_per_ptu),
        ratio: None,
    })
}

/// The note when a window's whole-request count rounds the RPM limit (at `rpm`) down by more
/// than 5%.
fn window_note(rpm: f64, window: RpmWindow) -> Option<Note> {
    let exact = rpm * window.seconds() as f64 / 60.0;
    let admitted = window.requests_per_window(rpm);
    ((admitted as f64) < exact * 0.95).then(|| {
        Note::of(
            NoteCode::StandardQuota,
            CapacityNote::WindowRoundsDown {
                window_seconds: window.seconds(),
                admitted,
                exact,
                even_rpm: admitted as f64 * 60.0 / window.seconds() as f64,
            },
        )
    })
}

/// Notes on a standard quota: the admission estimate, and a quota off its units.
fn standard_notes(tpm: f64, shape: &RequestShape, model: Option<&Model>) -> Vec<Note> {
    let mut notes = Vec::new();
    match model.map(|m| (m, shape.max_tokens_for(m))) {
        Some((m, (max_tokens, MaxTokensSource::ModelDefault))) => notes.push(Note::of(
            NoteCode::MaxTokensAssumed,
            CapacityNote::DefaultMaxTokens {
                max_tokens,
                model: m.name.clone(),
            },
        )),
        _ if shape.max_tokens.is_none() && shape.output_tokens() > 0.0 => notes.push(Note::of(
            NoteCode::MaxTokensAssumed,
            CapacityNote::OutputCountedAsMaxTokens,
        )),
        _ => {}
    }
    if let Some(m) = model {
        notes.extend(request_notes(shape, m, Naming::Flags));
        let unit = f64::from(m.quota_unit_tpm);
        if (tpm / unit).fract() != 0.0 {
            notes.push(Note::of(
                NoteCode::StandardQuota,
                CapacityNote::QuotaOffUnits {
                    model: m.name.clone(),
                    unit_tpm: m.quota_unit_tpm,
                    tpm,
                },
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::sizing::{SizeOptions, size_model};
    use crate::calc::workload::{TokenCounts, Workload};
    use crate::catalog::{Catalog, EMBEDDED};

    fn shape(prompt: f64, completion: f64) -> RequestShape {
        let counts = TokenCounts {
            total: None,
            prompt: Some(prompt),
            completion: Some(completion),
        };
        RequestShape::new(counts, 0.0, None).expect("valid")
    }

    #[test]
    fn seed_15m_tpm_at_30k_tokens_is_500_rpm() {
        // Seed: QPS = 15,000,000 ÷ (30,000 × 60) ≈ 8.33.
        let counts = TokenCounts {
            total: Some(30_000.0),
            ..TokenCounts::default()
        };
        let shape = RequestShape::new(counts, 0.0, None).expect("valid");
        let report = capacity(
            Limit::Standard {
                tpm: 15_000_000.0,
                model: None,
            },
            &shape,
            DeploymentType::Global,
            1.0,
            Default::default(),
        )
        .expect("valid");
        assert_eq!(report.max_rpm, 500.0);
        assert!((report.max_qps - 8.333_333).abs() < 1e-6);
        assert_eq!(report.binding, Binding::Tpm);
    }

    #[test]
    fn rpm_binds_for_small_requests() {
        // gpt-4o: 6 RPM per 1,000 TPM. 100,000 TPM → 600 RPM; 50-token requests would allow 2,000.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4o").expect("present");
        let counts = TokenCounts {
            total: None,
            prompt: Some(40.0),
            completion: Some(10.0),
        };
        let sent = RequestShape::new(counts, 0.0, Some(10.0)).expect("valid");
        let report = capacity(
            Limit::Standard {
                tpm: 100_000.0,
                model: Some(model),
            },
            &sent,
            DeploymentType::Global,
            1.0,
            Default::default(),
        )
        .expect("valid");
        assert_eq!(report.rpm_limit, Some(600.0));
        assert_eq!(report.max_rpm, 600.0);
        assert_eq!(report.binding, Binding::Rpm);
        // 10 a second: random arrivals stay within 1% refused only well below 600 RPM (by hand
        // from the pmf, E[(N − 10)⁺] ÷ λ is 0.44% at λ = 5 a second, 1.29% at λ = 6).
        let random = report.max_rpm_random.expect("standard");
        assert!((300.0..360.0).contains(&random), "{random}");
        // Without max_tokens the service assumes gpt-4o's 4,096 (S23): tokens bind at
        // 100,000 ÷ 4,136 = 24.2 RPM.
        let report = capacity(
            Limit::Standard {
                tpm: 100_000.0,
                model: Some(model),
            },
            &shape(40.0, 10.0),
            DeploymentType::Global,
            1.0,
            Default::default(),
        )
        .expect("valid");
        assert_eq!(report.counted_tokens_per_request, 4136.0);
        assert_eq!(report.binding, Binding::Tpm);
        assert!(
            report.notes.contains(&Note::of(
                NoteCode::MaxTokensAssumed,
                CapacityNote::DefaultMaxTokens {
                    max_tokens: 4096.0,
                    model: "gpt-4o".into()
                }
            )),
            "{:?}",
            report.notes
        );
    }

    #[test]
    fn provisioned_capacity_inverts_sizing() {
        // gpt-5.2 at 150 PTU: 150 × 3,400 = 510,000 normalized TPM; 100 + 8 × 50 = 500 per
        // request → 1,020 RPM. Sizing 1,020 RPM gives exactly 150 raw PTUs.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-5.2").expect("present");
        let shape = shape(100.0, 50.0);
        let report = capacity(
            Limit::Provisioned { ptu: 150.0, model },
            &shape,
            DeploymentType::Regional,
            1.0,
            Default::default(),
        )
        .expect("valid");
        assert_eq!(report.max_rpm, 1020.0);
        assert_eq!(report.binding, Binding::Ptu);
        let workload = Workload::new(report.max_rpm, shape).expect("valid");
        let options = SizeOptions {
            deployment: DeploymentType::Regional,
            target_utilization: 1.0,
            standard: Default::default(),
        };
        let sizing = size_model(&workload, model, options).expect("offered");
        assert_eq!(sizing.ptu_raw, 150.0);
        assert_eq!(sizing.ptu, 150);
    }

    #[test]
    fn off_grid_ptu_gets_a_note_and_bad_values_an_error() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let report = capacity(
            Limit::Provisioned { ptu: 7.0, model },
            &shape(100.0, 10.0),
            DeploymentType::Global,
            1.0,
            Default::default(),
        )
        .expect("valid");
        assert!(
            report.notes.contains(&Note::of(
                NoteCode::PtuSize,
                CapacityNote::PtuOffGrid {
                    ptu: 7.0,
                    deployment: DeploymentType::Global,
                    model: "gpt-4.1".into(),
                    min_ptu: 15,
                    increment: 5,
                }
            )),
            "{:?}",
            report.notes
        );
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e12] {
            assert!(
                capacity(
                    Limit::Provisioned { ptu: bad, model },
                    &shape(100.0, 10.0),
                    DeploymentType::Global,
                    1.0,
                    Default::default()
                )
                .is_err()
            );
        }
    }
}
