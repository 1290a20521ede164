//! Parameter checks shared by the simulator's inputs; each error names the [`SimParam`] and
//! the value.

use std::fmt;

use crate::sim::SimError;

/// A parameter of a simulation. The library names it by its path in the inputs
/// (`provisioned.ptu`); the command line maps it to its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimParam {
    /// `standard.tpm_quota`.
    StandardTpmQuota,
    /// `standard.rpm`.
    StandardRpm,
    /// `spillover.tpm_quota`.
    SpilloverTpmQuota,
    /// `spillover.rpm`.
    SpilloverRpm,
    /// `service.ttft_ms`.
    ServiceTtftMs,
    /// `service.tokens_per_second`.
    ServiceTokensPerSecond,
    /// `provisioned.ptu`.
    ProvisionedPtu,
    /// `provisioned.input_tpm_per_ptu`.
    ProvisionedInputTpmPerPtu,
    /// `provisioned.output_weight`.
    ProvisionedOutputWeight,
    /// `provisioned.cached_weight`.
    ProvisionedCachedWeight,
    /// `provisioned.bucket_seconds`.
    ProvisionedBucketSeconds,
    /// `retry.deadline_ms`.
    RetryDeadlineMs,
    /// `retry.delay_ms`.
    RetryDelayMs,
    /// `retry.base_ms`.
    RetryBaseMs,
    /// `retry.cap_ms`.
    RetryCapMs,
    /// `traffic.rate_per_s`.
    TrafficRatePerS,
    /// `traffic.duration_s`.
    TrafficDurationS,
    /// `traffic.start_s`.
    TrafficStartS,
    /// `traffic.cached_share`.
    TrafficCachedShare,
    /// `traffic.daily.peak_to_average`.
    TrafficDailyPeakToAverage,
    /// `traffic.daily.peak_hour`.
    TrafficDailyPeakHour,
    /// `traffic.burst.start_s`.
    TrafficBurstStartS,
    /// `traffic.burst.duration_s`.
    TrafficBurstDurationS,
    /// `traffic.burst.multiplier`.
    TrafficBurstMultiplier,
    /// `traffic.prompt.mean`.
    TrafficPromptMean,
    /// `traffic.prompt.p95`.
    TrafficPromptP95,
    /// `traffic.completion.mean`.
    TrafficCompletionMean,
    /// `traffic.completion.p95`.
    TrafficCompletionP95,
    /// `flex.availability`.
    FlexAvailability,
    /// `priority.tokens_per_second`.
    PriorityTokensPerSecond,
}

impl SimParam {
    /// The parameter's path in the simulation's inputs, e.g. `provisioned.ptu`.
    pub fn path(self) -> &'static str {
        match self {
            SimParam::StandardTpmQuota => "standard.tpm_quota",
            SimParam::StandardRpm => "standard.rpm",
            SimParam::SpilloverTpmQuota => "spillover.tpm_quota",
            SimParam::SpilloverRpm => "spillover.rpm",
            SimParam::ServiceTtftMs => "service.ttft_ms",
            SimParam::ServiceTokensPerSecond => "service.tokens_per_second",
            SimParam::ProvisionedPtu => "provisioned.ptu",
            SimParam::ProvisionedInputTpmPerPtu => "provisioned.input_tpm_per_ptu",
            SimParam::ProvisionedOutputWeight => "provisioned.output_weight",
            SimParam::ProvisionedCachedWeight => "provisioned.cached_weight",
            SimParam::ProvisionedBucketSeconds => "provisioned.bucket_seconds",
            SimParam::RetryDeadlineMs => "retry.deadline_ms",
            SimParam::RetryDelayMs => "retry.delay_ms",
            SimParam::RetryBaseMs => "retry.base_ms",
            SimParam::RetryCapMs => "retry.cap_ms",
            SimParam::TrafficRatePerS => "traffic.rate_per_s",
            SimParam::TrafficDurationS => "traffic.duration_s",
            SimParam::TrafficStartS => "traffic.start_s",
            SimParam::TrafficCachedShare => "traffic.cached_share",
            SimParam::TrafficDailyPeakToAverage => "traffic.daily.peak_to_average",
            SimParam::TrafficDailyPeakHour => "traffic.daily.peak_hour",
            SimParam::TrafficBurstStartS => "traffic.burst.start_s",
            SimParam::TrafficBurstDurationS => "traffic.burst.duration_s",
            SimParam::TrafficBurstMultiplier => "traffic.burst.multiplier",
            SimParam::TrafficPromptMean => "traffic.prompt.mean",
            SimParam::TrafficPromptP95 => "traffic.prompt.p95",
            SimParam::TrafficCompletionMean => "traffic.completion.mean",
            SimParam::TrafficCompletionP95 => "traffic.completion.p95",
            SimParam::FlexAvailability => "flex.availability",
            SimParam::PriorityTokensPerSecond => "priority.tokens_per_second",
        }
    }
}

impl fmt::Display for SimParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// Fails with `expected` unless `ok`.
pub(crate) fn require(
    ok: bool,
    field: SimParam,
    value: f64,
    expected: &'static str,
) -> Result<(), SimError> {
    if ok {
        Ok(())
    } else {
        Err(SimError::InvalidParam {
            field,
            value,
            expected,
        })
    }
}

/// `value` must be finite and > 0.
pub(crate) fn positive(field: SimParam, value: f64) -> Result<(), SimError> {
    require(
        value.is_finite() && value > 0.0,
        field,
        value,
        "a finite number above 0",
    )
}

/// `value` must be finite and ≥ 0.
pub(crate) fn non_negative(field: SimParam, value: f64) -> Result<(), SimError> {
    require(
        value.is_finite() && value >= 0.0,
        field,
        value,
        "a finite number at or above 0",
    )
}

/// `value` must be ≥ 0; infinity allowed (no limit).
pub(crate) fn non_negative_or_infinite(field: SimParam, value: f64) -> Result<(), SimError> {
    require(
        value >= 0.0,
        field,
        value,
        "a number at or above 0 (or infinity for no limit)",
    )
}

/// `value` must lie in `[0, 1]`.
pub(crate) fn fraction(field: SimParam, value: f64) -> Result<(), SimError> {
    require(
        (0.0..=1.0).contains(&value),
        field,
        value,
        "a fraction from 0 to 1",
    )
}
