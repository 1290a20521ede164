//! The command line: clap definitions only. Doc comments here are the `--help` text.

// Help text shows TOML tables and CSV columns in brackets (`[budget]`), not rustdoc links.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::deployment::DeploymentType;
use crate::input;
use crate::tokens::count::TokenStat;
use crate::tokens::encoding::Encoding;
use crate::tokens::request::InputKind;

const AFTER_HELP: &str = "\
Examples:
  ptuplan size --rpm 500 --tokens 800
  ptuplan size --rpm 1000 --prompt 200 --completion 20 --model gpt-5.2
  ptuplan capacity --tpm 15M --tokens 30000
  ptuplan models gpt-4.1 --json

Exit codes:
  0  success (also when the reader of the output goes away, e.g. `| head`,
     except check over budget: 3)
  1  failure not caused by the command line: unreadable or invalid catalog,
     standard output closed or not writable
  2  bad input: a value out of range, flags that do not go together,
     an unknown model, a malformed plan, profile or log file, an output
     file (--profile-out, --plot, --trace-out) that cannot be written
  3  check: a budget limit is exceeded

The catalog (models.toml) is embedded; --catalog PATH or PTUPLAN_CATALOG=PATH replaces it.";

/// Capacity planner for Azure OpenAI: TPM, RPM, QPS, provisioned throughput units (PTU) and
/// standard quota, from Microsoft's published per-model ratios.
#[derive(Debug, Parser)]
#[command(name = "ptuplan", version, after_help = AFTER_HELP, max_term_width = 80)]
pub struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Shorthand for --format json.
    #[arg(long, global = true)]
    pub json: bool,

    /// Model catalog (TOML) to use instead of the embedded one [env: PTUPLAN_CATALOG].
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Option<PathBuf>,

    /// Price overlay (TOML from 'ptuplan prices fetch') applied to the catalog's prices
    /// [env: PTUPLAN_PRICES].
    #[arg(long, global = true, value_name = "FILE")]
    pub prices: Option<PathBuf>,

    /// The day model lifecycles are judged on (retired, retiring, deprecated), YYYY-MM-DD;
    /// default: PTUPLAN_AS_OF, else today (UTC).
    #[arg(long, global = true, value_name = "DATE", value_parser = crate::lifecycle::parse_day)]
    pub as_of: Option<NaiveDate>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The output format after applying `--json`.
    pub fn output_format(&self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for people.
    Table,
    /// One JSON object for scripts (the contract: docs/json.md).
    Json,
    /// A pull-request comment (plan, check and cost only).
    Markdown,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// PTUs per model and the standard TPM quota for a workload.
    #[command(after_help = SIZE_HELP)]
    Size(SizeArgs),
    /// Largest request rate a TPM quota or a PTU deployment sustains.
    #[command(after_help = CAPACITY_HELP)]
    Capacity(CapacityArgs),
    /// Monthly cost: pay-as-you-go, PTU, hybrid, priority, flex, batch, and the cheapest mix.
    #[command(after_help = COST_HELP)]
    Cost(CostArgs),
    /// Count tokens of sample prompts, chat requests and request logs (tiktoken encodings).
    #[command(after_help = TOKENS_HELP)]
    Tokens(TokensArgs),
    /// Size from real traffic: request logs (CSV/JSONL, gzip) to true sliding-window peaks.
    #[command(after_help = ANALYZE_HELP)]
    Analyze(AnalyzeArgs),
    /// Simulate deployments under traffic: 429s, retries, latency, spillover (discrete-event).
    #[command(after_help = SIMULATE_HELP)]
    Simulate(SimulateArgs),
    /// Size and price a plan file: several workloads, shared deployments, regions, reservations.
    #[command(after_help = PLAN_HELP)]
    Plan(PlanArgs),
    /// Check a plan file against its [budget]: exit 3 when a limit is exceeded (a CI gate).
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// The model catalog: ratios, minimums, increments, RPM ratios, context windows, sources.
    #[command(after_help = MODELS_HELP)]
    Models(ModelsArgs),
    /// Write what a plan implies: its deployments (ARM, Terraform), the alerts that watch
    /// them, and the API Management policy that splits them among consumers.
    #[command(after_help = EMIT_HELP)]
    Emit(EmitArgs),
    /// Prices from Microsoft's Azure Retail Prices API, as a price overlay for --prices.
    #[command(subcommand)]
    Prices(PricesCommand),
    /// Print the JSON Schema (draft 2020-12) of a command's --json answer.
    #[command(
        after_help = "Examples:\n  ptuplan schema plan > plan.schema.json\n  ptuplan schema cost | jq '.properties | keys'\n\nThe same schemas are in docs/schema/."
    )]
    Schema {
        /// The command whose answer to describe.
        #[arg(value_enum)]
        command: SchemaCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) that completes
    /// flags, the catalog's model names and aliases, and deployment types.
    #[command(
        after_help = "Example:\n  ptuplan completions bash > ~/.local/share/bash-completion/completions/ptuplan"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write it and one page per subcommand into a folder.
    #[command(
        after_help = "Examples:\n  ptuplan man > ptuplan.1 && man ./ptuplan.1\n  ptuplan man --dir man/man1   (ptuplan.1, ptuplan-size.1, ...)"
    )]
    Man {
        /// Write ptuplan.1 and ptuplan-SUBCOMMAND.1 here instead of printing ptuplan.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

const SIZE_HELP: &str = "\
Formula (Microsoft Learn):
  normalized TPM = input TPM x (1 - cache rate) + output weight x output TPM
                   (output = completion + reasoning tokens)
  PTU = normalized TPM / input TPM per PTU, rounded up to the scale increment,
        and at least the deployment type's minimum
  standard quota, even = max(RPM x (prompt + max_tokens x best_of),
                             RPM / (RPM per 1,000 TPM) x 1,000)
  standard quota = the smallest whole number of quota units whose request
        window (--rpm-window) and per-minute token count refuse at most
        --max-throttle of first attempts of random (Poisson) arrivals

Examples:
  ptuplan size --rpm 500 --tokens 800
  ptuplan size --qps 20 --prompt 1500 --completion 300 -m gpt-4.1 -m gpt-5-mini
  ptuplan size --rpm 2000 --prompt 1200 --completion 300 --sort ptu
  ptuplan size --rpm 1000 --prompt 200 --completion 20 --cache-rate 50% \\
      --model gpt-5.2 --deployment data-zone
  ptuplan size --rpm 1000 --prompt 100 --completion 50 \\
      --target-utilization 85% --json | jq '.models[] | {model, ptu_for_target}'
  ptuplan size --rpm 100 --prompt 1000 --completion 200 --reasoning 800 \\
      -m gpt-5.1
  ptuplan size --rpm 300 --prompt 1000 --completion 200 -m gpt-4.1 \\
      --max-tokens 400 --rpm-window 10s --max-throttle 0.5% --strict";

const CAPACITY_HELP: &str = "\
Examples:
  ptuplan capacity --tpm 15M --tokens 30000
  ptuplan capacity --tpm 100k --prompt 40 --completion 10 --model gpt-4o
  ptuplan capacity --ptu 150 --model gpt-5.2 --deployment regional \\
      --prompt 100 --completion 50";

const COST_HELP: &str = "\
Options priced: payg (all tokens pay-as-you-go), ptu-hourly, ptu-1-month,
ptu-1-year (PTUs for the peak), hybrid (the PTU base that minimizes PTU cost +
spillover billed pay-as-you-go), and where the catalog offers them priority,
flex and batch (every token on that tier).
--latency adds the cheapest mix the class allows (PTU base + overflow tier +
batch share) and keeps the recommendation within the class; without it, flex
and batch are listed but never recommended.
Profile CSV: timestamp,rpm[,prompt,completion,cached], one row per minute
(token columns are sums for the minute); it is scaled to the month
(--hours x 60 minutes).

Examples:
  ptuplan cost -m gpt-4.1 --rpm 100 --prompt 1000 --completion 500
  ptuplan cost -m gpt-4.1 --rpm 600 --avg-rpm 150 --prompt 1000 --completion 500
  ptuplan cost -m gpt-4.1 --profile examples/profile-business-day.csv \\
      --hybrid-term 1-month
  ptuplan cost -m gpt-4.1 --rpm 100 --tokens 1500 --ptu-monthly 240 --json
  ptuplan cost -m gpt-5.1 --profile examples/profile-business-day.csv \\
      --latency interactive
  ptuplan cost -m gpt-4.1 --rpm 100 --tokens 1500 --latency relaxed \\
      --batch-share 30% --subscription-type enterprise";

const EMIT_HELP: &str = "\
arm: the plan's deployments in each region's account (parameters accountName or
accountName_REGION), chained with dependsOn: each hybrid's spillover first, the
shared PTU deployments (PTUs per region), then one standard deployment per token
workload (quota units; priority with serviceTier Priority; batch and batch_share
as GlobalBatch or DataZoneBatch).
terraform: the same as azurerm_cognitive_deployment resources; account IDs are
variables (account_id or account_id_REGION), chained with depends_on.
alerts: provisioned utilization (AzureOpenAIProvisionedManagedUtilizationV2) or
standard tokens (TokenTransaction) above --threshold of capacity over --window,
and HTTP 429s (AzureOpenAIRequests, StatusCode 429) above 1% of peak requests.
apim: per [[consumer]], llm-token-limit (its TPM), rate-limit-by-key (its RPM)
and its workload's pool; llm-emit-token-metric by consumer; 429/503 retried.
--backends: the pools (PTU priority 1, standard priority 2) as ARM.
litellm: a LiteLLM router config: each workload's deployments with tpm and rpm;
fallbacks to its spillover, flex-as-standard and standby-region groups.
Warnings about retired or retiring models go to stderr. -o - is stdout.

