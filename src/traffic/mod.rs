//! `analyze`: capacity from real traffic. Request logs are read into per-second buckets
//! ([`log`]); the pure [`analysis`] finds the true sliding-window peaks the rate limiter sees and
//! sizes models for them.

pub mod analysis;
pub mod log;
mod offered;
pub mod service_tiers;

pub use offered::OfferedLoad;
