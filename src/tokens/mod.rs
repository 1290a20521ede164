//! `tokens`: real token counts of sample prompts, chats and request logs, with the model's own
//! tiktoken encoding, and the distribution sizing needs (typical and heavy requests).

pub mod count;
pub mod encoding;
pub mod request;
