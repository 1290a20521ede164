//! `cost`'s per-token tiers beyond standard as options over the whole month: priority (with
//! its ramp and long-prompt rules, S56/S57), flex (with the share of attempts that find
//! capacity, S59) and batch (against its enqueued-token quota, S60/S61); and the checks of a
//! `--batch-share`.

use serde::Serialize;

use super::{Assumption, CostOption, Exclusion, Month, OptionName};
use crate::calc::load::{LoadCurve, LoadKind, MinuteLoad};
use crate::calc::rounding::cents;
use crate::calc::service_tier::{
    BatchSetup, PrioritySetup, ServiceTier, TierPrice, TierSetup, ramp_downgraded,
};
use crate::catalog::{Model, SubscriptionType, TokenPrices};
use crate::note::{BatchDay, CostNote, Note, NoteCode};

/// A tier `cost` could not price, and why. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Unpriced {
    /// Which option.
    pub option: OptionName,
    /// Why: `not offered: ...` or `no price: ...`.
    pub reason: UnpricedReason,
}

/// Why a tier is not priced, as data where `cost` finds it; `render::prose::cost` writes the
/// sentence (JSON: a string).
#[derive(Debug, Clone, PartialEq)]
pub enum UnpricedReason {
    /// The load has cached prompt tokens and there is no cached priority price.
    NoCachedPriorityPrice,
    /// Why the tier's setup is not priced (not offered, or no price), in the words of
    /// [`TierSetup`]: the same text is an error's when a flag needs the tier, and errors are
    /// written where they are made.
    Setup(String),
}

/// Batch against its limits. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BatchCheck {
    /// Share of the load checked: the `--batch-share`, or 1 (the batch option) without one.
    pub share: f64,
    /// The subscription type whose quota applies.
    pub subscription: SubscriptionType,
    /// Prompt tokens a day in batch: what one day's jobs enqueue if submitted at once.
    pub daily_prompt_tokens: f64,
    /// Requests a day in batch.
    pub daily_requests: f64,
    /// Input files a day at the most requests a file may hold.
    pub files_per_day: u64,
    /// Most requests per input file.
    pub max_requests_per_file: u64,
    /// The subscription's enqueued-token quota (null: none for this subscription type).
    pub enqueued_limit: Option<u64>,
    /// Source of the quota and limits.
    pub source: String,
    /// Whether a day's batch fits the quota (false also when there is no quota).
    pub within_limit: bool,
}

/// The tier options and what `cost` says of them.
pub(super) struct TierPricing {
    pub options: Vec<CostOption>,
    pub unpriced: Vec<Unpriced>,
    pub notes: Vec<Note>,
    pub batch: Option<BatchCheck>,
}

/// What priority costs over some minutes, and what its rules serve as standard.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct PriorityBill {
    /// Cost of the minutes (not scaled to the month).
    pub usd: f64,
    /// Tokens sent to priority.
    pub tokens: f64,
    /// Tokens served, and billed, as standard.
    pub downgraded: f64,
    /// Minutes the ramp limit downgrades.
    pub ramp_minutes: usize,
    /// Minutes whose average prompt is above the long-prompt threshold.
    pub long_minutes: usize,
}