Examples:
  ptuplan emit arm examples/plan-contoso.toml -o deployments.json
  ptuplan emit terraform examples/plan-contoso.toml -o deployments.tf
  az deployment group create -g RG --template-file deployments.json \\
      --parameters accountName_eastus2=acct1 accountName_swedencentral=acct2
  ptuplan emit alerts examples/plan-contoso.toml --threshold 85% --window 5m
  ptuplan emit alerts examples/plan-contoso.toml --az > alerts.sh
  ptuplan emit apim examples/plan-contoso.toml > policy.xml
  ptuplan emit apim examples/plan-contoso.toml --backends -o backends.json
  ptuplan emit litellm examples/plan-tiers.toml -o litellm.yaml";

const TOKENS_HELP: &str = "\
Inputs:
  plain text   the whole file is one prompt
  chat .json   {\"messages\": [...]} or a bare messages array
  .jsonl       one request per line: a JSON string, a chat request, or an
               object with prompt, input, text, content, completion, ...
  - or none    stdin (its kind is guessed from the content)

Examples:
  ptuplan tokens prompt.txt --model gpt-4.1
  ptuplan tokens requests.jsonl --json | jq '{count, mean, p95, max}'
  printf 'hello world' | ptuplan tokens --encoding cl100k_base
  ptuplan size --rpm 300 --prompt-file requests.jsonl --completion 250";

const ANALYZE_HELP: &str = "\
Logs: one row per request, CSV with a header or JSONL (OpenAI-style responses
with a 'usage' object work as they are), optionally gzip-compressed; '-' or no
file reads stdin. Azure Monitor per-minute metric exports and
azure-openai-benchmark output are read too. Recognized columns:
  time       timestamp, time, TimeGenerated, created, created_at, date
  prompt     prompt_tokens, input_tokens, PromptTokens
  completion completion_tokens, output_tokens, CompletionTokens
  cached     cached_tokens (optional)
  groups     deployment, DeploymentName, ...; model, ModelName (optional)
  requests   requests, request_count, count_ (optional: a row stands for that
             many requests, as in a per-second export from --kql apim)
