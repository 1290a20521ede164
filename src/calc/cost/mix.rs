//! The cheapest mix a latency class allows: a PTU base on a term, an overflow tier for what the
//! PTUs cannot serve (standard, priority or flex) and a share of the load sent to batch. Exact
//! on the per-minute curve, like the hybrid: for every batch share (1% steps) and every term
//! and overflow tier, the PTU base is searched along the deployable grid.
//!
//! A share `s` in batch leaves `(1 − s)` of every minute; what spills over `C` normalized TPM
//! from the scaled minutes is `(1 − s)` × the spill of the whole minutes over `C ÷ (1 − s)`,
//! so one sorted [`Spill`] per overflow tier answers every share.

use serde::Serialize;

use super::tiered::{self, PriorityBill};
use super::{HybridBase, MinuteCost, Month, PtuGrid, Spill, Term};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::rounding::{cents, deployable_ptu, snap};
use crate::calc::service_tier::{LatencyClass, ServiceTier};
use crate::catalog::Model;
use crate::note::{CostNote, Note, NoteCode};

/// One mix. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MixChoice {
    /// The mix in words, e.g. `60 PTU (1-year) + priority + 20% batch`.
    pub label: MixLabel,
    /// PTUs in the base (0: none).
    pub ptu: u64,
    /// How the PTUs are paid for (null without PTUs).
    pub term: Option<Term>,
    /// The tier that serves what the PTUs cannot (null: the PTUs serve everything).
    pub overflow: Option<ServiceTier>,
    /// Share of the load sent to batch.
    pub batch_share: f64,
    /// Monthly cost.
    pub monthly_usd: f64,
    /// The PTUs' part.
    pub ptu_usd: f64,
    /// The overflow tier's part.
    pub overflow_usd: f64,
    /// The batch part.
    pub batch_usd: f64,
    /// Share of all the load's normalized tokens the overflow tier serves.
    pub overflow_share: f64,
    /// Share of the overflow's tokens its tier does not serve itself: priority's ramp and
    /// long-prompt rules, flex's retries on standard.
    pub downgraded_share: f64,
    /// Average utilization of the PTUs (null without PTUs).
    pub utilization: Option<f64>,
}

/// What a mix is made of, for its name; `render::prose::cost` writes the words, e.g.
/// `60 PTU (1-year) + priority + 20% batch` (JSON: a string).
#[derive(Debug, Clone, PartialEq)]
pub struct MixLabel {
    /// PTUs in the base.
    pub ptu: u64,
    /// How they are paid for (None: no PTUs).
    pub term: Option<Term>,
    /// The tier that serves what the PTUs cannot (None: none serves anything).
    pub overflow: Option<ServiceTier>,
    /// Share of the load sent to batch.
    pub batch_share: f64,
}

/// Where a PTU stops paying for itself. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MixBreakEven {
    /// How the PTU is paid for.
    pub term: Term,
    /// The tier it is compared with.
    pub versus: ServiceTier,
    /// Average utilization above which one more PTU on this term costs less than serving its
    /// tokens on `versus` (above 1: never).
    pub utilization: f64,
}

/// The cheapest mix and the runner-up. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Mix {
    /// The latency class the mix meets.
    pub latency: LatencyClass,
    /// The overflow tiers considered (allowed by the class and priced).
    pub overflow_tiers: Vec<ServiceTier>,
    /// The largest batch share considered (0: no batch).
    pub batch_share_max: f64,
    /// The cheapest mix.
    pub chosen: MixChoice,
    /// The cheapest mix of another shape (another overflow tier, or with/without PTUs or
    /// batch); null when there is none.
    pub runner_up: Option<MixChoice>,
    /// For each term and tier considered, the utilization where a PTU breaks even.
    pub break_even: Vec<MixBreakEven>,
    /// How the mix was found and what it assumes.
    pub notes: Vec<Note>,
}

/// An overflow tier's per-minute costs, sorted for [`Spill`].
struct Overflow {
    tier: Option<ServiceTier>,
    spill: Spill,
    /// Cost per normalized token over the whole load.
    rate: Option<f64>,
}

