//! Which prices `cost` uses: the catalog's, with any of them replaced from the command line.

use crate::calc::cost::PtuRates;
use crate::calc::param::{Param, ParamError};
use crate::catalog::{CatalogField, Model, PtuPrices, TokenPrices};
use crate::deployment::DeploymentType;
use crate::error::InputError;

/// Prices given on the command line; each replaces the catalog's.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PriceOverrides {
    /// `--price-input`, USD per 1M uncached prompt tokens.
    pub input: Option<f64>,
    /// `--price-cached`, USD per 1M cached prompt tokens.
    pub cached: Option<f64>,
    /// `--price-output`, USD per 1M completion tokens.
    pub output: Option<f64>,
    /// `--ptu-hourly`, USD per PTU per hour.
    pub ptu_hourly: Option<f64>,
    /// `--ptu-monthly`, USD per PTU per month (1-month reservation).
    pub ptu_monthly: Option<f64>,
    /// `--ptu-yearly`, USD per PTU per year (1-year reservation).
    pub ptu_yearly: Option<f64>,
}

/// Prices ready for `cost`, with where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPrices {
    /// Pay-as-you-go token prices.
    pub tokens: TokenPrices,
    /// Source ID, `override`, or `SOURCE + override`.
    pub token_source: String,
    /// PTU prices.
    pub ptu: PtuRates,
    /// Source ID, `override`, or `SOURCE + override`.
    pub ptu_source: String,
    /// True when an unverified catalog price is in use.
    pub unverified: bool,
    /// True when an unverified catalog token price is in use.
    pub unverified_tokens: bool,
}

/// Merges the catalog's prices for `deployment` with the overrides; an error names the flags
/// to give (in the catalog's `currency`) when a price is neither in the catalog nor given.
pub fn resolve(
    model: &Model,
    catalog_ptu: Option<&PtuPrices>,
    deployment: DeploymentType,
    overrides: &PriceOverrides,
    currency: &str,
) -> Result<ResolvedPrices, InputError> {
    let missing = |what, params, unit| {
        InputError::from(ParamError::MissingPrices {
            what,
            model: model.name.clone(),
            deployment: deployment.to_string(),
            params,
            unit,
            currency: currency.to_string(),
        })
    };
    let (tokens, token_source, unverified_tokens) =
        token_prices(model, deployment, overrides, &missing)?;
    let (ptu, ptu_source, unverified_ptu) = ptu_rates(model, catalog_ptu, overrides, &missing)?;
    Ok(ResolvedPrices {
        tokens,
        token_source,
        ptu,
        ptu_source,
        unverified: unverified_ptu || unverified_tokens,
        unverified_tokens,
    })
}

