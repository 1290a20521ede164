//! The traffic sized: per model and group, on PTUs and against a standard quota, with the minutes over capacity.

use crate::calc::cost::{CostSettings, Term};
use crate::calc::load::MinuteLoad;
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::service_tier::TierSetup;
use crate::catalog::SubscriptionType;
use crate::catalog::{Catalog, Model};
use crate::cli::AnalyzeArgs;
use crate::error::InputError;
use crate::note::{self, AnalyzeNote, Note, NoteCode};
use crate::traffic::analysis::{
    self, GroupAnalysis, QuotaBasis, SizingSettings, SummaryInputs, TrafficSummary,
};
use crate::traffic::log::SecondBuckets;
use crate::{numfmt, traffic};

/// How models are sized, from the flags: `--max-tokens` must be a whole number.
pub(super) fn sizing_settings(args: &AnalyzeArgs) -> anyhow::Result<SizingSettings> {
    let max_tokens = match args.max_tokens {
        Some(n) if n.fract() != 0.0 || n < 1.0 || n > f64::from(u32::MAX) => {
            return Err(InputError::Usage(format!(
                "--max-tokens {n}: must be a whole number of tokens, 1 or more"
            ))
            .into());
        }
        n => n.map(|n| n as u32),
    };
    Ok(SizingSettings {
        target_utilization: args.target_utilization,
        rpm_window: crate::app::rpm_window(args.quota.rpm_window),
        max_throttle: args.quota.max_throttle,
        max_tokens,
    })
}

/// Where a log's requests are, for checking a request window minute by minute.
#[derive(Clone, Copy)]
pub(super) struct WindowLoad<'a> {
    pub(super) buckets: &'a SecondBuckets,
    pub(super) first_minute: i64,
    pub(super) per_minute: bool,
}

/// `--tpm-quota`: the minutes whose admission tokens, or whose busiest request window (with one
/// `--model`, its RPM ratio), exceed the quota, as the limiter counts them.
pub(super) fn quota_check(
    quota: f64,
    models: &[&Model],
    minutes: &[MinuteLoad],
    window: WindowLoad,
    args: &AnalyzeArgs,
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) -> analysis::OverCapacity {
    let ratio = match models {
        [model] => model.rpm_per_1000_tpm_for(args.deployment),
        _ => None,
    };
    // Per-minute input has no windows: the minute's requests are its rate.
    let rates = if window.per_minute {
        minutes.iter().map(|m| m.requests).collect()
    } else {
        let width = sizing.rpm_window.seconds() as i64;
        analysis::minute_window_rates(window.buckets, window.first_minute, minutes.len(), width)
    };
    let label = match ratio {
        Some(ratio) => format!(
            "{} TPM standard quota ({} RPM, {} per {} window)",
            numfmt::count(quota),
            numfmt::count(quota / 1000.0 * ratio),
            numfmt::plural(
                sizing
                    .rpm_window
                    .requests_per_window(quota / 1000.0 * ratio) as f64,
                "request",
                "requests"
            ),
            sizing.rpm_window.as_str()
        ),
        None => {
            notes.push(Note::of(
                NoteCode::RpmNotChecked,
                AnalyzeNote::QuotaRequestsNotChecked,
            ));
            format!("{} TPM standard quota", numfmt::count(quota))
        }
    };
    // A minute's busiest window counts as the quota its rate needs.
    analysis::over_capacity(minutes, quota, label, |i, m| {
        let tokens = analysis::admission_tokens(m, sizing.max_tokens);
        ratio.map_or(tokens, |r| tokens.max(rates[i] / r * 1000.0))
    })
}

