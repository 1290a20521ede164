//! The price overlay: prices `prices fetch` found in the Retail Prices API, each with its meter
//! and query, written as TOML and applied to the catalog by `--prices FILE` (env
//! `PTUPLAN_PRICES`) before any command prices anything.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{
    Catalog, CatalogField, MAX_PTU_PRICE_HOURLY, MAX_PTU_PRICE_MONTHLY, MAX_PTU_PRICE_YEARLY,
    MAX_TOKEN_PRICE, PtuPrices, Source, TokenPrices,
};
use crate::deployment::DeploymentType;

use super::meters::{Priced, Rate, Term, classify};
use super::page::Item;

/// The overlay format version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The catalog source ID an applied overlay's prices cite.
pub const SOURCE_ID: &str = "RP1";

/// A price overlay file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Format version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// ISO currency code of every price in it.
    pub currency: String,
    /// The Azure region queried.
    pub region: String,
    /// The day the prices were retrieved (YYYY-MM-DD).
    pub retrieved: String,
    /// Where they came from: the API's address, or the folder of saved pages.
    pub origin: String,
    /// The `$filter` of each query, by the key values cite.
    #[serde(default)]
    pub queries: BTreeMap<String, String>,
    /// PTU prices per provisioned deployment type.
    #[serde(default)]
    pub ptu: BTreeMap<DeploymentType, PtuOverlay>,
    /// Token prices per catalog model and standard deployment type, per 1 million tokens.
    #[serde(default)]
    pub tokens: BTreeMap<String, BTreeMap<DeploymentType, TokenOverlay>>,
    /// Priority-processing token prices, the same way (meters with `pp`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub priority: BTreeMap<String, BTreeMap<DeploymentType, TokenOverlay>>,
}

/// One price with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// The price (per PTU for the term, or per 1 million tokens).
    pub price: f64,
    /// The meter's name.
    pub meter: String,
    /// The key of the query that returned it.
    pub query: String,
    /// The day the price took effect, as the API gives it.
    #[serde(default)]
    pub effective: String,
}

/// A provisioned deployment type's PTU prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PtuOverlay {
    /// Per PTU-hour.
    pub hourly: Value,
    /// Per PTU, 1-month reservation.
    pub monthly: Value,
    /// Per PTU, 1-year reservation.
    pub yearly: Value,
}

/// A model's token prices on one standard deployment type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenOverlay {
    /// Uncached prompt tokens.
    pub input: Value,
    /// Cached prompt tokens, when a meter exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cached: Option<Value>,
    /// Completion tokens.
    pub output: Value,
}

/// What an overlay is about, besides the items.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieval {
    /// Currency asked for.
    pub currency: String,
    /// Region asked for.
    pub region: String,
    /// Day retrieved.
    pub retrieved: String,
    /// API address or folder.
    pub origin: String,
    /// Query keys and filters.
    pub queries: BTreeMap<String, String>,
}

/// What matching found besides the overlay's prices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Findings {
    /// Meters that matched no catalog price (name, unit, price).
    pub unmatched: Vec<String>,
    /// Catalog prices (model and type, or PTU type) no meter was found for.
    pub missing: Vec<String>,
    /// Prices found only in part (a model with input but no output meter, a PTU type without
    /// all three terms): left out.
    pub incomplete: Vec<String>,
    /// Items in another currency or region than asked: left out.
    pub foreign: usize,
    /// Prices that take effect after the retrieval day: left out.
    pub future: usize,
    /// Two prices for one catalog price on the same day: the one kept and the one left out.
    pub conflicts: Vec<String>,
}

/// At most this many entries of each list are written into the overlay's comments.
const MAX_LISTED: usize = 200;

type Found = BTreeMap<(String, DeploymentType, Rate), Value>;
type FoundPtu = BTreeMap<(DeploymentType, Term), Value>;

