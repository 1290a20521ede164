//! `capacity`: what a deployment of a given size serves.

use chrono::NaiveDate;

use crate::calc::capacity::{Limit, capacity};
use crate::catalog::Catalog;
use crate::cli::{CapacityArgs, Format};
use crate::deployment::Sku;
use crate::render::table;

use super::{lifecycles, render_json, request_shape, standard_options};

pub(super) fn run_capacity(
    args: &CapacityArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let shape = request_shape(&args.shape)?;
    let versioned = args
        .model
        .as_deref()
        .map(|name| catalog.find_version(name))
        .transpose()?;
    let model = versioned.as_deref();
    let limit = match (args.tpm, args.ptu, model) {
        (Some(tpm), _, model) => Limit::Standard { tpm, model },
        (None, Some(ptu), Some(model)) => Limit::Provisioned { ptu, model },
        _ => unreachable!("clap requires --tpm, or --ptu with --model"),
    };
    let mut report = capacity(
        limit,
        &shape,
        args.deployment,
        args.target_utilization,
        standard_options(&args.quota),
    )?;
    let sku = Sku::of(args.deployment, args.tpm.is_none());
    let lifecycle = lifecycles(model, &[sku], catalog, as_of);
    report.notes.extend(lifecycle.notes());
    match format {
        Format::Json => render_json(catalog, model.map(|_| &lifecycle), &report),
        Format::Table | Format::Markdown => Ok(table::capacity(&report)),
    }
}