/// Notes on how the standard quotas were sized: what admission counts, and the basis (with
/// the whole log's peaks when a `--model` was sized for it).
pub(super) fn quota_notes(
    summary: &TrafficSummary,
    analyses: &[analysis::ModelAnalysis],
    groups: &[GroupAnalysis],
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) {
    let mut sized = analyses
        .iter()
        .chain(groups.iter().filter_map(|g| g.sizing.as_ref()))
        .filter(|a| a.standard_tpm_quota.is_some());
    let Some(first) = sized.next() else {
        return;
    };
    let code = match sizing.max_tokens {
        Some(_) => NoteCode::StandardQuota,
        None => NoteCode::MaxTokensAssumed,
    };
    notes.push(Note::of(
        code,
        AnalyzeNote::QuotaAdmission {
            max_tokens: sizing.max_tokens,
        },
    ));
    let window = sizing.rpm_window;
    let window_s = window.seconds();
    let peak = summary.peak_window_requests(window);
    let whole_log = analyses.iter().any(|a| a.standard_tpm_quota.is_some());
    let basis = match (first.standard_quota_basis, peak) {
        (Some(QuotaBasis::Observed), _) if !whole_log => {
            note::QuotaBasis::ObservedPerGroup { window_s }
        }
        (Some(QuotaBasis::Observed), Some(peak)) => note::QuotaBasis::ObservedWholeLog {
            window_s,
            peak_requests: peak,
            peak_admission_tpm: summary.peak_admission_tpm,
        },
        _ => note::QuotaBasis::Poisson {
            window_s,
            busiest_minute_requests: summary.rpm.max,
            max_throttle: sizing.max_throttle,
        },
    };
    notes.push(Note::of(
        NoteCode::StandardQuota,
        AnalyzeNote::QuotaBasis(basis),
    ));
}

/// The traffic sized: per `--model`, per group, and the minutes over `--ptu`.
pub(super) struct Sized {
    pub(super) analyses: Vec<analysis::ModelAnalysis>,
    pub(super) groups: Vec<GroupAnalysis>,
    pub(super) over: Vec<analysis::OverCapacity>,
}

/// The traffic sized for each `--model`, each group sized for its model, the minutes over
/// `--ptu`, and the quota's notes.
pub(super) fn size_traffic(
    sizer: &Sizer,
    (traffic, first_minute): (Traffic, i64),
    models: &[&Model],
    (groups, inputs): (
        &std::collections::BTreeMap<String, traffic::log::Group>,
        SummaryInputs,
    ),
    notes: &mut Vec<Note>,
) -> Result<Sized, InputError> {
    let window = WindowLoad {
        buckets: traffic.buckets,
        first_minute,
        per_minute: inputs.per_minute,
    };
    let analyses = models
        .iter()
        .map(|model| sizer.size(traffic, model, notes))
        .collect::<Result<Vec<_>, _>>()?;
    let groups = size_groups(sizer, groups, models, (inputs, traffic.period), notes)?;
    let over = over_capacity(
        sizer.args,
        models,
        traffic.minutes,
        window,
        sizer.sizing,
        notes,
    );
    quota_notes(traffic.summary, &analyses, &groups, sizer.sizing, notes);
    Ok(Sized {
        analyses,
        groups,
        over,
    })
}

/// Some traffic to size: per second, per calendar minute, the span it stands for, summarized.
#[derive(Clone, Copy)]
pub(super) struct Traffic<'a> {
    pub(super) buckets: &'a SecondBuckets,
    pub(super) minutes: &'a [MinuteLoad],
    pub(super) period: u64,
    pub(super) summary: &'a TrafficSummary,
}

/// Sizes models for traffic, with a hybrid when the catalog prices it.
pub(super) struct Sizer<'a> {
    pub(super) args: &'a AnalyzeArgs,
    pub(super) catalog: &'a Catalog,
    pub(super) sizing: &'a SizingSettings,
}

