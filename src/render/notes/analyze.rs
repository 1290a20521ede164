//! The sentences of [`AnalyzeNote`]s.

use crate::note::{AnalyzeNote, QuotaBasis};
use crate::numfmt;

/// What `note` says.
pub(super) fn sentence(note: &AnalyzeNote) -> String {
    match note {
        AnalyzeNote::PeriodGiven { minutes } => format!(
            "monthly figures: the logs stand for {} (--period), scaled to 730 hours",
            numfmt::minutes(*minutes)
        ),
        AnalyzeNote::ShortSpanScaled { minutes } => format!(
            "monthly figures scale the logs' {} to 730 hours as if they were representative of \
             the whole month; if they hold all the traffic of a longer span, say which: \
             --period 1d",
            numfmt::minutes(*minutes)
        ),
        AnalyzeNote::SkippedRows { rows, first_at } => format!(
            "{} skipped as invalid, first at {}",
            numfmt::plural(*rows as f64, "row", "rows"),
            first_at.join(", ")
        ),
        AnalyzeNote::ExportRowLimit { files } => format!(
            "{} {} exactly as many rows as Log Analytics returns at most (30,000 in the portal, \
             500,000 through the API): if it is a query's export it may be cut off; export \
             shorter spans (a day at a time) and give analyze every file",
            files.join(", "),
            if files.len() == 1 { "holds" } else { "hold" }
        ),
        AnalyzeNote::MinuteCounts => "every counted row is on a whole minute, so the counts are \
                                      read as per-minute totals: peaks are calendar minutes, and \
                                      the standard quota is sized for random arrivals within \
                                      them; export per second (analyze --kql apim) for exact \
                                      peaks"
            .into(),
        AnalyzeNote::SecondWindows { count_column } => {
            let rows = match count_column {
                Some(column) => {
                    format!("each row stands for its '{column}' requests in one second; ")
                }
                None => String::new(),
            };
            format!(
                "{rows}peaks are the busiest windows starting on any whole second, not calendar \
                 minutes; distributions and capacity checks are per calendar minute"
            )
        }
        AnalyzeNote::PerMinuteInput => "per-minute input (Azure Monitor metric totals, or \
                                        azure-openai-benchmark's rolling rpm and tpm taken once \
                                        a minute): peaks are per minute, sub-minute peaks \
                                        unknown, cached tokens not included"
            .into(),
        AnalyzeNote::TierColumnMissing { column } => format!(
            "--service-tier-column {}: no row has it, so nothing is split by tier",
            crate::render::clean(column, 60)
        ),
        AnalyzeNote::ServedAsStandard { request_share } => format!(
            "{} of the requests were served by the standard tier (service_tier \"default\") \
             beside priority or flex ones: requests sent as priority are served and billed as \
             standard when traffic ramps more than 50% in 15 minutes or prompts are long (S57); \
             flex has no automatic fallback, so 'default' flex traffic is the client's retries \
             (S59)",
            numfmt::percent(*request_share)
        ),
        AnalyzeNote::PlotWritten { path } => format!("plot written to {path}"),
        AnalyzeNote::ProfileMinutes {
            model,
            busiest_minute_tpm,
            peak_tpm,
            ptu,
        } => format!(
            "the profile holds calendar minutes: `cost --profile` sizes {model} for the busiest \
             one ({} normalized TPM), below the busiest 60 s ({}, {} PTU)",
            numfmt::short(*busiest_minute_tpm),
            numfmt::short(*peak_tpm),
            numfmt::count(*ptu as f64)
        ),
        AnalyzeNote::ProfileSumsGroups { groups } => format!(
            "the profile sums the log's {} deployments ({}) into one curve: `cost --profile` \
             prices it all as one model; give analyze one deployment's rows to price it alone",
            groups.len(),
            groups.join(", ")
        ),
        AnalyzeNote::QuotaRequestsNotChecked => "--tpm-quota: its request limit is not checked \
                                                 (give one --model for its RPM ratio)"
            .into(),
        AnalyzeNote::QuotaAdmission {
            max_tokens: Some(n),
        } => format!(
            "standard quota counts prompt + {} max_tokens per request at admission \
             (--max-tokens)",
            numfmt::count(f64::from(*n))
        ),
        AnalyzeNote::QuotaAdmission { max_tokens: None } => {
            "standard quota counts prompt + each request's own completion as max_tokens at \
             admission, as a replay sends; clients that send a larger max_tokens need more \
             quota: give it with --max-tokens"
                .into()
        }
        AnalyzeNote::QuotaBasis(basis) => quota_basis(basis),
        AnalyzeNote::NoHybridPrices { model, deployment } => {
            format!("{model}: no catalog prices on {deployment}, so no hybrid")
        }
        AnalyzeNote::NoProvisionedDeployment {
            group,
            model,
            deployment,
        } => format!("{group}: {model} has no {deployment} provisioned deployment, so no sizing"),
        AnalyzeNote::ModelNotInCatalog { group, model } => format!(
            "{group}: model '{model}' is not in the catalog, so no sizing (give one -m to size \
             every deployment as that model)"
        ),
    }
}

/// What the standard quota is sized for.
fn quota_basis(basis: &QuotaBasis) -> String {
    match basis {
        QuotaBasis::ObservedPerGroup { window_s } => format!(
            "standard quota admits each deployment's (or model's) busiest {window_s}s request \
             window and busiest calendar minute of admission tokens, the windows `simulate` \
             enforces (--rpm-window)"
        ),
        QuotaBasis::ObservedWholeLog {
            window_s,
            peak_requests,
            peak_admission_tpm,
        } => format!(
            "standard quota admits the busiest {window_s}s request window ({}) and the busiest \
             calendar minute of admission tokens ({}), the windows `simulate` enforces \
             (--rpm-window); replaying the log against it refuses nothing",
            numfmt::plural(*peak_requests, "request", "requests"),
            numfmt::short(*peak_admission_tpm)
        ),
        QuotaBasis::Poisson {
            window_s,
            busiest_minute_requests,
            max_throttle,
        } => format!(
            "standard quota: per-minute input has no sub-minute detail, so it is sized for \
             random (Poisson) arrivals at the busiest minute's {} with at most {} of first \
             attempts refused (--max-throttle) at the {window_s}s window",
            numfmt::plural(*busiest_minute_requests, "request", "requests"),
            numfmt::percent(*max_throttle),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_limit_note_agrees_with_how_many_files() {
        let one = AnalyzeNote::ExportRowLimit {
            files: vec!["a.csv".into()],
        };
        let two = AnalyzeNote::ExportRowLimit {
            files: vec!["a.csv".into(), "b.csv".into()],
        };
        assert!(sentence(&one).starts_with("a.csv holds exactly as many rows"));
        assert!(sentence(&two).starts_with("a.csv, b.csv hold exactly as many rows"));
    }

    #[test]
    fn a_period_is_said_in_its_largest_whole_unit() {
        let said = |minutes| sentence(&AnalyzeNote::PeriodGiven { minutes });
        assert!(said(2880).contains("stand for 2 days (--period)"));
        assert!(said(180).contains("stand for 3 hours (--period)"));
        assert!(said(90).contains("stand for 90 minutes (--period)"));
    }
}
