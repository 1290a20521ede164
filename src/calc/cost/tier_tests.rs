//! Tests of the service-tier options and the cheapest mix, checked by hand against the
//! catalog's prices.

use super::*;
use crate::calc::service_tier::{PriorityOverrides, StandardPrice};
use crate::calc::workload::{RequestShape, TokenCounts};
use crate::catalog::{Catalog, EMBEDDED};

fn catalog() -> Catalog {
    Catalog::parse(EMBEDDED, "embedded").expect("valid")
}

fn shape(prompt: f64, completion: f64) -> RequestShape {
    let counts = TokenCounts {
        total: None,
        prompt: Some(prompt),
        completion: Some(completion),
    };
    RequestShape::new(counts, 0.0, None).expect("valid")
}

/// The example settings with `model`'s catalog tiers on global.
fn settings_for(catalog: &Catalog, model: &Model) -> CostSettings {
    let mut settings = example_settings();
    settings.token_prices = model.prices[&DeploymentType::Global];
    let standard = StandardPrice {
        prices: &settings.token_prices,
        source: "S30",
        unverified: false,
    };
    settings.tiers = TierSetup::resolve(
        catalog,
        model,
        DeploymentType::Global,
        standard,
        &PriorityOverrides::default(),
        SubscriptionType::Default,
    );
    settings
}

fn usd(report: &CostReport, name: OptionName) -> f64 {
    report
        .options
        .iter()
        .find(|o| o.option == name)
        .map(|o| o.monthly_usd)
        .expect("option present")
}

#[test]
fn tiers_priced_by_hand_gpt_4_1_flat_100_rpm() {
    // 4.38e9 prompt + 2.19e9 completion tokens a month. Priority (S30): $3.50 and $14 per 1M =
    // $15,330 + $30,660 = $45,990. Batch: half of $26,280 = $13,140. No flex for gpt-4.1.
    let catalog = catalog();
    let model = catalog.find("gpt-4.1").expect("present");
    let load = LoadCurve::peak_and_average(100.0, 100.0, &shape(1000.0, 500.0));
    let report = cost(model, &load, &settings_for(&catalog, model)).expect("valid");
    assert_eq!(usd(&report, OptionName::Priority), 45_990.0);
    assert_eq!(usd(&report, OptionName::Batch), 13_140.0);
    assert_eq!(report.unpriced.len(), 1);
    assert_eq!(report.unpriced[0].option, OptionName::Flex);
    // Without --latency batch is cheapest but not recommended.
    assert_eq!(report.recommended, OptionName::PtuOneYear);
    // 144,000 requests and 144M prompt tokens a day: under the 200M default quota (S61).
    let batch = report.batch.as_ref().expect("batch priced");
    assert_eq!(batch.daily_prompt_tokens, 144_000_000.0);
    assert_eq!((batch.files_per_day, batch.within_limit), (2, true));
}

#[test]
fn batch_share_sends_that_share_of_every_option_to_batch() {
    // 30% to batch: payg = 70% × $26,280 + 30% × $13,140 = $18,396 + $3,942 = $22,338; the
    // PTUs shrink to 70 for 70% of the peak: 70 × $221 + $3,942 = $19,412.
    let catalog = catalog();
    let model = catalog.find("gpt-4.1").expect("present");
    let load = LoadCurve::peak_and_average(100.0, 100.0, &shape(1000.0, 500.0));
    let mut settings = settings_for(&catalog, model);
    settings.batch_share = 0.3;
    settings.peak_normalized_tpm = Some(300_000.0);
    let report = cost(model, &load, &settings).expect("valid");
    assert_eq!(usd(&report, OptionName::Payg), 22_338.0);
    assert_eq!(report.ptu_for_peak, 70);
    assert_eq!(usd(&report, OptionName::PtuOneYear), 19_412.0);
    assert_eq!(
        usd(&report, OptionName::Batch),
        13_140.0,
        "batch prices all"
    );
    // A model without batch refuses the share, naming it.
    let nano = catalog.find("gpt-5.6-sol").expect("present");
    let mut settings = settings_for(&catalog, nano);
    settings.batch_share = 0.3;
    let error = cost(nano, &load, &settings)
        .expect_err("no batch")
        .to_string();
    assert!(error.contains("--batch-share cannot be used"), "{error}");
}

