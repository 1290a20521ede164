//! What the notes from counting tokens say, as data.

use super::NoteText;

/// A note on how tokens were counted, or what was not.
#[derive(Debug, Clone, PartialEq)]
pub enum TokensNote {
    /// Counted with an encoding that is not the model's own.
    OtherEncoding {
        /// The encoding used.
        encoding: String,
        /// The model.
        model: String,
    },
    /// JSON on stdin that parses as neither a chat request nor JSONL, counted as text.
    StdinJsonAsText,
    /// No model or encoding given: counted with o200k_base.
    DefaultEncoding,
    /// Models without an encoding in tiktoken's table, counted with another.
    ModelsWithoutEncoding {
        /// The encoding used.
        encoding: String,
        /// The models.
        models: Vec<String>,
    },
    /// How chat requests are counted (the OpenAI cookbook's rule).
    ChatFormat,
    /// Non-text message parts (images, audio) not counted.
    NonTextParts {
        /// How many.
        parts: u64,
    },
    /// Tool definitions not counted.
    ToolDefinitions {
        /// How many.
        tools: u64,
    },
}

impl From<TokensNote> for NoteText {
    fn from(note: TokensNote) -> NoteText {
        NoteText::Tokens(note)
    }
}
