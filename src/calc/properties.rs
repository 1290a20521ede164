//! Property tests of the core: the invariants every sizing must satisfy, over random
//! workloads, every catalog model and every deployment type it offers.

use proptest::prelude::*;

use crate::calc::capacity::{Limit, capacity};
use crate::calc::quota::{QuotaRule, throttle_at};
use crate::calc::rounding::{RELATIVE_TOLERANCE, deployable_ptu};
use crate::calc::sizing::{ModelSizing, SizeOptions, StandardOptions, size_model, standard_quota};
use crate::calc::workload::{RequestShape, TokenCounts, Workload};
use crate::catalog::{Catalog, EMBEDDED, Model};
use crate::deployment::DeploymentType;

fn catalog() -> Catalog {
    Catalog::parse(EMBEDDED, "embedded").expect("embedded catalog is valid")
}

fn shape(prompt: f64, completion: f64, cache_rate: f64) -> RequestShape {
    let counts = TokenCounts {
        total: None,
        prompt: Some(prompt),
        completion: Some(completion),
    };
    RequestShape::new(counts, cache_rate, None).expect("valid shape")
}

fn sized(
    model: &Model,
    deployment: DeploymentType,
    rpm: f64,
    shape: RequestShape,
    target: f64,
) -> ModelSizing {
    let workload = Workload::new(rpm, shape).expect("valid workload");
    size_model(
        &workload,
        model,
        SizeOptions {
            deployment,
            target_utilization: target,
            standard: Default::default(),
        },
    )
    .expect("offered")
}

/// (model index, deployment index) pairs the catalog offers.
fn offered(catalog: &Catalog) -> Vec<(usize, DeploymentType)> {
    catalog
        .models
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.deployments.keys().map(move |d| (i, *d)))
        .collect()
}

fn covers(ptu: u64, raw: f64) -> bool {
    ptu as f64 >= raw * (1.0 - RELATIVE_TOLERANCE)
}

