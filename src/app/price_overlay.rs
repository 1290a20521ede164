//! `prices fetch`: Azure Retail Prices API pages, from the network or a folder of saved pages,
//! into a price overlay; and `--prices FILE`, which applies one to the catalog.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::cli::PricesFetchArgs;
use crate::error::InputError;
use crate::retail::overlay::{self, Findings, Retrieval};
use crate::retail::page::{self, API_VERSION, ENDPOINT, Item, Page};

use super::files;
use super::output::OutputFile;

/// Environment variable naming a price overlay; `--prices` wins, an empty value is ignored.
pub const PRICES_ENV: &str = "PTUPLAN_PRICES";

/// Environment variable replacing the API's address (a mirror or proxy; tests use a local
/// server).
pub const ENDPOINT_ENV: &str = "PTUPLAN_PRICES_URL";

/// Most pages read per query: the API answers 1,000 items a page, and Azure OpenAI has a few
/// thousand meters per region.
const MAX_PAGES_PER_QUERY: usize = 50;

/// Most bytes of one page.
const MAX_PAGE_BYTES: u64 = 32 << 20;

/// Most saved pages read from a folder.
const MAX_SAVED_PAGES: usize = 1000;

/// Most price items read in all (Azure OpenAI has a few thousand per region and currency).
const MAX_ITEMS: usize = 200_000;

/// The whole fetch stops after this long, whatever `--timeout` allows each request.
const MAX_FETCH: Duration = Duration::from_secs(600);

/// The network, HTTP or timeout failure of a fetch: exit code 1 (not bad input).
#[derive(Debug, thiserror::Error)]
#[error("prices fetch: {0}")]
pub struct FetchError(String);

/// Runs `prices fetch`: returns the overlay for stdout, or writes it to `--output` and
/// returns nothing.
pub(super) fn run_prices_fetch(
    args: &PricesFetchArgs,
    catalog: &Catalog,
    today: NaiveDate,
) -> anyhow::Result<String> {
    if let (Some(dir), Some(out)) = (&args.from, &args.output) {
        refuse_output_in(dir, out)?;
    }
    let output = OutputFile::open_if(args.output.as_deref(), "price overlay")?;
    let (items, origin, queries) = match &args.from {
        Some(dir) => read_saved(dir)?,
        None => fetch_all(args)?,
    };
    let tagged: Vec<(Item, &str)> = items.iter().map(|(i, q)| (i.clone(), q.as_str())).collect();
    let about = Retrieval {
        currency: args.currency.clone(),
        region: args.region.clone(),
        retrieved: today.to_string(),
        origin,
        queries,
    };
    let (overlay, findings) = overlay::build(&tagged, catalog, about);
    eprintln!("{}", summary(&overlay, &findings, items.len()));
    if overlay.ptu.is_empty() && overlay.tokens.is_empty() {
        return Err(FetchError(format!(
            "no meter matched a catalog price ({} items read): check --region ({}) and \
             --currency ({}); no overlay written",
            items.len(),
            args.region,
            args.currency
        ))
        .into());
    }
    let text = overlay::to_toml(&overlay, &findings)?;
    match output {
        Some(mut file) => {
            file.write_all(text.as_bytes())?;
            file.commit()?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// One line on stderr: what was matched and what was not.
fn summary(overlay: &overlay::Overlay, findings: &Findings, items: usize) -> String {
    let token_prices: usize = overlay.tokens.values().map(BTreeMap::len).sum();
    let mut line = format!(
        "prices fetch: {items} meters read; token prices for {token_prices} model and type \
         pairs ({} models), PTU prices for {} types",
        overlay.tokens.len(),
        overlay.ptu.len()
    );
    for (count, what) in [
        (findings.missing.len(), "catalog prices with no meter"),
        (findings.incomplete.len(), "found in part and left out"),
        (findings.unmatched.len(), "meters matching no catalog price"),
        (
            findings.foreign,
            "items in another currency or region, left out",
        ),
    ] {
        if count > 0 {
            line.push_str(&format!("; {count} {what}"));
        }
    }
    if !findings.missing.is_empty() || !findings.unmatched.is_empty() {
        line.push_str(" (listed at the end of the overlay)");
    }
    line
}

type Items = (Vec<(Item, String)>, String, BTreeMap<String, String>);

/// Every page of every query from the API (or `PTUPLAN_PRICES_URL`).
fn fetch_all(args: &PricesFetchArgs) -> Result<Items, FetchError> {
    let endpoint = std::env::var(ENDPOINT_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| ENDPOINT.to_string());
    // No redirects: a page must come from the API asked, as NextPageLink must.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let started = std::time::Instant::now();
    let mut items = Vec::new();
    let mut queries = BTreeMap::new();
    for query in page::queries(&args.region) {
        let first = format!(
            "{endpoint}?api-version={API_VERSION}&currencyCode=%27{}%27&$filter={}",
            args.currency,
            encode(&query.filter)
        );
        let mut next = Some(first);
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES_PER_QUERY {
                return Err(FetchError(format!(
                    "query '{}' has more than {MAX_PAGES_PER_QUERY} pages: stopped rather than \
                     read without end",
                    query.key
                )));
            }
            if started.elapsed() > MAX_FETCH {
                return Err(FetchError(format!(
                    "stopped after {} s in all: the API answers too slowly; try again later, or \
                     save its pages and use --from DIR",
                    MAX_FETCH.as_secs()
                )));
            }
            let page = get_page(&agent, &url, args.timeout)?;
            next = page
                .next_page_link
                .filter(|link| !link.trim().is_empty())
                .map(|link| check_link(link, &endpoint))
                .transpose()?;
            items.extend(page.items.into_iter().map(|i| (i, query.key.to_string())));
            if items.len() > MAX_ITEMS {
                return Err(FetchError(format!(
                    "more than {MAX_ITEMS} price items: stopped rather than read without end"
                )));
            }
        }
        queries.insert(query.key.to_string(), query.filter);
    }
    Ok((items, endpoint, queries))
}

/// A next-page link, if it is on the same API.
fn check_link(link: String, endpoint: &str) -> Result<String, FetchError> {
    if page::is_same_api(&link, endpoint) {
        Ok(link)
    } else {
        Err(FetchError(format!(
            "a page's NextPageLink points elsewhere ({link}): not followed"
        )))
    }
}

/// One page: GET, status 200, at most [`MAX_PAGE_BYTES`], JSON.
fn get_page(agent: &ureq::Agent, url: &str, timeout: u64) -> Result<Page, FetchError> {
    let fail = |what: String| FetchError(format!("{what} ({url})"));
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => fail(format!(
            "no answer within {timeout} s (--timeout): try again, or raise it"
        )),
        other => fail(format!(
            "cannot reach the Retail Prices API: {other}; offline? --from DIR reads saved pages"
        )),
    })?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_PAGE_BYTES)
        .read_to_string()
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => fail(format!(
                "the answer did not arrive within {timeout} s (--timeout): try again, or raise it"
            )),
            other => fail(format!("cannot read the answer: {other}")),
        })?;
    if status != 200 {
        let said: String = body.chars().take(200).collect();
        return Err(fail(format!(
            "HTTP {status}: {}",
            said.replace(['\n', '\r'], " ")
        )));
    }
    page::parse_page(&body).map_err(fail)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An `--output` inside the `--from` folder would replace a saved page or be read as one.