/// The error for prices neither in the catalog nor given: what, the flags, their unit.
type Missing<'a> = &'a dyn Fn(&'static str, &'static [Param], &'static str) -> InputError;

/// Pay-as-you-go token prices, their source, and whether an UNVERIFIED catalog price is used.
fn token_prices(
    model: &Model,
    deployment: DeploymentType,
    overrides: &PriceOverrides,
    missing: Missing<'_>,
) -> Result<(TokenPrices, String, bool), InputError> {
    let catalog_tokens = model.prices.get(&deployment);
    let input = overrides
        .input
        .or(catalog_tokens.map(|p| p.input))
        .ok_or_else(|| {
            missing(
                "pay-as-you-go price",
                &[Param::PriceInput, Param::PriceOutput],
                "per 1M tokens",
            )
        })?;
    let output = overrides
        .output
        .or(catalog_tokens.map(|p| p.output))
        .ok_or_else(|| {
            missing(
                "pay-as-you-go output price",
                &[Param::PriceOutput],
                "per 1M tokens",
            )
        })?;
    let cached = overrides.cached.or(catalog_tokens.and_then(|p| p.cached));
    let overridden =
        overrides.input.is_some() || overrides.output.is_some() || overrides.cached.is_some();
    let source = origin(
        model
            .sources
            .prices
            .as_deref()
            .filter(|_| catalog_tokens.is_some()),
        overridden,
    );
    let unverified = catalog_tokens.is_some()
        && !(overrides.input.is_some() && overrides.output.is_some())
        && model.is_unverified(CatalogField::Prices);
    let prices = TokenPrices {
        input,
        cached,
        output,
    };
    Ok((prices, source, unverified))
}

/// PTU rates, their source, and whether an UNVERIFIED catalog price is used.
fn ptu_rates(
    model: &Model,
    catalog_ptu: Option<&PtuPrices>,
    overrides: &PriceOverrides,
    missing: Missing<'_>,
) -> Result<(PtuRates, String, bool), InputError> {
    let hourly = overrides.ptu_hourly.or(catalog_ptu.map(|p| p.hourly));
    let monthly = overrides.ptu_monthly.or(catalog_ptu.map(|p| p.monthly));
    let yearly = overrides.ptu_yearly.or(catalog_ptu.map(|p| p.yearly));
    let (Some(hourly), Some(monthly), Some(yearly)) = (hourly, monthly, yearly) else {
        return Err(missing(
            "PTU prices",
            &[Param::PtuHourly, Param::PtuMonthly, Param::PtuYearly],
            "per PTU",
        ));
    };
    let overridden = overrides.ptu_hourly.is_some()
        || overrides.ptu_monthly.is_some()
        || overrides.ptu_yearly.is_some();
    let fully_overridden = overrides.ptu_hourly.is_some()
        && overrides.ptu_monthly.is_some()
        && overrides.ptu_yearly.is_some();
    let source = origin(
        catalog_ptu
            .map(|p| p.source.as_str())
            .filter(|_| !fully_overridden),
        overridden,
    );
    let unverified = !fully_overridden
        && (catalog_ptu.is_some_and(|p| p.unverified)
            || model.is_unverified(CatalogField::PtuPrices));
    let rates = PtuRates {
        hourly,
        monthly,
        yearly,
    };
    Ok((rates, source, unverified))
}

/// `id`, `id + override` or `override`: where a set of prices came from.
fn origin(source: Option<&str>, overridden: bool) -> String {
    match (source, overridden) {
        (Some(id), false) => id.to_string(),
        (Some(id), true) => format!("{id} + override"),
        (None, _) => "override".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, EMBEDDED};

    #[test]
    fn catalog_prices_with_overrides() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let ptu = catalog.ptu_prices.get(&DeploymentType::Global);
        let plain = resolve(
            model,
            ptu,
            DeploymentType::Global,
            &PriceOverrides::default(),
            "USD",
        )
        .expect("priced");
        assert_eq!(
            plain.tokens,
            TokenPrices {
                input: 2.0,
                cached: Some(0.5),
                output: 8.0
            }
        );
        assert_eq!(
            plain.ptu,
            PtuRates {
                hourly: 1.0,
                monthly: 260.0,
                yearly: 2652.0
            }
        );
        assert!(plain.unverified, "PTU prices are third-party figures");
        assert_eq!(
            (plain.token_source.as_str(), plain.ptu_source.as_str()),
            ("S30", "S32")
        );
        let all = PriceOverrides {
            ptu_hourly: Some(0.5),
            ptu_monthly: Some(200.0),
            ptu_yearly: Some(2000.0),
            input: Some(1.0),
            ..PriceOverrides::default()
        };
        let custom = resolve(model, ptu, DeploymentType::Global, &all, "USD").expect("priced");
        assert_eq!(custom.tokens.input, 1.0);
        assert_eq!(custom.tokens.output, 8.0);
        assert_eq!(custom.token_source, "S30 + override");
        assert_eq!(custom.ptu_source, "override");
        assert!(!custom.unverified);
    }

    #[test]
    fn missing_prices_name_the_flags() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let ptu = catalog.ptu_prices.get(&DeploymentType::Regional);
        let err = resolve(
            model,
            ptu,
            DeploymentType::Regional,
            &PriceOverrides::default(),
            "USD",
        )
        .expect_err("no regional PAYG price");
        assert!(err.to_string().contains("--price-input"), "{err}");
        let err = resolve(
            model,
            None,
            DeploymentType::Global,
            &PriceOverrides::default(),
            "USD",
        )
        .expect_err("no PTU price");
        assert!(err.to_string().contains("--ptu-hourly"), "{err}");
    }
}
