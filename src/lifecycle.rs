//! Model lifecycle: Microsoft's deprecation and retirement dates (catalog `[model.lifecycle]`),
//! and where a model stands on a given day (`--as-of`). Pure: "today" is always passed in.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Model};
use crate::deployment::Sku;

/// A model that retires in fewer than this many days is reported as retiring.
pub const RETIRING_WITHIN_DAYS: i64 = 90;

/// More models than this get one grouped note per stage instead of a note each.
pub const NOTES_PER_MODEL_UP_TO: usize = 3;

/// A model version's published lifecycle, as the catalog holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkuDates {
    /// No new customers from this day.
    #[serde(default, deserialize_with = "day")]
    pub deprecation: Option<NaiveDate>,
    /// Retired from this day.
    #[serde(default, deserialize_with = "day")]
    pub retirement: Option<NaiveDate>,
    /// Caveats.
    #[serde(default)]
    pub note: Option<String>,
}

/// A catalog day, YYYY-MM-DD, with an error that says so.
fn day<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = String::deserialize(input)?;
    parse_day(&text).map(Some).map_err(serde::de::Error::custom)
}

/// Parses a day written exactly as YYYY-MM-DD, from the year 2000 to 2199.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|day| shaped && (2000..2200).contains(&chrono::Datelike::year(day)))
        .ok_or_else(|| {
            format!(
                "expected a day as YYYY-MM-DD from 2000 to 2199 (e.g. 2026-10-14), got '{text}'"
            )
        })
}

/// Release status as Microsoft's retirement table gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Retired: it serves no requests; deployments were migrated.
    Retired,
    /// Retires in fewer than [`RETIRING_WITHIN_DAYS`] days.
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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Migration {
    /// The model to move to: the named replacement, or the first one down its replacement
    /// chain that is not itself retired.
    pub to: String,
    /// Retired replacements passed on the way (empty: `to` is the named replacement).
    pub via: Vec<String>,
    /// `to` is itself retired and names no replacement in the catalog: there is no current
    /// model to move to.
    pub retired: bool,
    /// `to`'s own retirement date, where published.
    pub retirement: Option<NaiveDate>,
    /// Input TPM per PTU before and after.
    pub input_tpm_per_ptu: [f64; 2],
    /// Output weight before and after.
    pub output_weight: [f64; 2],
}

/// One model's lifecycle on a day, as commands report it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LifecycleView {
    /// Catalog name.
    #[serde(skip)]
    pub model: String,
    /// Where it stands.
    pub stage: Stage,
    /// The Azure SKUs the command uses, whose dates are judged (empty: the model's own).
    pub skus: Vec<Sku>,
    /// The version the dates are for.
    pub version: Option<String>,
    /// GA or preview (absent: no lifecycle published).
    pub status: Option<ReleaseStatus>,
    /// Deprecation date (the earliest of the judged SKUs').
    pub deprecation: Option<NaiveDate>,
    /// Retirement date (the earliest of the judged SKUs').
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

    /// The earliest deprecation and retirement dates among `skus` (empty: the model's own).
    pub fn dates_for(&self, skus: &[Sku]) -> (Option<NaiveDate>, Option<NaiveDate>) {
        if skus.is_empty() {
            return (self.deprecation, self.retirement);
        }
        let deprecation = skus
            .iter()
            .filter_map(|sku| {
                self.by_sku
                    .get(sku)
                    .and_then(|d| d.deprecation)
                    .or(self.deprecation)
            })
            .min();
        let retirement = skus
            .iter()
            .filter_map(|sku| self.retirement_for(*sku))
            .min();
        (deprecation, retirement)
    }
}

/// The lifecycles of the models one command used, judged on one day; JSON writes the models
/// as an object keyed by name, in the order the command used them. The notes they make
/// (`Lifecycles::notes`) are in `note::lifecycle`, beside what those notes say.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycles {
    /// The day they are judged on.
    pub as_of: NaiveDate,
    /// One view per model, each model once.
    pub models: Vec<LifecycleView>,
}

impl Lifecycles {
    /// The lifecycles of `models`, each with the Azure SKUs the command uses it on (a model
    /// given twice is judged on all its SKUs), on `as_of`.
    pub fn of<'a>(
        models: impl IntoIterator<Item = (&'a Model, Vec<Sku>)>,
        catalog: &Catalog,
        as_of: NaiveDate,
    ) -> Lifecycles {
        let mut used: Vec<(&Model, Vec<Sku>)> = Vec::new();
        for (model, skus) in models {
            match used.iter_mut().find(|(m, _)| m.name == model.name) {
                Some((_, known)) => known.extend(skus),
                None => used.push((model, skus)),
            }
        }
        let models = used
            .into_iter()
            .map(|(model, mut skus)| {
                skus.sort();
                skus.dedup();
                assess(model, &skus, catalog, as_of)
            })
            .collect();
        Lifecycles { as_of, models }
    }
}

impl schemars::JsonSchema for Lifecycles {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lifecycles".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let view = generator.subschema_for::<LifecycleView>();
        schemars::json_schema!({
            "description": "The lifecycles of the models a command used, judged on one day.",
            "type": "object",
            "properties": {
                "as_of": { "type": "string", "format": "date" },
                "models": { "type": "object", "additionalProperties": view }
            },
            "required": ["as_of", "models"],
            "additionalProperties": false
        })
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

/// Where `model` stands on `as_of` on `skus` (empty: by the model's own dates): the earliest
/// deprecation and retirement of those SKUs count.
pub fn assess(model: &Model, skus: &[Sku], catalog: &Catalog, as_of: NaiveDate) -> LifecycleView {
    let Some(lifecycle) = &model.lifecycle else {
        return LifecycleView {
            model: model.name.clone(),
            stage: Stage::NotPublished,
            skus: skus.to_vec(),
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
    let (deprecation, retirement) = lifecycle.dates_for(skus);
    let days_to_retirement = retirement.map(|day| (day - as_of).num_days());
    let deprecated = deprecation.is_some_and(|day| day <= as_of);
    let stage = match days_to_retirement {
        Some(days) if days <= 0 => Stage::Retired,
        Some(days) if days < RETIRING_WITHIN_DAYS => Stage::Retiring,
        _ if deprecated => Stage::Deprecated,
        _ => Stage::Current,
    };
    let migration = lifecycle.replacement.as_deref().and_then(|name| {
        let (next, via) = live_successor(catalog.lookup(name)?, catalog, as_of);
        let next_retirement = next.lifecycle.as_ref().and_then(|l| l.retirement);
        Some(Migration {
            to: next.name.clone(),
            via,
            retired: next_retirement.is_some_and(|day| day <= as_of),
            retirement: next_retirement,
            input_tpm_per_ptu: [model.input_tpm_per_ptu, next.input_tpm_per_ptu],
            output_weight: [model.output_weight, next.output_weight],
        })
    });
    LifecycleView {
        model: model.name.clone(),
        stage,
        skus: skus.to_vec(),
        version: lifecycle.version.clone(),
        status: Some(lifecycle.status),
        deprecation,
        retirement,
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
            .and_then(|name| catalog.lookup(name))
            .filter(|after| !via.contains(&after.name) && after.name != first.name)
        else {
            break;
        };
        via.push(next.name.clone());
        next = after;
    }
    (next, via)
}

#[cfg(test)]
mod tests;