fn refuse_output_in(dir: &Path, output: &Path) -> Result<(), InputError> {
    let folder = dir.canonicalize().ok();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if folder.is_some() && parent.canonicalize().ok() == folder {
        return Err(InputError::InvalidValue {
            field: "--output",
            value: output.display().to_string(),
            allowed: format!(
                "write the overlay outside the --from folder {}, whose files are pages",
                dir.display()
            ),
        });
    }
    Ok(())
}

/// Every `*.json` page in `dir`, in name order; each page's items cite its file name.
fn read_saved(dir: &Path) -> Result<Items, InputError> {
    let error = |message: String| InputError::File {
        kind: "price pages folder",
        path: dir.display().to_string(),
        line: None,
        message,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| error(format!("cannot read it: {e}")))?;
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(error(
            "has no *.json pages: save the API's answers there".into(),
        ));
    }
    if paths.len() > MAX_SAVED_PAGES {
        return Err(error(format!("has more than {MAX_SAVED_PAGES} pages")));
    }
    let mut items = Vec::new();
    let mut queries = BTreeMap::new();
    for path in &paths {
        let text = files::read_input(path, "price page", MAX_PAGE_BYTES)?;
        if items.len() > MAX_ITEMS {
            return Err(InputError::File {
                kind: "price pages folder",
                path: dir.display().to_string(),
                line: None,
                message: format!("holds more than {MAX_ITEMS} price items"),
            });
        }
        let page = page::parse_page(&text).map_err(|message| InputError::File {
            kind: "price page",
            path: path.display().to_string(),
            line: None,
            message,
        })?;
        let key = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        queries.insert(key.clone(), format!("saved page {}", path.display()));
        items.extend(page.items.into_iter().map(|i| (i, key.clone())));
    }
    Ok((items, dir.display().to_string(), queries))
}

/// Applies the overlay named by `--prices` or `PTUPLAN_PRICES`, if any.
pub(super) fn apply_overlay(flag: Option<&Path>, catalog: &mut Catalog) -> anyhow::Result<()> {
    let Some((path, shown)) = files::flag_or_env(flag, PRICES_ENV) else {
        return Ok(());
    };
    let error = |message: String| InputError::File {
        kind: "price overlay",
        path: shown.clone(),
        line: None,
        message,
    };
    let text = files::read_text(&path, files::MAX_CATALOG_BYTES)
        .map_err(|failure| error(failure.to_string()))?;
    let parsed = overlay::parse(&text).map_err(error)?;
    overlay::apply(&parsed, catalog, &shown).map_err(error)?;
    Ok(())
}
