//! Orchestration: command-line arguments → validated request → pure core → rendered bytes,
//! a file per command (`size.rs`, `cost.rs`, `plan.rs`, ...) and the helpers they share here.
//! The only module that reads files or writes output.

use std::io::Write;

use chrono::NaiveDate;

use clap::CommandFactory;
use serde::Serialize;

use crate::calc::load::MinuteLoad;
use crate::calc::quota::RpmWindow;
use crate::calc::sizing::StandardOptions;
use crate::calc::workload::{RequestShape, TokenCounts};
use crate::catalog::{Catalog, Model, SubscriptionType};
use crate::cli::{
    Cli, Command, Format, PricesCommand, QuotaArgs, RpmWindowArg, SchemaCommand, ShapeArgs,
    SubscriptionArg,
};
use crate::deployment::{DeploymentType, Sku};
use crate::error::{CatalogError, InputError};
use crate::lifecycle::Lifecycles;
use crate::profile;
use crate::render::json;

mod analyze;
mod batches;
mod capacity;
mod cost;
mod emit;
mod files;
mod models;
mod output;
mod plan;
mod price_overlay;
mod simulate;
mod size;
mod tokens;

use analyze::run_analyze;
use capacity::run_capacity;
use cost::run_cost;
use models::{ModelsBody, run_models};
use plan::{PlanBody, emit_inputs, plan_lifecycles, run_check, run_plan, sized_plan};
use simulate::run_simulate;
use size::run_size;
use tokens::run_tokens;

