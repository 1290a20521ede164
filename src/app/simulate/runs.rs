//! The runs: every candidate on the same requests, the offered load measured, the trace written.

use std::io::Write;

use crate::sim::compare::Candidate;
use crate::sim::{RetryPolicy, Service, SimConfig, Target};
use crate::traffic;

use super::offered::Offered;
use super::{sim_usage, usage};
use crate::app::batches::pipelined;
use crate::app::output::OutputFile;

/// The columns of a `--trace-out` file: names the log reader recognizes, so that `--replay`
/// and `analyze` read it; `at_ms` is the simulated time in ms, as in earlier traces.
pub(super) const TRACE_HEADER: &str =
    "timestamp,at_ms,prompt_tokens,cached_tokens,completion_tokens,max_tokens";

/// The offered requests, written as CSV while the first candidate runs.
pub(super) struct Trace {
    pub(super) file: OutputFile,
    pub(super) out: std::io::BufWriter<std::fs::File>,
    /// Unix time of simulated time 0, s.
    pub(super) epoch_s: i64,
    /// The second last formatted and its RFC 3339 text up to the seconds.
    pub(super) second: Option<i64>,
    pub(super) stamp: String,
    /// The first write error, reported by [`Trace::finish`].
    pub(super) error: Option<std::io::Error>,
}

impl Trace {
    /// Writes the header to `file`, the output opened before the run.
    pub(super) fn create(mut file: OutputFile, epoch_s: i64) -> anyhow::Result<Trace> {
        let handle = file.file().try_clone().map_err(|e| file.error(e))?;
        let mut out = std::io::BufWriter::new(handle);
        writeln!(out, "{TRACE_HEADER}").map_err(|e| file.error(e))?;
        Ok(Trace {
            file,
            out,
            epoch_s,
            second: None,
            stamp: String::new(),
            error: None,
        })
    }

    /// One request: its time as RFC 3339 with milliseconds (UTC) and in simulated ms.
    pub(super) fn write(&mut self, r: &crate::sim::Request) {
        if self.error.is_some() {
            return;
        }
        let second = self.epoch_s + (r.at_us / 1_000_000) as i64;
        if self.second != Some(second) {
            self.stamp = crate::timestamp::format_second(second);
            self.stamp.pop(); // the `Z`, written after the milliseconds
            self.second = Some(second);
        }
        if let Err(e) = writeln!(
            self.out,
            "{}.{:03}Z,{:.3},{},{},{},{}",
            self.stamp,
            r.at_us / 1000 % 1000,
            r.at_us as f64 / 1000.0,
            r.prompt,
            r.cached,
            r.completion,
            r.max_tokens
        ) {
            self.error = Some(e);
        }
    }

    /// Flushes the trace; returns its file, to commit when the run succeeds.
    pub(super) fn finish(mut self) -> anyhow::Result<OutputFile> {
        let flushed = match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        };
        flushed.map_err(|e| self.file.error(e))?;
        Ok(self.file)
    }
}

/// Runs shorter than this many requests (about half a second) show no progress bar.
pub(super) const PROGRESS_FROM_REQUESTS: f64 = 5e6;

/// A progress bar on stderr in simulated seconds, for a long run on a terminal; else hidden.
pub(super) fn progress_bar(offered: &Offered, message: String) -> indicatif::ProgressBar {
    crate::app::progress_bar(
        offered.requests >= PROGRESS_FROM_REQUESTS,
        offered.span_s.ceil() as u64,
        "{msg} {wide_bar} {percent}% {eta}",
    )
    .with_message(message)
}

/// What every candidate's run shares.
#[derive(Clone, Copy)]
pub(super) struct RunSetup {
    pub(super) service: Service,
    pub(super) retry: RetryPolicy,
    pub(super) seed: u64,
}

/// The runs: each candidate's report, the offered traffic as measured during the first run,
/// and the finished trace file.
pub(super) struct Runs<'a> {
    pub(super) results: Vec<(&'a Candidate, crate::sim::SimReport)>,
    pub(super) measured: traffic::OfferedLoad,
    pub(super) trace_file: Option<OutputFile>,
}

/// Simulates every candidate on the same requests. The first run also measures the offered
/// traffic and writes the trace.
pub(super) fn run_candidates<'a>(
    candidates: &'a [(Candidate, Target)],
    offered: &Offered,
    setup: RunSetup,
    mut trace: Option<Trace>,
) -> anyhow::Result<Runs<'a>> {
    let mut measured = traffic::OfferedLoad::default();
    let mut results = Vec::new();
    for (index, (candidate, target)) in candidates.iter().enumerate() {
        let config = SimConfig {
            target: *target,
            service: setup.service,
            retry: setup.retry,
            seed: setup.seed,
        };
        let requests = (offered.make)()?;
        let message = format!(
            "simulating {} ({}/{})",
            candidate.label,
            index + 1,
            candidates.len()
        );
        let progress = progress_bar(offered, message);
        let simulate = |r| crate::sim::simulate(&config, r);
        let report = if index == 0 {
            let observe = |r: &crate::sim::Request| {
                measured.add(r);
                if let Some(trace) = &mut trace {
                    trace.write(r);
                }
            };
            pipelined(requests, observe, &progress, simulate)
        } else {
            pipelined(requests, |_| {}, &progress, simulate)
        }
        .map_err(sim_usage)?;
        if index == 0 {
            measured.finish();
            if report.requests == 0 {
                return Err(usage(
                    "the traffic has no requests: raise --rpm or --duration".into(),
                ));
            }
        }
        results.push((candidate, report));
    }
    Ok(Runs {
        results,
        measured,
        trace_file: trace.map(Trace::finish).transpose()?,
    })
}