/// Priority over `minutes` (entry `i` at minute `offset(i)`): each minute at priority prices,
/// except what the rules serve as standard — minutes whose average prompt is above the
/// long-prompt threshold, and, with `ramp`, tokens above the ramp limit.
pub(super) fn priority_bill(
    minutes: &[MinuteLoad],
    offset: &dyn Fn(usize) -> u64,
    ramp: bool,
    setup: &PrioritySetup,
    standard: &TokenPrices,
) -> PriorityBill {
    let long = |m: &MinuteLoad| {
        setup
            .long_prompt_tokens
            .is_some_and(|limit| m.requests > 0.0 && m.prompt / m.requests > limit as f64)
    };
    let sent: Vec<f64> = minutes
        .iter()
        .map(|m| if long(m) { 0.0 } else { m.tokens() })
        .collect();
    let downgraded = if ramp {
        let offsets: Vec<u64> = (0..minutes.len()).map(offset).collect();
        ramp_downgraded(&sent, &offsets, setup.ramp)
    } else {
        vec![0.0; minutes.len()]
    };
    let priority = setup.price.tokens();
    let mut bill = PriorityBill::default();
    for ((m, &sent), &down) in minutes.iter().zip(&sent).zip(&downgraded) {
        let tokens = m.tokens();
        if tokens <= 0.0 {
            continue;
        }
        let standard_share = if sent == 0.0 { 1.0 } else { down / tokens };
        bill.usd +=
            m.payg_usd(&priority) * (1.0 - standard_share) + m.payg_usd(standard) * standard_share;
        bill.tokens += tokens;
        bill.downgraded += tokens * standard_share;
        bill.long_minutes += usize::from(sent == 0.0);
        bill.ramp_minutes += usize::from(down > 0.0);
    }
    bill
}

/// Flex over `minutes`: `availability` of each minute's tokens at flex prices, the rest
/// retried on standard.
pub(super) fn flex_usd(
    minutes: &[MinuteLoad],
    flex: &TokenPrices,
    standard: &TokenPrices,
    availability: f64,
) -> f64 {
    minutes
        .iter()
        .map(|m| availability * m.payg_usd(flex) + (1.0 - availability) * m.payg_usd(standard))
        .sum()
}

/// A month of `load` on one per-token tier beyond standard: its cost (`scale` × the load's)
/// and the share of its tokens the tier does not serve itself; `Err`: why it is not priced.
pub fn tier_month(
    load: &LoadCurve,
    tiers: &TierSetup,
    tier: ServiceTier,
    standard: &TokenPrices,
    flex_availability: f64,
    scale: f64,
) -> Result<(f64, f64), String> {
    match tier {
        ServiceTier::Standard => {
            let usd: f64 = load.minutes.iter().map(|m| m.payg_usd(standard)).sum();
            Ok((usd * scale, 0.0))
        }
        ServiceTier::Priority => {
            let setup = tiers.priority.as_ref().map_err(Clone::clone)?;
            let ramp = ramp_applies(load);
            let bill = priority_bill(&load.minutes, &|i| load.offset(i), ramp, setup, standard);
            Ok((bill.usd * scale, share(bill.downgraded, bill.tokens)))
        }
        ServiceTier::Flex => {
            let price = tiers.flex.as_ref().map_err(Clone::clone)?;
            let usd = flex_usd(&load.minutes, &price.tokens(), standard, flex_availability);
            let retried = crate::calc::rounding::snap(1.0 - flex_availability);
            Ok((usd * scale, retried))
        }
        ServiceTier::Batch => {
            let batch = tiers.batch.as_ref().map_err(Clone::clone)?;
            Ok((load.total().payg_usd(&batch.price.tokens()) * scale, 0.0))
        }
    }
}

/// Whether the ramp limit is judged on this load: only a profile says how traffic rises.
pub(super) fn ramp_applies(load: &LoadCurve) -> bool {
    load.kind == LoadKind::Profile
}

