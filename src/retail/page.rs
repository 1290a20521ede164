//! The Azure Retail Prices API (`GET https://prices.azure.com/api/retail/prices`): the filters
//! `prices fetch` sends and the JSON pages it reads (`Items`, `NextPageLink`).

use serde::Deserialize;

/// The API's address.
pub const ENDPOINT: &str = "https://prices.azure.com/api/retail/prices";

/// The API version sent: filter values are case-sensitive from this version on.
pub const API_VERSION: &str = "2023-01-01-preview";

/// One page of the API's answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Page {
    /// The currency of the prices.
    #[serde(default)]
    pub billing_currency: Option<String>,
    /// The price items on this page.
    pub items: Vec<Item>,
    /// The absolute address of the next page; `null` or empty on the last.
    #[serde(default)]
    pub next_page_link: Option<String>,
}

/// One price item (a meter in a region, at a price type and term).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// ISO currency code, e.g. `USD`.
    pub currency_code: String,
    /// Price per `unit_of_measure` (a reservation: for the whole term).
    pub retail_price: f64,
    /// Azure region, e.g. `eastus`.
    #[serde(default)]
    pub arm_region_name: String,
    /// From when the price applies (ISO 8601).
    #[serde(default)]
    pub effective_start_date: String,
    /// The meter's ID.
    #[serde(default)]
    pub meter_id: String,
    /// The meter's name, e.g. `gpt 4.1 Inp glbl Tokens`.
    pub meter_name: String,
    /// The product, e.g. `Azure OpenAI`.
    #[serde(default)]
    pub product_name: String,
    /// The SKU, e.g. `Provisioned Managed Global`.
    #[serde(default)]
    pub sku_name: String,
    /// What one unit is: `1K`, `1M` (tokens), `1/Hour`, `1 Hour`.
    #[serde(default)]
    pub unit_of_measure: String,
    /// `Consumption`, `Reservation` or `DevTestConsumption`.
    #[serde(rename = "type", default)]
    pub price_type: String,
    /// A reservation's term: `1 Month` or `1 Year`.
    #[serde(default)]
    pub reservation_term: Option<String>,
}

/// One query `prices fetch` sends: a key the overlay cites, and its OData `$filter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Short name cited by each overlay value, e.g. `ptu-hourly`.
    pub key: &'static str,
    /// The `$filter` value.
    pub filter: String,
}

/// The queries for Azure OpenAI token meters and Provisioned Managed (PTU) meters in `region`:
/// the `Azure OpenAI` product holds gpt-4.x, o-series and hourly PTU meters, `Azure OpenAI GPT5`
/// the gpt-5 family, and PTU reservations are a product of their own.
pub fn queries(region: &str) -> Vec<Query> {
    let region = region.replace('\'', "''");
    let tokens = |product: &str| {
        format!(
            "serviceName eq 'Foundry Models' and priceType eq 'Consumption' and productName eq \
             '{product}' and armRegionName eq '{region}'"
        )
    };
    vec![
        Query {
            key: "azure-openai",
            filter: tokens("Azure OpenAI"),
        },
        Query {
            key: "azure-openai-gpt5",
            filter: tokens("Azure OpenAI GPT5"),
        },
        Query {
            key: "ptu-reservations",
            filter: format!(
                "productName eq 'Azure AI Foundry Provisioned Throughput Reservation' and \
                 priceType eq 'Reservation' and armRegionName eq '{region}'"
            ),
        },
    ]
}

/// Parses one page; the error says what is wrong.
pub fn parse_page(text: &str) -> Result<Page, String> {
    serde_json::from_str(text).map_err(|e| {
        format!("not a Retail Prices API page (a JSON object with Items and NextPageLink): {e}")
    })
}

/// Whether `link` (a page's `NextPageLink`) points at the same API as `endpoint`: the same
/// scheme, host and path, `:443` allowed for https. Other links are not followed.
pub fn is_same_api(link: &str, endpoint: &str) -> bool {
    let strip = |url: &str| -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = path.split('?').next().unwrap_or_default();
        let authority = authority.to_ascii_lowercase();
        let host = match scheme {
            "https" => authority
                .strip_suffix(":443")
                .unwrap_or(&authority)
                .to_string(),
            _ => authority,
        };
        Some(format!("{}://{host}/{path}", scheme.to_ascii_lowercase()))
    };
    matches!((strip(link), strip(endpoint)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_links_are_followed_only_on_the_same_api() {
        let link = "https://prices.azure.com:443/api/retail/prices?$filter=x&$skip=1000";
        assert!(is_same_api(link, ENDPOINT));
        assert!(!is_same_api(
            "https://example.com/api/retail/prices?$skip=1",
            ENDPOINT
        ));
        assert!(!is_same_api(
            "http://prices.azure.com/api/retail/prices",
            ENDPOINT
        ));
        assert!(!is_same_api("not a url", ENDPOINT));
    }

    #[test]
    fn a_region_cannot_break_out_of_its_quotes() {
        let filters = queries("east'us");
        assert!(filters[0].filter.ends_with("armRegionName eq 'east''us'"));
    }
}