/// A candidate before the exact adjustments.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    share: f64,
    ptu: u64,
    term: Term,
    tier: usize,
    usd: f64,
}

/// The cheapest mix for `latency` over the whole `load` (before any `--batch-share`).
pub(super) fn cheapest(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    base: &HybridBase,
    latency: LatencyClass,
) -> Mix {
    let settings = month.settings;
    let scale = base.scale;
    let overflows = overflows(model, load, month, latency);
    let (batch_max, mut notes) = batch_share_max(load, month, latency);
    let batch_total = match &settings.tiers.batch {
        Ok(batch) => load.total().payg_usd(&batch.price.tokens()) * scale,
        Err(_) => 0.0,
    };
    let space = Space {
        model,
        load,
        month,
        base,
        overflows: &overflows,
        batch_total,
    };
    let best = search(&space, batch_max);
    let mut choices: Vec<(Candidate, MixChoice)> = best
        .iter()
        .map(|c| (*c, choice(model, load, month, &overflows, batch_total, *c)))
        .collect();
    // Under interactive, priority that its rules mostly serve as standard gives no latency
    // target: as for the single option, such a mix is left out.
    if latency == LatencyClass::Interactive {
        choices.retain(|(_, m)| {
            m.overflow != Some(ServiceTier::Priority) || m.downgraded_share <= 0.5
        });
    }
    choices.sort_by(|a, b| a.1.monthly_usd.total_cmp(&b.1.monthly_usd));
    let chosen = choices.first().cloned().expect("every class allows PTUs");
    let runner_up = choices
        .iter()
        .find(|(c, _)| shape(c) != shape(&chosen.0))
        .map(|(_, m)| m.clone());
    let chosen = chosen.1;
    notes.extend(mix_notes(&chosen, latency, load));
    Mix {
        latency,
        overflow_tiers: overflows.iter().filter_map(|o| o.tier).collect(),
        batch_share_max: batch_max,
        break_even: break_evens(
            month,
            &overflows,
            if batch_max > 0.0 { batch_total } else { 0.0 },
            load,
            model,
        ),
        chosen,
        runner_up,
        notes,
    }
}

/// What the search runs over.
struct Space<'a> {
    model: &'a Model,
    load: &'a LoadCurve,
    month: &'a Month<'a>,
    base: &'a HybridBase<'a>,
    overflows: &'a [Overflow],
    /// The whole load's month at batch prices.
    batch_total: f64,
}

/// The cheapest candidate of each shape: for every batch share up to `batch_max`, term and
/// overflow tier, the PTU bases along the deployable grid.
fn search(space: &Space, batch_max: f64) -> Vec<Candidate> {
    let (month, base) = (space.month, space.base);
    let settings = month.settings;
    let busiest = space
        .load
        .minutes
        .iter()
        .map(|m| m.normalized(space.model))
        .fold(0.0, f64::max);
    let full_ptu = |share: f64| {
        deployable_ptu(
            snap(busiest * (1.0 - share) / month.tpm_per_ptu / settings.target_utilization),
            base.grid.min_ptu,
            base.grid.increment,
        )
    };
    let mut best: Vec<Candidate> = Vec::new();
    let grid = PtuGrid::new(base.grid.min_ptu, base.grid.increment, base.most);
    for share in shares(batch_max) {
        let kept = 1.0 - share;
        for term in [Term::Hourly, Term::OneMonth, Term::OneYear] {
            let per_ptu = settings.ptu_rates.per_ptu_month(term, month.hours);
            for (tier, overflow) in space.overflows.iter().enumerate() {
                let spills = |ptu: u64| {
                    kept > 0.0
                        && overflow.tier.is_some()
                        && overflow.spill.over(ptu as f64 * month.tpm_per_ptu / kept).1 > 0.0
                };
                let cost = |ptu: u64| {
                    let spilled = if kept > 0.0 {
                        kept * overflow.spill.over(ptu as f64 * month.tpm_per_ptu / kept).0
                    } else {
                        0.0
                    };
                    ptu as f64 * per_ptu + spilled * base.scale + share * space.batch_total
                };
                // The best base; the best that still overflows, the best with PTUs, and the best
                // with PTUs that overflows (the cost is convex along the grid, so infinity on
                // the points left out keeps it one valley); and no base at all: the cheapest of
                // each shape.
                let only = |keep: &dyn Fn(u64) -> bool| {
                    grid.cheapest(|p| if keep(p) { cost(p) } else { f64::INFINITY })
                };
                let bases = match overflow.tier {
                    Some(_) => vec![
                        grid.cheapest(cost),
                        only(&spills),
                        only(&|p| p > 0),
                        only(&|p| p > 0 && spills(p)),
                        0,
                    ],
                    None if kept > 0.0 => vec![full_ptu(share)],
                    None => vec![0],
                };
                for ptu in bases {
                    // A tier that serves nothing does not make another shape.
                    let tier = if spills(ptu) { tier } else { 0 };
                    let candidate = Candidate {
                        share,
                        ptu,
                        term,
                        tier,
                        usd: cost(ptu),
                    };
                    keep_best(&mut best, candidate, settings.batch_share);
                }
            }
        }
    }
    best
}

