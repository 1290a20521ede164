//! `analyze`: request logs read (`read.rs`), sized (`sizing.rs`) and reported, with the files it
//! writes (`outputs.rs`) and the Kusto queries that export the logs (`kql.rs`).

use chrono::NaiveDate;

use crate::catalog::{Catalog, Model};
use crate::cli::{AnalyzeArgs, Format};
use crate::error::InputError;
use crate::lifecycle::Lifecycles;
use crate::note::{AnalyzeNote, Note, NoteCode};
use crate::numfmt;
use crate::render::table;
use crate::traffic::analysis::{self, AnalyzeReport, GroupAnalysis, SummaryInputs, TrafficSummary};
use crate::traffic::log::ReadStats;
use crate::traffic::service_tiers::TierShare;

use super::output::OutputFile;
use super::{both_skus, render_json};

mod kql;
mod outputs;
mod read;
mod sizing;

use kql::print_kql;
use outputs::{Chart, fill_outputs, open_outputs};
use read::AnalyzeInput;
pub(super) use read::open_log;
use sizing::{Sizer, Traffic, size_traffic};

/// The minutes the log stands for when scaled to a month: `--period`, at least the log's
/// `span_minutes`; without it the span, with a note when that is less than a day. Notes only
/// when there are `monthly` figures.
fn period(
    period: Option<u64>,
    span_minutes: u64,
    monthly: bool,
    notes: &mut Vec<Note>,
) -> anyhow::Result<u64> {
    match period {
        Some(period) if period < span_minutes => Err(InputError::Usage(format!(
            "--period {}: the logs span {} (first to last request), longer than the period \
             they stand for; give at least --period {}m",
            numfmt::minutes(period),
            numfmt::minutes(span_minutes),
            span_minutes
        ))
        .into()),
        Some(period) => {
            if monthly {
                notes.push(Note::of(
                    NoteCode::LogPeriod,
                    AnalyzeNote::PeriodGiven { minutes: period },
                ));
            }
            Ok(period)
        }
        None => {
            if monthly && span_minutes < 1440 {
                notes.push(Note::of(
                    NoteCode::LogPeriod,
                    AnalyzeNote::ShortSpanScaled {
                        minutes: span_minutes,
                    },
                ));
            }
            Ok(span_minutes)
        }
    }
}

/// How the log was read: rows skipped, and how peaks are measured.
fn reading_notes(stats: &ReadStats, first_skipped: &[String]) -> Vec<Note> {
    let mut notes = Vec::new();
    if stats.skipped > 0 {
        notes.push(Note::of(
            NoteCode::SkippedRows,
            AnalyzeNote::SkippedRows {
                rows: stats.skipped,
                first_at: first_skipped.to_vec(),
            },
        ));
    }
    if !stats.at_row_limit.is_empty() {
        notes.push(Note::of(
            NoteCode::ExportRowLimit,
            AnalyzeNote::ExportRowLimit {
                files: stats.at_row_limit.clone(),
            },
        ));
    }
    if stats.minute_counts {
        notes.push(Note::of(
            NoteCode::PeakMeasurement,
            AnalyzeNote::MinuteCounts,
        ));
    }
    if !stats.per_minute_metrics {
        notes.push(Note::of(
            NoteCode::PeakMeasurement,
            AnalyzeNote::SecondWindows {
                count_column: stats.count_column.clone(),
            },
        ));
    }
    notes
}

/// The lifecycles of the models sized, on their deployment types' SKUs.
fn analyzed_lifecycles(
    analyses: &[analysis::ModelAnalysis],
    groups: &[GroupAnalysis],
    catalog: &Catalog,
    as_of: NaiveDate,
) -> Lifecycles {
    let used = analyses
        .iter()
        .chain(groups.iter().filter_map(|g| g.sizing.as_ref()))
        .filter_map(|a| {
            let model = catalog.find(&a.model).ok()?;
            Some((model, both_skus(a.deployment).to_vec()))
        });
    Lifecycles::of(used, catalog, as_of)
}

/// `analyze`: read the logs, measure the true peaks, size each model and group, report.
pub(super) fn run_analyze(
    args: &AnalyzeArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    if let Some(source) = args.kql {
        return print_kql(source, args, catalog, format);
    }
    let models = chosen_models(args, catalog)?;
    let (mut profile_file, mut plot_file) = open_outputs(args)?;
    let input = AnalyzeInput::read(args)?;
    let files = (profile_file.as_mut(), plot_file.as_mut());
    let (report, lifecycle) = analyze_input(args, (catalog, as_of), &models, input, files)?;
    let text = match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report)?,
        Format::Table | Format::Markdown => table::analyze(&report, &catalog.currency),
    };
    for file in [profile_file, plot_file].into_iter().flatten() {
        file.commit()?;
    }
    Ok(text)
}