Other names: --timestamp-column, --prompt-column, ... (dotted paths in JSON).

Examples:
  ptuplan analyze requests.csv -m gpt-4.1
  ptuplan analyze responses.jsonl.gz -m gpt-4.1 -m gpt-5-mini --json |
      jq '.models'
  ptuplan analyze requests.csv -m gpt-4.1 --ptu 300 --profile-out profile.csv
  ptuplan analyze --kql apim";

const SIMULATE_HELP: &str = "\
Models (sources and assumptions in docs/how-it-works.md):
  standard     prompt + max_tokens count against a TPM budget reset each
               minute; requests per 1 s (or 10 s) window at most RPM/60
               (RPM/6), RPM from the catalog ratio
  provisioned  leaky bucket: admitted while utilization <= 100%; the
               estimate (prompt - cached + max_tokens x output weight) is
               added at admission and corrected at completion; it drains at
               PTU x input TPM per PTU; 100% holds --bucket of capacity
  spillover    a PTU 429 goes to the standard deployment of --spillover-quota
  requests     take --ttft plus completion tokens at the catalog's speed

Examples:
  ptuplan simulate -m gpt-4.1 --rpm 1200 --prompt 1500 --completion 300 \\
      --ptu 900,1000,1100
  ptuplan simulate -m gpt-4.1 --rpm 600 --prompt 2000 --prompt-p95 5000 \\
      --completion 300 --ptu 600 --tpm-quota 2M --duration 1d \\
      --daily-peak 2.5 --burst 14h+5mx3
  ptuplan simulate -m gpt-4.1 --replay requests.csv --ptu 300 \\
      --spillover-quota 1M --json
  ptuplan simulate -m gpt-4o --rpm 300 --prompt 900 --completion 100 \\
      --max-tokens 100 --tpm-quota 400k --retry none";

const PLAN_HELP: &str = "\
The plan file format is in docs/guide.md (section 'Plan files').

Examples:
  ptuplan plan examples/plan-contoso.toml
  ptuplan plan examples/plan-contoso.toml --json > baseline.json";

const CHECK_HELP: &str = "\
Exit codes: 0 within budget, 3 a budget limit exceeded (each named on
stderr), 2 a malformed plan, 1 other failures.

Examples:
  ptuplan check examples/plan-contoso.toml
  ptuplan check examples/plan-contoso.toml --baseline baseline.json";

const MODELS_HELP: &str = "\
Examples:
  ptuplan models
  ptuplan models gpt-4o
  ptuplan models gpt-5.1 --regions
  ptuplan models --json | jq -r '.models[].name'";

/// The request rate at the peak.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RateArgs {
    /// Peak requests per minute (e.g. 500, 1,000, 12k).
    #[arg(long, value_parser = input::rpm, allow_negative_numbers = true)]
    pub rpm: Option<f64>,
    /// Peak requests per second (converted as RPM = QPS × 60).
    #[arg(long, value_parser = input::qps, allow_negative_numbers = true)]
    pub qps: Option<f64>,
}

/// The shape of one request.
#[derive(Debug, Clone, Args)]
pub struct ShapeArgs {
    /// Total tokens per request (prompt + completion). Alone, all count as prompt tokens.
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub tokens: Option<f64>,
    /// Prompt (input) tokens per request, cached ones included.
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub prompt: Option<f64>,
    /// Completion (output) tokens per request.
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub completion: Option<f64>,
    /// Fraction of prompt tokens served from the prompt cache: 0.25 or 25%.
    #[arg(long, value_parser = input::cache_rate, default_value = "0", allow_hyphen_values = true)]
    pub cache_rate: f64,
    /// Fraction of prompt tokens written to the prompt cache (GPT-6 family: they weigh 1.25).
    #[arg(long, value_parser = input::cache_rate, allow_hyphen_values = true)]
    pub cache_write_rate: Option<f64>,
    /// The max_tokens your client sends: standard deployments count it at admission
    /// [default: the model's documented default, else completion + reasoning].
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub max_tokens: Option<f64>,
    /// Hidden reasoning tokens per request (reasoning models): billed and weighted as output.
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub reasoning: Option<f64>,
    /// The best_of your client sends (legacy Completions API): admission counts max_tokens
    /// that many times.
    #[arg(long, value_name = "N", value_parser = input::best_of, allow_negative_numbers = true)]
    pub best_of: Option<u32>,
    /// Refuse a bare --tokens count (no prompt/completion split) instead of assuming all
    /// prompt tokens: for CI.
    #[arg(long)]
    pub strict: bool,
}

/// How a standard quota is sized for a stated rate.
#[derive(Debug, Clone, Copy, Args)]
pub struct QuotaArgs {
    /// Standard deployments: the window requests are counted over (Azure: typically 1 s or
    /// 10 s).
    #[arg(long, value_enum, default_value_t = RpmWindowArg::OneSecond)]
    pub rpm_window: RpmWindowArg,
    /// Highest share of first attempts a standard quota may refuse under random (Poisson)
    /// arrivals (1% or 0.01): the target of recommended quotas and of capacity's random rate.
    #[arg(long, value_parser = input::max_throttle, default_value = "1%", allow_hyphen_values = true)]
    pub max_throttle: f64,
}

