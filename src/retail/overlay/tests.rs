use super::*;
use crate::retail::page::parse_page;

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog")
}

/// The recorded USD pages (tests/fixtures/retail-prices/usd), each item with its page's name.
fn usd_items() -> Vec<(Item, &'static str)> {
    let pages = [
        (
            "page-1.json",
            include_str!("../../../tests/fixtures/retail-prices/usd/page-1.json"),
        ),
        (
            "page-2.json",
            include_str!("../../../tests/fixtures/retail-prices/usd/page-2.json"),
        ),
    ];
    pages
        .into_iter()
        .flat_map(|(name, text)| {
            let page = parse_page(text).expect("a fixture page");
            page.items.into_iter().map(move |i| (i, name))
        })
        .collect()
}

fn about(currency: &str, region: &str) -> Retrieval {
    Retrieval {
        currency: currency.into(),
        region: region.into(),
        retrieved: "2026-12-03".into(),
        origin: "test".into(),
        queries: BTreeMap::new(),
    }
}

#[test]
fn the_recorded_pages_give_ptu_and_token_prices_of_the_region() {
    let items = usd_items();
    let (overlay, findings) = build(&items, &catalog(), about("USD", "eastus"));
    let global = &overlay.ptu[&DeploymentType::Global];
    let zone = &overlay.ptu[&DeploymentType::DataZone];
    let regional = &overlay.ptu[&DeploymentType::Regional];
    assert_eq!(
        [
            global.hourly.price,
            global.monthly.price,
            global.yearly.price
        ],
        [1.0, 260.0, 2652.0]
    );
    assert_eq!(
        [zone.hourly.price, zone.monthly.price, zone.yearly.price],
        [1.1, 286.0, 2916.0]
    );
    assert_eq!(regional.hourly.price, 2.0);
    let gpt5 = &overlay.tokens["gpt-5"][&DeploymentType::Global];
    assert_eq!(gpt5.input.meter, "GPT 5 Inpt Glbl 1M Tokens");
    assert_eq!((gpt5.input.price, gpt5.output.price), (1.25, 10.0));
    // 1K meters are priced per 1M tokens.
    let gpt41 = &overlay.tokens["gpt-4.1"][&DeploymentType::Global];
    assert!((gpt41.input.price - 2.0).abs() < 1e-9);
    // The batch, priority, fine-tuning, image and Grok meters match nothing.
    assert!(!overlay.tokens.keys().any(|m| m.contains("grok")));
    assert!(findings.unmatched.iter().any(|u| u.contains("Dall-E")));
    assert!(findings.missing.contains(&"gpt-5.2 global".to_string()));
    let counted = overlay.tokens.values().map(BTreeMap::len).sum::<usize>();
    let swedish = items
        .iter()
        .filter(|(i, _)| i.arm_region_name != "eastus")
        .count();
    assert_eq!(findings.foreign, swedish);
    assert!(counted >= 4);
}

#[test]
fn the_newest_price_of_a_meter_wins_and_halves_are_left_out() {
    let mut items = usd_items();
    let (old, page) = items
        .iter()
        .find(|(i, _)| i.meter_name == "GPT 5 Inpt Glbl 1M Tokens" && i.arm_region_name == "eastus")
        .cloned()
        .expect("in the fixture");
    let mut newer = old.clone();
    newer.retail_price = 1.0;
    newer.effective_start_date = "2026-06-01T00:00:00Z".into();
    items.push((newer, page));
    let lone = Item {
        meter_name: "gpt 4.1 nano Inp glbl Tokens".into(),
        ..old
    };
    items.push((lone, page));
    let (overlay, findings) = build(&items, &catalog(), about("USD", "eastus"));
    assert_eq!(
        overlay.tokens["gpt-5"][&DeploymentType::Global].input.price,
        1.0
    );
    assert!(!overlay.tokens.contains_key("gpt-4.1-nano"));
    assert!(
        findings
            .incomplete
            .iter()
            .any(|i| i.starts_with("gpt-4.1-nano global"))
    );
}

