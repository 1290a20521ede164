//! Counting tokens of requests, and the distribution over many.
//!
//! Chat requests are counted as OpenAI's cookbook does for current models ("How to count tokens
//! with tiktoken"): 3 tokens per message, plus its role and content, plus 1 per `name` (with
//! the name's tokens), plus 3 at the end that prime the assistant's reply. Tool calls add their
//! name and arguments plus 1 each (the heuristic tiktoken-rs uses).

use serde::Serialize;

use crate::calc::stats::Distribution;
use crate::note::{Note, NoteCode, TokensNote};
use crate::tokens::encoding::Encoding;
use crate::tokens::request::{Message, Request};

const TOKENS_PER_MESSAGE: usize = 3;
const TOKENS_PER_NAME: usize = 1;
const REPLY_PRIMING: usize = 3;
const TOKENS_PER_CALL: usize = 1;

/// Tokens of one request.
pub fn request_tokens(encoding: Encoding, request: &Request) -> usize {
    match request {
        Request::Text(text) => encoding.count(text),
        Request::Chat(messages, _) => {
            messages
                .iter()
                .map(|m| message_tokens(encoding, m))
                .sum::<usize>()
                + REPLY_PRIMING
        }
    }
}

fn message_tokens(encoding: Encoding, message: &Message) -> usize {
    let mut tokens = TOKENS_PER_MESSAGE + encoding.count(&message.role);
    tokens += message
        .content
        .iter()
        .map(|part| encoding.count(part))
        .sum::<usize>();
    if let Some(name) = &message.name {
        tokens += encoding.count(name) + TOKENS_PER_NAME;
    }
    for (name, arguments) in &message.calls {
        tokens += encoding.count(name) + encoding.count(arguments) + TOKENS_PER_CALL;
    }
    tokens
}

/// What was not counted: non-text message parts (images, audio) and tool definitions.
pub fn uncounted(requests: &[Request]) -> (usize, usize) {
    requests.iter().fold((0, 0), |(parts, tools), r| match r {
        Request::Chat(messages, defined) => (
            parts + messages.iter().map(|m| m.uncounted_parts).sum::<usize>(),
            tools + defined,
        ),
        Request::Text(_) => (parts, tools),
    })
}

/// Token counts of one input file. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FileCount {
    /// Path as given (`-` for stdin).
    pub path: String,
    /// `text`, `chat` or `jsonl`.
    pub kind: crate::tokens::request::InputKind,
    /// Tokens of every request together.
    pub total_tokens: u64,
    /// Distribution over the file's requests.
    #[serde(flatten)]
    pub distribution: Distribution,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::request::{InputKind, Side, parse};

    #[test]
    fn chat_rule_matches_the_cookbook_arithmetic() {
        // Two messages: 3 + role + content each, 1 + name tokens for the name, 3 priming.
        let chat = r#"[{"role": "system", "content": "You are helpful."},
                       {"role": "user", "name": "example_user", "content": "Hello!"}]"#;
        let requests = parse(chat, "c.json", InputKind::Chat, Side::Prompt).expect("valid");
        let e = Encoding::O200kBase;
        let expected = 3
            + e.count("system")
            + e.count("You are helpful.")
            + 3
            + e.count("user")
            + e.count("Hello!")
            + e.count("example_user")
            + 1
            + 3;
        assert_eq!(request_tokens(e, &requests[0]), expected);
        // In o200k_base the pieces are: system 1, "You are helpful." 4, user 1, "Hello!" 2,
        // example_user 2 → 3+1+4 + 3+1+2+2+1 + 3 = 20.
        assert_eq!(
            [
                e.count("system"),
                e.count("You are helpful."),
                e.count("user"),
                e.count("Hello!"),
                e.count("example_user")
            ],
            [1, 4, 1, 2, 2]
        );
        assert_eq!(expected, 20);
    }
}

/// One input, read and parsed.
#[derive(Debug, Clone)]
pub struct ParsedInput {
    /// Path as given (`-` for stdin).
    pub path: String,
    /// How it was read.
    pub kind: crate::tokens::request::InputKind,
    /// Its requests.
    pub requests: Vec<Request>,
}

/// The `tokens` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TokensReport {
    /// Encoding used.
    pub encoding: Encoding,
    /// Model whose encoding it is, when one was named.
    pub model: Option<String>,
    /// Per input.
    pub files: Vec<FileCount>,
    /// Tokens of every request of every input.
    pub total_tokens: u64,
    /// Distribution over every request of every input.
    #[serde(flatten)]
    pub distribution: Distribution,
    /// Non-text message parts (images, audio) not counted.
    pub uncounted_parts: u64,
    /// Tool definitions (`tools`) not counted: they cost prompt tokens in an unpublished format.
    pub uncounted_tools: u64,
    /// How chat requests were counted, and caveats.
    pub notes: Vec<crate::note::Note>,
}