/// Prices priority, flex and batch over the month, or says why not.
pub(super) fn tier_options(
    model: &Model,
    interactive: &LoadCurve,
    full: &LoadCurve,
    month: &Month,
    scale: f64,
) -> TierPricing {
    let settings = month.settings;
    let mut pricing = TierPricing {
        options: Vec::new(),
        unpriced: Vec::new(),
        notes: Vec::new(),
        batch: None,
    };
    let tiers = &settings.tiers;
    let cached = interactive.total().cached > 0.0;
    match &tiers.priority {
        Ok(setup) if cached && setup.price.cached.is_none() => pricing.unpriced.push(Unpriced {
            option: OptionName::Priority,
            reason: UnpricedReason::NoCachedPriorityPrice,
        }),
        Ok(setup) => {
            let option = priority_option(interactive, month, setup, scale, &mut pricing.notes);
            pricing.options.push(option);
        }
        Err(reason) => pricing
            .unpriced
            .push(unpriced(OptionName::Priority, reason)),
    }
    match &tiers.flex {
        Ok(price) => pricing.options.push(flex_option(
            interactive,
            month,
            price,
            scale,
            &mut pricing.notes,
        )),
        Err(reason) => pricing.unpriced.push(unpriced(OptionName::Flex, reason)),
    }
    match &tiers.batch {
        Ok(setup) => {
            let (option, check) = batch_option(model, full, month, setup, scale);
            let considered = settings.batch_share > 0.0
                || settings.latency == Some(crate::calc::service_tier::LatencyClass::Deferrable);
            if considered {
                pricing.notes.extend(batch_notes(&check));
            }
            pricing.batch = Some(check);
            pricing.options.push(option);
        }
        Err(reason) => pricing.unpriced.push(unpriced(OptionName::Batch, reason)),
    }
    pricing
}

fn unpriced(option: OptionName, reason: &str) -> Unpriced {
    Unpriced {
        option,
        reason: UnpricedReason::Setup(reason.to_string()),
    }
}

/// Every interactive token at priority prices, except what its rules serve as standard.
fn priority_option(
    load: &LoadCurve,
    month: &Month,
    setup: &PrioritySetup,
    scale: f64,
    notes: &mut Vec<Note>,
) -> CostOption {
    let standard = &month.settings.token_prices;
    let ramp = ramp_applies(load);
    let bill = priority_bill(&load.minutes, &|i| load.offset(i), ramp, setup, standard);
    let assumes = Assumption::Priority {
        latency_target: setup.latency_target.clone(),
    };
    let mut option = month.priced(
        assumes,
        0,
        None,
        bill.usd * scale,
        month.normalized_month,
        0.0,
    );
    option.downgraded_share = share(bill.downgraded, bill.tokens);
    // Without a latency class priority is listed for comparison; say what the flat load
    // leaves unjudged only when it may be chosen.
    let asked = month.settings.latency.is_some();
    notes.extend(priority_notes(&bill, setup, ramp || !asked));
    option
}

/// What priority's rules did to the load.
fn priority_notes(bill: &PriorityBill, setup: &PrioritySetup, judged: bool) -> Vec<Note> {
    let mut notes = Vec::new();
    let rule = setup.ramp;
    if !judged {
        notes.push(Note::of(
            NoteCode::PriorityDowngrade,
            CostNote::RampNotJudged {
                increase: rule.increase,
                window: u64::from(rule.minutes),
                source: setup.ramp_source.clone(),
            },
        ));
    } else if bill.ramp_minutes > 0 {
        notes.push(Note::of(
            NoteCode::PriorityDowngrade,
            CostNote::RampDowngraded {
                minutes: bill.ramp_minutes as u64,
                increase: rule.increase,
                window: u64::from(rule.minutes),
                share: share(bill.downgraded, bill.tokens),
                source: setup.ramp_source.clone(),
            },
        ));
    }
    if bill.long_minutes > 0 {
        notes.push(Note::of(
            NoteCode::PriorityDowngrade,
            CostNote::LongPrompts {
                minutes: bill.long_minutes as u64,
                tokens: setup.long_prompt_tokens.unwrap_or(0),
            },
        ));
    }
    notes
}

/// Every interactive token tried on flex; the share that finds no capacity is retried on
/// standard.
fn flex_option(
    load: &LoadCurve,
    month: &Month,
    price: &TierPrice,
    scale: f64,
    notes: &mut Vec<Note>,
) -> CostOption {
    let settings = month.settings;
    let availability = settings.flex_availability;
    let usd = flex_usd(
        &load.minutes,
        &price.tokens(),
        &settings.token_prices,
        availability,
    );
    let mut option = month.priced(
        Assumption::Flex { availability },
        0,
        None,
        usd * scale,
        month.normalized_month,
        0.0,
    );
    option.downgraded_share = crate::calc::rounding::snap(1.0 - availability);
    notes.push(Note::of(
        NoteCode::FlexRetry,
        CostNote::FlexRetry { availability },
    ));
    option
}

