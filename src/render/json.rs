//! JSON output: one object per command, with `schema_version` and the catalog it used.
//! Whole numbers are written as integers (`400000`, not `400000.0`); no NaN or infinity can
//! occur because the core only produces finite values.

use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::catalog::Catalog;
use crate::lifecycle::Lifecycles;

/// Version of the JSON contract documented in docs/json.md.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Serialize, schemars::JsonSchema)]
struct CatalogInfo<'a> {
    origin: &'a str,
    as_of: &'a str,
    currency: &'a str,
}

#[derive(Serialize, schemars::JsonSchema)]
struct Envelope<'a, T: Serialize> {
    schema_version: u32,
    catalog: CatalogInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lifecycle: Option<&'a Lifecycles>,
    #[serde(flatten)]
    body: &'a T,
}

/// Renders `body` with the envelope (and the lifecycles of the models it used, if any) as
/// pretty JSON followed by a newline.
pub fn render<T: Serialize>(
    catalog: &Catalog,
    lifecycle: Option<&Lifecycles>,
    body: &T,
) -> Result<String, serde_json::Error> {
    let envelope = Envelope {
        schema_version: SCHEMA_VERSION,
        catalog: CatalogInfo {
            origin: &catalog.origin,
            as_of: &catalog.as_of,
            currency: &catalog.currency,
        },
        lifecycle,
        body,
    };
    let value = whole_numbers_as_integers(serde_json::to_value(&envelope)?);
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}

/// The JSON Schema (draft 2020-12) of a command's `--json` answer whose body is `T`: the
/// envelope (`schema_version`, `catalog`, `lifecycle`) with `T`'s keys, generated from the
/// same types that serialize it.
pub fn schema<T: Serialize + schemars::JsonSchema + 'static>(command: &str) -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Envelope<'static, T>>();
    schema.insert(
        "title".into(),
        Value::String(format!(
            "ptuplan {command} --json (schema_version {SCHEMA_VERSION})"
        )),
    );
    schema.to_value()
}

/// Rewrites floats without a fraction (and within ±2^53) as integers, recursively.
fn whole_numbers_as_integers(value: Value) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < EXACT => {
                Value::Number(Number::from(f as i64))
            }
            _ => Value::Number(n),
        },
        Value::Array(items) => {
            Value::Array(items.into_iter().map(whole_numbers_as_integers).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole_numbers_as_integers(v)))
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_floats_become_integers() {
        let value = whole_numbers_as_integers(json!({"a": 400000.0, "b": [1.5, 2.0], "c": -3.0}));
        assert_eq!(value.to_string(), r#"{"a":400000,"b":[1.5,2],"c":-3}"#);
    }
}
