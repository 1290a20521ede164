//! What the notes from checking a standard quota against its quota tier say, as data.

/// A note from checking a standard quota against its quota tier.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaNote {}
