//! Model lifecycle: Microsoft's deprecation and retirement dates (catalog `[model.lifecycle]`),
//! and where a model stands on a given day (`--as-of`). Pure: "today" is always passed in.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Model};
use crate::deployment::Sku;
use crate::numfmt::trimmed;

/// A model that retires within this many days is reported as retiring.
pub const RETIRING_WITHIN_DAYS: i64 = 90;

/// More models than this get one grouped note per stage instead of a note each.
const NOTES_PER_MODEL_UP_TO: usize = 3;

/// A model version's published lifecycle, as the catalog holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The model version the dates are for, e.g. `2025-04-14`.
    #[serde(default)]
    pub version: Option<String>,
    /// Release status: generally available or preview.
    pub status: ReleaseStatus,
    /// From this day no new customers may deploy it.
    #[serde(default, deserialize_with = "day")]
    pub deprecation: Option<NaiveDate>,
    /// From this day it serves no requests; deployments are migrated or upgraded.
    #[serde(default, deserialize_with = "day")]
    pub retirement: Option<NaiveDate>,
    /// The model Microsoft names as its replacement.
    #[serde(default)]
    pub replacement: Option<String>,
    /// Source ID of these dates.
    pub source: String,
    /// Caveats (dates given as "no earlier than", auto-upgrade schedules).
    #[serde(default)]
    pub note: Option<String>,
    /// SKUs whose dates differ from the model's.
    #[serde(default)]
    pub by_sku: BTreeMap<Sku, SkuDates>,
}

/// Dates of one SKU that differ from the model's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkuDates {
    /// No new customers from this day.
    #[serde(
        default,
        deserialize_with = "day",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecation: Option<NaiveDate>,
    /// Retired from this day.
    #[serde(
        default,
        deserialize_with = "day",
        skip_serializing_if = "Option::is_none"
    )]
    pub retirement: Option<NaiveDate>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A catalog day, YYYY-MM-DD, with an error that says so.
fn day<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = String::deserialize(input)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            serde::de::Error::custom(format!(
                "expected a day as YYYY-MM-DD (e.g. 2026-10-14), got '{text}'"
            ))
        })
}

/// Release status as Microsoft's retirement table gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseStatus {
    /// Generally available.
    Ga,
    /// Preview.
    Preview,
    /// Legacy: superseded, with a retirement scheduled (Foundry Models sold by Azure).
    Legacy,
}

/// Where a model stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Retired: it serves no requests; deployments were migrated.
    Retired,
    /// Retires within [`RETIRING_WITHIN_DAYS`].
    Retiring,
    /// Deprecated: no new customers, still served.
    Deprecated,
    /// Neither deprecated nor retiring soon.
    Current,
    /// The catalog holds no lifecycle for it (none published).
    NotPublished,
}

impl Stage {
    /// Whether commands warn about it.
    pub fn is_warned(self) -> bool {
        matches!(self, Self::Retired | Self::Retiring | Self::Deprecated)
    }
}

/// What the in-place migration to the replacement does to a provisioned deployment's
/// throughput: the PTU count is kept, the per-PTU numbers become the replacement's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// The model to move to: the named replacement, or the first one down its replacement
    /// chain that is not itself retired.
    pub to: String,
    /// Retired replacements passed on the way (empty: `to` is the named replacement).
    pub via: Vec<String>,
    /// Input TPM per PTU before and after.
    pub input_tpm_per_ptu: [f64; 2],
    /// Output weight before and after.
    pub output_weight: [f64; 2],
}

/// One model's lifecycle on a day, as commands report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifecycleView {
    /// Catalog name.
    #[serde(skip)]
    pub model: String,
    /// Where it stands.
    pub stage: Stage,
    /// The version the dates are for.
    pub version: Option<String>,
    /// GA or preview (absent: no lifecycle published).
    pub status: Option<ReleaseStatus>,
    /// Deprecation date.
    pub deprecation: Option<NaiveDate>,
    /// Retirement date.
    pub retirement: Option<NaiveDate>,
    /// Days from `--as-of` to the retirement (negative: retired that many days ago).
    pub days_to_retirement: Option<i64>,
    /// The named replacement.
    pub replacement: Option<String>,
    /// The replacement's per-PTU numbers, when it is in the catalog.
    pub migration: Option<Migration>,
    /// SKUs whose dates differ.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_sku: BTreeMap<Sku, SkuDates>,
    /// Source ID.
    pub source: Option<String>,
}