/// Runs one command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    if cli.json && cli.format == Format::Markdown {
        return Err(InputError::Usage(
            "--json and --format markdown ask for two formats: give one".into(),
        )
        .into());
    }
    let format = cli.output_format();
    check_markdown(&cli.command, format)?;
    let as_of = || day_to_judge(cli.as_of);
    let text = match &cli.command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            let mut command = completion_command(&base_catalog(&cli)?);
            clap_complete::generate(*shell, &mut command, "ptuplan", &mut script);
            out.write_all(&script)?;
            return Ok(());
        }
        Command::Schema { command } => {
            let text = serde_json::to_string_pretty(&schema_of(*command))? + "\n";
            return write_answer(out, &text);
        }
        Command::Man { dir } => {
            return match dir {
                Some(dir) => man_pages(dir),
                None => {
                    let mut page = Vec::new();
                    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
                    write_answer(out, &String::from_utf8_lossy(&page))
                }
            };
        }
        Command::Size(args) => run_size(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Capacity(args) => run_capacity(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Cost(args) => run_cost(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Tokens(args) => run_tokens(args, &load_catalog(&cli)?, format)?,
        Command::Analyze(args) => run_analyze(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Simulate(args) => run_simulate(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Plan(args) => {
            let catalog = load_catalog(&cli)?;
            run_plan(
                &args.file,
                None,
                args.allow_outside_paths,
                &catalog,
                (format, as_of()?),
            )?
            .0
        }
        Command::Check(args) => {
            let catalog = load_catalog(&cli)?;
            return run_check(args, &catalog, (format, as_of()?), out);
        }
        Command::Models(args) => run_models(args, &load_catalog(&cli)?, format, as_of()?)?,
        Command::Prices(PricesCommand::Fetch(args)) => {
            price_overlay::run_prices_fetch(args, &base_catalog(&cli)?, as_of()?)?
        }
        Command::Emit(args) => {
            let catalog = load_catalog(&cli)?;
            let (_, resolved, report) = sized_plan(&args.file, args.allow_outside_paths, &catalog)?;
            let warnings = plan_lifecycles(&resolved, &catalog, as_of()?).notes();
            emit::run_emit(args, &report, &catalog, &emit_inputs(&cli, args), &warnings)?
        }
    };
    let text = printable(text, format);
    write_answer(out, &text)
}

/// Environment variable giving the day lifecycles are judged on; `--as-of` wins, an empty
/// value is ignored.
pub const AS_OF_ENV: &str = "PTUPLAN_AS_OF";

/// The day lifecycles are judged on: `--as-of`, else `PTUPLAN_AS_OF`, else today (UTC).
fn day_to_judge(flag: Option<NaiveDate>) -> Result<NaiveDate, InputError> {
    if let Some(day) = flag {
        return Ok(day);
    }
    match std::env::var(AS_OF_ENV) {
        Ok(value) if !value.is_empty() => {
            crate::lifecycle::parse_day(&value).map_err(|message| InputError::InvalidValue {
                field: "PTUPLAN_AS_OF",
                value,
                allowed: format!("{message}; unset it or fix it (--as-of wins over it)"),
            })
        }
        _ => Ok(today_utc()),
    }
}

/// Today's date in UTC: the default of `--as-of`, read here at the edge, never in the core.
fn today_utc() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .unwrap_or_default()
        .date_naive()
}

/// The lifecycles of the models a command used on `skus`, judged on `as_of`.
fn lifecycles<'a>(
    models: impl IntoIterator<Item = &'a Model>,
    skus: &[Sku],
    catalog: &Catalog,
    as_of: NaiveDate,
) -> Lifecycles {
    Lifecycles::of(
        models.into_iter().map(|m| (m, skus.to_vec())),
        catalog,
        as_of,
    )
}

/// Both SKUs of a deployment type: provisioned and standard.
fn both_skus(deployment: DeploymentType) -> [Sku; 2] {
    [Sku::of(deployment, true), Sku::of(deployment, false)]
}

/// The line under a Markdown comment: tool version, catalog and the day judged on.
fn footer(catalog: &Catalog, as_of: NaiveDate) -> String {
    format!(
        "ptuplan {} · catalog {} ({}) · as of {as_of}",
        env!("CARGO_PKG_VERSION"),
        catalog.as_of,
        catalog.origin
    )
}

/// The JSON Schema of `command`'s `--json` answer.
pub fn schema_of(command: SchemaCommand) -> serde_json::Value {
    use crate::{calc, sim, tokens, traffic};
    let name = command.name();
    match command {
        SchemaCommand::Size => json::schema::<calc::sizing::SizeReport>(name),
        SchemaCommand::Capacity => json::schema::<calc::capacity::CapacityReport>(name),
        SchemaCommand::Tokens => json::schema::<tokens::count::TokensReport>(name),
        SchemaCommand::Analyze => json::schema::<traffic::analysis::AnalyzeReport>(name),
        SchemaCommand::Simulate => json::schema::<sim::compare::SimulateReport>(name),
        SchemaCommand::Cost => json::schema::<calc::cost::CostReport>(name),
        SchemaCommand::Plan => json::schema::<PlanBody<'static>>(name),
        SchemaCommand::Check => {
            // check always evaluates the budget.
            let mut schema = json::schema::<PlanBody<'static>>(name);
            if let Some(required) = schema["required"].as_array_mut() {
                required.push("budget".into());
            }
            schema
        }
        SchemaCommand::Models => json::schema::<ModelsBody<'static>>(name),
    }
}

/// The command line as completion scripts see it: `--model` offers the catalog's names and
/// aliases, `--deployment` the deployment types (parsing still accepts any spelling).
fn completion_command(catalog: &Catalog) -> clap::Command {
    let models: Vec<String> = catalog
        .models
        .iter()
        .flat_map(|m| std::iter::once(m.name.clone()).chain(m.aliases.iter().cloned()))
        .collect();
    let types = ["global", "data-zone", "regional"];
    let offer = |command: clap::Command| {
        let names = models.clone();
        let with_models = if command
            .get_arguments()
            .any(|a| a.get_id() == "model" || a.get_id() == "models")
        {
            let id = if command.get_arguments().any(|a| a.get_id() == "models") {
                "models"
            } else {
                "model"
            };
            command.mut_arg(id, |a| {
                a.value_parser(clap::builder::PossibleValuesParser::new(names))
            })
        } else {
            command
        };
        if with_models
            .get_arguments()
            .any(|a| a.get_id() == "deployment")
        {
            with_models.mut_arg("deployment", |a| {
                a.value_parser(clap::builder::PossibleValuesParser::new(types))
            })
        } else {
            with_models
        }
    };
    let mut command = Cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, offer);
    }
    command.mut_subcommand("models", |models| {
        models.mut_arg("name", |a| {
            a.value_parser(clap::builder::PossibleValuesParser::new(
                catalog.models.iter().map(|m| m.name.clone()),
            ))
        })
    })
}