/// Arguments of `size`.
#[derive(Debug, Args)]
pub struct SizeArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub rate: RateArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub shape: ShapeArgs,
    /// Model to size (repeatable; name or alias). Default: every catalog model.
    #[arg(long = "model", short = 'm', value_name = "NAME")]
    pub models: Vec<String>,
    /// Deployment type: global, data-zone or regional (Azure SKU names accepted).
    #[arg(long, short = 'd', value_parser = input::deployment, default_value = "global")]
    pub deployment: DeploymentType,
    /// Highest acceptable peak utilization: 0.85 or 85% adds headroom (PTU and quota).
    #[arg(long, value_parser = input::target_utilization, default_value = "1", allow_hyphen_values = true)]
    pub target_utilization: f64,
    /// Measure prompt tokens from sample files (text, chat .json, .jsonl); replaces --prompt.
    /// Needs --completion or --completion-file.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["prompt", "tokens"])]
    pub prompt_file: Vec<String>,
    /// Measure completion tokens from sample responses; replaces --completion.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["completion", "tokens"])]
    pub completion_file: Vec<String>,
    /// Statistic of the measured requests used as tokens per request.
    #[arg(long, value_enum, default_value_t = TokenStat::Mean)]
    pub token_stat: TokenStat,
    /// Encoding for --prompt-file/--completion-file (default: the models' own).
    #[arg(long, value_parser = input::encoding)]
    pub encoding: Option<Encoding>,
    /// Replace invalid UTF-8 bytes in sample files instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Order of the models: as in the catalog, fewest PTUs first, or smallest standard quota first.
    #[arg(long, value_enum, default_value_t = SortOrder::Catalog)]
    pub sort: SortOrder,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub quota: QuotaArgs,
    /// Your subscription's quota tier (1 to 6; 0 for Free): flags a standard quota above the
    /// tier's default for the model and type.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=6))]
    pub quota_tier: Option<u8>,
}

/// How `size` orders its models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Catalog order (newest models first).
    Catalog,
    /// Fewest PTUs (at the target utilization) first.
    Ptu,
    /// Smallest standard TPM quota first (models without a published ratio last).
    Quota,
}

/// Arguments of `capacity`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("limit").required(true).multiple(false))]
pub struct CapacityArgs {
    /// Standard deployment TPM quota (e.g. 240k, 15M).
    #[arg(long, group = "limit", value_parser = input::tpm, allow_negative_numbers = true)]
    pub tpm: Option<f64>,
    /// Provisioned deployment size in PTUs (needs --model).
    #[arg(long, group = "limit", requires = "model", value_parser = input::ptu, allow_negative_numbers = true)]
    pub ptu: Option<f64>,
    /// Model (name or alias): its PTU ratios, or its standard RPM limit with --tpm.
    #[arg(long, short = 'm', value_name = "NAME")]
    pub model: Option<String>,
    /// Deployment type: global, data-zone or regional (Azure SKU names accepted).
    #[arg(long, short = 'd', value_parser = input::deployment, default_value = "global")]
    pub deployment: DeploymentType,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub shape: ShapeArgs,
    /// Keep peak utilization at or under this (0.85 or 85%).
    #[arg(long, value_parser = input::target_utilization, default_value = "1", allow_hyphen_values = true)]
    pub target_utilization: f64,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub quota: QuotaArgs,
}

/// Arguments of `cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Model (name or alias).
    #[arg(long, short = 'm', value_name = "NAME")]
    pub model: String,
    /// Deployment type: global, data-zone or regional (Azure SKU names accepted).
    #[arg(long, short = 'd', value_parser = input::deployment, default_value = "global")]
    pub deployment: DeploymentType,
    /// Peak requests per minute, used to size the PTU options (default: the profile's busiest
    /// minute).
    #[arg(long, value_parser = input::rpm, conflicts_with = "qps", allow_negative_numbers = true)]
    pub rpm: Option<f64>,
    /// Peak requests per second (RPM = QPS x 60).
    #[arg(long, value_parser = input::qps, allow_negative_numbers = true)]
    pub qps: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub shape: ShapeArgs,
    /// Average requests per minute over the month (default: the peak, a flat load).
    #[arg(long, value_parser = input::rpm, conflicts_with = "profile", allow_negative_numbers = true)]
    pub avg_rpm: Option<f64>,
    /// Per-minute load curve, CSV: timestamp,rpm[,prompt,completion,cached].
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Hours billed per month.
    #[arg(long, value_parser = input::hours, default_value = "730", allow_negative_numbers = true)]
    pub hours: f64,
    /// How the hybrid's PTUs are paid for.
    #[arg(long, value_enum, default_value_t = TermArg::OneYear)]
    pub hybrid_term: TermArg,
    /// Pay-as-you-go price per 1M uncached prompt tokens (replaces the catalog's), in USD or
    /// the --prices overlay's currency.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_input: Option<f64>,
    /// Pay-as-you-go price per 1M cached prompt tokens.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_cached: Option<f64>,
    /// Pay-as-you-go price per 1M completion tokens.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_output: Option<f64>,
    /// Price per PTU per hour.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub ptu_hourly: Option<f64>,
    /// Price per PTU per month on a 1-month reservation.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub ptu_monthly: Option<f64>,
    /// Price per PTU per year on a 1-year reservation.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub ptu_yearly: Option<f64>,
    /// Highest acceptable peak utilization of the PTU options (0.85 or 85%).
    #[arg(long, value_parser = input::target_utilization, default_value = "1", allow_hyphen_values = true)]
    pub target_utilization: f64,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub quota: QuotaArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub tiers: TierArgs,
}

