//! The pure calculation core: no I/O, no printing, no clock. Plain data in, reports out.

pub mod budget;
pub mod capacity;
pub mod context;
pub mod cost;
pub mod load;
pub mod param;
pub mod plan;
pub mod prices;
pub mod quota;
pub mod quota_tier;
pub mod rounding;
pub mod service_tier;
pub mod sizing;
pub mod stats;
pub mod workload;

#[cfg(test)]
mod properties;
