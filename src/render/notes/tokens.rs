//! The sentences of [`TokensNote`]s.

use crate::note::TokensNote;

/// What `note` says.
pub(super) fn sentence(note: &TokensNote) -> String {
    match note {
        TokensNote::OtherEncoding { encoding, model } => {
            format!(
                "counted with {encoding}, which is not {model}'s own encoding: an approximation"
            )
        }
        TokensNote::StdinJsonAsText => "stdin looks like JSON but does not parse as a chat \
                                        request or JSONL: counted as plain text (give --input \
                                        chat or jsonl to see the error)"
            .into(),
        TokensNote::DefaultEncoding => {
            "no --model or --encoding: counted with o200k_base (gpt-4o and later)".into()
        }
        TokensNote::ModelsWithoutEncoding { encoding, models } => format!(
            "{} not in tiktoken's model table: sample tokens counted with {encoding}, an \
             approximation for {}",
            if models.len() == 1 {
                "one model is"
            } else {
                "some models are"
            },
            models.join(", ")
        ),
        TokensNote::ChatFormat => "chat requests: 3 tokens per message + role + content (+ 1 + \
                                   name), + 3 to prime the reply (OpenAI cookbook)"
            .into(),
        TokensNote::NonTextParts { parts } => {
            format!("{parts} non-text message part(s) (images, audio) were not counted")
        }
        TokensNote::ToolDefinitions { tools } => format!(
            "{tools} tool definition(s) ('tools') were not counted: they cost prompt tokens in a \
             format OpenAI does not publish"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_without_an_encoding_are_counted_in_number() {
        let note = |models: &[&str]| TokensNote::ModelsWithoutEncoding {
            encoding: "o200k_base".into(),
            models: models.iter().map(|m| m.to_string()).collect(),
        };
        assert_eq!(
            sentence(&note(&["llama"])),
            "one model is not in tiktoken's model table: sample tokens counted with \
             o200k_base, an approximation for llama"
        );
        assert!(sentence(&note(&["llama", "phi"])).starts_with("some models are not"));
        assert!(sentence(&note(&["llama", "phi"])).ends_with("for llama, phi"));
    }
}