impl Lifecycle {
    /// The retirement date of `sku` (its own when it differs, else the model's).
    pub fn retirement_for(&self, sku: Sku) -> Option<NaiveDate> {
        self.by_sku
            .get(&sku)
            .and_then(|dates| dates.retirement)
            .or(self.retirement)
    }
}

/// The lifecycles of the models one command used, judged on one day; JSON writes the models
/// as an object keyed by name, in the order the command used them.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycles {
    /// The day they are judged on.
    pub as_of: NaiveDate,
    /// One view per model, each model once.
    pub models: Vec<LifecycleView>,
}

impl Lifecycles {
    /// The lifecycles of `models` (repeats dropped) on `as_of`.
    pub fn of<'a>(
        models: impl IntoIterator<Item = &'a Model>,
        catalog: &Catalog,
        as_of: NaiveDate,
    ) -> Lifecycles {
        let mut views: Vec<LifecycleView> = Vec::new();
        for model in models {
            if !views.iter().any(|v| v.model == model.name) {
                views.push(assess(model, catalog, as_of));
            }
        }
        Lifecycles {
            as_of,
            models: views,
        }
    }

    /// The notes for the retired, retiring and deprecated models among them.
    pub fn notes(&self) -> Vec<String> {
        notes(&self.models, self.as_of)
    }
}

impl Serialize for Lifecycles {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct ByName<'a>(&'a [LifecycleView]);
        impl Serialize for ByName<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|v| (&v.model, v)))
            }
        }
        let mut out = serializer.serialize_struct("Lifecycles", 2)?;
        out.serialize_field("as_of", &self.as_of)?;
        out.serialize_field("models", &ByName(&self.models))?;
        out.end()
    }
}

/// Where `model` stands on `as_of`. The stage counts the model's own dates; a SKU that
/// retires earlier is listed in `by_sku` and named in the notes.
pub fn assess(model: &Model, catalog: &Catalog, as_of: NaiveDate) -> LifecycleView {
    let Some(lifecycle) = &model.lifecycle else {
        return LifecycleView {
            model: model.name.clone(),
            stage: Stage::NotPublished,
            version: None,
            status: None,
            deprecation: None,
            retirement: None,
            days_to_retirement: None,
            replacement: None,
            migration: None,
            by_sku: BTreeMap::new(),
            source: None,
        };
    };
    let days_to_retirement = lifecycle.retirement.map(|day| (day - as_of).num_days());
    let deprecated = lifecycle.deprecation.is_some_and(|day| day <= as_of);
    let stage = match days_to_retirement {
        Some(days) if days <= 0 => Stage::Retired,
        Some(days) if days <= RETIRING_WITHIN_DAYS => Stage::Retiring,
        _ if deprecated => Stage::Deprecated,
        _ => Stage::Current,
    };
    let migration = lifecycle.replacement.as_deref().and_then(|name| {
        let (next, via) = live_successor(catalog.find(name).ok()?, catalog, as_of);
        Some(Migration {
            to: next.name.clone(),
            via,
            input_tpm_per_ptu: [model.input_tpm_per_ptu, next.input_tpm_per_ptu],
            output_weight: [model.output_weight, next.output_weight],
        })
    });
    LifecycleView {
        model: model.name.clone(),
        stage,
        version: lifecycle.version.clone(),
        status: Some(lifecycle.status),
        deprecation: lifecycle.deprecation,
        retirement: lifecycle.retirement,
        days_to_retirement,
        replacement: lifecycle.replacement.clone(),
        migration,
        by_sku: lifecycle.by_sku.clone(),
        source: Some(lifecycle.source.clone()),
    }
}

/// The first model down the replacement chain from `first` that is not retired on `as_of`
/// (or the last one the catalog knows), with the retired ones passed on the way.
fn live_successor<'a>(
    first: &'a Model,
    catalog: &'a Catalog,
    as_of: NaiveDate,
) -> (&'a Model, Vec<String>) {
    let mut next = first;
    let mut via = Vec::new();
    while next
        .lifecycle
        .as_ref()
        .and_then(|l| l.retirement)
        .is_some_and(|day| day <= as_of)
    {
        let Some(after) = next
            .lifecycle
            .as_ref()
            .and_then(|l| l.replacement.as_deref())
            .and_then(|name| catalog.find(name).ok())
            .filter(|after| !via.contains(&after.name) && after.name != first.name)
        else {
            break;
        };
        via.push(next.name.clone());
        next = after;
    }
    (next, via)
}

