//! Orchestration: command-line arguments → validated request → pure core → rendered bytes
//! (`analyze` and `simulate` in their own files).
//! The only module that reads files or writes output.

use std::borrow::Cow;
use std::io::Write;

use chrono::NaiveDate;

use clap::CommandFactory;
use serde::Serialize;

use crate::calc::budget::{self, BudgetReport};
use crate::calc::capacity::{Limit, capacity};
use crate::calc::cost::{CostReport, CostSettings, Term, cost};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::param::Naming;
use crate::calc::plan::{Billing, PlanReport, PlannedWorkload, Tier, plan, split_warnings};
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::quota::RpmWindow;
use crate::calc::service_tier::{LatencyClass, PriorityOverrides, StandardPrice, TierSetup};
use crate::calc::sizing::{ModelSizing, SizeOptions, StandardOptions, request_notes, size};
use crate::calc::tier;
use crate::calc::workload::{RequestShape, TokenCounts, Workload};
use crate::catalog::{Catalog, CatalogField, Model, Source, SubscriptionType};
use crate::cli::{
    CapacityArgs, Cli, Command, CostArgs, Format, LatencyArg, ModelsArgs, PricesCommand, QuotaArgs,
    RpmWindowArg, SchemaCommand, ShapeArgs, SizeArgs, SortOrder, SubscriptionArg, TermArg,
    TierArgs, TokensArgs,
};
use crate::deployment::{DeploymentType, Sku};
use crate::error::{BudgetExceeded, CatalogError, InputError};
use crate::lifecycle::Lifecycles;
use crate::note::{Note, NoteCode};
use crate::render::{json, markdown, table};
use crate::tokens::count::{MeasuredTokens, ParsedInput, TokenStat, count_inputs};
use crate::tokens::encoding::Encoding;
use crate::tokens::request::{self, InputKind, Request, Side};
use crate::{plan_file, profile};

mod analyze;
mod batches;
mod emit;
mod files;
mod output;
mod price_overlay;
mod simulate;

use analyze::run_analyze;
use simulate::run_simulate;

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
            // A retired model's deployment would be refused: say so where scripts see it.
            let mut stderr = std::io::stderr();
            for note in plan_lifecycles(&resolved, &catalog, as_of()?).notes() {
                let _ = writeln!(
                    stderr,
                    "warning: {}",
                    crate::render::clean(&note.message, 1000)
                );
            }
            emit::run_emit(args, &report, &catalog, &emit_inputs(&cli, args))?
        }
    };
    let text = printable(text, format);
    write_answer(out, &text)
}

/// `check`: the plan's report on stdout, split-token warnings on stderr, and the verdict as
/// the result (exit 3 over budget), which wins over a reader that went away or a full disk:
/// a budget gate must never pass because its output was cut short.
fn run_check(
    args: &crate::cli::CheckArgs,
    catalog: &Catalog,
    (format, as_of): (Format, NaiveDate),
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (text, budget, warnings) = run_plan(
        &args.file,
        Some((args.baseline.as_deref(), args.baseline_optional)),
        args.allow_outside_paths,
        catalog,
        (format, as_of),
    )?;
    let text = printable(text, format);
    let mut stderr = std::io::stderr().lock();
    for warning in &warnings {
        let _ = writeln!(stderr, "warning: {}", crate::render::clean(warning, 1000));
    }
    let written = write_answer(out, &text);
    match (budget, written) {
        (Some(report), _) if !report.ok => Err(BudgetExceeded(report.exceeded_summary()).into()),
        (_, written) => written,
    }
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

fn run_size(
    args: &SizeArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let rpm = match (args.rate.rpm, args.rate.qps) {
        (Some(rpm), _) => rpm,
        (None, Some(qps)) => qps * 60.0,
        (None, None) => unreachable!("clap requires --rpm or --qps"),
    };
    let named = named_models(&args.models, catalog)?;
    let mut models: Vec<&Model> = named.iter().map(|m| m.as_ref()).collect();
    if models.is_empty() {
        models = catalog.models.iter().collect();
    }
    if args.prompt_file.is_empty()
        && args.completion_file.is_empty()
        && args.token_stat != TokenStat::Mean
    {
        return Err(InputError::Usage(
            "--token-stat applies to --prompt-file and --completion-file; give one of them".into(),
        )
        .into());
    }
    let mut token_notes = Vec::new();
    let measured_prompt = measure_tokens(
        args,
        (&args.prompt_file, Side::Prompt),
        &models,
        &mut token_notes,
    )?;
    let measured_completion = measure_tokens(
        args,
        (&args.completion_file, Side::Completion),
        &models,
        &mut token_notes,
    )?;
    let shape_args = measured_shape_args(
        &args.shape,
        measured_prompt.as_ref(),
        measured_completion.as_ref(),
    )?;
    let workload = Workload::new(rpm, request_shape(&shape_args)?)?;
    let options = SizeOptions {
        deployment: args.deployment,
        target_utilization: args.target_utilization,
        standard: standard_options(&args.quota),
    };
    let mut report = size(&workload, &models, options, !args.models.is_empty())?;
    sort_models(&mut report.models, args.sort);
    report.measured_prompt = measured_prompt;
    report.measured_completion = measured_completion;
    token_notes.dedup();
    report.notes.extend(token_notes);
    if let Some(tier) = args.quota_tier {
        report
            .notes
            .extend(mark_quota_tier(&mut report.models, catalog, tier));
    }
    let lifecycle = lifecycles(models, &both_skus(args.deployment), catalog, as_of);
    report.notes.extend(lifecycle.notes());
    match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report),
        Format::Table | Format::Markdown => Ok(table::size(&report, catalog)),
    }
}

