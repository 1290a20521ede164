//! The sentences of report fields: the computing layers fill a field with data, and this
//! module writes what tables, Markdown and JSON show of it.

/// Makes a report field's type read as its sentence: `Display`, `Serialize` as that string,
/// and a `String`'s JSON schema (its name too), so the JSON contract is what it was when the
/// field was a `String`. `$sentence` is the function that writes it.
macro_rules! sentence_field {
    ($type:ty, $sentence:path) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$sentence(self))
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&$sentence(self))
            }
        }

        impl schemars::JsonSchema for $type {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                "string".into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string"})
            }
        }
    };
}

pub mod cost;
pub mod simulate;
pub mod sizing;
