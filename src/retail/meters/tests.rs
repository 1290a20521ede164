use super::*;

fn item(meter: &str, unit: &str, price: f64) -> Item {
    Item {
        currency_code: "USD".into(),
        retail_price: price,
        arm_region_name: "eastus".into(),
        effective_start_date: "2025-08-01T00:00:00Z".into(),
        meter_id: String::new(),
        meter_name: meter.into(),
        product_name: "Azure OpenAI".into(),
        sku_name: meter.trim_end_matches(" Tokens").into(),
        unit_of_measure: unit.into(),
        price_type: "Consumption".into(),
        reservation_term: None,
    }
}

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog")
}

fn token(model: &str, deployment: DeploymentType, rate: Rate, per_million: f64) -> Option<Priced> {
    Some(Priced::Token {
        model: model.into(),
        deployment,
        rate,
        priority: false,
        per_million,
    })
}

/// A priority-processing price.
fn priority(
    model: &str,
    deployment: DeploymentType,
    rate: Rate,
    per_million: f64,
) -> Option<Priced> {
    match token(model, deployment, rate, per_million) {
        Some(Priced::Token {
            model,
            deployment,
            rate,
            per_million,
            ..
        }) => Some(Priced::Token {
            model,
            deployment,
            rate,
            priority: true,
            per_million,
        }),
        other => other,
    }
}

#[test]
fn token_meters_of_each_spelling_map_to_model_type_and_rate() {
    let catalog = catalog();
    let cases = [
        (
            item("gpt 4.1 Inp glbl Tokens", "1K", 0.002),
            token("gpt-4.1", DeploymentType::Global, Rate::Input, 2.0),
        ),
        (
            item("gpt 4.1 cached Inp Data Zone Tokens", "1K", 0.00055),
            token("gpt-4.1", DeploymentType::DataZone, Rate::Cached, 0.55),
        ),
        (
            item("gpt 4.1 Outp regnl Tokens", "1K", 0.0088),
            token("gpt-4.1", DeploymentType::Regional, Rate::Output, 8.8),
        ),
        (
            item("GPT 5 Inpt Glbl 1M Tokens", "1M", 1.25),
            token("gpt-5", DeploymentType::Global, Rate::Input, 1.25),
        ),
        (
            item("GPT 5.1 cd inp Dz 1M Tokens", "1M", 0.1375),
            token("gpt-5.1", DeploymentType::DataZone, Rate::Cached, 0.1375),
        ),
        (
            item("gpt-4o-mini-0718-Outp-glbl Tokens", "1K", 0.0006),
            token("gpt-4o-mini", DeploymentType::Global, Rate::Output, 0.6),
        ),
        (
            item("gpt 4.1 mini Inp glbl Tokens", "1K", 0.0004),
            token("gpt-4.1-mini", DeploymentType::Global, Rate::Input, 0.4),
        ),
        // Newer meters without the family's name; `pp` marks priority processing.
        (
            item("5.4 inp Gl 1M Tokens", "1M", 2.5),
            token("gpt-5.4", DeploymentType::Global, Rate::Input, 2.5),
        ),
        (
            item("5 pp inp Gl 1M Tokens", "1M", 2.5),
            priority("gpt-5", DeploymentType::Global, Rate::Input, 2.5),
        ),
        (
            item("5 mini pp Inp Gl 1M Tokens", "1M", 0.45),
            priority("gpt-5-mini", DeploymentType::Global, Rate::Input, 0.45),
        ),
        (
            item("5.1 pp cd inp Dz 1M Tokens", "1M", 0.275),
            priority("gpt-5.1", DeploymentType::DataZone, Rate::Cached, 0.275),
        ),
    ];
    for (item, expected) in cases {
        let got = classify(&item, &catalog);
        match (&got, &expected) {
            (
                Some(Priced::Token {
                    model,
                    deployment,
                    rate,
                    priority,
                    per_million,
                }),
                Some(Priced::Token {
                    model: m,
                    deployment: d,
                    rate: r,
                    priority: q,
                    per_million: p,
                }),
            ) => {
                assert_eq!(
                    (model, deployment, rate, priority),
                    (m, d, r, q),
                    "{}",
                    item.meter_name
                );
                assert!(
                    (per_million - p).abs() < 1e-9,
                    "{}: {per_million}",
                    item.meter_name
                );
            }
            _ => panic!("{}: {got:?}", item.meter_name),
        }
    }
}

#[test]
fn other_kinds_of_meters_are_not_matched() {
    let catalog = catalog();
    for (meter, unit) in [
        ("GPT 5.1 Batch inp Gl 1M Tokens", "1M"),
        ("54 nano Inp Flex Gl 1M Tokens", "1M"),
        ("5.4 mini Inp Fl Gl 1M Tokens", "1M"),
        ("Az-GPT35-Turbo-4K-FTuned Training Unit", "1 Hour"),
        ("Az-Image-Dall-E-3 Standard LowRes Images", "100"),
        ("gpt 4.1 Inp glbl Tokens", "1 Hour"),
        ("gpt 4.1 Inp Tokens", "1K"),
        ("gpt 4.1 glbl Tokens", "1K"),
        ("gpt 4.1 cached Outp glbl Tokens", "1K"),
        ("gpt 4.1 Inp glbl Audio Tokens", "1K"),
    ] {
        assert_eq!(classify(&item(meter, unit, 1.0), &catalog), None, "{meter}");
    }
    let mut negative = item("gpt 4.1 Inp glbl Tokens", "1K", -1.0);
    assert_eq!(classify(&negative, &catalog), None);
    negative.retail_price = f64::NAN;
    assert_eq!(classify(&negative, &catalog), None);
}

#[test]
fn ptu_meters_hourly_and_reserved() {
    let catalog = catalog();
    let mut hourly = item("Provisioned Managed Data Zone Unit", "1/Hour", 1.1);
    hourly.sku_name = "Provisioned Managed Data Zone".into();
    assert_eq!(
        classify(&hourly, &catalog),
        Some(Priced::Ptu {
            deployment: DeploymentType::DataZone,
            term: Term::Hourly,
            price: 1.1
        })
    );
    let mut yearly = hourly.clone();
    yearly.sku_name = "Provisioned Managed Global".into();
    yearly.price_type = "Reservation".into();
    yearly.product_name = "Azure AI Foundry Provisioned Throughput Reservation".into();
    yearly.reservation_term = Some("1 Year".into());
    yearly.retail_price = 2652.0;
    assert_eq!(
        classify(&yearly, &catalog),
        Some(Priced::Ptu {
            deployment: DeploymentType::Global,
            term: Term::OneYear,
            price: 2652.0
        })
    );
    // Other vendors' PTU meters share the names: only the Azure OpenAI product counts.
    let mut grok = hourly.clone();
    grok.product_name = "Grok".into();
    assert_eq!(classify(&grok, &catalog), None);
    let mut daily = hourly.clone();
    daily.unit_of_measure = "1/Day".into();
    assert_eq!(
        classify(&daily, &catalog),
        None,
        "an hourly meter must be priced per hour"
    );
    let mut huge = hourly.clone();
    huge.retail_price = 1e300;
    assert_eq!(
        classify(&huge, &catalog),
        None,
        "above the catalog's bounds"
    );
    let mut dev_test = hourly;
    dev_test.price_type = "DevTestConsumption".into();
    assert_eq!(classify(&dev_test, &catalog), None);
}