impl Sizer<'_> {
    pub(super) fn size(
        &self,
        traffic: Traffic,
        model: &Model,
        notes: &mut Vec<Note>,
    ) -> Result<analysis::ModelAnalysis, InputError> {
        let deployment = self.args.deployment;
        let prices = prices::resolve(
            model,
            self.catalog.ptu_prices.get(&deployment),
            deployment,
            &PriceOverrides::default(),
            &self.catalog.currency,
        );
        let settings = prices.ok().map(|p| CostSettings {
            deployment,
            peak_normalized_tpm: None,
            hours_per_month: crate::calc::cost::DEFAULT_HOURS_PER_MONTH,
            hybrid_term: Term::OneYear,
            target_utilization: 1.0,
            token_prices: p.tokens,
            ptu_rates: p.ptu,
            token_price_source: p.token_source,
            ptu_price_source: p.ptu_source,
            prices_unverified: p.unverified,
            standard: None,
            admission_max_tokens: None,
            currency: self.catalog.currency.clone(),
            // analyze reads the hybrid only.
            tiers: TierSetup::none("not priced by analyze"),
            flex_availability: 1.0,
            batch_share: 0.0,
            subscription: SubscriptionType::Default,
            latency: None,
        });
        if settings.is_none() {
            notes.push(Note::of(
                NoteCode::NoPrices,
                AnalyzeNote::NoHybridPrices {
                    model: model.name.clone(),
                    deployment,
                },
            ));
        }
        let usable = settings
            .filter(|s| traffic.summary.cached_tokens == 0.0 || s.token_prices.cached.is_some());
        analysis::analyze_model(
            traffic.buckets,
            analysis::Minutes {
                load: traffic.minutes,
                period: traffic.period,
            },
            traffic.summary,
            model,
            deployment,
            self.sizing,
            usable.as_ref(),
        )
    }
}

/// Each deployment (or model) the log names, summarized and sized as the model the log names
/// for it, else the name as a model, else the one `-m` given.
pub(super) fn size_groups(
    sizer: &Sizer,
    groups: &std::collections::BTreeMap<String, traffic::log::Group>,
    models: &[&Model],
    (inputs, period_minutes): (SummaryInputs, u64),
    notes: &mut Vec<Note>,
) -> Result<Vec<GroupAnalysis>, InputError> {
    let (catalog, deployment) = (sizer.catalog, sizer.args.deployment);
    let mut group_analyses = Vec::new();
    for (name, group) in groups {
        let (group_minutes, _) = analysis::minutes(&group.buckets);
        let group_inputs = SummaryInputs {
            reasoning: group.reasoning,
            ..inputs
        };
        let summary = analysis::summarize(&group.buckets, &group_minutes, group_inputs);
        let model = catalog
            .find_logged(group.model.as_deref().unwrap_or(name))
            .or_else(|| catalog.find_logged(name))
            .or(match (group.model.as_ref(), models) {
                (None, [only]) => Some(*only),
                _ => None,
            });
        let sizing = match model {
            Some(model) if model.provisioned(deployment).is_some() => {
                let traffic = Traffic {
                    buckets: &group.buckets,
                    minutes: &group_minutes,
                    period: period_minutes,
                    summary: &summary,
                };
                Some(sizer.size(traffic, model, notes)?)
            }
            Some(model) => {
                notes.push(Note::of(
                    NoteCode::GroupNotSized,
                    AnalyzeNote::NoProvisionedDeployment {
                        group: name.clone(),
                        model: model.name.clone(),
                        deployment,
                    },
                ));
                None
            }
            None => {
                notes.push(Note::of(
                    NoteCode::GroupNotSized,
                    AnalyzeNote::ModelNotInCatalog {
                        group: name.clone(),
                        model: group.model.as_deref().unwrap_or(name).to_string(),
                    },
                ));
                None
            }
        };
        group_analyses.push(GroupAnalysis {
            name: name.clone(),
            log_model: group.model.clone(),
            traffic: summary,
            sizing,
        });
    }
    Ok(group_analyses)
}

/// The candidate checks: `--ptu` (with one model) and `--tpm-quota`, minute by minute.
pub(super) fn over_capacity(
    args: &AnalyzeArgs,
    models: &[&Model],
    minutes: &[MinuteLoad],
    window: WindowLoad,
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) -> Vec<analysis::OverCapacity> {
    let mut over = Vec::new();
    if let (Some(ptu), [model]) = (args.ptu, models) {
        let label = format!(
            "{} PTU of {} ({})",
            numfmt::count(ptu),
            model.name,
            args.deployment
        );
        over.push(analysis::over_capacity(
            minutes,
            ptu * model.input_tpm_per_ptu,
            label,
            |_, m| m.normalized(model),
        ));
    }
    if let Some(quota) = args.tpm_quota {
        over.push(quota_check(
            quota, models, minutes, window, args, sizing, notes,
        ));
    }
    over
}
