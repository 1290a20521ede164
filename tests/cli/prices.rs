//! `ptuplan prices fetch` (saved pages and a local HTTP server standing in for the Retail
//! Prices API) and `--prices FILE`, the overlay every pricing command applies.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

use predicates::str::contains;
use serde_json::Value;

use crate::{ptuplan, scratch};

const USD_PAGES: &str = "tests/fixtures/retail-prices/usd";

/// `prices fetch --from` the recorded EUR page (swedencentral) into scratch file `name`.
fn eur_overlay(name: &str) -> String {
    let path = scratch("prices", name, "");
    ptuplan()
        .args([
            "prices",
            "fetch",
            "--from",
            "tests/fixtures/retail-prices/eur",
        ])
        .args([
            "--currency",
            "eur",
            "--region",
            "SwedenCentral",
            "--output",
            &path,
        ])
        .assert()
        .success();
    path
}

/// `prices fetch --from` the recorded pages into a scratch overlay file; returns its path.
fn usd_overlay() -> String {
    let path = scratch("prices", "usd.toml", "");
    ptuplan()
        .args(["prices", "fetch", "--from", USD_PAGES, "--output", &path])
        .assert()
        .success()
        .stdout("")
        .stderr(contains("PTU prices for 3 types"));
    path
}

#[test]
fn fetch_from_saved_pages_writes_an_overlay_with_meters_and_queries() {
    let output = ptuplan()
        .args(["prices", "fetch", "--from", USD_PAGES])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let overlay: toml::Value = toml::from_str(&text).expect("the overlay is TOML");
    assert_eq!(overlay["currency"].as_str(), Some("USD"));
    assert_eq!(overlay["retrieved"].as_str(), Some(crate::AS_OF));
    let hourly = &overlay["ptu"]["data-zone"]["hourly"];
    assert_eq!(hourly["price"].as_float(), Some(1.1));
    assert_eq!(
        hourly["meter"].as_str(),
        Some("Provisioned Managed Data Zone Unit")
    );
    assert_eq!(hourly["query"].as_str(), Some("page-1.json"));
    assert!(overlay["queries"]["page-2.json"].as_str().is_some());
    let gpt5 = &overlay["tokens"]["gpt-5"]["global"];
    assert_eq!(gpt5["output"]["price"].as_float(), Some(10.0));
    assert!(text.contains("# meters matching no catalog price"));
    assert!(
        text.contains("#   gpt-5.2 global"),
        "catalog prices with no meter are listed"
    );
}

#[test]
fn an_overlay_replaces_prices_in_every_pricing_command() {
    let overlay = usd_overlay();
    let args = [
        "cost",
        "--model",
        "gpt-5",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let plain = crate::json(&args);
    let output = ptuplan()
        .args(["--prices", &overlay])
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let priced: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(priced["catalog"]["currency"], "USD");
    assert_eq!(priced["prices"]["ptu_price_source"], "RP1");
    assert_eq!(priced["prices"]["token_price_source"], "RP1");
    assert_eq!(priced["prices"]["unverified"], false);
    assert_eq!(
        plain["prices"]["unverified"], true,
        "the embedded PTU prices are third-party"
    );
    // The environment variable does the same; the table names the source.
    ptuplan()
        .env("PTUPLAN_PRICES", &overlay)
        .args(["models", "gpt-5"])
        .assert()
        .success()
        .stdout(contains("RP1"));
}

#[test]
fn bad_overlays_and_page_folders_are_input_errors() {
    let bad = scratch(
        "prices",
        "bad.toml",
        "schema_version = 1\ncurrency = \"USD\"\n",
    );
    ptuplan()
        .args(["--prices", &bad, "models"])
        .assert()
        .code(2)
        .stderr(contains("price overlay"))
        .stderr(contains("missing field"));
    ptuplan()
        .args([
            "--prices",
            "no-such-overlay.toml",
            "size",
            "--rpm",
            "1",
            "--tokens",
            "1",
        ])
        .assert()
        .code(2)
        .stderr(contains("price overlay 'no-such-overlay.toml'"));
    ptuplan()
        .args(["prices", "fetch", "--from", "no-such-folder"])
        .assert()
        .code(2)
        .stderr(contains("price pages folder 'no-such-folder'"));
    let folder = std::path::Path::new(&scratch("prices-bad", "page-1.json", "{\"Items\": 3}"))
        .parent()
        .expect("a folder")
        .display()
        .to_string();
    ptuplan()
        .args(["prices", "fetch", "--from", &folder])
        .assert()
        .code(2)
        .stderr(contains("page-1.json"))
        .stderr(contains("not a Retail Prices API page"));
    ptuplan()
        .args([
            "prices",
            "fetch",
            "--from",
            USD_PAGES,
            "--currency",
            "dollars",
        ])
        .assert()
        .code(2)
        .stderr(contains("expected a currency code"));
}

/// A local stand-in for the API: answers each request with `respond(its address, path)`, for
/// `requests` requests, then stops. Returns its address.
fn serve(
    requests: usize,
    respond: impl Fn(&str, &str) -> Option<(u16, String)> + Send + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = format!(
        "http://{}/api/retail/prices",
        listener.local_addr().expect("bound")
    );
    let own = address.clone();
    thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            let path = line.split(' ').nth(1).unwrap_or_default().to_string();
            match respond(&own, &path) {
                Some((status, body)) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                // Never answer: the client's timeout must end the wait.
                None => thread::sleep(std::time::Duration::from_secs(5)),
            }
        }
    });
    address
}