/// Builds the overlay from `(item, query key)` pairs; the newest price of each meter wins.
pub fn build(items: &[(Item, &str)], catalog: &Catalog, about: Retrieval) -> (Overlay, Findings) {
    let mut findings = Findings::default();
    let (mut tokens, mut priority, mut ptus): (Found, Found, FoundPtu) = Default::default();
    for (item, query) in items {
        let wrong_place = !item.currency_code.eq_ignore_ascii_case(&about.currency)
            || (!item.arm_region_name.is_empty() && item.arm_region_name != about.region);
        if wrong_place {
            findings.foreign += 1;
            continue;
        }
        if item.effective_start_date.get(..10).unwrap_or_default() > about.retrieved.as_str() {
            findings.future += 1;
            continue;
        }
        let value = |price: f64| Value {
            price,
            meter: item.meter_name.clone(),
            query: (*query).to_string(),
            effective: item
                .effective_start_date
                .get(..10)
                .unwrap_or_default()
                .to_string(),
        };
        match classify(item, catalog) {
            Some(Priced::Token {
                model,
                deployment,
                rate,
                priority: is_priority,
                per_million,
            }) => keep_newest(
                if is_priority {
                    &mut priority
                } else {
                    &mut tokens
                },
                (model, deployment, rate),
                value(per_million),
                &mut findings.conflicts,
            ),
            Some(Priced::Ptu {
                deployment,
                term,
                price,
            }) => keep_newest(
                &mut ptus,
                (deployment, term),
                value(price),
                &mut findings.conflicts,
            ),
            None => findings.unmatched.push(format!(
                "{} ({} {}, {})",
                item.meter_name, item.retail_price, item.unit_of_measure, item.product_name
            )),
        }
    }
    let overlay = Overlay {
        schema_version: SCHEMA_VERSION,
        currency: about.currency.to_ascii_uppercase(),
        region: about.region,
        retrieved: about.retrieved,
        origin: about.origin,
        queries: about.queries,
        ptu: ptu_groups(&mut ptus, &mut findings),
        tokens: token_groups(&mut tokens, &mut findings),
        priority: token_groups(&mut priority, &mut findings),
    };
    findings.missing = missing(catalog, &overlay);
    (overlay, findings)
}

/// Keeps the value with the latest effective date for `key`; a second, different price on the
/// same day is recorded as a conflict (the first is kept).
fn keep_newest<K: Ord>(
    found: &mut BTreeMap<K, Value>,
    key: K,
    value: Value,
    conflicts: &mut Vec<String>,
) {
    match found.get(&key) {
        Some(known) if known.effective == value.effective && known.price != value.price => {
            conflicts.push(format!(
                "{} on {}: kept {}, left out {} ({})",
                known.meter, known.effective, known.price, value.price, value.meter
            ));
        }
        Some(known) if known.effective >= value.effective => {}
        _ => {
            found.insert(key, value);
        }
    }
}

/// PTU prices of types that have all three terms; the rest are listed as incomplete.
fn ptu_groups(
    found: &mut FoundPtu,
    findings: &mut Findings,
) -> BTreeMap<DeploymentType, PtuOverlay> {
    let mut groups = BTreeMap::new();
    for deployment in DeploymentType::ALL {
        let mut take = |term| found.remove(&(deployment, term));
        match (
            take(Term::Hourly),
            take(Term::OneMonth),
            take(Term::OneYear),
        ) {
            (Some(hourly), Some(monthly), Some(yearly)) => {
                groups.insert(
                    deployment,
                    PtuOverlay {
                        hourly,
                        monthly,
                        yearly,
                    },
                );
            }
            (None, None, None) => {}
            _ => findings.incomplete.push(format!(
                "PTU {deployment}: not every term (hourly, 1 month, 1 year) has a meter"
            )),
        }
    }
    groups
}