/// The batch shares tried: 0 to `most` in 1% steps, and `most` itself.
fn shares(most: f64) -> Vec<f64> {
    let steps = (most * 100.0 + 1e-9).floor() as u32;
    let mut shares: Vec<f64> = (0..=steps).map(|k| f64::from(k) / 100.0).collect();
    if shares.last().is_some_and(|&s| s < most - 1e-12) {
        shares.push(most);
    }
    shares
}

/// A mix's shape: with PTUs or not, the overflow tier, with batch or not.
fn shape(c: &Candidate) -> (bool, usize, bool) {
    (c.ptu > 0, c.tier, c.share > 0.0)
}

/// Keeps the cheapest candidate of each shape (the term is the cheapest one's), and apart
/// from it the cheapest at the given batch share: the search prices priority without its ramp
/// limit, so the exact prices, which are lower, may rank those two the other way.
fn keep_best(best: &mut Vec<Candidate>, candidate: Candidate, given_share: f64) {
    let key = |c: &Candidate| (shape(c), c.share == given_share);
    match best.iter_mut().find(|b| key(b) == key(&candidate)) {
        Some(b) if candidate.usd < b.usd - 1e-9 => *b = candidate,
        Some(_) => {}
        None => best.push(candidate),
    }
}

/// The overflow tiers the class allows and the catalog prices; PTUs alone when none.
fn overflows(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    latency: LatencyClass,
) -> Vec<Overflow> {
    let settings = month.settings;
    let tiers = &settings.tiers;
    let standard = settings.token_prices;
    let per_minute = |usd: &dyn Fn(&MinuteLoad) -> f64| -> Vec<MinuteCost> {
        load.minutes
            .iter()
            .map(|m| MinuteCost {
                normalized: m.normalized(model),
                usd: usd(m),
            })
            .collect()
    };
    let mut out = vec![Overflow {
        tier: None,
        spill: Spill::new(&[]),
        rate: None,
    }];
    let mut add = |tier, minutes: Vec<MinuteCost>| {
        let normalized: f64 = minutes.iter().map(|m| m.normalized).sum();
        let usd: f64 = minutes.iter().map(|m| m.usd).sum();
        out.push(Overflow {
            tier: Some(tier),
            spill: Spill::new(&minutes),
            rate: (normalized > 0.0).then(|| usd / normalized),
        });
    };
    if latency.allows(ServiceTier::Standard) {
        add(
            ServiceTier::Standard,
            per_minute(&|m| m.payg_usd(&standard)),
        );
    }
    if let Ok(priority) = &tiers.priority {
        let prices = priority.price.tokens();
        add(ServiceTier::Priority, per_minute(&|m| m.payg_usd(&prices)));
    }
    if let (Ok(flex), true) = (&tiers.flex, latency.allows(ServiceTier::Flex)) {
        let prices = flex.tokens();
        let a = settings.flex_availability;
        add(
            ServiceTier::Flex,
            per_minute(&|m| a * m.payg_usd(&prices) + (1.0 - a) * m.payg_usd(&standard)),
        );
    }
    out
}