/// Sets each sized model's `quota_tier` against `tier`'s default; returns the notes.
fn mark_quota_tier(models: &mut [ModelSizing], catalog: &Catalog, tier: u8) -> Vec<Note> {
    let mut checks = Vec::new();
    for model in models.iter_mut() {
        let Some(needed) = model.standard_tpm_quota_for_target else {
            continue;
        };
        let sku = Sku::of(model.deployment, false);
        let check = tier::against_tier(catalog, &model.model, sku, tier, needed);
        checks.push((model.model.clone(), check.clone()));
        model.quota_tier = Some(check);
    }
    tier::tier_notes(&checks)
}

/// Named models in the order given, each once (a name and its alias are one model); a dated
/// version brings its own context limits.
fn named_models<'a>(names: &[String], catalog: &'a Catalog) -> anyhow::Result<Vec<Cow<'a, Model>>> {
    let mut named: Vec<Cow<Model>> = Vec::new();
    for name in names {
        let model = catalog.find_version(name)?;
        if !named.iter().any(|m| m.name == model.name) {
            named.push(model);
        }
    }
    Ok(named)
}

/// The tokens per request measured from `files` (`--prompt-file` or `--completion-file`,
/// for `side`), if any, counted with the models' encoding (or `--encoding`).
fn measure_tokens(
    args: &SizeArgs,
    (files, side): (&[String], Side),
    models: &[&Model],
    notes: &mut Vec<Note>,
) -> anyhow::Result<Option<MeasuredTokens>> {
    if files.is_empty() {
        return Ok(None);
    }
    let encoding = match args.encoding {
        Some(encoding) => encoding,
        None => models_encoding(models, notes)?,
    };
    let inputs = read_inputs(files, InputKind::Auto, side, args.lossy)?;
    let counted = count_inputs(encoding, None, &inputs);
    notes.extend(
        counted
            .notes
            .iter()
            .filter(|n| n.code == NoteCode::TokensNotCounted)
            .cloned(),
    );
    Ok(Some(MeasuredTokens {
        stat: args.token_stat,
        encoding,
        files: files.to_vec(),
        tokens: args.token_stat.of(&counted.distribution),
        distribution: counted.distribution,
    }))
}

/// The request-shape flags with measured tokens in place of the counts; a measured side needs
/// the other side, given or measured.
fn measured_shape_args(
    given: &ShapeArgs,
    prompt: Option<&MeasuredTokens>,
    completion: Option<&MeasuredTokens>,
) -> anyhow::Result<ShapeArgs> {
    let mut shape_args = given.clone();
    if let Some(m) = prompt {
        shape_args.prompt = Some(m.tokens);
        if shape_args.completion.is_none() && completion.is_none() {
            return Err(InputError::Usage(
                "--prompt-file needs the completion side too: give --completion N or \
                 --completion-file FILE"
                    .into(),
            )
            .into());
        }
    }
    if let Some(m) = completion {
        shape_args.completion = Some(m.tokens);
        if shape_args.prompt.is_none() {
            return Err(InputError::Usage(
                "--completion-file needs the prompt side too: give --prompt N or --prompt-file FILE"
                    .into(),
            )
            .into());
        }
    }
    Ok(shape_args)
}

/// The one encoding the models use (o200k_base when none names one); an error when they
/// differ. Models without a tiktoken encoding get a note: their counts are approximations.
fn models_encoding(models: &[&Model], notes: &mut Vec<Note>) -> anyhow::Result<Encoding> {
    let mut found: Vec<Encoding> = models.iter().filter_map(|m| m.tokenizer).collect();
    found.dedup();
    let without: Vec<&str> = models
        .iter()
        .filter(|m| m.tokenizer.is_none())
        .map(|m| m.name.as_str())
        .collect();
    let encoding = match found.as_slice() {
        [] => Encoding::O200kBase,
        [one] => *one,
        _ => {
            return Err(InputError::Usage(
                "the models use different encodings: give --encoding, or size one model at a time"
                    .into(),
            )
            .into());
        }
    };
    if !without.is_empty() {
        notes.push(Note::new(
            NoteCode::TokenCounting,
            format!(
                "{} not in tiktoken's model table: sample tokens counted with {encoding}, an \
             approximation for {}",
                if without.len() == 1 {
                    "one model is"
                } else {
                    "some models are"
                },
                without.join(", ")
            ),
        ));
    }
    Ok(encoding)
}