/// How `cost` prices priority, flex and batch, and which of them the workload allows.
#[derive(Debug, Args)]
#[command(next_help_heading = "Service tiers")]
pub struct TierArgs {
    /// How long requests may wait: interactive (PTUs and priority), relaxed (also standard and
    /// flex) or deferrable (also batch). Adds the cheapest mix to the answer.
    #[arg(long, value_enum)]
    pub latency: Option<LatencyArg>,
    /// Share of the load that can wait 24 hours and goes to batch in every option but batch
    /// (which prices all of it): 0.3 or 30%, at most 99%.
    #[arg(long, value_parser = input::batch_share, default_value = "0", allow_hyphen_values = true)]
    pub batch_share: f64,
    /// Share of flex attempts that find flex capacity; the rest are retried on standard.
    #[arg(long, value_parser = input::cache_rate, default_value = "1", allow_hyphen_values = true)]
    pub flex_availability: f64,
    /// Subscription type whose batch enqueued-token quota applies.
    #[arg(long, value_enum, default_value_t = SubscriptionArg::Default)]
    pub subscription_type: SubscriptionArg,
    /// Priority price per 1M uncached prompt tokens (replaces the catalog's; give
    /// --price-priority-cached too, or the catalog's cached price stays).
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_priority_input: Option<f64>,
    /// Priority price per 1M cached prompt tokens.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_priority_cached: Option<f64>,
    /// Priority price per 1M completion tokens.
    #[arg(long, value_parser = input::price, allow_negative_numbers = true)]
    pub price_priority_output: Option<f64>,
    /// Tokens (prompt + completion) per minute at or below which priority's ramp limit
    /// never downgrades; Azure publishes none. The limit is judged with --profile only.
    #[arg(long, value_parser = input::tpm_floor, default_value = "0", allow_negative_numbers = true)]
    pub priority_ramp_floor: f64,
}

/// Latency classes on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LatencyArg {
    /// Within seconds, with a latency target: PTUs and priority.
    Interactive,
    /// Within seconds to minutes: also standard and flex.
    Relaxed,
    /// Within 24 hours: also batch.
    Deferrable,
}

/// Subscription types on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubscriptionArg {
    /// Enterprise Agreement and MCA-E.
    Enterprise,
    /// Other paid subscriptions.
    Default,
    /// Monthly credit-card subscriptions.
    CreditCard,
    /// MSDN subscriptions.
    Msdn,
    /// Azure for Students and free trials.
    Student,
}

/// PTU billing terms on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TermArg {
    /// Billed per hour.
    Hourly,
    /// 1-month reservation.
    #[value(name = "1-month")]
    OneMonth,
    /// 1-year reservation.
    #[value(name = "1-year")]
    OneYear,
}

/// Arguments of `tokens`.
#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Files to count; '-' or none reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Model whose encoding to use (name or alias).
    #[arg(long, short = 'm', value_name = "NAME")]
    pub model: Option<String>,
    /// Encoding: o200k_base (gpt-4o and later; the default), cl100k_base, p50k_base, r50k_base.
    #[arg(long, value_parser = input::encoding)]
    pub encoding: Option<Encoding>,
    /// How to read the inputs.
    #[arg(long = "input", value_enum, default_value_t = InputKind::Auto)]
    pub input_kind: InputKind,
    /// Replace invalid UTF-8 bytes instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// Arguments of `analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Request logs; '-' or none reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Models to size the traffic for (repeatable).
    #[arg(long = "model", short = 'm', value_name = "NAME")]
    pub models: Vec<String>,
    /// Deployment type: global, data-zone or regional (Azure SKU names accepted).
    #[arg(long, short = 'd', value_parser = input::deployment, default_value = "global")]
    pub deployment: DeploymentType,
    /// Log format (default: by extension, .csv or .jsonl, else by content).
    #[arg(long = "log-format", value_enum)]
    pub log_format: Option<LogFormatArg>,
    /// Timestamp column or JSON path.
    #[arg(long, value_name = "NAME")]
    pub timestamp_column: Option<String>,
    /// Prompt-token column or JSON path (e.g. usage.prompt_tokens).
    #[arg(long, value_name = "NAME")]
    pub prompt_column: Option<String>,
    /// Completion-token column or JSON path.
    #[arg(long, value_name = "NAME")]
    pub completion_column: Option<String>,
    /// Cached-token column or JSON path.
    #[arg(long, value_name = "NAME")]
    pub cached_column: Option<String>,
    /// Model column or JSON path (default: model, model_name, ModelName); each model in the
    /// log is also analyzed and sized on its own.
    #[arg(long, value_name = "NAME")]
    pub model_column: Option<String>,
    /// Deployment column or JSON path (default: deployment, DeploymentName,
    /// ModelDeploymentName, ...); groups the traffic per deployment instead of per model.
    #[arg(long, value_name = "NAME")]
    pub deployment_column: Option<String>,
    /// Service-tier column or JSON path (default: service_tier, ServiceTierResponse, ...):
    /// requests and tokens per tier that served them (default, priority, flex).
    #[arg(long, value_name = "NAME")]
    pub service_tier_column: Option<String>,
    /// Skip rows that cannot be read (counted and reported) instead of failing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Highest acceptable peak utilization: 0.85 or 85% adds headroom to the PTUs and quota.
    #[arg(long, value_parser = input::target_utilization, default_value = "1", allow_hyphen_values = true)]
    pub target_utilization: f64,
    /// What span the logs stand for (e.g. 1d: they hold all of a day's traffic; 1h, 7d,
    /// 30d): monthly figures scale from it instead of from the first to the last request.
    #[arg(long, value_name = "SPAN", value_parser = input::period)]
    pub period: Option<u64>,
    /// Check a candidate provisioned deployment of this many PTUs (needs one --model).
    #[arg(long, value_parser = input::ptu, allow_negative_numbers = true)]
    pub ptu: Option<f64>,
    /// Check a candidate standard TPM quota.
    #[arg(long, value_parser = input::tpm, allow_negative_numbers = true)]
    pub tpm_quota: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub quota: QuotaArgs,
    /// The max_tokens the clients send: the standard quota counts prompt + max_tokens per
    /// request at admission [default: each request's completion, as a replay sends].
    #[arg(long, value_parser = input::tokens, allow_negative_numbers = true)]
    pub max_tokens: Option<f64>,
    /// Reasoning-token column or JSON path (default: reasoning_tokens,
    /// usage.completion_tokens_details.reasoning_tokens, ...); part of the completion tokens.
    #[arg(long, value_name = "NAME")]
    pub reasoning_column: Option<String>,
    /// Write the per-minute load curve in the profile format `cost --profile` reads.
    #[arg(long, value_name = "FILE")]
    pub profile_out: Option<PathBuf>,
    /// Draw per-minute tokens and normalized TPM against the PTU capacity and the standard
    /// quota, as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Print a Kusto query for Log Analytics whose CSV export analyze reads: `metrics`
    /// (Azure Monitor's per-minute metrics, the default) or `apim` (API Management's LLM log,
    /// per second and deployment).
    #[arg(long, value_enum, value_name = "SOURCE", num_args = 0..=1, default_missing_value = "metrics")]
    pub kql: Option<KqlSource>,
    /// Request-count column (default: requests, request_count, count_): each row stands for
    /// that many requests, as in a per-second export.
    #[arg(long, value_name = "NAME")]
    pub requests_column: Option<String>,
}

