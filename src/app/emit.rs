//! `emit`: the deployments a sized plan implies, as an ARM template, or the metric alerts that
//! watch them (an ARM template, or `az` commands); to stdout or `--output`.

use crate::calc::plan::{PlanReport, deployment_specs};
use crate::catalog::Catalog;
use crate::cli::{EmitArgs, EmitKind};
use crate::render::emit::{self, AlertSettings, Origin};

use super::output::OutputFile;

/// Runs `emit`: returns the text for stdout, or writes `--output` and returns nothing.
pub(super) fn run_emit(
    args: &EmitArgs,
    report: &PlanReport,
    catalog: &Catalog,
) -> anyhow::Result<String> {
    let output = OutputFile::open_if(args.output.as_deref(), "emitted file")?;
    let specs = deployment_specs(report, catalog);
    let origin = Origin {
        version: env!("CARGO_PKG_VERSION"),
        plan: args.file.display().to_string(),
        catalog: format!("{} ({})", catalog.as_of, catalog.origin),
    };
    let settings = AlertSettings {
        threshold: args.threshold,
        window_minutes: args.window,
    };
    let text = match args.kind {
        EmitKind::Arm => pretty(&emit::arm(&specs, &origin))?,
        EmitKind::Terraform => emit::terraform(&specs, &origin),
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

/// Pretty JSON with a final newline.
fn pretty(value: &serde_json::Value) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}