/// Reads several token inputs; stdin may appear once.
fn read_inputs(
    paths: &[String],
    kind: InputKind,
    side: Side,
    lossy: bool,
) -> anyhow::Result<Vec<ParsedInput>> {
    reject_repeated_paths(paths)?;
    paths
        .iter()
        .map(|path| read_input(path, kind, side, lossy))
        .collect()
}

/// An error when a file is named twice, also as another path to it (`burst.csv` and
/// `./burst.csv`): its requests would be counted twice.
fn reject_repeated_paths(paths: &[String]) -> Result<(), InputError> {
    let key = |path: &str| {
        std::fs::canonicalize(path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.to_string())
    };
    let keys: Vec<String> = paths.iter().map(|p| key(p)).collect();
    for (i, path) in paths.iter().enumerate() {
        if keys[..i].contains(&keys[i]) {
            return Err(InputError::Usage(format!(
                "'{path}' is given more than once: its requests would be counted twice"
            )));
        }
    }
    Ok(())
}

/// Reads, decodes and parses one token input (`-` is stdin).
fn read_input(path: &str, kind: InputKind, side: Side, lossy: bool) -> anyhow::Result<ParsedInput> {
    let bytes = if path == "-" {
        files::read_limited(std::io::stdin(), files::MAX_SAMPLE_BYTES)
    } else {
        files::read_bytes(std::path::Path::new(path), files::MAX_SAMPLE_BYTES)
    }
    .map_err(|failure| InputError::File {
        kind: "file",
        path: path.to_string(),
        line: None,
        message: failure.to_string(),
    })?;
    let text = request::decode(bytes, path, lossy)?;
    let kind = request::resolve_kind(kind, path, &text);
    let requests = request::parse(&text, path, kind, side)?;
    Ok(ParsedInput {
        path: path.to_string(),
        kind,
        requests,
    })
}

fn run_tokens(args: &TokensArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let model = args
        .model
        .as_deref()
        .map(|name| catalog.find(name))
        .transpose()?;
    let encoding = match (args.encoding, model) {
        (Some(encoding), _) => encoding,
        (None, Some(model)) => model.tokenizer.ok_or_else(|| {
            InputError::Usage(format!(
                "{} is not in tiktoken's model table, so its encoding is unknown: add \
                 --encoding o200k_base to approximate",
                model.name
            ))
        })?,
        (None, None) => Encoding::O200kBase,
    };
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files.clone()
    };
    let inputs = read_inputs(&paths, args.input_kind, Side::Any, args.lossy)?;
    let mut report = count_inputs(encoding, model.map(|m| m.name.as_str()), &inputs);
    if let (Some(model), Some(_)) = (model, args.encoding)
        && model.tokenizer != Some(encoding)
    {
        report.notes.push(Note::new(
            NoteCode::TokenCounting,
            format!(
                "counted with {encoding}, which is not {}'s own encoding: an approximation",
                model.name
            ),
        ));
    }
    for input in inputs
        .iter()
        .filter(|i| i.path == "-" && i.kind == InputKind::Text)
    {
        let start = input.requests.first().map(|r| match r {
            Request::Text(text) => text.trim_start().starts_with(['{', '[']),
            Request::Chat(..) => false,
        });
        if start == Some(true) {
            report.notes.push(Note::new(
                NoteCode::TokenCounting,
                "stdin looks like JSON but does not parse as a chat request or JSONL: counted \
                 as plain text (give --input chat or jsonl to see the error)"
                    .into(),
            ));
        }
    }
    if args.encoding.is_none() && model.is_none() {
        report.notes.push(Note::new(
            NoteCode::TokenCounting,
            "no --model or --encoding: counted with o200k_base (gpt-4o and later)".into(),
        ));
    }
    match format {
        Format::Json => render_json(catalog, None, &report),
        Format::Table | Format::Markdown => Ok(table::tokens(&report)),
    }
}

/// The error for an output file (`kind`: plot, profile, trace) that cannot be written.
/// Orders sized models as `--sort` asks; ties keep catalog order.
fn sort_models(models: &mut [ModelSizing], order: SortOrder) {
    match order {
        SortOrder::Catalog => {}
        SortOrder::Ptu => models.sort_by_key(|m| m.ptu_for_target),
        SortOrder::Quota => {
            models.sort_by_key(|m| m.standard_tpm_quota_for_target.unwrap_or(u64::MAX))
        }
    }
}