/// The Kusto queries `analyze --kql` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KqlSource {
    /// Azure Monitor platform metrics (AzureMetrics), per minute.
    Metrics,
    /// API Management's LLM log (ApiManagementGatewayLlmLog), per second and deployment.
    Apim,
}

/// Log formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// Comma-separated values with a header.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Model (name or alias): PTU ratios, RPM ratio, speed.
    #[arg(long, short = 'm', value_name = "NAME")]
    pub model: String,
    /// Deployment type: global, data-zone or regional (Azure SKU names accepted).
    #[arg(long, short = 'd', value_parser = input::deployment, default_value = "global")]
    pub deployment: DeploymentType,
    /// Candidate provisioned deployments in PTUs: a list (100,150,200) or the flag repeated;
    /// all are compared side by side. No thousands separators here (1500, not 1,500).
    #[arg(long, value_name = "PTU[,PTU...]", value_parser = input::ptu_list, allow_negative_numbers = true)]
    pub ptu: Vec<Vec<f64>>,
    /// Candidate standard deployments: TPM quota (repeatable: --tpm-quota 300k --tpm-quota 1M).
    #[arg(long, value_parser = input::tpm_candidate, allow_negative_numbers = true)]
    pub tpm_quota: Vec<f64>,
    /// Spill PTU 429s to a standard deployment with this TPM quota.
    #[arg(long, value_parser = input::tpm, allow_negative_numbers = true)]
    pub spillover_quota: Option<f64>,
    /// Candidate standard deployments whose requests are all sent as flex: TPM quota
    /// (repeatable). Attempts without flex capacity are resent as standard.
    #[arg(long, value_parser = input::tpm_candidate, allow_negative_numbers = true)]
    pub flex_quota: Vec<f64>,
    /// Candidate standard deployments whose requests are all sent as priority: TPM quota
    /// (repeatable). Traffic rising past the ramp limit is served as standard.
    #[arg(long, value_parser = input::tpm_candidate, allow_negative_numbers = true)]
    pub priority_quota: Vec<f64>,
    /// Share of flex attempts that find flex capacity (0.9 or 90%).
    #[arg(long, value_parser = input::cache_rate, default_value = "1", allow_hyphen_values = true)]
    pub flex_availability: f64,
    /// Priority TPM at or below which the ramp limit never downgrades (Azure publishes none).
    #[arg(long, value_parser = input::tpm_floor, default_value = "0", allow_negative_numbers = true)]
    pub priority_ramp_floor: f64,
    /// Mean request rate per minute (Poisson arrivals).
    #[arg(long, value_parser = input::rpm, allow_negative_numbers = true, conflicts_with = "replay")]
    pub rpm: Option<f64>,
    /// Mean request rate per second (Poisson arrivals).
    #[arg(long, value_parser = input::qps, allow_negative_numbers = true, conflicts_with_all = ["replay", "rpm"])]
    pub qps: Option<f64>,
    /// Replay a request log (the formats `analyze` reads) instead of synthetic traffic.
    #[arg(long, value_name = "FILE")]
    pub replay: Option<String>,
    /// Skip rows of the replayed log that cannot be read (counted in the notes).
    #[arg(long, requires = "replay")]
    pub skip_invalid: bool,
    /// Replay faster (2 = twice the rate) or slower (0.5).
    #[arg(long, default_value = "1", allow_negative_numbers = true)]
    pub speedup: f64,
    /// Simulated time for synthetic traffic (e.g. 30m, 2h, 1d).
    #[arg(long, value_parser = input::duration, default_value = "1h", conflicts_with = "replay", allow_hyphen_values = true)]
    pub duration: f64,
    /// Daily pattern: peak-to-average ratio of the request rate over 24 h (e.g. 2.5).
    #[arg(
        long,
        value_name = "RATIO",
        conflicts_with = "replay",
        allow_negative_numbers = true
    )]
    pub daily_peak: Option<f64>,
    /// Hour of the daily peak (UTC, 0-23).
    #[arg(long, default_value_t = 14, requires = "daily_peak", value_parser = clap::value_parser!(u8).range(0..24), allow_negative_numbers = true)]
    pub peak_hour: u8,
    /// Hour of day the run starts (UTC, 0-23): where on the daily pattern it begins.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..24), allow_negative_numbers = true)]
    pub start_hour: u8,
    /// A burst: START+LENGTHxFACTOR, e.g. 10m+60sx4 (repeatable).
    #[arg(long, value_parser = input::burst, conflicts_with = "replay")]
    pub burst: Vec<(f64, f64, f64)>,
    /// Total tokens per request, all counted as prompt tokens.
    #[arg(long, value_parser = input::tokens, conflicts_with_all = ["prompt", "replay"])]
    pub tokens: Option<f64>,
    /// Refuse a bare --tokens count (no prompt/completion split): for CI.
    #[arg(long)]
    pub strict: bool,
    /// Prompt tokens per request (the mean when --prompt-p95 is given).
    #[arg(long, value_parser = input::tokens, conflicts_with = "replay")]
    pub prompt: Option<f64>,
    /// 95th percentile of prompt tokens: sizes become log-normal.
    #[arg(long, value_parser = input::tokens, requires = "prompt")]
    pub prompt_p95: Option<f64>,
    /// Completion tokens per request (the mean when --completion-p95 is given).
    #[arg(long, value_parser = input::tokens, conflicts_with = "replay")]
    pub completion: Option<f64>,
    /// 95th percentile of completion tokens: sizes become log-normal.
    #[arg(long, value_parser = input::tokens, requires = "completion")]
    pub completion_p95: Option<f64>,
    /// Hidden reasoning tokens per request (reasoning models), simulated as part of the
    /// completion: generated, billed and weighted as output.
    #[arg(long, value_parser = input::tokens, requires = "completion", conflicts_with = "replay", allow_negative_numbers = true)]
    pub reasoning: Option<f64>,
    /// Fraction of prompt tokens served from the prompt cache: 0.25 or 25%.
    #[arg(long, value_parser = input::cache_rate, default_value = "0", conflicts_with = "replay")]
    pub cache_rate: f64,
    /// The max_tokens clients send (default: the model's documented default, e.g. gpt-4o's
    /// 4,096; else the completion size, its p95 when log-normal; each request's own
    /// completion when replaying).
    #[arg(long, value_parser = input::tokens)]
    pub max_tokens: Option<f64>,
    /// Client retry policy.
    #[arg(long, value_enum, default_value_t = RetryArg::OpenaiPython)]
    pub retry: RetryArg,
    /// Retries after the first attempt, at most 100 [default: 2, openai-python's].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub max_retries: Option<u32>,
    /// Fixed delay, or the first exponential backoff (doubling, full jitter) [default: 500ms].
    #[arg(long, value_parser = input::duration, allow_hyphen_values = true)]
    pub retry_delay: Option<f64>,
    /// Longest exponential backoff [default: 8s].
    #[arg(long, value_parser = input::duration, allow_hyphen_values = true)]
    pub retry_cap: Option<f64>,
    /// Give up on a request this long after its first attempt [default: none for
    /// openai-python, 60s for fixed and exponential].
    #[arg(long, value_parser = input::duration, allow_hyphen_values = true)]
    pub deadline: Option<f64>,
    /// Clients ignore the retry-after header (by default they wait at least that long).
    #[arg(long)]
    pub ignore_retry_after: bool,
    /// Standard deployments: the window requests are limited over.
    #[arg(long, value_enum, default_value_t = RpmWindowArg::OneSecond)]
    pub rpm_window: RpmWindowArg,
    /// Provisioned deployments: the capacity the leaky bucket holds at 100% utilization, as
    /// time at full rate (not published; an assumption).
    #[arg(long, value_parser = input::duration, default_value = "60s")]
    pub bucket: f64,
    /// Time to first token of every request.
    #[arg(long, value_parser = input::duration, default_value = "500ms")]
    pub ttft: f64,
    /// Generation speed in tokens per second (default: the catalog's latency target).
    #[arg(long, allow_negative_numbers = true)]
    pub tokens_per_second: Option<f64>,
    /// Seed of the traffic and the clients' jitter: the same seed, the same answer.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub seed: u64,
    /// Draw utilization and 429s per minute, as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Write the offered requests as CSV that --replay and analyze read (timestamp, at_ms,
    /// prompt_tokens, cached_tokens, completion_tokens, max_tokens).
    #[arg(long, value_name = "FILE")]
    pub trace_out: Option<PathBuf>,
    /// With --json: add each candidate's per-minute utilization, 429s and requests served.
    #[arg(long)]
    pub per_minute: bool,
}