fn fixture_page(name: &str) -> String {
    std::fs::read_to_string(format!("{USD_PAGES}/{name}")).expect("fixture")
}

#[test]
fn fetch_follows_next_page_links_on_the_same_api_only() {
    // Page 1 links to page 2 on the same server: all three queries read both pages.
    let address = serve(6, |own, path| {
        let body = if path.contains("skip=1000") {
            fixture_page("page-2.json")
        } else {
            fixture_page("page-1.json")
                .replace("https://prices.azure.com:443/api/retail/prices", own)
        };
        Some((200, body))
    });
    let output = ptuplan()
        .env("PTUPLAN_PRICES_URL", &address)
        .args(["prices", "fetch"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let overlay: toml::Value =
        toml::from_str(&String::from_utf8_lossy(&output.stdout)).expect("TOML");
    assert_eq!(overlay["origin"].as_str(), Some(address.as_str()));
    assert!(overlay["queries"]["ptu-reservations"].as_str().is_some());
    // gpt-4o-mini's meters are on page 2 only.
    assert!(overlay["tokens"].get("gpt-4o-mini").is_some());
    // A link to another host is not followed.
    let address = serve(1, |_, _| Some((200, fixture_page("page-1.json"))));
    ptuplan()
        .env("PTUPLAN_PRICES_URL", &address)
        .args(["prices", "fetch"])
        .assert()
        .code(1)
        .stderr(contains("NextPageLink points elsewhere"));
}

#[test]
fn http_errors_timeouts_and_no_network_exit_1_with_a_reason() {
    let address = serve(1, |_, _| Some((503, "{\"error\": \"busy\"}".to_string())));
    ptuplan()
        .env("PTUPLAN_PRICES_URL", &address)
        .args(["prices", "fetch"])
        .assert()
        .code(1)
        .stderr(contains("HTTP 503"));
    let address = serve(1, |_, _| None);
    ptuplan()
        .env("PTUPLAN_PRICES_URL", &address)
        .args(["prices", "fetch", "--timeout", "1"])
        .assert()
        .code(1)
        .stderr(contains("no answer within 1 s"));
    // Nothing listens on port 1.
    ptuplan()
        .env("PTUPLAN_PRICES_URL", "http://127.0.0.1:1/api/retail/prices")
        .args(["prices", "fetch"])
        .assert()
        .code(1)
        .stderr(contains("cannot reach the Retail Prices API"))
        .stderr(contains("--from DIR"));
}

#[test]
fn another_currency_is_shown_in_tables_json_and_errors() {
    let overlay = eur_overlay("eur.toml");
    let args = [
        "cost",
        "--model",
        "gpt-5",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let table = crate::table(&[&["--prices", overlay.as_str()][..], &args[..]].concat());
    assert!(table.contains("EUR/month"), "{table}");
    assert!(table.contains(" EUR/hour"), "{table}");
    assert!(!table.contains('$'), "no dollar sign for euros: {table}");
    let answer = crate::json(&[&["--prices", overlay.as_str()][..], &args[..]].concat());
    assert_eq!(answer["catalog"]["currency"], "EUR");
    assert_eq!(answer["prices"]["currency"], "EUR");
    // A model the EUR overlay has no price for has none: USD prices are not mixed in.
    ptuplan()
        .args([
            "--prices", &overlay, "cost", "--model", "gpt-5.2", "--rpm", "10", "--tokens", "100",
        ])
        .assert()
        .code(2)
        .stderr(contains("(EUR per 1M tokens)"));
}

#[test]
fn a_fetch_that_matches_nothing_writes_nothing_and_exits_1() {
    let path = scratch("prices", "nothing.toml", "previous");
    ptuplan()
        .args([
            "prices",
            "fetch",
            "--from",
            USD_PAGES,
            "--region",
            "westeurope",
        ])
        .args(["--output", &path])
        .assert()
        .code(1)
        .stderr(contains("no meter matched a catalog price"))
        .stderr(contains("--region (westeurope)"));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "previous");
}

#[test]
fn output_inside_the_pages_folder_and_json_are_refused() {
    let page = scratch(
        "prices-in",
        "page-1.json",
        std::fs::read_to_string(format!("{USD_PAGES}/page-1.json")).expect("fixture"),
    );
    let folder = std::path::Path::new(&page)
        .parent()
        .expect("folder")
        .display()
        .to_string();
    ptuplan()
        .args(["prices", "fetch", "--from", &folder, "--output", &page])
        .assert()
        .code(2)
        .stderr(contains("outside the --from folder"));
    ptuplan()
        .args(["prices", "fetch", "--from", USD_PAGES, "--json"])
        .assert()
        .code(2)
        .stderr(contains("prices and emit print one format"));
}

#[test]
fn a_baseline_in_another_currency_is_refused() {
    let eur = eur_overlay("eur-baseline.toml");
    let plan = scratch(
        "prices",
        "eur-plan.toml",
        "[[workload]]\nname = \"a\"\nmodel = \"gpt-5\"\nrpm = 100\nprompt = 1000\ncompletion = 200\n\
         [budget]\nmax_monthly_usd = 100000\n",
    );
    let usd_report = ptuplan()
        .args(["plan", &plan, "--json"])
        .output()
        .expect("runs")
        .stdout;
    let baseline = scratch("prices", "usd-baseline.json", usd_report);
    ptuplan()
        .args(["--prices", &eur, "check", &plan, "--baseline", &baseline])
        .assert()
        .code(2)
        .stderr(contains(
            "its amounts are in USD and this run's prices in EUR",
        ));
    let answer = crate::json(&["--prices", &eur, "check", &plan]);
    assert!(
        answer["budget"]["notes"]
            .to_string()
            .contains("max_monthly_usd is compared in EUR"),
        "{}",
        answer["budget"]["notes"]
    );
}

#[test]
fn plan_says_where_its_prices_come_from() {
    let plain = crate::json(&["plan", "examples/plan-contoso.toml"]);
    let notes = plain["notes"].to_string();
    assert!(
        notes.contains("prices: global PTUs from S32, UNVERIFIED"),
        "{notes}"
    );
    let overlay = usd_overlay();
    let priced = crate::json(&["--prices", &overlay, "plan", "examples/plan-contoso.toml"]);
    let notes = priced["notes"].to_string();
    assert!(notes.contains("prices: global PTUs from RP1;"), "{notes}");
}

#[test]
fn priority_meters_price_priority_processing_where_the_catalog_offers_it() {
    // The recorded page has gpt-5.1 priority meters (`5.1 pp inp Gl`, ...; spellings guessed
    // from third-party records) and a gpt-5 one: gpt-5.1 offers priority (S56), gpt-5 does not.
    let overlay = usd_overlay();
    let text = std::fs::read_to_string(&overlay).expect("written");
    assert!(
        text.contains("[priority.\"gpt-5.1\".global.input]"),
        "{text}"
    );
    let output = ptuplan()
        .args([
            "--prices", &overlay, "cost", "-m", "gpt-5.1", "--rpm", "100", "--tokens", "1000",
        ])
        .arg("--json")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let priced: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let priority = &priced["prices"]["priority"];
    assert_eq!(
        (priority["input"].as_f64(), priority["output"].as_f64()),
        (Some(2.5), Some(20.0))
    );
    assert_eq!(priority["source"], "RP1");
    assert_eq!(priority["unverified"], false);
    // Flex and batch follow the overlay's standard prices.
    assert_eq!(priced["prices"]["batch"]["source"], "S60: 50% of RP1");
}
