//! The simulation core alone on a preloaded trace, for `benches/simulate.sh` to compare with a
//! SimPy model of the same limiter on the same trace: prints requests, served, throttled and
//! the seconds `sim::simulate` took (reading the trace excluded, as for SimPy): the fastest of
//! five runs in this process, as this shared VM's timings vary by up to ±30 %.
//!
//! cargo bench --bench sim_trace -- TRACE.csv PTU TPM_PER_PTU OUTPUT_WEIGHT CACHED_WEIGHT \
//!     BUCKET_S TTFT_MS TOKENS_PER_S

use std::time::Instant;

use ptuplan::sim::{ProvisionedParams, Request, RetryPolicy, Service, SimConfig, Target, simulate};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [trace, numbers @ ..] = args.as_slice() else {
        return Err("usage: sim_trace TRACE.csv PTU TPM_PER_PTU OUTPUT_WEIGHT CACHED_WEIGHT BUCKET_S TTFT_MS TOKENS_PER_S".into());
    };
    let numbers: Vec<f64> = numbers
        .iter()
        .map(|n| n.parse().map_err(|_| format!("not a number: {n}")))
        .collect::<Result<_, _>>()?;
    let [
        ptu,
        input_tpm_per_ptu,
        output_weight,
        cached_weight,
        bucket_seconds,
        ttft_ms,
        tps,
    ] = numbers[..]
    else {
        return Err("seven numbers are needed after the trace".into());
    };
    let text = std::fs::read_to_string(trace).map_err(|e| format!("{trace}: {e}"))?;
    let requests: Vec<Request> = text
        .lines()
        .skip(1)
        .map(|line| {
            // timestamp,at_ms,prompt_tokens,cached_tokens,completion_tokens,max_tokens
            let f: Vec<&str> = line.split(',').collect();
            let int = |i: usize| {
                f.get(i)
                    .and_then(|v| v.parse::<u32>().ok())
                    .ok_or_else(|| format!("bad line: {line}"))
            };
            let at_ms: f64 = f
                .get(1)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("bad line: {line}"))?;
            Ok(Request {
                at_us: (at_ms * 1000.0).round() as u64,
                prompt: int(2)?,
                cached: int(3)?,
                completion: int(4)?,
                max_tokens: int(5)?,
            })
        })
        .collect::<Result<_, String>>()?;
    let config = SimConfig {
        target: Target::Provisioned {
            ptu: ProvisionedParams {
                ptu,
                input_tpm_per_ptu,
                output_weight,
                cached_weight,
                bucket_seconds,
            },
            spillover: None,
        },
        service: Service {
            ttft_ms,
            tokens_per_second: tps,
        },
        retry: RetryPolicy::NONE,
        seed: 1,
    };
    let mut seconds = f64::INFINITY;
    let mut report = None;
    for _ in 0..5 {
        let start = Instant::now();
        let run = simulate(&config, requests.iter().copied()).map_err(|e| e.to_string())?;
        seconds = seconds.min(start.elapsed().as_secs_f64());
        report = Some(run);
    }
    let report = report.ok_or("no run")?;
    println!(
        "{} {} {} {seconds}",
        report.requests, report.served, report.throttled_final
    );
    Ok(())
}