fn run_capacity(
    args: &CapacityArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let shape = request_shape(&args.shape)?;
    let versioned = args
        .model
        .as_deref()
        .map(|name| catalog.find_version(name))
        .transpose()?;
    let model = versioned.as_deref();
    let limit = match (args.tpm, args.ptu, model) {
        (Some(tpm), _, model) => Limit::Standard { tpm, model },
        (None, Some(ptu), Some(model)) => Limit::Provisioned { ptu, model },
        _ => unreachable!("clap requires --tpm, or --ptu with --model"),
    };
    let mut report = capacity(
        limit,
        &shape,
        args.deployment,
        args.target_utilization,
        standard_options(&args.quota),
    )?;
    let sku = Sku::of(args.deployment, args.tpm.is_none());
    let lifecycle = lifecycles(model, &[sku], catalog, as_of);
    report.notes.extend(lifecycle.notes());
    match format {
        Format::Json => render_json(catalog, model.map(|_| &lifecycle), &report),
        Format::Table | Format::Markdown => Ok(table::capacity(&report)),
    }
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

fn run_cost(
    args: &CostArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let model = &*catalog.find_version(&args.model)?;
    let profile = args.profile.as_deref().map(read_profile).transpose()?;
    if let Some(profile) = profile.as_ref().filter(|p| p.parsed.has_tokens) {
        check_one_token_source(&args.shape, &profile.path)?;
    }
    let shape = optional_shape(&args.shape)?;
    let peak_rpm = args.rpm.or(args.qps.map(|qps| qps * 60.0));
    // The peak's shape: the flags', else a token profile's average request.
    let peak_shape = shape.or(profile
        .as_ref()
        .and_then(|p| p.parsed.mean_shape(args.shape.cache_rate)));
    let peak_workload = match (peak_rpm, peak_shape) {
        (Some(rpm), Some(shape)) => Some(Workload::new(rpm, shape)?),
        // No token flags: the shape's own error says which are missing.
        (Some(_), None) => {
            return Err(request_shape(&args.shape).err().unwrap_or_else(|| {
                InputError::Usage("--rpm needs the request shape".into()).into()
            }));
        }
        (None, _) => None,
    };
    let load = cost_load(
        args,
        profile.as_ref(),
        peak_workload.as_ref(),
        shape.as_ref(),
    )?;
    let settings = cost_settings(args, catalog, model, peak_workload.as_ref(), shape.as_ref())?;
    let mut report = cost(model, &load, &settings)?;
    report.token_split = shape.map(|s| s.token_split);
    if let Some(shape) = shape {
        report.notes.extend(
            shape
                .token_split
                .assumed_note(shape.prompt_tokens, "--tokens"),
        );
        report
            .notes
            .extend(request_notes(&shape, model, Naming::Flags));
    }
    let profile_has_cached = profile.as_ref().is_some_and(|p| p.parsed.has_cached);
    if profile_has_cached && args.shape.cache_rate > 0.0 {
        report.notes.push(Note::new(
            NoteCode::LoadProfile,
            "--cache-rate is not used: the profile's 'cached' column gives the cached tokens"
                .into(),
        ));
    }
    report.notes.extend(unused_tier_flags(&args.tiers, &report));
    let lifecycle = lifecycles([model], &both_skus(args.deployment), catalog, as_of);
    report.notes.extend(lifecycle.notes());
    match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report),
        Format::Table => Ok(table::cost(&report)),
        Format::Markdown => Ok(markdown::cost(&report, &footer(catalog, as_of))),
    }
}

/// The month's load `cost` prices: the profile's minutes, else the peak and `--avg-rpm`.
fn cost_load(
    args: &CostArgs,
    profile: Option<&ReadProfile>,
    peak_workload: Option<&Workload>,
    shape: Option<&RequestShape>,
) -> anyhow::Result<LoadCurve> {
    Ok(match (profile, peak_workload) {
        (Some(profile), _) => LoadCurve::profile(
            &profile.minutes,
            profile.parsed.span_minutes,
            profile.parsed.has_tokens,
            profile.parsed.has_cached,
            shape,
        )?
        .at_minutes(profile.parsed.offsets()),
        (None, Some(peak)) => {
            let avg = args.avg_rpm.unwrap_or(peak.rpm);
            if avg > peak.rpm {
                return Err(InputError::InvalidValue {
                    field: "--avg-rpm",
                    value: avg.to_string(),
                    allowed: format!("the average must not exceed the peak ({} RPM)", peak.rpm),
                }
                .into());
            }
            LoadCurve::peak_and_average(peak.rpm, avg, &peak.shape)
        }
        (None, None) => {
            return Err(InputError::Usage(
                "give the peak rate (--rpm or --qps) and the request shape, or a --profile FILE"
                    .into(),
            )
            .into());
        }
    })
}

