//! `models`: the catalog listed, or one model in full.

use chrono::NaiveDate;

use serde::Serialize;

use crate::catalog::{Catalog, Model, Source};
use crate::cli::{Format, ModelsArgs};
use crate::render::table;

use super::{lifecycles, render_json};

/// The JSON body of `models`: the models shown and the sources they cite (with `--regions`,
/// where the model is offered).
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct ModelsBody<'a> {
    models: Vec<&'a Model>,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability: Option<Vec<&'a crate::catalog::Availability>>,
    /// Batch enqueued-token quotas of the models shown (where batch is offered).
    batch_quota: Vec<&'a crate::catalog::BatchQuota>,
    sources: std::collections::BTreeMap<&'a str, &'a Source>,
}

pub(super) fn run_models(
    args: &ModelsArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let models: Vec<&Model> = match &args.name {
        Some(name) => vec![catalog.find(name)?],
        None => catalog.models.iter().collect(),
    };
    let lifecycle = lifecycles(models.iter().copied(), &[], catalog, as_of);
    let availability = args.regions.then(|| {
        catalog
            .region_lists()
            .iter()
            .filter(|a| models.iter().any(|m| m.name == a.model))
            .collect::<Vec<_>>()
    });
    match format {
        Format::Json => {
            let region_sources = availability.iter().flatten().map(|a| a.source.clone());
            let sources = models
                .iter()
                .flat_map(|m| catalog.cited_sources(m))
                .chain(region_sources)
                .filter_map(|id| catalog.sources.get_key_value(id.as_str()))
                .map(|(id, source)| (id.as_str(), source))
                .collect();
            let batch_quota = catalog
                .batch_quotas()
                .iter()
                .filter(|q| models.iter().any(|m| m.name == q.model))
                .collect();
            let body = ModelsBody {
                models,
                availability,
                batch_quota,
                sources,
            };
            render_json(catalog, Some(&lifecycle), &body)
        }
        Format::Table if args.regions => Ok(table::model_regions(
            models[0],
            availability.as_deref().unwrap_or_default(),
            catalog,
        )),
        Format::Table | Format::Markdown => Ok(match models.as_slice() {
            [one] if args.name.is_some() => table::model_detail(one, catalog, &lifecycle),
            _ => table::models(catalog, &lifecycle),
        }),
    }
}