proptest! {
    #[test]
    fn deployable_is_on_the_grid_and_minimal(raw in 0.0f64..1e6, min in 1u32..500, increment in 1u32..500) {
        let ptu = deployable_ptu(raw, min, increment);
        prop_assert!(covers(ptu, raw), "{ptu} < {raw}");
        prop_assert!(ptu >= u64::from(min));
        prop_assert!(ptu == u64::from(min) || ptu.is_multiple_of(u64::from(increment)));
        if ptu > u64::from(min) {
            let smaller = ptu - u64::from(increment);
            prop_assert!(smaller < u64::from(min) || !covers(smaller, raw), "{smaller} also covers {raw}");
        }
    }

    #[test]
    fn sizing_invariants_hold_for_every_model(
        pick in any::<prop::sample::Index>(),
        rpm in 0.01f64..1e6,
        prompt in 0.0f64..200_000.0,
        completion in 0.0f64..20_000.0,
        cache_rate in 0.0f64..=1.0,
        target in 0.05f64..=1.0,
    ) {
        prop_assume!(prompt + completion > 0.0);
        let catalog = catalog();
        let choices = offered(&catalog);
        let (index, deployment) = choices[pick.index(choices.len())];
        let model = &catalog.models[index];
        let grid = model.provisioned(deployment).expect("offered");
        let s = sized(model, deployment, rpm, shape(prompt, completion, cache_rate), target);
        prop_assert!(s.ptu_raw.is_finite() && s.ptu_raw >= 0.0);
        prop_assert!(covers(s.ptu, s.ptu_raw));
        prop_assert!(s.ptu >= u64::from(grid.min_ptu));
        prop_assert!(s.ptu == u64::from(grid.min_ptu) || s.ptu.is_multiple_of(u64::from(grid.increment)));
        prop_assert!(s.ptu_for_target >= s.ptu);
        prop_assert!(s.utilization_for_target <= target * (1.0 + RELATIVE_TOLERANCE));
        prop_assert!(s.utilization <= 1.0 + RELATIVE_TOLERANCE);
        if let Some(quota) = s.standard_tpm_quota {
            let admitted = rpm * (prompt + completion);
            prop_assert!(quota as f64 >= admitted * (1.0 - RELATIVE_TOLERANCE));
        }
    }

    #[test]
    fn more_load_never_needs_fewer_ptus(
        pick in any::<prop::sample::Index>(),
        rpm in 0.01f64..1e5,
        extra_rpm in 0.0f64..1e5,
        prompt in 1.0f64..50_000.0,
        extra_prompt in 0.0f64..50_000.0,
        completion in 0.0f64..5_000.0,
        extra_completion in 0.0f64..5_000.0,
        cache_rate in 0.0f64..=1.0,
    ) {
        let catalog = catalog();
        let choices = offered(&catalog);
        let (index, deployment) = choices[pick.index(choices.len())];
        let model = &catalog.models[index];
        let small = sized(model, deployment, rpm, shape(prompt, completion, cache_rate), 1.0);
        let busier = sized(model, deployment, rpm + extra_rpm, shape(prompt, completion, cache_rate), 1.0);
        let longer = sized(model, deployment, rpm, shape(prompt + extra_prompt, completion + extra_completion, cache_rate), 1.0);
        prop_assert!(busier.ptu_raw >= small.ptu_raw && busier.ptu >= small.ptu);
        prop_assert!(longer.ptu_raw >= small.ptu_raw && longer.ptu >= small.ptu);
    }

    #[test]
    fn capacity_inverts_sizing(
        pick in any::<prop::sample::Index>(),
        steps in 0u32..200,
        prompt in 1.0f64..50_000.0,
        completion in 1.0f64..5_000.0,
        cache_rate in 0.0f64..0.99,
    ) {
        let catalog = catalog();
        let choices = offered(&catalog);
        let (index, deployment) = choices[pick.index(choices.len())];
        let model = &catalog.models[index];
        let grid = model.provisioned(deployment).expect("offered");
        // The grid: the minimum, then every multiple of the increment above it.
        let first_multiple = grid.min_ptu.div_ceil(grid.increment) * grid.increment;
        let ptu = match steps {
            0 => f64::from(grid.min_ptu),
            _ if first_multiple == grid.min_ptu => f64::from(grid.min_ptu + steps * grid.increment),
            _ => f64::from(first_multiple + (steps - 1) * grid.increment),
        };
        let request = shape(prompt, completion, cache_rate);
        let report = capacity(Limit::Provisioned { ptu, model }, &request, deployment, 1.0, Default::default()).expect("valid");
        let back = sized(model, deployment, report.max_rpm, request, 1.0);
        prop_assert!((back.ptu_raw - ptu).abs() <= ptu * 1e-9, "{} vs {ptu}", back.ptu_raw);
        prop_assert!(back.ptu == ptu as u64, "{} vs {ptu}", back.ptu);
    }

    #[test]
    fn standard_quota_admits_both_limits(
        rpm in 0.01f64..1e6,
        prompt in 0.0f64..100_000.0,
        completion in 1.0f64..10_000.0,
        ratio in prop::sample::select(vec![0.1, 1.0 / 6.0, 1.0, 2.5, 6.0, 10.0]),
    ) {
        let workload = Workload::new(rpm, shape(prompt, completion, 0.0)).expect("valid");
        let mut model = Catalog::parse(EMBEDDED, "embedded").expect("valid").find("gpt-4.1").expect("present").clone();
        model.default_max_tokens = None;
        let options = StandardOptions::default();
        let quota = standard_quota(&workload, &model, ratio, 1.0, options);
        // The even answer admits both limits on average.
        let even = quota.tpm_quota_even as f64 * (1.0 + RELATIVE_TOLERANCE);
        prop_assert!(even >= rpm * (prompt + completion));
        prop_assert!(even * ratio / 1000.0 >= rpm * (1.0 - 1e-9));
        // The recommendation is whole units, within the throttle target, and minimal.
        let unit = u64::from(model.quota_unit_tpm);
        prop_assert!(quota.tpm_quota.is_multiple_of(unit));
        prop_assert!(quota.expected_throttle <= options.max_throttle);
        if quota.tpm_quota > quota.tpm_quota_even.div_ceil(unit) * unit {
            let rule = QuotaRule { rpm_per_1000_tpm: ratio, unit_tpm: model.quota_unit_tpm, window: options.rpm_window };
            let (window, tokens) = throttle_at(&rule, rpm, prompt + completion, (quota.tpm_quota - unit) as f64);
            prop_assert!(window + tokens > options.max_throttle);
        }
    }
}

mod cost_properties {
    use proptest::prelude::*;

    use crate::calc::cost::{CostReport, CostSettings, OptionName, Term, cost, example_settings};
    use crate::calc::load::{LoadCurve, MinuteLoad};
    use crate::catalog::{Catalog, EMBEDDED};

    fn settings(term: Term, target: f64) -> CostSettings {
        CostSettings {
            hybrid_term: term,
            target_utilization: target,
            ..example_settings()
        }
    }

    fn usd(report: &CostReport, name: OptionName) -> f64 {
        report
            .options
            .iter()
            .find(|o| o.option == name)
            .map_or(f64::NAN, |o| o.monthly_usd)
    }

