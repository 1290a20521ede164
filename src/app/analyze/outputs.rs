//! The files analyze writes beside its answer: the per-minute profile and the SVG chart.

use crate::calc::load::MinuteLoad;
use crate::catalog::Model;
use crate::cli::AnalyzeArgs;
use crate::note::{AnalyzeNote, Note, NoteCode};
use crate::numfmt;
use crate::render::plot;
use crate::traffic::analysis::{self, TrafficSummary};

use crate::app::output::{OutputFile, refuse_clashing_outputs};

/// `--profile-out` and `--plot`, checked and opened before the logs are read, and written
/// only on success.
pub(super) fn open_outputs(
    args: &AnalyzeArgs,
) -> anyhow::Result<(Option<OutputFile>, Option<OutputFile>)> {
    let inputs: Vec<&std::path::Path> = args.files.iter().map(std::path::Path::new).collect();
    refuse_clashing_outputs(
        (args.profile_out.as_deref(), "--profile-out"),
        (args.plot.as_deref(), "--plot"),
        &inputs,
    )?;
    Ok((
        OutputFile::open_if(args.profile_out.as_deref(), "profile")?,
        OutputFile::open_plot(args.plot.as_deref())?,
    ))
}

/// Fills `--profile-out` (the per-minute curve) and `--plot` (the chart), committed later
/// with the answer; returns the profile's path for the report.
pub(super) fn fill_outputs(
    args: &AnalyzeArgs,
    (profile, plot): (Option<&mut OutputFile>, Option<&mut OutputFile>),
    chart: Chart<'_>,
    first_minute: i64,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Option<String>> {
    let profile_out = match (&args.profile_out, profile) {
        (Some(path), Some(file)) => {
            notes.extend(profile_notes(chart.analyses));
            file.write_all(profile_csv(chart.minutes, first_minute).as_bytes())?;
            Some(path.display().to_string())
        }
        _ => None,
    };
    if let (Some(path), Some(file)) = (&args.plot, plot) {
        file.write_all(plot_svg(args, chart)?.as_bytes())?;
        notes.push(Note::of(
            NoteCode::FileWritten,
            AnalyzeNote::PlotWritten {
                path: path.display().to_string(),
            },
        ));
    }
    Ok(profile_out)
}

/// Notes for `--profile-out`: a profile holds calendar minutes, which can be below the
/// busiest 60 s the PTUs are sized for.
pub(super) fn profile_notes(analyses: &[analysis::ModelAnalysis]) -> Vec<Note> {
    analyses
        .iter()
        .filter(|a| a.peak_normalized_tpm > a.normalized_tpm.max)
        .map(|a| {
            Note::of(
                NoteCode::LoadProfile,
                AnalyzeNote::ProfileMinutes {
                    model: a.model.clone(),
                    busiest_minute_tpm: a.normalized_tpm.max,
                    peak_tpm: a.peak_normalized_tpm,
                    ptu: a.ptu_for_peak,
                },
            )
        })
        .collect()
}

/// The per-minute load in the profile format `cost --profile` reads.
pub(super) fn profile_csv(minutes: &[MinuteLoad], first_minute: i64) -> String {
    let mut csv = String::from("timestamp,rpm,prompt,completion,cached\n");
    for (i, m) in minutes.iter().enumerate() {
        let stamp = crate::timestamp::format_second((first_minute + i as i64) * 60);
        csv.push_str(&format!(
            "{stamp},{},{},{},{}\n",
            m.requests, m.prompt, m.completion, m.cached
        ));
    }
    csv
}

/// What the plot draws.
pub(super) struct Chart<'a> {
    pub(super) models: &'a [&'a Model],
    pub(super) analyses: &'a [analysis::ModelAnalysis],
    pub(super) minutes: &'a [MinuteLoad],
    pub(super) summary: &'a TrafficSummary,
}

/// The per-minute tokens and normalized TPM against the PTU capacity and the standard quota,
/// as SVG.
pub(super) fn plot_svg(args: &AnalyzeArgs, chart: Chart) -> anyhow::Result<String> {
    let minutes = chart.minutes;
    let tokens: Vec<f64> = minutes.iter().map(MinuteLoad::tokens).collect();
    let mut series = vec![plot::Series {
        label: "tokens per calendar minute",
        values: &tokens,
        color: plot::GREY,
    }];
    let normalized: Vec<f64> = chart.models.first().map_or(Vec::new(), |m| {
        minutes.iter().map(|x| x.normalized(m)).collect()
    });
    let normalized_label = chart
        .models
        .first()
        .map(|m| format!("{} normalized TPM (calendar minutes)", m.name))
        .unwrap_or_default();
    if !normalized.is_empty() {
        series.push(plot::Series {
            label: &normalized_label,
            values: &normalized,
            color: plot::BLUE,
        });
    }
    let mut levels = Vec::new();
    let ptu_label;
    if let (Some(model), Some(first)) = (chart.models.first(), chart.analyses.first()) {
        let ptu = args.ptu.unwrap_or(first.ptu_for_peak as f64);
        ptu_label = format!(
            "{} PTU capacity (normalized TPM){}",
            numfmt::count(ptu),
            match args.ptu {
                Some(_) => "",
                None => ", sized for the busiest sliding 60 s",
            }
        );
        levels.push(plot::Level {
            label: &ptu_label,
            value: ptu * model.input_tpm_per_ptu,
            color: plot::RED,
        });
    }
    let quota = args.tpm_quota.or(chart
        .analyses
        .first()
        .and_then(|a| a.standard_tpm_quota.map(|q| q as f64)));
    let quota_label = format!("standard quota {} TPM", numfmt::short(quota.unwrap_or(0.0)));
    if let Some(quota) = quota {
        levels.push(plot::Level {
            label: &quota_label,
            value: quota,
            color: plot::ORANGE,
        });
    }
    // The curve is per calendar minute; the PTUs are sized for the busiest 60 s starting on
    // any second, which can exceed every calendar minute: the title says so.
    let title = format!(
        "Per calendar minute from {}; PTUs sized for the sliding 60 s peak",
        chart.summary.first
    );
    plot::svg(
        &title,
        &chart.summary.first,
        "tokens per minute",
        &series,
        &levels,
    )
    .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))
}