/// Token prices of (model, type) pairs with input and output meters.
fn token_groups(
    found: &mut Found,
    findings: &mut Findings,
) -> BTreeMap<String, BTreeMap<DeploymentType, TokenOverlay>> {
    let pairs: Vec<(String, DeploymentType)> =
        found.keys().map(|(m, d, _)| (m.clone(), *d)).collect();
    let mut groups: BTreeMap<String, BTreeMap<DeploymentType, TokenOverlay>> = BTreeMap::new();
    for (model, deployment) in pairs {
        let mut take = |rate| found.remove(&(model.clone(), deployment, rate));
        let (input, cached, output) = (take(Rate::Input), take(Rate::Cached), take(Rate::Output));
        match (input, output) {
            (Some(input), Some(output)) => {
                groups.entry(model).or_default().insert(
                    deployment,
                    TokenOverlay {
                        input,
                        cached,
                        output,
                    },
                );
            }
            (None, None) if cached.is_none() => {}
            _ => findings.incomplete.push(format!(
                "{model} {deployment}: input and output meters are not both there"
            )),
        }
    }
    groups
}

/// Catalog prices the overlay has no value for.
fn missing(catalog: &Catalog, overlay: &Overlay) -> Vec<String> {
    let mut missing: Vec<String> = catalog
        .ptu_prices
        .keys()
        .filter(|d| !overlay.ptu.contains_key(d))
        .map(|d| format!("PTU {d}"))
        .collect();
    for model in &catalog.models {
        for deployment in model.prices.keys() {
            let found = overlay
                .tokens
                .get(&model.name)
                .is_some_and(|types| types.contains_key(deployment));
            if !found {
                missing.push(format!("{} {deployment}", model.name));
            }
        }
    }
    missing
}

/// The overlay as TOML, with a header and, as comments, what was not matched.
pub fn to_toml(overlay: &Overlay, findings: &Findings) -> Result<String, toml::ser::Error> {
    let mut text = format!(
        "# ptuplan price overlay: Azure Retail Prices API, {} prices in {}, retrieved {}.\n\
         # Apply it with --prices FILE (or PTUPLAN_PRICES=FILE). Token prices are per 1 million\n\
         # tokens; PTU prices per PTU for the term (hourly: per hour).\n\n",
        overlay.currency, overlay.region, overlay.retrieved
    );
    text.push_str(&toml::to_string(overlay)?);
    let lists = [
        ("catalog prices with no meter found", &findings.missing),
        ("found in part, left out", &findings.incomplete),
        ("two prices on one day, the first kept", &findings.conflicts),
        ("meters matching no catalog price", &findings.unmatched),
    ];
    for (title, list) in lists {
        if !list.is_empty() {
            text.push_str(&format!("\n# {title} ({}):\n", list.len()));
            for entry in list.iter().take(MAX_LISTED) {
                let entry: String = entry.chars().take(300).collect();
                text.push_str(&format!("#   {}\n", entry.replace(['\n', '\r'], " ")));
            }
            if list.len() > MAX_LISTED {
                text.push_str(&format!("#   ... and {} more\n", list.len() - MAX_LISTED));
            }
        }
    }
    Ok(text)
}

/// Reads an overlay; the error names the problem (the caller adds the file).
pub fn parse(text: &str) -> Result<Overlay, String> {
    let overlay: Overlay = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
        format!("{at}{}", e.message().trim())
    })?;
    if overlay.schema_version != SCHEMA_VERSION {
        return Err(format!(
            "schema_version is {}, this ptuplan reads {SCHEMA_VERSION}",
            overlay.schema_version
        ));
    }
    if overlay.currency.len() != 3 || !overlay.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "currency '{}' is not an ISO code such as USD or EUR",
            overlay.currency
        ));
    }
    let ptu = overlay.ptu.values().flat_map(|p| {
        [
            (&p.hourly, MAX_PTU_PRICE_HOURLY),
            (&p.monthly, MAX_PTU_PRICE_MONTHLY),
            (&p.yearly, MAX_PTU_PRICE_YEARLY),
        ]
    });
    let tokens = overlay.tokens.values().flat_map(|types| {
        types
            .values()
            .flat_map(|t| [Some(&t.input), t.cached.as_ref(), Some(&t.output)])
            .flatten()
            .map(|v| (v, MAX_TOKEN_PRICE))
    });
    for (value, max) in ptu.chain(tokens) {
        crate::catalog::check_price(value.price, max)
            .map_err(|why| format!("the price of meter '{}' {why}", value.meter))?;
    }
    Ok(overlay)
}