/// `cost`'s settings: prices (catalog and overrides), the hybrid's term and peak, quota options.
fn cost_settings(
    args: &CostArgs,
    catalog: &Catalog,
    model: &Model,
    peak_workload: Option<&Workload>,
    shape: Option<&RequestShape>,
) -> anyhow::Result<CostSettings> {
    let overrides = PriceOverrides {
        input: args.price_input,
        cached: args.price_cached,
        output: args.price_output,
        ptu_hourly: args.ptu_hourly,
        ptu_monthly: args.ptu_monthly,
        ptu_yearly: args.ptu_yearly,
    };
    let catalog_ptu = catalog.ptu_prices.get(&args.deployment);
    let prices = prices::resolve(
        model,
        catalog_ptu,
        args.deployment,
        &overrides,
        &catalog.currency,
    )?;
    let tiers = tier_setup(&args.tiers, catalog, model, args.deployment, &prices);
    Ok(CostSettings {
        deployment: args.deployment,
        peak_normalized_tpm: peak_workload.map(|w| w.normalized_tpm(model)),
        hours_per_month: args.hours,
        hybrid_term: match args.hybrid_term {
            TermArg::Hourly => Term::Hourly,
            TermArg::OneMonth => Term::OneMonth,
            TermArg::OneYear => Term::OneYear,
        },
        target_utilization: args.target_utilization,
        token_prices: prices.tokens,
        ptu_rates: prices.ptu,
        token_price_source: prices.token_source,
        ptu_price_source: prices.ptu_source,
        prices_unverified: prices.unverified,
        standard: Some(standard_options(&args.quota)),
        admission_max_tokens: match shape {
            Some(shape) => shape.admission_max_tokens(model),
            None => args
                .shape
                .max_tokens
                .or(model.default_max_tokens.map(|d| d as f64)),
        },
        currency: catalog.currency.clone(),
        tiers,
        flex_availability: args.tiers.flex_availability,
        batch_share: args.tiers.batch_share,
        subscription: subscription(args.tiers.subscription_type),
        latency: args.tiers.latency.map(|l| match l {
            LatencyArg::Interactive => LatencyClass::Interactive,
            LatencyArg::Relaxed => LatencyClass::Relaxed,
            LatencyArg::Deferrable => LatencyClass::Deferrable,
        }),
    })
}

/// Priority, flex and batch for `cost`: the catalog's offers priced from the standard prices
/// in use and the priority flags.
fn tier_setup(
    args: &TierArgs,
    catalog: &Catalog,
    model: &Model,
    deployment: DeploymentType,
    prices: &prices::ResolvedPrices,
) -> TierSetup {
    let standard = StandardPrice {
        prices: &prices.tokens,
        source: &prices.token_source,
        unverified: prices.unverified_tokens,
    };
    let overrides = PriorityOverrides {
        input: args.price_priority_input,
        cached: args.price_priority_cached,
        output: args.price_priority_output,
    };
    let subscription = subscription(args.subscription_type);
    let mut setup = TierSetup::resolve(
        catalog,
        model,
        deployment,
        standard,
        &overrides,
        subscription,
    );
    if let Ok(priority) = &mut setup.priority {
        priority.ramp.floor_tpm = args.priority_ramp_floor;
    }
    setup
}

/// Notes on tier flags given for a tier the answer does not price.
fn unused_tier_flags(args: &TierArgs, report: &CostReport) -> Vec<Note> {
    let priority_flags = args.price_priority_input.is_some()
        || args.price_priority_cached.is_some()
        || args.price_priority_output.is_some()
        || args.priority_ramp_floor > 0.0;
    [
        (
            args.flex_availability < 1.0 && report.prices.flex.is_none(),
            "--flex-availability",
            "flex",
        ),
        (
            priority_flags && report.prices.priority.is_none(),
            "the priority flags",
            "priority",
        ),
    ]
    .into_iter()
    .filter(|(unused, _, _)| *unused)
    .map(|(_, flags, tier)| {
        Note::new(
            NoteCode::ServiceTier,
            format!("{flags}: not used, as {tier} is not priced here (see 'not priced')"),
        )
    })
    .collect()
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

/// The JSON body of `plan` and `check`.
#[derive(Serialize, schemars::JsonSchema)]
struct PlanBody<'a> {
    plan: String,
    #[serde(flatten)]
    report: &'a PlanReport,
    /// Pay-as-you-go quota per model and SKU against `[subscription] quota_tier`.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    quota_tier: &'a [tier::PlanTierLine],
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<&'a BudgetReport>,
}