/// Client retry policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetryArg {
    /// openai-python's default: retry-after as given up to 2 min (longer: no retry), else
    /// 0.5 s x 2^retry up to 8 s, less up to 25% jitter; 2 retries, no deadline.
    OpenaiPython,
    /// No retries: a 429 is final.
    None,
    /// Wait --retry-delay between attempts.
    Fixed,
    /// Wait a random time up to --retry-delay x 2^retry, at most --retry-cap (full jitter).
    Exponential,
}

/// Windows of the standard request limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RpmWindowArg {
    /// RPM/60 requests per second.
    #[value(name = "1s")]
    OneSecond,
    /// RPM/6 requests per 10 seconds.
    #[value(name = "10s")]
    TenSeconds,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The plan file (TOML).
    pub file: PathBuf,
    /// Read profiles the plan names outside its own folder (absolute paths, `..`).
    #[arg(long)]
    pub allow_outside_paths: bool,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan file (TOML) with a [budget] table.
    pub file: PathBuf,
    /// An earlier `ptuplan plan --json` report: prints the difference and applies
    /// max_increase_pct.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// A --baseline file that does not exist is a new plan (the first pull request that adds
    /// it): no comparison, not an error.
    #[arg(long, requires = "baseline")]
    pub baseline_optional: bool,
    /// Read profiles the plan names outside its own folder (absolute paths, `..`).
    #[arg(long)]
    pub allow_outside_paths: bool,
}