/// Every request of the month in batch, and the batch check (of the `--batch-share`, or of
/// everything without one).
fn batch_option(
    model: &Model,
    full: &LoadCurve,
    month: &Month,
    setup: &BatchSetup,
    scale: f64,
) -> (CostOption, BatchCheck) {
    let settings = month.settings;
    let total = full.total();
    let usd = total.payg_usd(&setup.price.tokens()) * scale;
    let mut option = month.priced(Assumption::Batch, 0, None, 0.0, month.normalized_month, 0.0);
    let tokens_month = month.tokens_month;
    option.monthly_usd = cents(usd);
    option.batch_usd = cents(usd);
    option.usd_per_1m_tokens = (tokens_month > 0.0).then(|| usd / tokens_month * 1e6);
    option.break_even_utilization = None;
    let share = if settings.batch_share > 0.0 {
        settings.batch_share
    } else {
        1.0
    };
    let days = month.hours / 24.0;
    let daily_prompt = total.prompt * scale / days * share;
    let daily_requests = total.requests * scale / days * share;
    let limit = setup.limit.as_ref();
    let check = BatchCheck {
        share,
        subscription: settings.subscription,
        daily_prompt_tokens: crate::calc::rounding::snap(daily_prompt),
        daily_requests: crate::calc::rounding::snap(daily_requests),
        files_per_day: crate::calc::rounding::ceil_whole(
            daily_requests / setup.max_requests_per_file as f64,
        ) as u64,
        max_requests_per_file: setup.max_requests_per_file,
        enqueued_limit: limit.map(|l| l.enqueued_tokens),
        source: limit.map_or_else(|| "S61".to_string(), |l| l.source.clone()),
        within_limit: limit.is_some_and(|l| daily_prompt <= l.enqueued_tokens as f64),
    };
    // The option sends everything: judged on a whole day, whatever share is reported.
    let whole_day = BatchCheck {
        share: 1.0,
        daily_prompt_tokens: crate::calc::rounding::snap(daily_prompt / share),
        within_limit: limit.is_some_and(|l| daily_prompt / share <= l.enqueued_tokens as f64),
        ..check.clone()
    };
    if !whole_day.within_limit {
        option.excluded = Some(over_limit(model, &whole_day));
    }
    (option, check)
}

/// Why a day's batch does not fit the subscription's quota.
fn over_limit(model: &Model, check: &BatchCheck) -> Exclusion {
    match check.enqueued_limit {
        Some(limit) => Exclusion::BatchOverQuota {
            daily_prompt_tokens: check.daily_prompt_tokens,
            limit,
            subscription: check.subscription,
            model: model.name.clone(),
            source: check.source.clone(),
        },
        None => Exclusion::NoBatchQuota {
            subscription: check.subscription,
            model: model.name.clone(),
            source: check.source.clone(),
        },
    }
}

/// Notes on batch: turnaround, files a day, the quota.
fn batch_notes(check: &BatchCheck) -> Vec<Note> {
    vec![Note::of(
        NoteCode::BatchQuota,
        CostNote::Batch(BatchDay {
            share: check.share,
            requests: check.daily_requests,
            files: check.files_per_day,
            requests_per_file: check.max_requests_per_file,
            prompt_tokens: check.daily_prompt_tokens,
            subscription: check.subscription,
            enqueued_limit: check.enqueued_limit,
        }),
    )]
}

/// `part ÷ whole`, 0 when there is no whole.
pub(super) fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        crate::calc::rounding::snap(part / whole)
    } else {
        0.0
    }
}