/// The files `emit` reads, which its `--output` must not replace: the plan, its profiles, the
/// catalog and the price overlay.
fn emit_inputs(cli: &Cli, args: &crate::cli::EmitArgs) -> Vec<std::path::PathBuf> {
    let mut inputs = vec![args.file.clone()];
    let base_dir = args.file.parent().unwrap_or(std::path::Path::new(""));
    if let Ok(text) = std::fs::read_to_string(&args.file)
        && let Ok(file) = plan_file::parse(&text, "")
    {
        let profiles = file
            .workload
            .iter()
            .filter_map(|w| w.get_ref().profile.as_ref());
        inputs.extend(profiles.map(|p| base_dir.join(p)));
    }
    let catalog = files::flag_or_env(cli.catalog.as_deref(), CATALOG_ENV);
    let prices = files::flag_or_env(cli.prices.as_deref(), price_overlay::PRICES_ENV);
    inputs.extend(
        [catalog, prices]
            .into_iter()
            .flatten()
            .map(|(path, _)| path),
    );
    inputs
}

/// The lifecycles of the models a plan deploys, on the SKUs it deploys them on.
fn plan_lifecycles(
    resolved: &plan_file::ResolvedPlan<'_>,
    catalog: &Catalog,
    as_of: NaiveDate,
) -> Lifecycles {
    let used = resolved.workloads.iter().map(|w| {
        (
            w.model,
            vec![Sku::of(w.deployment, w.billing == Billing::Ptu)],
        )
    });
    Lifecycles::of(used, catalog, as_of)
}

/// Sizes and prices a plan file. With `check` set (to the optional baseline path), also
/// evaluates its budget and returns the result.
fn run_plan(
    path: &std::path::Path,
    check: Option<(Option<&std::path::Path>, bool)>,
    allow_outside_paths: bool,
    catalog: &Catalog,
    (format, as_of): (Format, NaiveDate),
) -> anyhow::Result<(String, Option<BudgetReport>, Vec<String>)> {
    let (shown, resolved, mut report) = sized_plan(path, allow_outside_paths, catalog)?;
    let tiers = plan_tiers(&mut report, resolved.quota_tier, catalog);
    let (budget, new_plan) = match check {
        None => (None, false),
        Some(baseline) => {
            let (budget, new_plan) =
                check_budget(&report, &resolved, &shown, baseline, (&tiers, as_of))?;
            (Some(budget), new_plan)
        }
    };
    let lifecycle = plan_lifecycles(&resolved, catalog, as_of);
    report.notes.extend(lifecycle.notes());
    let text = match format {
        Format::Json => render_json(
            catalog,
            Some(&lifecycle),
            &PlanBody {
                plan: shown,
                report: &report,
                quota_tier: &tiers,
                budget: budget.as_ref(),
            },
        )?,
        Format::Table => table::plan(&report, budget.as_ref()),
        Format::Markdown => {
            let context = markdown::PlanContext {
                command: if check.is_some() { "check" } else { "plan" },
                path: &shown,
                new_plan,
                footer: footer(catalog, as_of),
            };
            markdown::plan(&report, budget.as_ref(), &context)
        }
    };
    let warnings = split_warnings(&resolved.workloads)
        .into_iter()
        .map(|n| n.message)
        .collect();
    Ok((text, budget, warnings))
}

/// Reads, resolves and sizes a plan file: its name as shown, the resolved plan and the report
/// (with the plan's and the prices' notes).
fn sized_plan<'a>(
    path: &std::path::Path,
    allow_outside_paths: bool,
    catalog: &'a Catalog,
) -> anyhow::Result<(String, plan_file::ResolvedPlan<'a>, PlanReport)> {
    let shown = path.display().to_string();
    let text = files::read_input(path, "plan", files::MAX_PLAN_BYTES)?;
    let file = plan_file::parse(&text, &shown)?;
    let base_dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    // Plans are read on pull requests: a profile must be a regular file inside the plan's
    // folder unless --allow-outside-paths says otherwise.
    let read = |p: &std::path::Path| {
        if !allow_outside_paths {
            files::check_inside(base_dir, p)?;
        }
        files::read_text(p, files::MAX_PROFILE_BYTES).map_err(files::ReadFailure::into_io)
    };
    let resolved = plan_file::resolve(&file, &text, &shown, base_dir, catalog, &read)?;
    let mut report = plan(&resolved.workloads, &resolved.settings)?;
    let (consumers, headroom) = crate::calc::plan::consumer_lines(&report, &resolved.consumers)
        .map_err(|e| InputError::File {
            kind: "plan",
            path: shown.clone(),
            line: None,
            message: e.to_string(),
        })?;
    report.consumers = consumers;
    report.consumer_headroom = headroom;
    let quota_notes = crate::calc::plan::quota_notes(&report, &resolved.consumers);
    report.notes.extend(quota_notes);
    report.notes.extend(resolved.notes.iter().cloned());
    report
        .notes
        .extend(price_sources(&resolved.workloads, catalog));
    Ok((shown, resolved, report))
}