#[test]
fn flex_prices_the_unavailable_share_at_standard() {
    // gpt-5.6-sol: $4 / $20 standard, flex half. 100 RPM × 1,000 + 100 tokens: $0.006 a
    // request standard, $0.003 flex; 4.38M requests; 90% served by flex:
    // 4.38M × (0.9 × 0.003 + 0.1 × 0.006) = $14,454.
    let catalog = catalog();
    let model = catalog.find("gpt-5.6-sol").expect("present");
    let load = LoadCurve::peak_and_average(100.0, 100.0, &shape(1000.0, 100.0));
    let mut settings = settings_for(&catalog, model);
    settings.flex_availability = 0.9;
    let report = cost(model, &load, &settings).expect("valid");
    assert_eq!(usd(&report, OptionName::Payg), 26_280.0);
    assert_eq!(usd(&report, OptionName::Flex), 14_454.0);
    let flex = report.options.iter().find(|o| o.option == OptionName::Flex);
    assert!(flex.is_some_and(|o| (o.downgraded_share - 0.1).abs() < 1e-12));
    assert!(flex.and_then(|o| o.excluded.as_ref()).is_some());
    settings.latency = Some(LatencyClass::Relaxed);
    let report = cost(model, &load, &settings).expect("valid");
    assert_eq!(report.recommended, OptionName::Flex);
}

#[test]
fn ramp_limit_bills_a_sudden_rise_at_standard() {
    // gpt-5.1: 20 quiet minutes of 10 requests, then 40 (×4, over +50%): the jump minute may
    // carry 1.5 × 10 requests' tokens, the other 25 requests' tokens are downgraded. Only
    // that minute: the next minutes' windows still hold the quiet minutes, so they too.
    let catalog = catalog();
    let model = catalog.find("gpt-5.1").expect("present");
    let request = shape(1000.0, 100.0);
    let mut minutes = vec![MinuteLoad::of_shape(10.0, &request); 20];
    minutes.extend(vec![MinuteLoad::of_shape(40.0, &request); 10]);
    let load = LoadCurve::profile(&minutes, 30, true, true, None).expect("valid");
    let report = cost(model, &load, &settings_for(&catalog, model)).expect("valid");
    let priority = report
        .options
        .iter()
        .find(|o| o.option == OptionName::Priority)
        .expect("priced");
    // Each of the 10 busy minutes sends 40 requests and keeps 15 on priority: 25 × 10 of
    // 200 + 400 requests' tokens are downgraded.
    assert!((priority.downgraded_share - 250.0 / 600.0).abs() < 1e-9);
    // Priority = 2 × standard for gpt-5.1: (600 − 250 + 2 × ... ) → cost = standard × (350 × 2
    // + 250) / 600 of the all-priority bill ÷ 2.
    let payg = usd(&report, OptionName::Payg);
    let expected = payg * (350.0 * 2.0 + 250.0) / 600.0;
    assert!((usd(&report, OptionName::Priority) - expected).abs() < 0.01);
}