/// Arguments of `emit`.
#[derive(Debug, Args)]
pub struct EmitArgs {
    /// What to write.
    #[arg(value_enum)]
    pub kind: EmitKind,
    /// The plan file (TOML).
    pub file: PathBuf,
    /// Write to this file (replaced only when complete) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Alerts: fire above this share of capacity (0.85 or 85%; below 100%) [default: 85%].
    #[arg(long, value_parser = input::alert_threshold, allow_hyphen_values = true)]
    pub threshold: Option<f64>,
    /// Alerts: the window it is measured over: 1m, 5m, 15m, 30m, 1h, 6h, 12h or 24h
    /// [default: 5m].
    #[arg(long, value_parser = input::alert_window)]
    pub window: Option<u32>,
    /// Alerts: `az monitor metrics alert create` commands instead of an ARM template.
    #[arg(long)]
    pub az: bool,
    /// APIM: how consumers are told apart: `subscription` (the API Management
    /// subscription's name is the consumer's) or `header:NAME` (a request header).
    /// [default: subscription]
    #[arg(long, value_parser = input::consumer_key)]
    pub consumer_key: Option<crate::calc::plan::ConsumerKey>,
    /// APIM: the backends and pools (ARM) instead of the policy: PTU first, spillover second,
    /// circuit breakers on 429.
    #[arg(long)]
    pub backends: bool,
    /// Read profiles the plan names outside its own folder (absolute paths, `..`).
    #[arg(long)]
    pub allow_outside_paths: bool,
}

/// What `emit` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmitKind {
    /// An ARM template: one Microsoft.CognitiveServices/accounts/deployments per deployment
    /// and region.
    Arm,
    /// The same deployments as Terraform azurerm_cognitive_deployment resources.
    Terraform,
    /// Azure Monitor metric alerts: utilization or tokens above the threshold, and 429s.
    Alerts,
    /// An API Management policy: each [[consumer]]'s token and request limits, token
    /// metrics, and its workload's backend pool (--backends: the pools as ARM).
    Apim,
    /// A LiteLLM router config (YAML): each workload's deployments with their tpm and rpm,
    /// spillover, flex-as-standard and standby regions as fallbacks.
    Litellm,
}

/// Arguments of `models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Show one model in full (name or alias).
    pub name: Option<String>,
    /// With NAME: the Azure regions the model is offered in, per deployment SKU.
    #[arg(long, requires = "name")]
    pub regions: bool,
}

/// The commands with a `--json` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[allow(missing_docs)]
pub enum SchemaCommand {
    Size,
    Capacity,
    Tokens,
    Analyze,
    Simulate,
    Cost,
    Plan,
    Check,
    Models,
}

impl SchemaCommand {
    /// Every command with a schema, in help order.
    pub const ALL: [SchemaCommand; 9] = [
        Self::Size,
        Self::Capacity,
        Self::Tokens,
        Self::Analyze,
        Self::Simulate,
        Self::Cost,
        Self::Plan,
        Self::Check,
        Self::Models,
    ];

    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Size => "size",
            Self::Capacity => "capacity",
            Self::Tokens => "tokens",
            Self::Analyze => "analyze",
            Self::Simulate => "simulate",
            Self::Cost => "cost",
            Self::Plan => "plan",
            Self::Check => "check",
            Self::Models => "models",
        }
    }
}

/// `ptuplan prices` subcommands.
#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// Query the Azure Retail Prices API for Azure OpenAI token and Provisioned Managed (PTU)
    /// meters, match them to catalog models and deployment types, and write a price overlay.
    #[command(after_help = PRICES_FETCH_HELP)]
    Fetch(PricesFetchArgs),
}

const PRICES_FETCH_HELP: &str = "\
Examples:
  ptuplan prices fetch --output prices.toml
  ptuplan prices fetch --currency EUR --region swedencentral --output prices-eur.toml
  ptuplan prices fetch --from saved-pages/ --output prices.toml   (no network)
  ptuplan --prices prices.toml cost --model gpt-5.1 --rpm 100 --prompt 1000 --completion 200

The overlay lists, as comments, the catalog prices no meter was found for and
the meters that matched no catalog price. Network, HTTP and timeout failures,
and a fetch that matches nothing, exit 1.";

/// Arguments of `prices fetch`.
#[derive(Debug, Args)]
pub struct PricesFetchArgs {
    /// ISO currency code of the prices (USD, EUR, GBP, ...).
    #[arg(long, default_value = "USD", value_parser = input::currency)]
    pub currency: String,
    /// Azure region whose meters to read (ARM name, e.g. eastus, swedencentral).
    #[arg(long, default_value = "eastus", value_parser = input::region)]
    pub region: String,
    /// Read saved API pages (*.json, in name order) from this folder instead of the network.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Write the overlay here (replaced only when the fetch succeeds) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Give up on a request after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