/// The logs' traffic summarized, sized per model and group, and reported, with the output
/// files filled (committed later, with the answer).
fn analyze_input(
    args: &AnalyzeArgs,
    (catalog, as_of): (&Catalog, NaiveDate),
    models: &[&Model],
    input: AnalyzeInput,
    files: (Option<&mut OutputFile>, Option<&mut OutputFile>),
) -> anyhow::Result<(AnalyzeReport, Lifecycles)> {
    let (buckets, stats, sizing) = (&input.log.all, &input.stats, &input.sizing);
    let (minutes, first_minute) = analysis::minutes(buckets);
    let inputs = SummaryInputs {
        per_minute: stats.per_minute_metrics,
        max_tokens: sizing.max_tokens,
        reasoning: input.log.reasoning,
    };
    let summary = analysis::summarize(buckets, &minutes, inputs);
    check_peak_tokens(&summary)?;
    let mut notes = Vec::new();
    let monthly = !models.is_empty() || !input.log.groups.is_empty();
    let period_minutes = period(args.period, minutes.len() as u64, monthly, &mut notes)?;
    notes.extend(per_minute_note(stats));
    let sizer = Sizer {
        args,
        catalog,
        sizing,
    };
    let traffic = Traffic {
        buckets,
        minutes: &minutes,
        period: period_minutes,
        summary: &summary,
    };
    let groups = (&input.log.groups, inputs);
    let sized = size_traffic(&sizer, (traffic, first_minute), models, groups, &mut notes)?;
    notes.extend(reading_notes(stats, &input.first_skipped));
    let chart = Chart {
        models,
        analyses: &sized.analyses,
        minutes: &minutes,
        summary: &summary,
    };
    let profile_out = fill_outputs(args, files, chart, first_minute, &mut notes)?;
    if profile_out.is_some() && sized.groups.len() > 1 {
        notes.push(Note::of(
            NoteCode::LoadProfile,
            AnalyzeNote::ProfileSumsGroups {
                groups: sized.groups.iter().map(|g| g.name.clone()).collect(),
            },
        ));
    }
    let service_tiers = input.log.tiers.shares();
    notes.extend(service_tier_notes(args, &service_tiers));
    let lifecycle = analyzed_lifecycles(&sized.analyses, &sized.groups, catalog, as_of);
    notes.extend(lifecycle.notes());
    let report = AnalyzeReport {
        summary,
        models: sized.analyses,
        group_column: input.stats.group_column,
        groups: sized.groups,
        over_capacity: sized.over,
        rpm_window: input.sizing.rpm_window,
        max_tokens: input.sizing.max_tokens,
        period_minutes,
        rows: input.stats.rows,
        skipped_rows: input.stats.skipped,
        first_skipped: input.first_skipped,
        profile_out,
        service_tiers,
        notes,
    };
    Ok((report, lifecycle))
}

/// The busiest 60 s of the logs may carry at most `calc::workload::MAX_TPM` tokens, as any
/// load ptuplan sizes; more is a unit mistake or a broken export.
fn check_peak_tokens(summary: &TrafficSummary) -> Result<(), InputError> {
    let most = crate::calc::workload::MAX_TPM;
    if summary.peak_tpm > most {
        return Err(InputError::Usage(format!(
            "the logs carry {:e} tokens in the 60 s from {}, above the {most:e} tokens a \
             minute ptuplan accepts (is a token column in the wrong unit?)",
            summary.peak_tpm, summary.peak_tpm_at
        )));
    }
    Ok(())
}

/// What per-minute input cannot tell, if the input is per minute.
fn per_minute_note(stats: &ReadStats) -> Option<Note> {
    stats
        .per_minute_metrics
        .then(|| Note::of(NoteCode::PeakMeasurement, AnalyzeNote::PerMinuteInput))
}

/// The `--model`s, found in the catalog; `--ptu` needs exactly one.
fn chosen_models<'c>(args: &AnalyzeArgs, catalog: &'c Catalog) -> anyhow::Result<Vec<&'c Model>> {
    let models = args
        .models
        .iter()
        .map(|name| catalog.find(name))
        .collect::<Result<Vec<_>, _>>()?;
    if args.ptu.is_some() && models.len() != 1 {
        return Err(
            InputError::Usage("--ptu needs exactly one --model (its PTU ratios)".into()).into(),
        );
    }
    Ok(models)
}

/// What the service tiers served says: standard answers to what may have been sent as
/// priority or flex.
fn service_tier_notes(args: &AnalyzeArgs, shares: &[TierShare]) -> Vec<Note> {
    if let (Some(column), true) = (&args.service_tier_column, shares.is_empty()) {
        return vec![Note::of(
            NoteCode::GroupNotSized,
            AnalyzeNote::TierColumnMissing {
                column: column.clone(),
            },
        )];
    }
    let served = |tier: &str| shares.iter().find(|s| s.tier == tier);
    let (Some(default), true) = (
        served("default"),
        served("priority").is_some() || served("flex").is_some(),
    ) else {
        return Vec::new();
    };
    vec![Note::of(
        NoteCode::PriorityDowngrade,
        AnalyzeNote::ServedAsStandard {
            request_share: default.request_share,
        },
    )]
}
