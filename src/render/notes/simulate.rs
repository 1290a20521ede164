//! The sentences of [`SimulateNote`]s.

use crate::note::SimulateNote;
use crate::numfmt;

/// What `note` says.
pub(super) fn sentence(note: &SimulateNote) -> String {
    match note {
        SimulateNote::WindowRounding {
            tpm_quota,
            rpm,
            exact_per_window,
            per_window,
        } => format!(
            "{} TPM grants {} RPM, {} per window rounded down to {}: effectively {} RPM",
            numfmt::short(*tpm_quota),
            numfmt::count(*rpm),
            numfmt::number(*exact_per_window, 2, true),
            numfmt::count(*per_window),
            numfmt::count(per_window * rpm / exact_per_window)
        ),
        SimulateNote::PtuNotDeployable {
            ptu,
            model,
            deployment,
            min_ptu,
            increment,
        } => format!(
            "{} PTU is not deployable ({model} {deployment} deploys from {min_ptu} PTU in steps \
             of {increment}); simulated as given",
            numfmt::count(*ptu),
        ),
        SimulateNote::TraceWritten { path } => {
            format!("offered requests written to {path} (read by --replay and analyze)")
        }
        SimulateNote::PlotWritten { path } => format!("plot written to {path}"),
        SimulateNote::ShortRun {
            bucket_s,
            span_s,
            warm_up_s,
        } => format!(
            "short run: each PTU bucket starts empty and first absorbs {} of capacity above \
             100%, so over {} sustained overload shows fewer 429s than it will later; simulate \
             at least {} (--duration)",
            numfmt::duration(*bucket_s),
            numfmt::duration(*span_s),
            numfmt::duration(*warm_up_s)
        ),
        SimulateNote::ReasoningTokensMissing { model } => format!(
            "{model} is a reasoning model: its hidden reasoning tokens are generated, billed and \
             weighted as output, and none were given; add --reasoning N, or the load is \
             undersized"
        ),
        SimulateNote::StandardSpeedAssumed { tokens_per_second } => format!(
            "standard deployments have no latency target; their generation speed is the PTU \
             target's {} tokens/s (an assumption: give --tokens-per-second)",
            numfmt::number(*tokens_per_second, 1, true)
        ),
        SimulateNote::NoPrices { reason } => {
            format!(
                "no cost: {}",
                reason.replace("give ", "`ptuplan cost` takes ")
            )
        }
        SimulateNote::PtuPriceUnverified {
            currency,
            ptu_yearly,
            source,
        } => format!(
            "prices: PTUs at {}/PTU-year on a 1-year reservation (catalog source {source}, \
             models.toml [ptu_prices]): UNVERIFIED third-party figures, as Microsoft's docs give \
             none; `ptuplan cost` takes your own (--ptu-yearly)",
            numfmt::money(currency, &numfmt::count(*ptu_yearly)),
        ),
        SimulateNote::ReplayMaxTokens { model, default } => format!(
            "replayed requests count their own completion as max_tokens; clients that send none \
             are counted by {model} at its default {} (pass --max-tokens {default} to simulate \
             that)",
            numfmt::count(f64::from(*default)),
        ),
        SimulateNote::DefaultMaxTokens { model, default } => format!(
            "no --max-tokens: clients are taken to send none, so {model} counts its default \
             max_tokens {} at admission (as size does); pass --max-tokens with what your clients \
             send",
            numfmt::count(f64::from(*default))
        ),
        SimulateNote::SkippedRows { rows } => format!(
            "{} skipped as invalid",
            numfmt::plural(*rows as f64, "row", "rows")
        ),
        SimulateNote::GroupsReplayedTogether {
            column,
            groups,
            model,
        } => format!(
            "the log names {} {column}s ({}): all are replayed together, as {model}",
            groups.len(),
            groups.join(", "),
        ),
        SimulateNote::ContextProblems { model, problems } => format!(
            "context: for {model}, {}; the service refuses such requests (HTTP 400), which this \
             simulation does not model",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        SimulateNote::PerMinuteSpread => "per-minute input: each minute's requests are spread \
                                          evenly over it, so sub-minute bursts are not replayed"
            .into(),
        SimulateNote::ReplaySpread => "replay: each second's requests are spread evenly over \
                                       it, with the second's mean sizes"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_rounding_says_the_effective_rpm() {
        // 90 RPM checked per second is 1.5 requests a window, rounded down to 1: 60 RPM.
        let note = SimulateNote::WindowRounding {
            tpm_quota: 15_000.0,
            rpm: 90.0,
            exact_per_window: 1.5,
            per_window: 1.0,
        };
        assert_eq!(
            sentence(&note),
            "15K TPM grants 90 RPM, 1.50 per window rounded down to 1: effectively 60 RPM"
        );
    }

    #[test]
    fn short_run_names_durations_in_their_largest_whole_unit() {
        let note = SimulateNote::ShortRun {
            bucket_s: 90.0,
            span_s: 600.0,
            warm_up_s: 7_200.0,
        };
        let text = sentence(&note);
        assert!(text.contains("absorbs 90 s of capacity"), "{text}");
        assert!(text.contains("over 10 min sustained"), "{text}");
        assert!(
            text.ends_with("simulate at least 2 h (--duration)"),
            "{text}"
        );
    }
}