/// Counts every request of every input.
pub fn count_inputs(
    encoding: Encoding,
    model: Option<&str>,
    inputs: &[ParsedInput],
) -> TokensReport {
    let mut all = Vec::new();
    let mut files = Vec::new();
    let (mut uncounted_parts, mut uncounted_tools) = (0, 0);
    for input in inputs {
        let counts: Vec<f64> = input
            .requests
            .iter()
            .map(|r| request_tokens(encoding, r) as f64)
            .collect();
        let (parts, tools) = uncounted(&input.requests);
        uncounted_parts += parts;
        uncounted_tools += tools;
        files.push(FileCount {
            path: input.path.clone(),
            kind: input.kind,
            total_tokens: counts.iter().sum::<f64>() as u64,
            distribution: Distribution::of(&counts).unwrap_or(EMPTY),
        });
        all.extend(counts);
    }
    let mut notes = Vec::new();
    if inputs
        .iter()
        .any(|i| i.requests.iter().any(|r| matches!(r, Request::Chat(..))))
    {
        notes.push(Note::of(NoteCode::TokenCounting, TokensNote::ChatFormat));
    }
    if uncounted_parts > 0 {
        notes.push(Note::of(
            NoteCode::TokensNotCounted,
            TokensNote::NonTextParts {
                parts: uncounted_parts as u64,
            },
        ));
    }
    if uncounted_tools > 0 {
        notes.push(Note::of(
            NoteCode::TokensNotCounted,
            TokensNote::ToolDefinitions {
                tools: uncounted_tools as u64,
            },
        ));
    }
    TokensReport {
        encoding,
        model: model.map(str::to_string),
        files,
        total_tokens: all.iter().sum::<f64>() as u64,
        distribution: Distribution::of(&all).unwrap_or(EMPTY),
        uncounted_parts: uncounted_parts as u64,
        uncounted_tools: uncounted_tools as u64,
        notes,
    }
}

const EMPTY: Distribution = Distribution {
    count: 0,
    mean: 0.0,
    p50: 0.0,
    p95: 0.0,
    max: 0.0,
};

/// Which statistic of measured requests stands for "tokens per request".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenStat {
    /// The mean (the default: what a month's volume averages to).
    Mean,
    /// The median.
    P50,
    /// The 95th percentile (a heavy request).
    P95,
    /// The largest request.
    Max,
}

impl TokenStat {
    /// The statistic's value in a distribution.
    pub fn of(self, d: &Distribution) -> f64 {
        match self {
            TokenStat::Mean => d.mean,
            TokenStat::P50 => d.p50,
            TokenStat::P95 => d.p95,
            TokenStat::Max => d.max,
        }
    }
}

/// Tokens per request measured from files, as `size` used them. Field names are the JSON
/// contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MeasuredTokens {
    /// Statistic used.
    pub stat: TokenStat,
    /// Encoding used.
    pub encoding: Encoding,
    /// The files.
    pub files: Vec<String>,
    /// Their distribution.
    #[serde(flatten)]
    pub distribution: Distribution,
    /// The value used: the statistic of the distribution.
    pub tokens: f64,
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn concatenation_counts_at_most_the_sum_plus_one(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            // Pieces can merge at the seam (fewer tokens) or, rarely, a piece boundary moves
            // and costs one extra token; never more.
            for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
                let joined = encoding.count(&format!("{a}{b}"));
                prop_assert!(joined <= encoding.count(&a) + encoding.count(&b) + 1, "{encoding}: {a:?} + {b:?}");
            }
        }

        #[test]
        fn chat_overhead_is_exact(contents in prop::collection::vec("[a-z ]{0,30}", 1..5)) {
            let messages: Vec<Message> = contents
                .iter()
                .map(|c| Message { role: "user".into(), content: vec![c.clone()], ..Message::default() })
                .collect();
            let e = Encoding::O200kBase;
            let content: usize = contents.iter().map(|c| e.count(c)).sum();
            let expected = content + contents.len() * (TOKENS_PER_MESSAGE + e.count("user")) + REPLY_PRIMING;
            prop_assert_eq!(request_tokens(e, &Request::Chat(messages, 0)), expected);
        }
    }
}