#[test]
fn interactive_mix_puts_ptus_under_the_base_and_priority_over_it() {
    // gpt-5.1 (4,750 input TPM per PTU, output weight 8): 20 minutes of 200 requests of 1,000
    // prompt + 100 completion (1,800 normalized each: 360,000 TPM), 4 minutes of 2,000.
    // Interactive: PTUs or priority. PTUs on 1 year ($221 each) carry the base
    // whenever they are busy enough; the spikes overflow to priority.
    let catalog = catalog();
    let model = catalog.find("gpt-5.1").expect("present");
    let request = shape(1000.0, 100.0);
    let mut minutes = vec![MinuteLoad::of_shape(200.0, &request); 20];
    minutes.extend(vec![MinuteLoad::of_shape(2000.0, &request); 4]);
    let load = LoadCurve::profile(&minutes, 24, true, true, None).expect("valid");
    let mut settings = settings_for(&catalog, model);
    settings.latency = Some(LatencyClass::Interactive);
    // The overflow rises from nothing, so the ramp limit would serve nearly all of it as
    // standard, without the latency target: that mix is left out, and PTUs serve the spikes.
    let report = cost(model, &load, &settings).expect("valid");
    let mix = report.mix.as_ref().expect("mix with --latency");
    assert_eq!(mix.overflow_tiers, vec![ServiceTier::Priority]);
    assert_eq!(mix.chosen.overflow, None, "{mix:#?}");
    // Lift the ramp limit (a floor above the spikes): the base on PTUs, the spikes on priority.
    if let Ok(priority) = &mut settings.tiers.priority {
        priority.ramp.floor_tpm = 1e9;
    }
    let report = cost(model, &load, &settings).expect("valid");
    let mix = report.mix.as_ref().expect("mix with --latency");
    let chosen = &mix.chosen;
    assert!(
        chosen.ptu > 0 && chosen.overflow == Some(ServiceTier::Priority),
        "{mix:#?}"
    );
    // The base of 200 RPM is 360,000 normalized TPM, 75.8 PTU's worth: 75 PTU serve all but
    // 3,750 TPM of it (the next 5 PTU would serve those few tokens at $1,105 a month).
    assert_eq!(chosen.ptu, 75, "{chosen:?}");
    assert_eq!(chosen.downgraded_share, 0.0, "{chosen:?}");
    for o in report.options.iter().filter(|o| o.excluded.is_none()) {
        assert!(chosen.monthly_usd <= o.monthly_usd + 0.01, "{o:?}");
    }
    // Standard options are outside the class.
    for name in [OptionName::Payg, OptionName::Hybrid] {
        let o = report
            .options
            .iter()
            .find(|o| o.option == name)
            .expect("listed");
        assert!(
            matches!(
                o.excluded,
                Some(Exclusion::Latency {
                    class: LatencyClass::Interactive,
                    tier: ServiceTier::Standard
                })
            ),
            "{o:?}"
        );
    }
    assert_ne!(
        mix.runner_up.as_ref().map(|r| &r.label),
        Some(&chosen.label)
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    #[test]
    fn the_mix_never_costs_more_than_an_option_it_may_use(
        rpms in proptest::collection::vec(0.0f64..3000.0, 2..60),
        class in 0usize..3,
        share in 0.0f64..0.9,
    ) {
        let catalog = catalog();
        let model = catalog.find("gpt-5.1").expect("present");
        let request = shape(1200.0, 300.0);
        let minutes: Vec<MinuteLoad> = rpms.iter().map(|&r| MinuteLoad::of_shape(r, &request)).collect();
        let span = minutes.len() as u64;
        proptest::prop_assume!(rpms.iter().any(|&r| r > 0.0));
        let load = LoadCurve::profile(&minutes, span, true, true, None).expect("valid");
        let mut settings = settings_for(&catalog, model);
        settings.subscription = SubscriptionType::Enterprise;
        settings.batch_share = (share * 100.0).round() / 100.0;
        settings.latency = Some([LatencyClass::Interactive, LatencyClass::Relaxed, LatencyClass::Deferrable][class]);
        let report = match cost(model, &load, &settings) {
            Ok(report) => report,
            // A share whose day does not fit the quota is refused, not priced.
            Err(e) => {
                proptest::prop_assert!(e.to_string().contains("--batch-share cannot be used"), "{e}");
                return Ok(());
            }
        };
        let mix = report.mix.expect("mix");
        for o in report.options.iter().filter(|o| o.excluded.is_none() && o.throttled_share == 0.0) {
            proptest::prop_assert!(mix.chosen.monthly_usd <= o.monthly_usd + 0.01, "{:?} beats {:?}", o, mix.chosen);
        }
    }
}
