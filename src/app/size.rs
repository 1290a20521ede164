//! `size`: the models for a workload, with token counts measured from sample files.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::calc::quota_tier;
use crate::calc::sizing::{ModelSizing, SizeOptions, size};
use crate::calc::workload::Workload;
use crate::catalog::{Catalog, Model};
use crate::cli::{Format, ShapeArgs, SizeArgs, SortOrder};
use crate::deployment::Sku;
use crate::error::InputError;
use crate::note::{Note, NoteCode};
use crate::render::table;
use crate::tokens::count::{MeasuredTokens, TokenStat, count_inputs};
use crate::tokens::request::{InputKind, Side};

use super::tokens::{models_encoding, read_inputs};
use super::{both_skus, lifecycles, render_json, request_shape, standard_options};

/// `size`: validate the flags (measuring sample files), size every model, report.
pub(super) fn run_size(
    args: &SizeArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let request = SizeRequest::validate(args, catalog)?;
    let models: Vec<&Model> = request.models.iter().map(|m| m.as_ref()).collect();
    let mut report = size(&request.workload, &models, request.options, request.named)?;
    sort_models(&mut report.models, args.sort);
    report.measured_prompt = request.measured_prompt;
    report.measured_completion = request.measured_completion;
    report.notes.extend(request.token_notes);
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

/// `size`'s flags checked and turned into what the sizing takes: the models, the workload
/// (with token counts measured from sample files), the options.
struct SizeRequest<'c> {
    /// The `--model`s, or the whole catalog.
    models: Vec<Cow<'c, Model>>,
    /// Whether the models were named (else every model of the catalog is sized).
    named: bool,
    workload: Workload,
    options: SizeOptions,
    measured_prompt: Option<MeasuredTokens>,
    measured_completion: Option<MeasuredTokens>,
    /// What measuring the sample files found, once each.
    token_notes: Vec<Note>,
}

impl<'c> SizeRequest<'c> {
    /// Checks the flags against each other and the catalog, and measures the sample files.
    fn validate(args: &SizeArgs, catalog: &'c Catalog) -> anyhow::Result<Self> {
        let rpm = match (args.rate.rpm, args.rate.qps) {
            (Some(rpm), _) => rpm,
            (None, Some(qps)) => qps * 60.0,
            (None, None) => unreachable!("clap requires --rpm or --qps"),
        };
        let mut models = named_models(&args.models, catalog)?;
        if models.is_empty() {
            models = catalog.models.iter().map(Cow::Borrowed).collect();
        }
        if args.prompt_file.is_empty()
            && args.completion_file.is_empty()
            && args.token_stat != TokenStat::Mean
        {
            return Err(InputError::Usage(
                "--token-stat applies to --prompt-file and --completion-file; give one of them"
                    .into(),
            )
            .into());
        }
        let refs: Vec<&Model> = models.iter().map(|m| m.as_ref()).collect();
        let mut token_notes = Vec::new();
        let prompt = (&args.prompt_file[..], Side::Prompt);
        let measured_prompt = measure_tokens(args, prompt, &refs, &mut token_notes)?;
        let completion = (&args.completion_file[..], Side::Completion);
        let measured_completion = measure_tokens(args, completion, &refs, &mut token_notes)?;
        let shape_args = measured_shape_args(
            &args.shape,
            measured_prompt.as_ref(),
            measured_completion.as_ref(),
        )?;
        let workload = Workload::new(rpm, request_shape(&shape_args)?)?;
        token_notes.dedup();
        Ok(Self {
            models,
            named: !args.models.is_empty(),
            workload,
            options: SizeOptions {
                deployment: args.deployment,
                target_utilization: args.target_utilization,
                standard: standard_options(&args.quota),
            },
            measured_prompt,
            measured_completion,
            token_notes,
        })
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
        let check = quota_tier::against_tier(catalog, &model.model, sku, tier, needed);
        checks.push((model.model.clone(), check.clone()));
        model.quota_tier = Some(check);
    }
    quota_tier::tier_notes(&checks)
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