/// Where the plan's prices come from: the catalog's sources (or a `--prices` overlay), and which
/// are UNVERIFIED.
fn price_sources(workloads: &[PlannedWorkload<'_>], catalog: &Catalog) -> Vec<Note> {
    let mut ptu_types: Vec<DeploymentType> = workloads
        .iter()
        .filter(|w| w.billing == Billing::Ptu)
        .map(|w| w.deployment)
        .collect();
    ptu_types.sort();
    ptu_types.dedup();
    let mut parts: Vec<String> = ptu_types
        .iter()
        .filter_map(|d| {
            let p = catalog.ptu_prices.get(d)?;
            let flag = if p.unverified { ", UNVERIFIED" } else { "" };
            Some(format!("{d} PTUs from {}{flag}", p.source))
        })
        .collect();
    let mut payg: Vec<String> = Vec::new();
    for w in workloads
        .iter()
        .filter(|w| w.tier != Tier::Ptu || w.batch_share > 0.0)
    {
        let source = w.model.sources.prices.as_deref().unwrap_or("catalog");
        let flag = if w.model.is_unverified(CatalogField::Prices) {
            ", UNVERIFIED"
        } else {
            ""
        };
        let mut part_of = |part: String| {
            if !payg.contains(&part) {
                payg.push(part);
            }
        };
        part_of(format!("{} tokens from {source}{flag}", w.model.name));
        let tier_price = match w.tier {
            Tier::Priority => w.tiers.priority.as_ref().ok().map(|p| &p.price),
            Tier::Flex => w.tiers.flex.as_ref().ok(),
            Tier::Batch => w.tiers.batch.as_ref().ok().map(|b| &b.price),
            _ => None,
        };
        if let Some(price) = tier_price {
            let flag = if price.unverified { ", UNVERIFIED" } else { "" };
            part_of(format!(
                "{} {} tokens from {}{flag}",
                w.model.name,
                w.tier.as_str(),
                price.source
            ));
        }
    }
    parts.extend(payg);
    if parts.is_empty() {
        return Vec::new();
    }
    let unverified = parts.iter().any(|p| p.ends_with("UNVERIFIED"));
    let advice = if unverified {
        "; UNVERIFIED prices are third-party figures: apply Microsoft's with 'ptuplan prices fetch' \
         and --prices"
    } else {
        ""
    };
    let code = if unverified {
        NoteCode::PricesUnverified
    } else {
        NoteCode::PriceSources
    };
    vec![Note::new(
        code,
        format!("prices: {}{advice}", parts.join("; ")),
    )]
}

/// The plan's pay-as-you-go quota against its `[subscription] quota_tier`, with their notes.
fn plan_tiers(
    report: &mut PlanReport,
    tier: Option<u8>,
    catalog: &Catalog,
) -> Vec<tier::PlanTierLine> {
    let Some(tier) = tier else {
        return Vec::new();
    };
    let lines = tier::plan_tier_lines(report, catalog, tier);
    let subjects: Vec<(String, tier::TierCheck)> = lines
        .iter()
        .map(|l| {
            let subject = format!("{} (workloads {})", l.model, l.workloads.join(", "));
            (subject, l.check.clone())
        })
        .collect();
    report.notes.extend(tier::tier_notes(&subjects));
    lines
}

/// `check`: the plan's budget against its figures, the baseline (a missing optional one is a
/// new plan: returned as `true`), retirements and quota tiers.
fn check_budget(
    report: &PlanReport,
    resolved: &plan_file::ResolvedPlan<'_>,
    shown: &str,
    (baseline, optional): (Option<&std::path::Path>, bool),
    (tiers, as_of): (&[tier::PlanTierLine], NaiveDate),
) -> anyhow::Result<(BudgetReport, bool)> {
    let limits = resolved.budget.ok_or_else(|| InputError::File {
        kind: "plan",
        path: shown.to_string(),
        line: None,
        message: "no [budget] table: nothing to check (see 'Plan files' in docs/guide.md)".into(),
    })?;
    let new_plan = optional && baseline.is_some_and(|p| !p.exists());
    let baseline_usd = match baseline {
        Some(path) if !new_plan => Some(read_baseline(path, &report.currency)?),
        _ => None,
    };
    let retirements = plan_retirements(&resolved.workloads, as_of);
    let checked_tiers = resolved.quota_tier.map(|_| tiers);
    let mut budget = budget::evaluate(report, &limits, baseline_usd, (&retirements, checked_tiers));
    if let (true, Some(path)) = (new_plan, baseline) {
        budget
            .notes
            .retain(|n| !n.message.starts_with("max_increase_pct is not checked"));
        budget.notes.push(Note::new(
            NoteCode::NewPlan,
            format!(
                "new plan: no baseline at {} (--baseline-optional), so nothing to compare and \
             max_increase_pct is not checked",
                path.display()
            ),
        ));
    }
    Ok((budget, new_plan))
}

/// Each workload's model and Azure SKU with its retirement on `as_of`, for `check`.
fn plan_retirements(
    workloads: &[PlannedWorkload<'_>],
    as_of: NaiveDate,
) -> Vec<budget::Retirement> {
    workloads
        .iter()
        .map(|w| {
            let sku = Sku::of(w.deployment, w.billing == Billing::Ptu);
            let date = w
                .model
                .lifecycle
                .as_ref()
                .and_then(|l| l.retirement_for(sku));
            let billing = if w.billing == Billing::Ptu {
                "ptu"
            } else {
                "payg"
            };
            budget::Retirement {
                subject: format!("{} {} {billing} '{}'", w.model.name, w.deployment, w.name),
                date: date.map(|d| d.to_string()),
                days: date.map(|d| (d - as_of).num_days()),
            }
        })
        .collect()
}

/// The monthly cost recorded in an earlier `plan --json` report, which must be in `currency`
/// (reports from before `catalog.currency` existed are in USD).
fn read_baseline(path: &std::path::Path, currency: &str) -> anyhow::Result<f64> {
    let shown = path.display().to_string();
    let error = |message: String| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: None,
        message,
    };
    let text = files::read_text(path, files::MAX_BASELINE_BYTES)
        .map_err(|failure| error(failure.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: Some(e.line() as u64),
        message: format!("not JSON: {e}"),
    })?;
    // Plan reports of every schema version (1: notes as strings; 2: notes as objects; 3:
    // cost's service tiers) hold monthly_usd the same way.
    let version = value["schema_version"].as_u64();
    let is_plan_report = matches!(version, Some(1..=3)) && value["deployments"].is_array();
    let theirs = value["catalog"]["currency"].as_str().unwrap_or("USD");
    if is_plan_report && theirs != currency {
        return Err(error(format!(
            "its amounts are in {theirs} and this run's prices in {currency}: make the baseline \
             with the same --prices overlay, so that like is compared with like"
        ))
        .into());
    }
    match value["monthly_usd"].as_f64() {
        Some(usd) if is_plan_report && usd.is_finite() && usd > 0.0 => Ok(usd),
        Some(usd) if is_plan_report => Err(error(format!(
            "'monthly_usd' is {usd}: an increase can only be measured from a positive cost"
        ))
        .into()),
        _ => Err(error(
            "is not a plan report (schema_version 1 to 3 with deployments and monthly_usd): give the \
             output of 'ptuplan plan --json'"
                .into(),
        )
        .into()),
    }
}

/// The JSON body of `models`: the models shown and the sources they cite (with `--regions`,
/// where the model is offered).
#[derive(Serialize, schemars::JsonSchema)]
struct ModelsBody<'a> {
    models: Vec<&'a Model>,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability: Option<Vec<&'a crate::catalog::Availability>>,
    /// Batch enqueued-token quotas of the models shown (where batch is offered).
    batch_quota: Vec<&'a crate::catalog::BatchQuota>,
    sources: std::collections::BTreeMap<&'a str, &'a Source>,
}

