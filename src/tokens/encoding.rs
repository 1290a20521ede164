//! The tiktoken encodings ptuplan counts with. Vocabularies ship inside the tiktoken-rs crate
//! (nothing is fetched at run time) and are loaded on first use only.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use tiktoken_rs::CoreBPE;

/// A tiktoken encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// GPT-4o and later (GPT-4.1, GPT-5, o-series).
    O200kBase,
    /// GPT-4, GPT-3.5 and the text-embedding models.
    Cl100kBase,
    /// Codex and text-davinci-002/003.
    P50kBase,
    /// GPT-3 (davinci and earlier).
    R50kBase,
}

/// Every encoding, in the order error messages list them.
pub const ALL: [Encoding; 4] = [
    Encoding::O200kBase,
    Encoding::Cl100kBase,
    Encoding::P50kBase,
    Encoding::R50kBase,
];

impl Encoding {
    /// tiktoken's name, e.g. `o200k_base`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::R50kBase => "r50k_base",
        }
    }

    /// The encoder, loaded (once) on first use.
    pub fn bpe(self) -> &'static CoreBPE {
        match self {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
            Encoding::P50kBase => tiktoken_rs::p50k_base_singleton(),
            Encoding::R50kBase => tiktoken_rs::r50k_base_singleton(),
        }
    }

    /// Tokens in `text`, special-token markers counted as ordinary text.
    pub fn count(self, text: &str) -> usize {
        self.bpe().encode_ordinary(text).len()
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|e| e.as_str()).collect();
                format!("unknown encoding; known: {}", names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        // tiktoken's README: cl100k_base encodes "hello world" as [15339, 1917].
        assert_eq!(
            Encoding::Cl100kBase.bpe().encode_ordinary("hello world"),
            [15339, 1917]
        );
        // OpenAI's cookbook ("How to count tokens with tiktoken"): "tiktoken is great!" is 6
        // tokens in cl100k_base ("t", "ik", "token", " is", " great", "!"); o200k_base splits it
        // the same way.
        assert_eq!(Encoding::Cl100kBase.count("tiktoken is great!"), 6);
        assert_eq!(Encoding::O200kBase.count("tiktoken is great!"), 6);
        assert_eq!(Encoding::O200kBase.count(""), 0);
    }

    #[test]
    fn round_trips() {
        let text = "Azure OpenAI sizing: 1,000 RPM × 800 tokens — 400 000 TPM. 😀 日本語";
        for encoding in ALL {
            let bpe = encoding.bpe();
            let tokens = bpe.encode_ordinary(text);
            assert_eq!(bpe.decode(&tokens).expect("decodes"), text, "{encoding}");
        }
    }

    #[test]
    fn names() {
        assert_eq!("O200K_BASE".parse(), Ok(Encoding::O200kBase));
        let err = "o300k".parse::<Encoding>().expect_err("unknown");
        assert!(err.contains("o200k_base, cl100k_base"), "{err}");
    }
}