/// `man --dir DIR`: ptuplan.1 and one page per subcommand (ptuplan-size.1, ...), each written
/// whole or not at all.
fn man_pages(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| output::cannot_write("man page", dir, e))?;
    let command = Cli::command();
    let mut pages = vec![("ptuplan".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        let name = format!("ptuplan-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut file = output::OutputFile::open(&path, "man page")?;
        let mut roff = Vec::new();
        clap_mangen::Man::new(page).render(&mut roff)?;
        file.write_all(&roff)?;
        file.commit()?;
    }
    Ok(())
}

/// `--format markdown` is a pull-request comment: only `plan`, `check` and `cost` have one;
/// `man`, `completions`, `schema` and `prices` print one fixed format.
fn check_markdown(command: &Command, format: Format) -> Result<(), InputError> {
    let fixed = matches!(
        command,
        Command::Man { .. }
            | Command::Completions { .. }
            | Command::Schema { .. }
            | Command::Prices(_)
            | Command::Emit(_)
    );
    if fixed && format != Format::Table {
        return Err(InputError::Usage(
            "--json and --format apply to the planning commands; man, completions, schema, \
             prices and emit print one format"
                .into(),
        ));
    }
    let has_markdown = matches!(
        command,
        Command::Plan(_) | Command::Check(_) | Command::Cost(_)
    );
    if format == Format::Markdown && !has_markdown {
        return Err(InputError::Usage(
            "--format markdown is for plan, check and cost (a pull-request comment); use table \
             or json here"
                .into(),
        ));
    }
    Ok(())
}

/// Writes the answer to standard output; a failure says so (and keeps the I/O error, so a
/// reader that went away is still told apart).
fn write_answer(out: &mut dyn Write, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the answer to standard output")
}

/// A progress bar on stderr drawn with `template` (indicatif), or a hidden one when stderr is
/// not a terminal or `shown` is false.
fn progress_bar(shown: bool, length: u64, template: &str) -> indicatif::ProgressBar {
    if !shown || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(length).with_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

/// Tables with control characters from input (terminal escapes in a log's names) escaped;
/// JSON escapes them itself.
fn printable(text: String, format: Format) -> String {
    match format {
        Format::Table | Format::Markdown => crate::render::escape_controls(text),
        Format::Json => text,
    }
}

/// Environment variable naming a catalog file; `--catalog` wins, an empty value is ignored.
pub const CATALOG_ENV: &str = "PTUPLAN_CATALOG";

/// The catalog (see [`base_catalog`]) with the price overlay of `--prices` or
/// `PTUPLAN_PRICES` applied.
fn load_catalog(cli: &Cli) -> anyhow::Result<Catalog> {
    let mut catalog = base_catalog(cli)?;
    price_overlay::apply_overlay(cli.prices.as_deref(), &mut catalog)?;
    Ok(catalog)
}

/// The catalog named by `--catalog` or `PTUPLAN_CATALOG`, or the embedded one.
fn base_catalog(cli: &Cli) -> anyhow::Result<Catalog> {
    let Some((path, shown)) = files::flag_or_env(cli.catalog.as_deref(), CATALOG_ENV) else {
        return Ok(Catalog::embedded()?);
    };
    let text = files::read_text(&path, files::MAX_CATALOG_BYTES).map_err(|failure| {
        CatalogError::Read {
            path: shown.clone(),
            error: failure.into_io(),
        }
    })?;
    Ok(Catalog::parse(&text, &shown)?)
}

fn request_shape(args: &ShapeArgs) -> anyhow::Result<RequestShape> {
    let counts = TokenCounts {
        total: args.tokens,
        prompt: args.prompt,
        completion: args.completion,
    };
    let shape = RequestShape::new(counts, args.cache_rate, args.max_tokens)?
        .with_cache_writes(args.cache_write_rate)?
        .with_output_extras(args.reasoning, args.best_of)?;
    if args.strict {
        shape.token_split.check_strict("--tokens")?;
    }
    Ok(shape)
}

/// The standard-quota options of `--rpm-window` and `--max-throttle`.
fn standard_options(args: &QuotaArgs) -> StandardOptions {
    StandardOptions {
        rpm_window: rpm_window(args.rpm_window),
        max_throttle: args.max_throttle,
    }
}

/// The core's window for the command line's.
pub(crate) fn rpm_window(arg: RpmWindowArg) -> RpmWindow {
    match arg {
        RpmWindowArg::OneSecond => RpmWindow::OneSecond,
        RpmWindowArg::TenSeconds => RpmWindow::TenSeconds,
    }
}

fn render_json<T: Serialize>(
    catalog: &Catalog,
    lifecycle: Option<&Lifecycles>,
    body: &T,
) -> anyhow::Result<String> {
    Ok(json::render(catalog, lifecycle, body)?)
}

/// The request shape, or `None` when no token flag was given.
fn optional_shape(args: &ShapeArgs) -> anyhow::Result<Option<RequestShape>> {
    let given = args.tokens.is_some() || args.prompt.is_some() || args.completion.is_some();
    Ok(if given {
        Some(request_shape(args)?)
    } else {
        None
    })
}

/// A profile read from a file, and its minutes in order.
struct ReadProfile {
    path: String,
    parsed: profile::Profile,
    minutes: Vec<MinuteLoad>,
}

/// Reads and parses a `--profile` file.
fn read_profile(path: &std::path::Path) -> anyhow::Result<ReadProfile> {
    let shown = path.display().to_string();
    let text = files::read_input(path, "profile", files::MAX_PROFILE_BYTES)?;
    let parsed = profile::parse(&text, &shown)?;
    Ok(ReadProfile {
        minutes: parsed.minutes.iter().map(|(_, m)| *m).collect(),
        parsed,
        path: shown,
    })
}

/// A profile with token columns is the one source of the request shape: token flags beside
/// it are an error naming both.
fn check_one_token_source(args: &ShapeArgs, profile: &str) -> Result<(), InputError> {
    let given: Vec<&str> = [
        ("--tokens", args.tokens.is_some()),
        ("--prompt", args.prompt.is_some()),
        ("--completion", args.completion.is_some()),
        ("--reasoning", args.reasoning.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, set)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(InputError::Usage(format!(
        "--profile {profile} has prompt/completion columns and {flags} {verb} the tokens too: \
         the profile's tokens would be used and the flags ignored; drop {flags} (a given --rpm \
         is sized with the profile's average request)",
        flags = given.join(" and "),
        verb = if given.len() == 1 { "gives" } else { "give" },
    )))
}

/// The catalog's subscription type for the flag's.
fn subscription(arg: SubscriptionArg) -> SubscriptionType {
    match arg {
        SubscriptionArg::Enterprise => SubscriptionType::Enterprise,
        SubscriptionArg::Default => SubscriptionType::Default,
        SubscriptionArg::CreditCard => SubscriptionType::CreditCard,
        SubscriptionArg::Msdn => SubscriptionType::Msdn,
        SubscriptionArg::Student => SubscriptionType::Student,
    }
}