fn run_models(
    args: &ModelsArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let models: Vec<&Model> = match &args.name {
        Some(name) => vec![catalog.find(name)?],
        None => catalog.models.iter().collect(),
    };
    let lifecycle = lifecycles(models.iter().copied(), &[], catalog, as_of);
    let availability = args.regions.then(|| {
        catalog
            .region_lists()
            .iter()
            .filter(|a| models.iter().any(|m| m.name == a.model))
            .collect::<Vec<_>>()
    });
    match format {
        Format::Json => {
            let region_sources = availability.iter().flatten().map(|a| a.source.clone());
            let sources = models
                .iter()
                .flat_map(|m| catalog.cited_sources(m))
                .chain(region_sources)
                .filter_map(|id| catalog.sources.get_key_value(id.as_str()))
                .map(|(id, source)| (id.as_str(), source))
                .collect();
            let batch_quota = catalog
                .batch_quotas()
                .iter()
                .filter(|q| models.iter().any(|m| m.name == q.model))
                .collect();
            let body = ModelsBody {
                models,
                availability,
                batch_quota,
                sources,
            };
            render_json(catalog, Some(&lifecycle), &body)
        }
        Format::Table if args.regions => Ok(table::model_regions(
            models[0],
            availability.as_deref().unwrap_or_default(),
            catalog,
        )),
        Format::Table | Format::Markdown => Ok(match models.as_slice() {
            [one] if args.name.is_some() => table::model_detail(one, catalog, &lifecycle),
            _ => table::models(catalog, &lifecycle),
        }),
    }
}
