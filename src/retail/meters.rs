//! Which catalog price a Retail Prices API item is: a model's input, cached-input or output
//! token price on a deployment type, or a PTU price (hourly, 1-month, 1-year) of a type.
//!
//! Meter names are abbreviated inconsistently across model families (`gpt 4.1 Inp glbl Tokens`,
//! `GPT 5 Inpt Glbl 1M Tokens`, `GPT 5.1 cd inp Dz`, `5.4 pp inp Gl`), so a name is split into
//! words and must be a catalog model's name (its leading `gpt` optional) followed only by words
//! that name a rate, a deployment type, priority processing (`pp`), a dated version or the
//! unit. Anything else (batch and flex, whose prices the catalog derives from standard ones;
//! fine-tuning, image, audio meters) is not matched and is reported, as is a price of 0, above
//! the catalog's bounds, or in another unit (a PTU-hour meter must be priced per hour).

use crate::catalog::{
    Catalog, MAX_PTU_PRICE_HOURLY, MAX_PTU_PRICE_MONTHLY, MAX_PTU_PRICE_YEARLY, MAX_TOKEN_PRICE,
};
use crate::deployment::DeploymentType;

use super::page::Item;

/// A token price kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rate {
    /// Uncached prompt tokens.
    Input,
    /// Cached prompt tokens.
    Cached,
    /// Completion tokens.
    Output,
}

/// A PTU price term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    /// Per PTU-hour.
    Hourly,
    /// A 1-month reservation, per PTU.
    OneMonth,
    /// A 1-year reservation, per PTU.
    OneYear,
}

/// What an item prices.
#[derive(Debug, Clone, PartialEq)]
pub enum Priced {
    /// A model's token price on a deployment type, per 1 million tokens.
    Token {
        /// Catalog model name.
        model: String,
        /// Deployment type.
        deployment: DeploymentType,
        /// Input, cached or output.
        rate: Rate,
        /// A priority-processing price (S56), not a standard one.
        priority: bool,
        /// Price per 1 million tokens.
        per_million: f64,
    },
    /// A PTU price of a deployment type.
    Ptu {
        /// Deployment type.
        deployment: DeploymentType,
        /// Hourly or a reservation term.
        term: Term,
        /// Price per PTU for the term (per hour for hourly).
        price: f64,
    },
}

/// Words that mark a meter as another kind of price than plain token or PTU prices.
const OTHER_KINDS: [&str; 15] = [
    "batch", "ft", "ftuned", "training", "hosting", "aud", "audio", "rt", "img", "image", "images",
    "longco", "flex", "fl", "wr",
];

/// What an item prices, or `None` when it is none of the catalog's prices.
pub fn classify(item: &Item, catalog: &Catalog) -> Option<Priced> {
    if !item.retail_price.is_finite() || item.retail_price < 0.0 {
        return None;
    }
    if item.sku_name.starts_with("Provisioned Managed") {
        return ptu(item);
    }
    if item.price_type != "Consumption" || !item.product_name.starts_with("Azure OpenAI") {
        return None;
    }
    let per_million = match item.unit_of_measure.as_str() {
        "1K" => item.retail_price * 1000.0,
        "1M" => item.retail_price,
        _ => return None,
    };
    if !(per_million > 0.0 && per_million <= MAX_TOKEN_PRICE) {
        return None;
    }
    let meter = words(&item.meter_name);
    let (model, rest) = catalog
        .models
        .iter()
        .filter_map(|m| {
            let stem = words(&m.name);
            // Newer meters drop the family's name: `5.4 pp inp Gl` is gpt-5.4's.
            let short = match stem.split_first() {
                Some((first, rest)) if first == "gpt" && !rest.is_empty() => rest,
                _ => &stem[..],
            };
            [&stem[..], short]
                .into_iter()
                .find(|s| meter.starts_with(s))
                .map(|s| (m, &meter[s.len()..]))
        })
        .max_by_key(|(m, _)| m.name.len())?;
    let (rate, deployment, priority) = rate_and_type(rest)?;
    Some(Priced::Token {
        model: model.name.clone(),
        deployment,
        rate,
        priority,
        per_million,
    })
}

/// A Provisioned Managed meter of the Azure OpenAI product (hourly) or the PTU reservation
/// product (1 month, 1 year).
fn ptu(item: &Item) -> Option<Priced> {
    let deployment = match item
        .sku_name
        .trim_start_matches("Provisioned Managed")
        .trim()
    {
        "Global" => DeploymentType::Global,
        "Data Zone" => DeploymentType::DataZone,
        "Regional" => DeploymentType::Regional,
        _ => return None,
    };
    let hourly_unit = matches!(item.unit_of_measure.as_str(), "1/Hour" | "1 Hour");
    let term = match (
        item.price_type.as_str(),
        item.product_name.as_str(),
        item.reservation_term.as_deref(),
    ) {
        ("Consumption", "Azure OpenAI", _) if hourly_unit => Term::Hourly,
        ("Reservation", "Azure AI Foundry Provisioned Throughput Reservation", Some("1 Month")) => {
            Term::OneMonth
        }
        ("Reservation", "Azure AI Foundry Provisioned Throughput Reservation", Some("1 Year")) => {
            Term::OneYear
        }
        _ => return None,
    };
    let max = match term {
        Term::Hourly => MAX_PTU_PRICE_HOURLY,
        Term::OneMonth => MAX_PTU_PRICE_MONTHLY,
        Term::OneYear => MAX_PTU_PRICE_YEARLY,
    };
    (item.retail_price > 0.0 && item.retail_price <= max).then_some(Priced::Ptu {
        deployment,
        term,
        price: item.retail_price,
    })
}

/// The rate, deployment type and whether it is a priority price, from the words after a
/// model's name; `None` if any word is something else or the rate or type is missing.
fn rate_and_type(rest: &[String]) -> Option<(Rate, DeploymentType, bool)> {
    let (mut rate, mut deployment, mut cached, mut priority) = (None, None, false, false);
    let mut i = 0;
    while i < rest.len() {
        let word = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        match word {
            w if OTHER_KINDS.contains(&w) => return None,
            "cached" | "cchd" | "ccchd" | "cd" => cached = true,
            "pp" | "priority" => priority = true,
            "inp" | "inpt" | "input" => rate = Some(Rate::Input),
            "outp" | "outpt" | "output" | "opt" | "out" => rate = Some(Rate::Output),
            "glbl" | "gl" | "global" => deployment = Some(DeploymentType::Global),
            "data" if next == Some("zone") => {
                deployment = Some(DeploymentType::DataZone);
                i += 1;
            }
            "datazone" | "dzone" | "dz" | "dzn" => deployment = Some(DeploymentType::DataZone),
            "regnl" | "rgnl" | "regional" | "regn" | "rg" => {
                deployment = Some(DeploymentType::Regional)
            }
            "tokens" | "1m" | "1k" => {}
            w if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return None,
        }
        i += 1;
    }
    // The words set input or output; "cached" turns input into cached input.
    let rate = match (rate?, cached) {
        (Rate::Input, true) => Rate::Cached,
        (rate, false) => rate,
        _ => return None,
    };
    Some((rate, deployment?, priority))
}

/// A meter or model name as lower-case words (`-`, `_` and spaces separate them).
fn words(name: &str) -> Vec<String> {
    name.split([' ', '-', '_'])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
