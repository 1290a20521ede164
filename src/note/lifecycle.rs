//! What the notes on models' lifecycles say, as data, and which notes a command prints.

use chrono::NaiveDate;

use super::{Note, NoteCode, NoteText};
use crate::lifecycle::{LifecycleView, Lifecycles, NOTES_PER_MODEL_UP_TO, Stage};

/// A note on models that are retired, retiring or deprecated on a day.
#[derive(Debug, Clone, PartialEq)]
pub enum LifecycleNote {
    /// One model, in full: dates, replacement, migration.
    Model {
        /// The model's lifecycle.
        view: Box<LifecycleView>,
        /// The day it is judged on.
        as_of: NaiveDate,
    },
    /// Every model at one stage, one entry each (when many models are warned about).
    Stage {
        /// The stage.
        stage: Stage,
        /// The models at it.
        views: Vec<LifecycleView>,
        /// The day they are judged on.
        as_of: NaiveDate,
    },
}

impl From<LifecycleNote> for NoteText {
    fn from(note: LifecycleNote) -> NoteText {
        NoteText::Lifecycle(note)
    }
}

impl Lifecycles {
    /// The notes for the retired, retiring and deprecated models among them.
    pub fn notes(&self) -> Vec<Note> {
        notes(&self.models, self.as_of)
    }
}

/// The notes commands print for models that are retired, retiring or deprecated on `as_of`:
/// one per model, or one per stage when there are many.
pub fn notes(views: &[LifecycleView], as_of: NaiveDate) -> Vec<Note> {
    let warned: Vec<&LifecycleView> = views.iter().filter(|v| v.stage.is_warned()).collect();
    if warned.len() <= NOTES_PER_MODEL_UP_TO {
        return warned
            .into_iter()
            .map(|v| {
                let view = Box::new(v.clone());
                Note::of(stage_code(v.stage), LifecycleNote::Model { view, as_of })
            })
            .collect();
    }
    [Stage::Retired, Stage::Retiring, Stage::Deprecated]
        .into_iter()
        .filter_map(|stage| {
            let views: Vec<LifecycleView> = warned
                .iter()
                .filter(|v| v.stage == stage)
                .map(|v| (*v).clone())
                .collect();
            (!views.is_empty()).then(|| {
                let note = LifecycleNote::Stage {
                    stage,
                    views,
                    as_of,
                };
                Note::of(stage_code(stage), note)
            })
        })
        .collect()
}

/// The note code of a warned stage.
fn stage_code(stage: Stage) -> NoteCode {
    match stage {
        Stage::Retired => NoteCode::ModelRetired,
        Stage::Retiring => NoteCode::ModelRetiring,
        _ => NoteCode::ModelDeprecated,
    }
}
