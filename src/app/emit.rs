//! `emit`: the files a sized plan implies: deployments (ARM or Terraform), the metric alerts
//! that watch them (ARM or `az` commands), API Management policies and backends, and a LiteLLM
//! router config; to stdout or `--output`.

use crate::calc::plan::ConsumerKey;
use crate::calc::plan::{PlanReport, deployment_specs, router_plan};
use crate::catalog::Catalog;
use crate::cli::{EmitArgs, EmitKind};
use crate::note::Note;
use crate::render::emit::{self, AlertSettings, Origin};
use crate::render::{emit_apim, emit_litellm};
use std::io::Write;
use std::path::Path;

use super::output::OutputFile;

/// Runs `emit`: returns the text for stdout, or writes `--output` (never over one of the
/// `inputs` it read) and returns nothing; `warnings` (retired models) go to stderr once the
/// flags and the output file are known to be good.
pub(super) fn run_emit(
    args: &EmitArgs,
    report: &PlanReport,
    catalog: &Catalog,
    inputs: &[std::path::PathBuf],
    warnings: &[Note],
) -> anyhow::Result<String> {
    let path = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let inputs: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    super::output::refuse_overwriting_inputs(path, "--output", &inputs)?;
    let output = OutputFile::open_if(path, "emitted file")?;
    let specs = deployment_specs(report, catalog);
    check_flags(args, &specs)?;
    // A retired model's deployment would be refused: say so where scripts see it, once the
    // flags and the output file are known to be good.
    let mut stderr = std::io::stderr();
    for note in warnings {
        let _ = writeln!(
            stderr,
            "warning: {}",
            crate::render::clean(&note.to_string(), 1000)
        );
    }
    let origin = Origin {
        version: env!("CARGO_PKG_VERSION"),
        plan: args.file.display().to_string(),
        catalog: format!("{} ({})", catalog.as_of, catalog.origin),
    };
    let settings = AlertSettings {
        threshold: args.threshold.unwrap_or(0.85),
        window_minutes: args.window.unwrap_or(5),
    };
    let text = match args.kind {
        EmitKind::Arm => pretty(&emit::arm(&specs, &origin))?,
        EmitKind::Terraform => emit::terraform(&specs, &origin),
        EmitKind::Litellm => emit_litellm::litellm(&router_plan(report, &specs, catalog), &origin),
        EmitKind::Apim if report.consumers.is_empty() => {
            return Err(crate::error::InputError::Usage(format!(
                "emit apim: {} has no [[consumer]] tables, so there are no limits to enforce \
                 (see 'Plan files' in docs/guide.md)",
                args.file.display()
            ))
            .into());
        }
        EmitKind::Apim if args.backends => pretty(&emit_apim::backends(report, &specs, &origin))?,
        EmitKind::Apim => {
            let key = args
                .consumer_key
                .clone()
                .unwrap_or(ConsumerKey::Subscription);
            emit_apim::policy(report, &specs, &key, &origin)
        }
        EmitKind::Alerts => {
            let rules = emit::alert_rules(&specs, settings);
            if args.az {
                emit::az_commands(&rules, settings, &origin)
            } else {
                pretty(&emit::alerts(&rules, settings, &origin))?
            }
        }
    };
    match output {
        Some(mut file) => {
            file.write_all(text.as_bytes())?;
            file.commit()?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// The flags that go with one kind of file only, and `--az`'s names.
fn check_flags(args: &EmitArgs, specs: &[crate::calc::plan::DeploymentSpec]) -> anyhow::Result<()> {
    let usage = |message: &str| Err(crate::error::InputError::Usage(message.into()).into());
    let alerts_flags = args.az || args.threshold.is_some() || args.window.is_some();
    match args.kind {
        EmitKind::Alerts if args.az => check_az_names(specs)?,
        EmitKind::Alerts => {}
        _ if alerts_flags => {
            return usage("--az, --threshold and --window go with 'emit alerts' only");
        }
        EmitKind::Apim if args.backends && args.consumer_key.is_some() => {
            return usage("--consumer-key shapes the policy; the --backends template has none");
        }
        EmitKind::Apim => {}
        _ if args.backends || args.consumer_key.is_some() => {
            return usage("--backends and --consumer-key go with 'emit apim' only");
        }
        _ => {}
    }
    Ok(())
}

/// Refuses deployment names `az`'s condition grammar would misread: the alert would watch
/// another deployment and never fire.
fn check_az_names(specs: &[crate::calc::plan::DeploymentSpec]) -> anyhow::Result<()> {
    for spec in specs {
        if let Some(word) = emit::az_keyword_in(&spec.name) {
            return Err(crate::error::InputError::Usage(format!(
                "emit alerts --az: deployment '{}' contains '{word}', which az reads as a \
                 keyword in --condition; drop --az for the ARM template, or rename the workload",
                spec.name
            ))
            .into());
        }
    }
    Ok(())
}

/// Pretty JSON with a final newline.
fn pretty(value: &serde_json::Value) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