/// Applies `overlay` (read from `shown`) to the catalog: its prices replace the catalog's and
/// cite it. With another currency than USD, catalog prices it does not replace are dropped, so
/// no answer mixes currencies.
pub fn apply(overlay: &Overlay, catalog: &mut Catalog, shown: &str) -> Result<(), String> {
    for model in overlay.tokens.keys() {
        if !catalog.models.iter().any(|m| &m.name == model) {
            return Err(format!(
                "model '{model}' is not in the catalog (was the overlay fetched with another \
                 --catalog?)"
            ));
        }
    }
    let foreign = overlay.currency != "USD";
    for model in &mut catalog.models {
        let types = overlay.tokens.get(&model.name);
        if foreign {
            // Catalog prices are in USD: none may be mixed with the overlay's.
            model.prices.clear();
            if let Some(priority) = &mut model.priority {
                priority.prices.clear();
            }
        }
        let Some(types) = types else { continue };
        for (deployment, t) in types {
            let prices = TokenPrices {
                input: t.input.price,
                cached: t.cached.as_ref().map(|c| c.price),
                output: t.output.price,
            };
            model.prices.insert(*deployment, prices);
        }
        model.sources.prices = Some(SOURCE_ID.to_string());
        model.unverified.retain(|f| *f != CatalogField::Prices);
    }
    apply_priority(overlay, catalog);
    if foreign {
        catalog.ptu_prices.clear();
    }
    for (deployment, p) in &overlay.ptu {
        let prices = PtuPrices {
            hourly: p.hourly.price,
            monthly: p.monthly.price,
            yearly: p.yearly.price,
            source: SOURCE_ID.to_string(),
            unverified: false,
            note: Some(format!(
                "Azure Retail Prices API meters '{}', '{}' and '{}' ({}, {}).",
                p.hourly.meter, p.monthly.meter, p.yearly.meter, overlay.region, overlay.retrieved
            )),
        };
        catalog.ptu_prices.insert(*deployment, prices);
    }
    catalog.sources.insert(
        SOURCE_ID.to_string(),
        Source {
            title: format!(
                "Azure Retail Prices API, {} prices in {} (price overlay {shown}, from {})",
                overlay.currency, overlay.region, overlay.origin
            ),
            url: Some(super::page::ENDPOINT.to_string()),
            date: overlay.retrieved.clone(),
        },
    );
    catalog.currency = overlay.currency.clone();
    Ok(())
}

/// The overlay's priority prices, for the models and types the catalog offers priority on
/// (a meter for another is left out: Microsoft's list of priority models is the authority);
/// they replace the model's catalog priority prices, which are not kept beside them.
fn apply_priority(overlay: &Overlay, catalog: &mut Catalog) {
    for model in &mut catalog.models {
        let (Some(offer), Some(types)) = (&mut model.priority, overlay.priority.get(&model.name))
        else {
            continue;
        };
        // One source for the model's priority prices: the catalog's are dropped, not mixed in.
        offer.prices.clear();
        for (deployment, t) in types {
            if !offer.deployments.contains(deployment) {
                continue;
            }
            let prices = TokenPrices {
                input: t.input.price,
                cached: t.cached.as_ref().map(|c| c.price),
                output: t.output.price,
            };
            offer.prices.insert(*deployment, prices);
            offer.prices_source = Some(SOURCE_ID.to_string());
            offer.prices_unverified = false;
        }
    }
}

#[cfg(test)]
mod tests;