/// The notes commands print for models that are retired, retiring or deprecated on `as_of`:
/// one per model, or one per stage when there are many.
pub fn notes(views: &[LifecycleView], as_of: NaiveDate) -> Vec<String> {
    let warned: Vec<&LifecycleView> = views.iter().filter(|v| v.stage.is_warned()).collect();
    if warned.len() <= NOTES_PER_MODEL_UP_TO {
        return warned.into_iter().map(|v| model_note(v, as_of)).collect();
    }
    [Stage::Retired, Stage::Retiring, Stage::Deprecated]
        .into_iter()
        .filter_map(|stage| grouped_note(&warned, stage, as_of))
        .collect()
}

/// One model's note: what happened or happens when, the replacement and the migration.
fn model_note(view: &LifecycleView, as_of: NaiveDate) -> String {
    let name = match &view.version {
        Some(version) => format!("{} ({version})", view.model),
        None => view.model.clone(),
    };
    let date = |day: Option<NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    let source = view.source.as_deref().unwrap_or("catalog");
    let mut note = match view.stage {
        Stage::Retired => format!(
            "{name} was retired on {} [{source}]: it can no longer be deployed",
            date(view.retirement)
        ),
        Stage::Retiring => format!(
            "{name} retires on {}, in {} days [{source}]",
            date(view.retirement),
            view.days_to_retirement.unwrap_or_default()
        ),
        _ => format!(
            "{name} is deprecated since {} (no new customers){} [{source}]",
            date(view.deprecation),
            view.retirement
                .map(|d| format!(" and retires on {d}"))
                .unwrap_or_default()
        ),
    };
    note.push_str(&sku_exceptions(view, as_of));
    note.push_str(&replacement_clause(view));
    note
}

/// "; Standard retired on 2026-03-31" for SKUs that retire earlier than the model.
fn sku_exceptions(view: &LifecycleView, as_of: NaiveDate) -> String {
    view.by_sku
        .iter()
        .filter_map(|(sku, dates)| {
            let day = dates.retirement?;
            let earlier = view.retirement.is_none_or(|model_day| day < model_day);
            let verb = if day <= as_of { "retired" } else { "retires" };
            earlier.then(|| format!("; {sku} {verb} on {day}"))
        })
        .collect()
}

/// What happens to deployments: standard ones auto-upgrade to the replacement, provisioned
/// ones must be migrated by hand, keeping their PTU count, to the replacement's per-PTU numbers.
fn replacement_clause(view: &LifecycleView) -> String {
    let upgrade = if view.stage == Stage::Retired {
        "were auto-upgraded"
    } else {
        "auto-upgrade"
    };
    match (&view.replacement, &view.migration) {
        (_, Some(m)) => format!(
            "; standard deployments {upgrade} to {to}{via}, provisioned ones must be migrated by \
             hand and keep their PTUs ({to}: {} input TPM per PTU, output weight {}; {from}: {} \
             and {}): size with --model {to}",
            trimmed(m.input_tpm_per_ptu[1], 2),
            trimmed(m.output_weight[1], 2),
            trimmed(m.input_tpm_per_ptu[0], 2),
            trimmed(m.output_weight[0], 2),
            to = m.to,
            via = if m.via.is_empty() {
                String::new()
            } else {
                format!(" (via retired {})", m.via.join(", "))
            },
            from = view.model,
        ),
        (Some(name), None) => format!("; replacement {name} (not in the catalog)"),
        (None, None) => "; no replacement is published".to_string(),
    }
}

/// One note for every model at `stage`, or `None` when there is none.
fn grouped_note(warned: &[&LifecycleView], stage: Stage, as_of: NaiveDate) -> Option<String> {
    let entries: Vec<String> = warned
        .iter()
        .filter(|v| v.stage == stage)
        .map(|v| {
            let day = match stage {
                Stage::Deprecated => v.deprecation,
                _ => v.retirement,
            };
            let day = day.map(|d| d.to_string()).unwrap_or_default();
            match &v.replacement {
                Some(next) => format!("{} ({day}, replacement {next})", v.model),
                None => format!("{} ({day})", v.model),
            }
        })
        .collect();
    if entries.is_empty() {
        return None;
    }
    let head = match stage {
        Stage::Retired => format!(
            "retired by {as_of} (can no longer be deployed; standard deployments were \
             auto-upgraded to the replacement, provisioned ones must be migrated by hand)"
        ),
        Stage::Retiring => format!("retiring within {RETIRING_WITHIN_DAYS} days of {as_of}"),
        _ => "deprecated (no new customers)".to_string(),
    };
    Some(format!(
        "{head}: {}; see 'ptuplan models NAME'",
        entries.join(", ")
    ))
}

#[cfg(test)]
mod tests;