/// The largest batch share the mix may use: the `--batch-share` (whose fit to the quota the
/// batch check reports); when the class is deferrable, as much of the load as fits the
/// enqueued-token quota in a day, if that is more.
fn batch_share_max(load: &LoadCurve, month: &Month, latency: LatencyClass) -> (f64, Vec<Note>) {
    let settings = month.settings;
    let Ok(batch) = &settings.tiers.batch else {
        return (0.0, Vec::new());
    };
    let wanted = if latency == LatencyClass::Deferrable {
        1.0
    } else {
        settings.batch_share
    };
    if wanted == 0.0 {
        return (0.0, Vec::new());
    }
    let days = month.hours / 24.0;
    let daily_prompt = load.total().prompt * month.month_minutes / load.span_minutes / days;
    let fits = match &batch.limit {
        Some(limit) if daily_prompt > 0.0 => (limit.enqueued_tokens as f64 / daily_prompt).min(1.0),
        Some(_) => 1.0,
        None => 0.0,
    };
    if fits >= wanted {
        return (wanted, Vec::new());
    }
    // To 0.01% (a quota that takes less than 1% still takes something).
    let most = snap((fits * 10_000.0).floor() / 10_000.0);
    let note = Note::of(
        NoteCode::BatchQuota,
        CostNote::MixBatchCapped {
            most,
            wanted,
            subscription: settings.subscription,
            source: batch
                .limit
                .as_ref()
                .map_or_else(|| "S61".to_string(), |l| l.source.clone()),
        },
    );
    (most, vec![note])
}

/// A candidate priced exactly: the overflow's share, and priority's ramp and long-prompt rules
/// on the minutes that overflow.
fn choice(
    model: &Model,
    load: &LoadCurve,
    month: &Month,
    overflows: &[Overflow],
    batch_total: f64,
    c: Candidate,
) -> MixChoice {
    let settings = month.settings;
    let scale = month.month_minutes / load.span_minutes;
    let kept = 1.0 - c.share;
    let capacity = c.ptu as f64 * month.tpm_per_ptu;
    let overflow = &overflows[c.tier];
    let spilled: Vec<MinuteLoad> = load
        .minutes
        .iter()
        .map(|m| {
            let n = m.normalized(model) * kept;
            let part = if n > capacity && overflow.tier.is_some() {
                kept * (n - capacity) / n
            } else {
                0.0
            };
            scaled(m, part)
        })
        .collect();
    let spilled_normalized: f64 = spilled.iter().map(|m| m.normalized(model)).sum();
    let whole: f64 = load.minutes.iter().map(|m| m.normalized(model)).sum();
    let normalized = whole * kept;
    let (overflow_usd, downgraded) = overflow_cost(load, month, overflow.tier, &spilled);
    let ptu_usd = if c.ptu > 0 {
        c.ptu as f64 * settings.ptu_rates.per_ptu_month(c.term, month.hours)
    } else {
        0.0
    };
    let batch_usd = c.share * batch_total;
    let used = normalized - spilled_normalized;
    let term = (c.ptu > 0).then_some(c.term);
    let tier = overflow.tier.filter(|_| spilled_normalized > 0.0);
    MixChoice {
        label: MixLabel {
            ptu: c.ptu,
            term,
            overflow: tier,
            batch_share: c.share,
        },
        ptu: c.ptu,
        term,
        overflow: tier,
        batch_share: c.share,
        monthly_usd: cents(ptu_usd + overflow_usd * scale + batch_usd),
        ptu_usd: cents(ptu_usd),
        overflow_usd: cents(overflow_usd * scale),
        batch_usd: cents(batch_usd),
        overflow_share: tiered::share(spilled_normalized, whole),
        downgraded_share: downgraded,
        utilization: (c.ptu > 0).then(|| tiered::share(used, capacity * load.span_minutes)),
    }
}