    fn minutes() -> impl Strategy<Value = Vec<MinuteLoad>> {
        prop::collection::vec(
            (0.0f64..500.0, 0.0f64..4000.0, 0.0f64..1.0, 0.0f64..1000.0),
            1..60,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .map(|(requests, prompt, cached, completion)| MinuteLoad {
                    requests,
                    prompt: requests * prompt,
                    cached: requests * prompt * cached,
                    completion: requests * completion,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn hybrid_never_costs_more_than_payg_or_full_ptu_on_its_term(
            minutes in minutes(),
            term in prop::sample::select(vec![Term::Hourly, Term::OneMonth, Term::OneYear]),
            target in 0.5f64..=1.0,
        ) {
            let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
            let model = catalog.find("gpt-4.1").expect("present");
            let load = LoadCurve::profile(&minutes, minutes.len() as u64, true, true, None).expect("valid");
            let report = cost(model, &load, &settings(term, target)).expect("valid");
            let full = match term {
                Term::Hourly => OptionName::PtuHourly,
                Term::OneMonth => OptionName::PtuOneMonth,
                Term::OneYear => OptionName::PtuOneYear,
            };
            let hybrid = usd(&report, OptionName::Hybrid);
            prop_assert!(hybrid <= usd(&report, OptionName::Payg) + 0.01);
            prop_assert!(hybrid <= usd(&report, full) + 0.01);
            let recommended = usd(&report, report.recommended);
            prop_assert!(report.options.iter().all(|o| recommended <= o.monthly_usd + 0.01));
        }

        #[test]
        fn more_load_never_costs_less(minutes in minutes(), factor in 1.0f64..5.0) {
            let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
            let model = catalog.find("gpt-4.1").expect("present");
            let heavier: Vec<MinuteLoad> = minutes
                .iter()
                .map(|m| MinuteLoad {
                    requests: m.requests * factor,
                    prompt: m.prompt * factor,
                    cached: m.cached * factor,
                    completion: m.completion * factor,
                })
                .collect();
            let span = minutes.len() as u64;
            let light = cost(model, &LoadCurve::profile(&minutes, span, true, true, None).expect("valid"), &settings(Term::OneYear, 1.0)).expect("valid");
            let heavy = cost(model, &LoadCurve::profile(&heavier, span, true, true, None).expect("valid"), &settings(Term::OneYear, 1.0)).expect("valid");
            for (a, b) in light.options.iter().zip(&heavy.options) {
                prop_assert!(b.monthly_usd >= a.monthly_usd - 0.01, "{:?}: {} < {}", a.option, b.monthly_usd, a.monthly_usd);
            }
        }
    }
}

mod plan_properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use crate::calc::cost::{PtuRates, Term};
    use crate::calc::load::LoadCurve;
    use crate::calc::plan::{Billing, Failover, PlanSettings, PlannedWorkload, plan};
    use crate::calc::workload::{RequestShape, TokenCounts, Workload};
    use crate::catalog::{Catalog, EMBEDDED};
    use crate::deployment::DeploymentType;

    proptest! {
        #[test]
        fn sharing_never_needs_more_ptus_than_separate_deployments(
            shapes in prop::collection::vec((1.0f64..2000.0, 10.0f64..5000.0, 0.0f64..1000.0), 1..6),
            regions in 1usize..4,
            active_active in any::<bool>(),
            target in 0.5f64..=1.0,
        ) {
            let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
            let model = catalog.find("gpt-5-mini").expect("present");
            let workloads: Vec<PlannedWorkload<'_>> = shapes
                .iter()
                .enumerate()
                .map(|(i, &(rpm, prompt, completion))| {
                    let counts = TokenCounts { total: None, prompt: Some(prompt), completion: Some(completion) };
                    let shape = RequestShape::new(counts, 0.0, None).expect("valid");
                    PlannedWorkload {
                        name: format!("w{i}"),
                        model,
                        deployment: DeploymentType::Regional,
                        billing: Billing::Ptu,
                        tier: crate::calc::plan::Tier::Ptu,
                        batch_share: 0.0,
                        flex_availability: 1.0,
                        tiers: crate::calc::service_tier::TierSetup::none("not used"),
                        peak: Workload::new(rpm, shape).expect("valid"),
                        load: LoadCurve::peak_and_average(rpm, rpm, &shape),
                        token_prices: None,
                    }
                })
                .collect();
            let settings = PlanSettings {
                hours_per_month: 730.0,
                target_utilization: target,
                regions: (0..regions).map(|r| format!("r{r}")).collect(),
                failover: Some(if active_active { Failover::ActiveActive } else { Failover::ActivePassive }),
                reserved: BTreeMap::new(),
                reservation_term: Term::OneYear,
                ptu_rates: [(DeploymentType::Regional, PtuRates { hourly: 2.0, monthly: 286.0, yearly: 2916.0 })].into(),
                standard: Default::default(),
                currency: "USD".into(),
            };
            let report = plan(&workloads, &settings).expect("valid");
            let d = &report.deployments[0];
            prop_assert!(d.ptu <= d.ptu_if_separate);
            let alone: u64 = report.workloads.iter().filter_map(|w| w.ptu_alone).sum();
            prop_assert_eq!(alone, d.ptu_if_separate);
            prop_assert!(d.utilization <= target + 1e-9);
            prop_assert_eq!(d.ptu, d.ptu_per_region * regions as u64);
        }
    }
}
