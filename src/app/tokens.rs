//! `tokens`: token counts of sample requests and responses, and the input files they come from.

use crate::catalog::{Catalog, Model};
use crate::cli::{Format, TokensArgs};
use crate::error::InputError;
use crate::note::{Note, NoteCode, TokensNote};
use crate::render::table;
use crate::tokens::count::{ParsedInput, count_inputs};
use crate::tokens::encoding::Encoding;
use crate::tokens::request::{self, InputKind, Request, Side};

use super::files::{self, reject_repeated_paths};
use super::render_json;

/// `tokens`: read the samples, count their tokens with the model's encoding, report.
pub(super) fn run_tokens(
    args: &TokensArgs,
    catalog: &Catalog,
    format: Format,
) -> anyhow::Result<String> {
    let model = args
        .model
        .as_deref()
        .map(|name| catalog.find(name))
        .transpose()?;
    let encoding = tokens_encoding(args, model)?;
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files.clone()
    };
    let inputs = read_inputs(&paths, args.input_kind, Side::Any, args.lossy)?;
    let mut report = count_inputs(encoding, model.map(|m| m.name.as_str()), &inputs);
    report
        .notes
        .extend(tokens_notes(args, model, encoding, &inputs));
    match format {
        Format::Json => render_json(catalog, None, &report),
        Format::Table | Format::Markdown => Ok(table::tokens(&report)),
    }
}

/// The encoding to count with: `--encoding`, else the model's, else o200k_base.
fn tokens_encoding(args: &TokensArgs, model: Option<&Model>) -> anyhow::Result<Encoding> {
    Ok(match (args.encoding, model) {
        (Some(encoding), _) => encoding,
        (None, Some(model)) => model.tokenizer.ok_or_else(|| {
            InputError::Usage(format!(
                "{} is not in tiktoken's model table, so its encoding is unknown: add \
                 --encoding o200k_base to approximate",
                model.name
            ))
        })?,
        (None, None) => Encoding::O200kBase,
    })
}

/// What the counts approximate: another model's encoding, JSON on stdin counted as text, no
/// model or encoding given.
fn tokens_notes(
    args: &TokensArgs,
    model: Option<&Model>,
    encoding: Encoding,
    inputs: &[ParsedInput],
) -> Vec<Note> {
    let mut notes = Vec::new();
    if let (Some(model), Some(_)) = (model, args.encoding)
        && model.tokenizer != Some(encoding)
    {
        notes.push(Note::of(
            NoteCode::TokenCounting,
            TokensNote::OtherEncoding {
                encoding: encoding.to_string(),
                model: model.name.clone(),
            },
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
            notes.push(Note::of(
                NoteCode::TokenCounting,
                TokensNote::StdinJsonAsText,
            ));
        }
    }
    if args.encoding.is_none() && model.is_none() {
        notes.push(Note::of(
            NoteCode::TokenCounting,
            TokensNote::DefaultEncoding,
        ));
    }
    notes
}

/// Reads several token inputs; stdin may appear once.
pub(super) fn read_inputs(
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

/// Reads, decodes and parses one token input (`-` is stdin).
pub(super) fn read_input(
    path: &str,
    kind: InputKind,
    side: Side,
    lossy: bool,
) -> anyhow::Result<ParsedInput> {
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

/// The one encoding the models use (o200k_base when none names one); an error when they
/// differ. Models without a tiktoken encoding get a note: their counts are approximations.
pub(super) fn models_encoding(
    models: &[&Model],
    notes: &mut Vec<Note>,
) -> anyhow::Result<Encoding> {
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
        notes.push(Note::of(
            NoteCode::TokenCounting,
            TokensNote::ModelsWithoutEncoding {
                encoding: encoding.to_string(),
                models: without.iter().map(|m| m.to_string()).collect(),
            },
        ));
    }
    Ok(encoding)
}