/// A minute's load times `factor`.
fn scaled(m: &MinuteLoad, factor: f64) -> MinuteLoad {
    MinuteLoad {
        requests: m.requests * factor,
        prompt: m.prompt * factor,
        cached: m.cached * factor,
        completion: m.completion * factor,
    }
}

/// What the overflow minutes cost on their tier (not scaled to the month), and the share of
/// their tokens the tier does not serve itself.
fn overflow_cost(
    load: &LoadCurve,
    month: &Month,
    tier: Option<ServiceTier>,
    spilled: &[MinuteLoad],
) -> (f64, f64) {
    let settings = month.settings;
    let standard = settings.token_prices;
    let tokens: f64 = spilled.iter().map(MinuteLoad::tokens).sum();
    match (tier, &settings.tiers.priority, &settings.tiers.flex) {
        (Some(ServiceTier::Priority), Ok(setup), _) => {
            let ramp = tiered::ramp_applies(load);
            let bill: PriorityBill =
                tiered::priority_bill(spilled, &|i| load.offset(i), ramp, setup, &standard);
            (bill.usd, tiered::share(bill.downgraded, bill.tokens))
        }
        (Some(ServiceTier::Flex), _, Ok(flex)) => {
            let a = settings.flex_availability;
            let usd = tiered::flex_usd(spilled, &flex.tokens(), &standard, a);
            (usd, if tokens > 0.0 { 1.0 - a } else { 0.0 })
        }
        (Some(_), _, _) => (spilled.iter().map(|m| m.payg_usd(&standard)).sum(), 0.0),
        (None, _, _) => (0.0, 0.0),
    }
}

/// Where one more PTU on each term pays for itself against each tier the mix may use.
fn break_evens(
    month: &Month,
    overflows: &[Overflow],
    batch_total: f64,
    load: &LoadCurve,
    model: &Model,
) -> Vec<MixBreakEven> {
    let settings = month.settings;
    let normalized_month: f64 = load
        .minutes
        .iter()
        .map(|m| m.normalized(model))
        .sum::<f64>()
        * month.month_minutes
        / load.span_minutes;
    let batch_rate = (batch_total > 0.0 && normalized_month > 0.0)
        .then(|| (ServiceTier::Batch, batch_total / normalized_month));
    // A free tier has no break-even: nothing costs less than it.
    let rates = overflows
        .iter()
        .filter_map(|o| Some((o.tier?, o.rate?)))
        .chain(batch_rate)
        .filter(|(_, rate)| *rate > 0.0);
    let ptu_month_tokens = month.tpm_per_ptu * month.month_minutes;
    let mut out = Vec::new();
    for (versus, rate) in rates {
        for term in [Term::Hourly, Term::OneMonth, Term::OneYear] {
            let per_ptu = settings.ptu_rates.per_ptu_month(term, month.hours);
            out.push(MixBreakEven {
                term,
                versus,
                utilization: snap(per_ptu / (ptu_month_tokens * rate)),
            });
        }
    }
    out
}

/// What the chosen mix assumes.
fn mix_notes(chosen: &MixChoice, latency: LatencyClass, load: &LoadCurve) -> Vec<Note> {
    let tiers = match latency {
        LatencyClass::Interactive => CostNote::InteractiveMix,
        LatencyClass::Relaxed => CostNote::RelaxedMix,
        LatencyClass::Deferrable => CostNote::DeferrableMix,
    };
    let mut notes = vec![Note::of(NoteCode::ServiceTier, tiers)];
    if chosen.overflow == Some(ServiceTier::Priority) && chosen.downgraded_share > 0.0 {
        notes.push(Note::of(
            NoteCode::PriorityDowngrade,
            CostNote::MixRampDowngraded {
                share: chosen.downgraded_share,
            },
        ));
    }
    if chosen.overflow == Some(ServiceTier::Priority) && !tiered::ramp_applies(load) {
        notes.push(Note::of(
            NoteCode::PriorityDowngrade,
            CostNote::MixRampNotJudged,
        ));
    }
    notes
}