#[test]
fn future_prices_and_same_day_conflicts_are_left_out_and_said() {
    let mut items = usd_items();
    let (base, page) = items
        .iter()
        .find(|(i, _)| i.meter_name == "GPT 5 Inpt Glbl 1M Tokens" && i.arm_region_name == "eastus")
        .cloned()
        .expect("in the fixture");
    let future = Item {
        retail_price: 99.0,
        effective_start_date: "2031-01-01T00:00:00Z".into(),
        ..base.clone()
    };
    let twin = Item {
        retail_price: 7.0,
        ..base
    };
    items.push((future, page));
    items.push((twin, page));
    let (overlay, findings) = build(&items, &catalog(), about("USD", "eastus"));
    assert_eq!(
        overlay.tokens["gpt-5"][&DeploymentType::Global].input.price,
        1.25
    );
    assert_eq!(findings.future, 1);
    assert_eq!(findings.conflicts.len(), 1, "{:?}", findings.conflicts);
}

#[test]
fn an_overlay_round_trips_and_replaces_catalog_prices() {
    let (overlay, findings) = build(&usd_items(), &catalog(), about("USD", "eastus"));
    let text = to_toml(&overlay, &findings).expect("serializes");
    let read = parse(&text).expect("parses back");
    assert_eq!(read, overlay);
    let mut catalog = catalog();
    catalog.models.iter_mut().for_each(|m| {
        if m.name == "gpt-5" {
            m.prices.insert(
                DeploymentType::Global,
                TokenPrices {
                    input: 9.0,
                    cached: None,
                    output: 9.0,
                },
            );
        }
    });
    apply(&read, &mut catalog, "prices.toml").expect("applies");
    let gpt5 = catalog.find("gpt-5").expect("gpt-5");
    assert_eq!(gpt5.prices[&DeploymentType::Global].input, 1.25);
    assert_eq!(gpt5.sources.prices.as_deref(), Some(SOURCE_ID));
    let ptu = &catalog.ptu_prices[&DeploymentType::Global];
    assert!(!ptu.unverified);
    assert_eq!(ptu.source, SOURCE_ID);
    assert_eq!(catalog.sources[SOURCE_ID].date, "2026-12-03");
    // gpt-5.2 is not in the overlay: its USD catalog price stays.
    assert!(
        catalog
            .find("gpt-5.2")
            .expect("known")
            .prices
            .contains_key(&DeploymentType::Global)
    );
    assert_eq!(catalog.currency, "USD");
}

#[test]
fn another_currency_never_mixes_with_the_catalogs_usd() {
    let items: Vec<(Item, &str)> = usd_items()
        .into_iter()
        .map(|(mut i, p)| {
            i.currency_code = "EUR".into();
            (i, p)
        })
        .collect();
    let (overlay, _) = build(&items, &catalog(), about("EUR", "eastus"));
    let mut catalog = catalog();
    apply(&overlay, &mut catalog, "eur.toml").expect("applies");
    assert_eq!(catalog.currency, "EUR");
    assert!(
        catalog
            .find("gpt-5")
            .expect("known")
            .prices
            .contains_key(&DeploymentType::Global)
    );
    assert!(
        catalog.find("gpt-5.2").expect("known").prices.is_empty(),
        "USD price dropped"
    );
}

#[test]
fn bad_overlays_are_rejected_with_the_reason() {
    let (overlay, findings) = build(&usd_items(), &catalog(), about("USD", "eastus"));
    let text = to_toml(&overlay, &findings).expect("serializes");
    let cases = [
        (
            text.replace("currency = \"USD\"", "currency = \"dollars\""),
            "not an ISO code",
        ),
        (
            text.replace("schema_version = 1", "schema_version = 2"),
            "schema_version is 2",
        ),
        (
            text.replacen("price = 1.0\n", "price = -1.0\n", 1),
            "must be from 1e-4 to 1e4, got -1",
        ),
        (
            text.replacen("price = 1.0\n", "price = 1e-308\n", 1),
            "must be from 1e-4 to 1e4, got 1e-308",
        ),
        (
            text.replacen("price = 1.0\n", "price = 1e300\n", 1),
            "must be from 1e-4 to 1e4, got 1e300",
        ),
        (
            text.replace("region = \"eastus\"", "region = \"eastus\"\nextra = 1"),
            "unknown field",
        ),
    ];
    for (bad, expected) in cases {
        let error = parse(&bad).expect_err(expected);
        assert!(error.contains(expected), "{expected}: {error}");
    }
    let mut unknown = overlay.clone();
    let prices = unknown.tokens["gpt-5"].clone();
    unknown.tokens.insert("gpt-9".into(), prices);
    let error = apply(&unknown, &mut catalog(), "x.toml").expect_err("unknown model");
    assert!(
        error.contains("model 'gpt-9' is not in the catalog"),
        "{error}"
    );
}
