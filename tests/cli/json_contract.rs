//! The JSON contract documented in docs/json.md: every key, its type, nothing undocumented.
//! Structs deny unknown fields, so adding or renaming a key fails here first.

use serde::Deserialize;
use serde_json::Value;

use crate::json;

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogInfo {
    origin: String,
    as_of: String,
    currency: String,
}

/// A note: a code from the documented list and the sentence.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteAnswer {
    code: String,
    message: String,
}

/// The lifecycles of the models a command used (docs/json.md, "Lifecycle").
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LifecycleInfo {
    as_of: String,
    models: std::collections::BTreeMap<String, ModelLifecycle>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelLifecycle {
    stage: String,
    skus: Vec<String>,
    version: Option<String>,
    status: Option<String>,
    deprecation: Option<String>,
    retirement: Option<String>,
    days_to_retirement: Option<i64>,
    replacement: Option<String>,
    migration: Option<Migration>,
    #[serde(default)]
    by_sku: std::collections::BTreeMap<String, SkuDates>,
    source: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Migration {
    to: String,
    via: Vec<String>,
    retired: bool,
    retirement: Option<String>,
    input_tpm_per_ptu: [f64; 2],
    output_weight: [f64; 2],
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkuDates {
    deprecation: Option<String>,
    retirement: Option<String>,
    note: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    lifecycle: LifecycleInfo,
    rpm: f64,
    qps: f64,
    prompt_tokens: f64,
    completion_tokens: f64,
    tokens_per_request: f64,
    token_split: String,
    cache_rate: f64,
    max_tokens: Option<f64>,
    cache_write_rate: f64,
    reasoning_tokens: f64,
    best_of: u32,
    tpm: f64,
    input_tpm: f64,
    output_tpm: f64,
    deployment: String,
    target_utilization: f64,
    rpm_window: String,
    max_throttle: f64,
    models: Vec<SizedModel>,
    skipped: Vec<SkippedModel>,
    measured_prompt: Option<Value>,
    measured_completion: Option<Value>,
    notes: Vec<NoteAnswer>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SizedModel {
    model: String,
    deployment: String,
    input_tpm_per_ptu: f64,
    output_weight: f64,
    cached_input_weight: f64,
    prompt_factor: f64,
    output_weight_applied: f64,
    long_context: bool,
    normalized_tpm: f64,
    ptu_raw: f64,
    ptu: u64,
    min_ptu: u32,
    increment: u32,
    utilization: f64,
    target_utilization: f64,
    ptu_for_target: u64,
    utilization_for_target: f64,
    rpm_per_1000_tpm: Option<f64>,
    standard_tpm_quota: Option<u64>,
    standard_tpm_quota_for_target: Option<u64>,
    standard_tpm_quota_even: Option<u64>,
    standard_quota_unit_tpm: u32,
    standard_expected_throttle: Option<f64>,
    admission_tokens_per_request: f64,
    max_tokens_source: String,
    binding: Option<String>,
    fits_context: Option<bool>,
    fits_context_standard: Option<bool>,
    unverified: Vec<String>,
    #[serde(default)]
    quota_tier: Option<Value>,
    notes: Vec<NoteAnswer>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkippedModel {
    model: String,
    reason: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CapacityAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    #[serde(default)]
    lifecycle: Option<LifecycleInfo>,
    limit: String,
    model: Option<String>,
    deployment: String,
    tpm_quota: Option<f64>,
    ptu: Option<f64>,
    prompt_tokens: f64,
    completion_tokens: f64,
    tokens_per_request: f64,
    token_split: String,
    cache_rate: f64,
    max_tokens: Option<f64>,
    cache_write_rate: f64,
    reasoning_tokens: f64,
    best_of: u32,
    counted_tokens_per_request: f64,
    capacity_tpm: f64,
    rpm_per_1000_tpm: Option<f64>,
    rpm_limit: Option<f64>,
    target_utilization: f64,
    max_rpm: f64,
    max_qps: f64,
    max_tpm: f64,
    max_rpm_random: Option<f64>,
    rpm_window: String,
    max_throttle: f64,
    binding: String,
    fits_context: Option<bool>,
    notes: Vec<NoteAnswer>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    lifecycle: LifecycleInfo,
    model: String,
    deployment: String,
    target_utilization: f64,
    ptu_for_peak: u64,
    load: CostLoad,
    prices: CostPrices,
    options: Vec<CostOption>,
    recommended: String,
    reason: String,
    token_split: Option<String>,
    latency: Option<String>,
    batch_share: f64,
    unpriced: Vec<Value>,
    batch: Option<Value>,
    mix: Option<Value>,
    notes: Vec<NoteAnswer>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostLoad {
    kind: String,
    hours: f64,
    span_minutes: f64,
    requests: f64,
    prompt_tokens: f64,
    cached_tokens: f64,
    completion_tokens: f64,
    avg_rpm: f64,
    avg_normalized_tpm: f64,
    peak_normalized_tpm: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostPrices {
    input: f64,
    cached: Option<f64>,
    output: f64,
    ptu_hourly: f64,
    ptu_monthly: f64,
    ptu_yearly: f64,
    token_price_source: String,
    ptu_price_source: String,
    unverified: bool,
    currency: String,
    priority: Option<Value>,
    flex: Option<Value>,
    batch: Option<Value>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CostOption {
    option: String,
    monthly_usd: f64,
    ptu: u64,
    term: Option<String>,
    usd_per_1m_tokens: Option<f64>,
    utilization: Option<f64>,
    break_even_utilization: Option<f64>,
    spill_share: f64,
    throttled_share: f64,
    payg_usd: f64,
    spillover_tpm_quota: Option<u64>,
    batch_usd: f64,
    downgraded_share: f64,
    assumes: String,
    excluded: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    lifecycle: LifecycleInfo,
    #[serde(default)]
    quota_tier: Option<Value>,
    plan: String,
    workloads: Vec<Value>,
    deployments: Vec<PlanDeployment>,
    quota: Vec<Value>,
    reservations: Vec<Value>,
    total_ptu: u64,
    ptu_usd: f64,
    payg_usd: f64,
    monthly_usd: f64,
    hours_per_month: f64,
    target_utilization: f64,
    regions: Vec<String>,
    failover: Option<String>,
    #[serde(default)]
    consumers: Vec<Value>,
    #[serde(default)]
    consumer_headroom: Vec<Value>,
    notes: Vec<NoteAnswer>,
    budget: Option<Value>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanDeployment {
    model: String,
    deployment: String,
    workloads: Vec<String>,
    normalized_tpm: f64,
    ptu_raw: f64,
    regions: u64,
    ptu_per_region: u64,
    ptu: u64,
    utilization: f64,
    utilization_failover: f64,
    ptu_if_separate: u64,
    ptu_saved: u64,
}

#[test]
fn plan_answer_matches_the_contract() {
    let value = json(&["plan", "examples/plan-contoso.toml"]);
    assert_numbers_are_numbers(&value, "$");
    let answer: PlanAnswer = serde_json::from_value(value).expect("matches the contract");
    assert!(
        answer.budget.is_none(),
        "plan has no budget evaluation; check does"
    );
    let total: u64 = answer.deployments.iter().map(|d| d.ptu).sum();
    assert_eq!(total, answer.total_ptu);
    let value = json(&["check", "examples/plan-contoso.toml"]);
    let answer: PlanAnswer = serde_json::from_value(value).expect("matches the contract");
    let budget = answer.budget.expect("check evaluates the budget");
    assert_eq!(budget["ok"], true);
    assert!(budget["checks"].as_array().is_some_and(|c| c.len() >= 3));
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    encoding: String,
    model: Option<String>,
    files: Vec<TokensFile>,
    total_tokens: u64,
    count: u64,
    mean: f64,
    p50: f64,
    p95: f64,
    max: f64,
    uncounted_parts: u64,
    uncounted_tools: u64,
    notes: Vec<NoteAnswer>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokensFile {
    path: String,
    kind: String,
    total_tokens: u64,
    count: u64,
    mean: f64,
    p50: f64,
    p95: f64,
    max: f64,
}

#[test]
fn tokens_answer_matches_the_contract() {
    let value = json(&[
        "tokens",
        "examples/samples/requests.jsonl",
        "examples/samples/support-chat.json",
    ]);
    assert_numbers_are_numbers(&value, "$");
    let answer: TokensAnswer = serde_json::from_value(value).expect("matches the contract");
    assert_eq!(
        answer.total_tokens,
        answer.files.iter().map(|f| f.total_tokens).sum::<u64>()
    );
}

#[test]
fn cost_answer_matches_the_contract() {
    for args in [
        &[
            "cost",
            "-m",
            "gpt-4.1",
            "--rpm",
            "100",
            "--prompt",
            "1000",
            "--completion",
            "500",
        ][..],
        &[
            "cost",
            "-m",
            "gpt-4.1",
            "--profile",
            "examples/profile-business-day.csv",
            "--hybrid-term",
            "hourly",
        ],
    ] {
        let value = json(args);
        assert_numbers_are_numbers(&value, "$");
        let answer: CostAnswer = serde_json::from_value(value).expect("matches the contract");
        let names: Vec<&str> = answer.options.iter().map(|o| o.option.as_str()).collect();
        // gpt-4.1 offers priority (S56) and batch (S61), not flex (S59).
        assert_eq!(
            names,
            [
                "payg",
                "ptu-hourly",
                "ptu-1-month",
                "ptu-1-year",
                "hybrid",
                "priority",
                "batch"
            ]
        );
        assert_eq!(answer.unpriced.len(), 1);
        assert_eq!(answer.unpriced[0]["option"], "flex");
        assert!(names.contains(&answer.recommended.as_str()));
        // Without --latency, batch is listed but never recommended.
        let batch = answer
            .options
            .iter()
            .find(|o| o.option == "batch")
            .expect("batch");
        assert!(batch.excluded.is_some());
    }
}

/// Every number in the tree is finite (serde_json has no NaN; this guards against `null`s
/// standing in for one where a number is promised).
fn assert_numbers_are_numbers(value: &Value, path: &str) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| assert_numbers_are_numbers(v, &format!("{path}.{k}"))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| assert_numbers_are_numbers(v, &format!("{path}[{i}]"))),
        Value::String(s) => assert!(s.parse::<f64>().is_err(), "number as string at {path}: {s}"),
        _ => {}
    }
}

#[test]
fn size_answer_matches_the_contract() {
    for args in [
        &["size", "--rpm", "500", "--tokens", "800"][..],
        &[
            "size",
            "--qps",
            "3",
            "--prompt",
            "900",
            "--completion",
            "300",
            "--cache-rate",
            "0.2",
            "--max-tokens",
            "1000",
            "--target-utilization",
            "0.8",
            "-d",
            "regional",
        ],
    ] {
        let value = json(args);
        assert_numbers_are_numbers(&value, "$");
        let answer: SizeAnswer = serde_json::from_value(value).expect("matches the contract");
        assert_eq!(answer.schema_version, 3);
        assert!(["1s", "10s"].contains(&answer.rpm_window.as_str()));
        for m in &answer.models {
            assert!(m.ptu as f64 >= m.ptu_raw, "{}: ptu < raw", m.model);
            if let (Some(quota), Some(even)) = (m.standard_tpm_quota, m.standard_tpm_quota_even) {
                assert!(quota >= even, "{}: quota below the even answer", m.model);
                assert!(quota.is_multiple_of(u64::from(m.standard_quota_unit_tpm)));
            }
            assert!(["tpm", "rpm"].contains(&m.binding.as_deref().unwrap_or("tpm")));
        }
    }
}

#[test]
fn capacity_answer_matches_the_contract() {
    for args in [
        &["capacity", "--tpm", "15M", "--tokens", "30000"][..],
        &[
            "capacity",
            "--ptu",
            "100",
            "-m",
            "gpt-4.1",
            "--prompt",
            "500",
            "--completion",
            "100",
        ],
    ] {
        let value = json(args);
        assert_numbers_are_numbers(&value, "$");
        let _: CapacityAnswer = serde_json::from_value(value).expect("matches the contract");
    }
}

#[test]
fn every_model_has_the_same_keys() {
    let answer = json(&["models"]);
    let models = answer["models"].as_array().expect("array");
    let keys = |m: &Value| {
        m.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let first = keys(&models[0]);
    assert!(
        first.contains(&"rpm_per_1000_tpm".to_string()) && first.contains(&"context".to_string())
    );
    for m in models {
        assert_eq!(keys(m), first, "{}", m["name"]);
    }
}

#[test]
fn float_noise_never_reaches_the_output() {
    // 1,000 RPM × 1,000 prompt × (1 − 0.7) = 300,000 normalized TPM; ÷ 3,000 = 100 PTU exactly.
    let answer = json(&[
        "size",
        "--rpm",
        "1000",
        "--prompt",
        "1000",
        "--completion",
        "0",
        "--cache-rate",
        "0.7",
        "-m",
        "gpt-4.1",
    ]);
    let m = &answer["models"][0];
    assert_eq!(m["normalized_tpm"], 300_000);
    assert_eq!(m["ptu_raw"], 100);
    assert_eq!(m["ptu"], 100);
    assert_eq!(m["utilization"], 1);
}

#[test]
fn whole_numbers_are_integers() {
    let text = crate::ptuplan()
        .args([
            "size", "--rpm", "500", "--tokens", "800", "-m", "gpt-4o", "--json",
        ])
        .output()
        .expect("runs")
        .stdout;
    let text = String::from_utf8(text).expect("UTF-8");
    assert!(text.contains("\"tpm\": 400000,"), "{text}");
    assert!(!text.contains("400000.0"), "{text}");
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Percentiles {
    p50: f64,
    p90: f64,
    p95: f64,
    p99: f64,
    max: f64,
    mean: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Traffic {
    requests: f64,
    prompt_tokens: f64,
    cached_tokens: f64,
    completion_tokens: f64,
    first: String,
    last: String,
    span_minutes: u64,
    avg_rpm: f64,
    avg_tpm: f64,
    peak_tpm: f64,
    peak_tpm_at: String,
    peak_rpm: f64,
    peak_rpm_at: String,
    peak_requests_1s: Option<f64>,
    peak_requests_10s: Option<f64>,
    peak_requests_10s_aligned: Option<f64>,
    peak_admission_tpm: f64,
    reasoning_tokens: Option<f64>,
    reasoning_share: Option<f64>,
    p99_tpm: f64,
    rpm: Percentiles,
    tpm: Percentiles,
    peak_to_average: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzedModel {
    model: String,
    deployment: String,
    target_utilization: f64,
    normalized_tpm: Percentiles,
    peak_normalized_tpm: f64,
    ptu_for_peak: u64,
    ptu_for_p99: u64,
    rpm_per_1000_tpm: Option<f64>,
    standard_tpm_quota: Option<u64>,
    binding: Option<String>,
    standard_tpm_quota_even: Option<u64>,
    standard_quota_basis: Option<String>,
    hybrid_ptu: Option<u64>,
    hybrid_monthly_usd: Option<f64>,
    hybrid_spill_share: Option<f64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzedGroup {
    name: String,
    log_model: Option<String>,
    traffic: Traffic,
    sizing: Option<AnalyzedModel>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverCapacity {
    capacity: String,
    minutes_over: u64,
    minutes_over_share: f64,
    requests_over: f64,
    tokens_over: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    lifecycle: LifecycleInfo,
    // The whole traffic's summary, flattened (serde's flatten cannot deny unknown fields).
    requests: f64,
    prompt_tokens: f64,
    cached_tokens: f64,
    completion_tokens: f64,
    first: String,
    last: String,
    span_minutes: u64,
    avg_rpm: f64,
    avg_tpm: f64,
    peak_tpm: f64,
    peak_tpm_at: String,
    peak_rpm: f64,
    peak_rpm_at: String,
    peak_requests_1s: Option<f64>,
    peak_requests_10s: Option<f64>,
    peak_requests_10s_aligned: Option<f64>,
    peak_admission_tpm: f64,
    reasoning_tokens: Option<f64>,
    reasoning_share: Option<f64>,
    p99_tpm: f64,
    rpm: Percentiles,
    tpm: Percentiles,
    peak_to_average: f64,
    models: Vec<AnalyzedModel>,
    group_column: Option<String>,
    groups: Vec<AnalyzedGroup>,
    over_capacity: Vec<OverCapacity>,
    rpm_window: String,
    max_tokens: Option<u32>,
    period_minutes: u64,
    rows: u64,
    skipped_rows: u64,
    first_skipped: Vec<String>,
    profile_out: Option<String>,
    service_tiers: Vec<Value>,
    notes: Vec<NoteAnswer>,
}

#[test]
fn analyze_answer_matches_the_contract() {
    let log = crate::scratch(
        "contract",
        "grouped.csv",
        "timestamp,deployment,model,prompt_tokens,completion_tokens,reasoning_tokens\n\
         2026-11-02T09:00:00Z,chat,gpt-4o-2024-08-06,1000,100,40\n\
         2026-11-02T09:00:01Z,legacy,gpt-35-turbo,100,10,\n",
    );
    let value = json(&[
        "analyze",
        &log,
        "-m",
        "gpt-4.1",
        "--ptu",
        "100",
        "--tpm-quota",
        "1000",
    ]);
    assert_numbers_are_numbers(&value, "$");
    let answer: AnalyzeAnswer = serde_json::from_value(value).expect("matches the contract");
    assert_eq!(answer.groups.len(), 2);
    assert_eq!(answer.over_capacity.len(), 2);
    let requests: f64 = answer.groups.iter().map(|g| g.traffic.requests).sum();
    assert_eq!(requests, answer.requests);
    // 40 reasoning tokens of 110 completion tokens; the legacy row's blank cell says nothing.
    assert_eq!(answer.reasoning_tokens, Some(40.0));
    assert_eq!(answer.groups[1].traffic.reasoning_tokens, None);
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tokens {
    prompt: u64,
    cached: u64,
    completion: u64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulatedTraffic {
    source: String,
    requests: f64,
    span_seconds: u64,
    duration_seconds: f64,
    mean_rpm: f64,
    prompt_tokens: f64,
    cached_tokens: f64,
    completion_tokens: f64,
    peak_tpm: f64,
    peak_normalized_tpm: f64,
    peak_rpm: f64,
    peak_admission_tpm: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulatedCandidate {
    label: String,
    kind: String,
    ptu: Option<f64>,
    tpm_quota: Option<f64>,
    rpm_limit: Option<f64>,
    spillover_tpm_quota: Option<f64>,
    naive_peak_to_capacity: f64,
    requests: u64,
    served: u64,
    served_by_spillover: u64,
    served_tokens: Tokens,
    spillover_share: f64,
    first_attempt_throttled: u64,
    first_attempt_429_rate: f64,
    throttled_final: u64,
    final_429_rate: f64,
    attempts: u64,
    attempts_per_request: f64,
    served_by_flex: u64,
    flex_refused: u64,
    served_by_priority: u64,
    downgraded: u64,
    latency_p50_ms: Option<f64>,
    latency_p95_ms: Option<f64>,
    latency_p99_ms: Option<f64>,
    latency_max_ms: Option<f64>,
    utilization_p50: Option<f64>,
    utilization_p99: Option<f64>,
    utilization_max: Option<f64>,
    minutes_above_85_share: Option<f64>,
    spillover_tokens: Tokens,
    spillover_usd: Option<f64>,
    monthly_usd: Option<f64>,
    /// Only with `--per-minute`.
    minutes: Option<Vec<SimulatedMinute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulatedMinute {
    minute: u64,
    utilization: f64,
    throttled: u64,
    served: u64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulateAnswer {
    schema_version: u32,
    catalog: CatalogInfo,
    lifecycle: LifecycleInfo,
    model: String,
    deployment: String,
    traffic: SimulatedTraffic,
    client: String,
    service: String,
    limiters: String,
    seed: u64,
    token_split: Option<String>,
    candidates: Vec<SimulatedCandidate>,
    notes: Vec<NoteAnswer>,
}

#[test]
fn simulate_answer_matches_the_contract() {
    let value = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "600",
        "--prompt",
        "2000",
        "--completion",
        "250",
        "--ptu",
        "100,200",
        "--spillover-quota",
        "1M",
        "--tpm-quota",
        "2M",
        "--duration",
        "10m",
    ]);
    assert_numbers_are_numbers(&value, "$");
    let answer: SimulateAnswer = serde_json::from_value(value).expect("matches the contract");
    assert_eq!(answer.candidates.len(), 3);
    for c in &answer.candidates {
        assert_eq!(c.requests as f64, answer.traffic.requests);
        assert!(c.served + c.throttled_final <= c.requests);
        assert!(c.minutes.is_none(), "the series is opt-in");
    }
}

#[test]
fn simulate_per_minute_series_adds_up() {
    // 6,000 RPM of 1,000 tokens on 50 PTU (150K input TPM): heavily throttled, with retries
    // spilling past the 3 minutes.
    let value = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "6000",
        "--tokens",
        "1000",
        "--ptu",
        "50",
        "--duration",
        "3m",
        "--per-minute",
    ]);
    assert_numbers_are_numbers(&value, "$");
    let answer: SimulateAnswer = serde_json::from_value(value).expect("matches the contract");
    let c = &answer.candidates[0];
    let minutes = c.minutes.as_ref().expect("--per-minute adds the series");
    assert!(minutes.len() >= 3, "{} minutes", minutes.len());
    assert!(
        minutes
            .iter()
            .enumerate()
            .all(|(i, m)| m.minute == i as u64)
    );
    assert_eq!(minutes.iter().map(|m| m.served).sum::<u64>(), c.served);
    // Every 429 the clients saw: the first attempts' and the retries'.
    let throttled: u64 = minutes.iter().map(|m| m.throttled).sum();
    assert_eq!(throttled, c.attempts - c.served);
    let busiest = minutes.iter().map(|m| m.utilization).fold(0.0, f64::max);
    assert_eq!(Some(busiest), c.utilization_max);
}
