//! The sentences of notes: [`Note`]s carry data, and this module writes what people read
//! under a table and what JSON's `message` holds.

mod analyze;
mod budget;
mod capacity;
mod context;
mod cost;
mod flags;
mod lifecycle;
mod plan;
mod prices;
mod quota;
mod simulate;
mod sizing;
mod tokens;

use std::borrow::Cow;

use crate::note::{Note, NoteCode, NoteText};

/// The sentence a note says.
fn message(note: &Note) -> String {
    sentence(&note.text)
}

fn sentence(text: &NoteText) -> String {
    match text {
        NoteText::Sentence(sentence) => sentence.clone(),
        NoteText::Workload { name, note } => format!("workload '{name}': {}", sentence(note)),
        NoteText::UnlessStrict(note) => {
            format!("{} (strict = true makes it an error)", sentence(note))
        }
        NoteText::Sizing(note) => sizing::sentence(note),
        NoteText::Context(note) => context::sentence(note),
        NoteText::Quota(note) => quota::sentence(note),
        NoteText::Capacity(note) => capacity::sentence(note),
        NoteText::Cost(note) => cost::sentence(note),
        NoteText::Plan(note) => plan::sentence(note),
        NoteText::Budget(note) => budget::sentence(note),
        NoteText::Simulate(note) => simulate::sentence(note),
        NoteText::Analyze(note) => analyze::sentence(note),
        NoteText::Tokens(note) => tokens::sentence(note),
        NoteText::Flag(note) => flags::sentence(*note).to_string(),
        NoteText::Lifecycle(note) => lifecycle::sentence(note),
        NoteText::PriceSources(note) => prices::sentence(note),
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&message(self))
    }
}

/// One note of an answer.
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Note")]
struct NoteJson {
    /// What kind of note it is (stable).
    code: NoteCode,
    /// The sentence for people (may change between versions).
    message: String,
}

impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        NoteJson {
            code: self.code,
            message: message(self),
        }
        .serialize(serializer)
    }
}

impl schemars::JsonSchema for Note {
    fn schema_name() -> Cow<'static, str> {
        NoteJson::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        NoteJson::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        NoteJson::json_schema(generator)
    }
}
