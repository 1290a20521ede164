//! Pending completion corrections of the leaky bucket, summed by due time.
//!
//! Every correction lowers the level (actual ≤ estimate, as completion ≤ `max_tokens`), and so
//! does draining; the level is only ever clamped at 0. Lowering-and-clamping steps compose by
//! adding their amounts — max(max(L − a, 0) − b, 0) = max(L − a − b, 0) for a, b ≥ 0 — so
//! the bucket needs, before each attempt, only the *sum* of the corrections that fell due since
//! the last one, in any order.
//!
//! So this is the timing wheel of [`super::queue`] cut down to what a sum needs, with no
//! sorting and no sequence numbers (ties need no order):
//! - a ring of ≈ 16 ms slots (2^14 µs, 1,024 of them: a ≈ 16.8 s horizon) holds unsorted
//!   `(time, delta)` pairs, 16 bytes each; a slot wholly before a query's time is summed as
//!   it is;
//! - the slot holding the queries' times (the current one) is spread into 16 sub-slots of
//!   ≈ 1 ms, so a query sums whole sub-slots before its time and compares times only in its
//!   own sub-slot, about one correction;
//! - corrections beyond the horizon wait in a heap.
//!
//! Buffers are cleared, never freed, so a steady state allocates nothing; bitmaps of occupied
//! slots and sub-slots let queries skip empty ones.
//!
//! Chosen by measurement: the simulation core on `benches/simulate.sh`'s 3M-request trace
//! (`benches/sim_trace.rs`, best of 5 interleaved runs, release, this 2-core machine) took
//! 0.124 s before it (corrections in a [`super::queue::EventQueue`], each slot sorted, one
//! bucket update, with a division, per correction), 0.105 s with this queue's current slot sorted rather than spread,
//! and 0.087 s as it is: spreading has no branches to mispredict, sorting has many.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::sim::queue::Occupancy;

/// Slot width: 2^14 µs ≈ 16.4 ms.
const SLOT_SHIFT: u32 = 14;
/// Slots in the ring: 2^10.
const LOG_SLOTS: u32 = 10;
/// Sub-slots per slot: 2^4.
const SUB_BITS: u32 = 4;

/// A pending correction.
#[derive(Debug, Clone, Copy)]
struct Pending {
    time: u64,
    delta: f64,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    /// By due time only.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.time.cmp(&other.time)
    }
}

/// Corrections (`f64` deltas) keyed by due time in µs, taken as sums; slots of 2^`SHIFT` µs
/// (at least 2^4), 2^`LOG` slots in the ring.
#[derive(Debug)]
pub struct Corrections<const SHIFT: u32 = SLOT_SHIFT, const LOG: u32 = LOG_SLOTS> {
    /// Current slot (time >> SHIFT): every correction of an earlier slot has been taken.
    cursor: u64,
    /// The current slot's corrections by sub-slot (time bits `SHIFT − 4 .. SHIFT`); one due
    /// before the current slot waits in sub-slot 0.
    sub: Vec<Vec<Pending>>,
    /// One bit per sub-slot: set when it holds corrections.
    sub_occupied: u32,
    /// Earliest time in each sub-slot (`u64::MAX` when empty).
    sub_min: [u64; 1 << SUB_BITS],
    /// Corrections of slots `cursor + 1 ..= cursor + 2^LOG − 1`, at index `slot mod 2^LOG`.
    wheel: Vec<Vec<Pending>>,
    /// Which wheel slots hold corrections.
    occupied: Occupancy,
    in_wheel: usize,
    /// Corrections of slots `≥ cursor + 2^LOG` (as of when they were pushed).
    far: BinaryHeap<Reverse<Pending>>,
}

impl<const SHIFT: u32, const LOG: u32> Default for Corrections<SHIFT, LOG> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const SHIFT: u32, const LOG: u32> Corrections<SHIFT, LOG> {
    const SLOTS: u64 = 1 << LOG;
    const MASK: u64 = Self::SLOTS - 1;
    const SUB_SHIFT: u32 = SHIFT - SUB_BITS;
    const SUB_MASK: u64 = (1 << SUB_BITS) - 1;

    /// No correction pending, at time 0.
    pub fn new() -> Self {
        Corrections {
            cursor: 0,
            sub: (0..1 << SUB_BITS).map(|_| Vec::new()).collect(),
            sub_occupied: 0,
            sub_min: [u64::MAX; 1 << SUB_BITS],
            wheel: (0..Self::SLOTS).map(|_| Vec::new()).collect(),
            occupied: Occupancy::new(Self::SLOTS as usize),
            in_wheel: 0,
            far: BinaryHeap::new(),
        }
    }

    /// Number of pending corrections.
    pub fn len(&self) -> usize {
        self.sub.iter().map(Vec::len).sum::<usize>() + self.in_wheel + self.far.len()
    }

    /// Whether no correction is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `delta` due at `time` µs. A time before the current slot is due at the next
    /// query.
    #[inline]
    pub fn push(&mut self, time: u64, delta: f64) {
        let pending = Pending { time, delta };
        let slot = time >> SHIFT;
        if slot > self.cursor && slot - self.cursor < Self::SLOTS {
            let i = (slot & Self::MASK) as usize;
            self.wheel[i].push(pending);
            self.occupied.set(i);
            self.in_wheel += 1;
        } else if slot > self.cursor {
            self.far.push(Reverse(pending));
        } else {
            self.push_current(pending);
        }
    }

    /// Files a correction of the current slot (or an earlier one) in its sub-slot.
    #[inline]
    fn push_current(&mut self, pending: Pending) {
        let k = if pending.time >> SHIFT < self.cursor {
            0
        } else {
            ((pending.time >> Self::SUB_SHIFT) & Self::SUB_MASK) as usize
        };
        self.sub[k].push(pending);
        self.sub_occupied |= 1 << k;
        self.sub_min[k] = self.sub_min[k].min(pending.time);
    }

    /// Removes the corrections due at or before `limit` and returns their sum (0 when none);
    /// `limit` must not decrease from one call to the next.
    #[inline(always)]
    pub fn take_due(&mut self, limit: u64) -> f64 {
        if limit >> SHIFT != self.cursor {
            return self.take_due_later_slot(limit);
        }
        // Whole sub-slots before `limit`'s, and whether anything in its own is due.
        let own = ((limit >> Self::SUB_SHIFT) & Self::SUB_MASK) as usize;
        let whole = self.sub_occupied & ((1 << own) - 1);
        let own_due = self.sub_min[own] <= limit;
        if whole == 0 && !own_due {
            return 0.0;
        }
        let mut sum = self.take_whole_sub_slots(whole);
        if own_due {
            sum += self.take_from_sub_slot(own, limit);
        }
        sum
    }

    /// Empties the sub-slots of bitmap `bits`; returns the sum of their corrections.
    #[inline(never)]
    fn take_whole_sub_slots(&mut self, mut bits: u32) -> f64 {
        let mut sum = 0.0;
        while bits != 0 {
            let k = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            sum += self.sub[k].iter().map(|p| p.delta).sum::<f64>();
            self.sub[k].clear();
            self.sub_min[k] = u64::MAX;
            self.sub_occupied &= !(1 << k);
        }
        sum
    }

    /// Removes the corrections of sub-slot `k` due by `limit`; returns their sum.
    #[inline(never)]
    fn take_from_sub_slot(&mut self, k: usize, limit: u64) -> f64 {
        let sub = &mut self.sub[k];
        let mut sum = 0.0;
        let mut earliest = u64::MAX;
        let mut i = 0;
        while i < sub.len() {
            let p = sub[i];
            if p.time <= limit {
                sum += p.delta;
                sub.swap_remove(i);
            } else {
                earliest = earliest.min(p.time);
                i += 1;
            }
        }
        self.sub_min[k] = earliest;
        if sub.is_empty() {
            self.sub_occupied &= !(1 << k);
        }
        sum
    }

    /// A query past the current slot: takes what is left of it, sums the wheel's slots before
    /// `limit`'s, and makes `limit`'s slot the current one.
    #[inline(never)]
    fn take_due_later_slot(&mut self, limit: u64) -> f64 {
        let last = limit >> SHIFT;
        let mut sum = 0.0;
        if self.sub_occupied != 0 {
            sum += self.take_whole_sub_slots(self.sub_occupied);
        }
        while let Some(next) = self.next_slot().filter(|&s| s < last) {
            self.move_to(next);
            let i = (next & Self::MASK) as usize;
            let slot = &mut self.wheel[i];
            sum += slot.iter().map(|p| p.delta).sum::<f64>();
            self.in_wheel -= slot.len();
            slot.clear();
            self.occupied.clear(i);
        }
        self.move_to(last);
        // Spread `last`'s corrections (the wheel's and any just brought from far) into
        // sub-slots.
        let i = (last & Self::MASK) as usize;
        if self.occupied.is_set(i) {
            self.occupied.clear(i);
            let mut slot = std::mem::take(&mut self.wheel[i]);
            self.in_wheel -= slot.len();
            for pending in slot.drain(..) {
                self.push_current(pending);
            }
            self.wheel[i] = slot;
        }
        sum + self.take_due(limit)
    }

    /// The first slot after the cursor holding corrections, in the wheel or far.
    fn next_slot(&self) -> Option<u64> {
        let far = self.far.peek().map(|p| p.0.time >> SHIFT);
        match (self.next_occupied(), far) {
            (Some(w), Some(f)) => Some(w.min(f)),
            (w, f) => w.or(f),
        }
    }

    /// Moves the cursor forward to `slot` and brings far corrections within the horizon into
    /// the wheel (those of `slot` itself too: the caller takes them from there).
    fn move_to(&mut self, slot: u64) {
        self.cursor = self.cursor.max(slot);
        while let Some(Reverse(top)) = self.far.peek() {
            let far_slot = top.time >> SHIFT;
            if far_slot >= self.cursor + Self::SLOTS {
                break;
            }
            let pending = *top;
            self.far.pop();
            let i = (far_slot & Self::MASK) as usize;
            self.wheel[i].push(pending);
            self.occupied.set(i);
            self.in_wheel += 1;
        }
    }

    /// First occupied wheel slot after the cursor, as an absolute slot number.
    fn next_occupied(&self) -> Option<u64> {
        if self.in_wheel == 0 {
            return None;
        }
        self.occupied.first_after(self.cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sums_what_is_due() {
        let mut c: Corrections = Corrections::new();
        c.push(5_000, -1.0);
        c.push(2_000, -2.0);
        c.push(5_001, -4.0); // same slot as 5,000, due later
        c.push(60_000_000, -8.0); // beyond the horizon
        assert_eq!(c.len(), 4);
        assert_eq!(c.take_due(1_999), 0.0);
        assert_eq!(c.take_due(5_000), -3.0);
        assert_eq!(c.take_due(5_000), 0.0);
        c.push(4_000, -16.0); // already past: due at the next query
        assert_eq!(c.take_due(5_000), -16.0);
        assert_eq!(c.take_due(59_999_999), -4.0);
        assert_eq!(c.take_due(60_000_000), -8.0);
        assert!(c.is_empty());
        assert_eq!(c.take_due(u64::MAX), 0.0);
    }

    proptest! {
        /// Every query returns the sum of the corrections pushed and due by its limit, for
        /// any interleaving, with the default geometry and a tiny one (16 µs slots, 8 of them)
        /// that wraps and overflows all the time. Deltas are small integers, so any order of
        /// summation is exact.
        #[test]
        fn sums_match_a_list(ops in prop::collection::vec(
            (0u8..4, any::<u64>(), 0u64..100_000, -100i32..=0), 1..400)) {
            fn check<const S: u32, const L: u32>(
                ops: &[(u8, u64, u64, i32)],
                horizon: u64,
            ) -> Result<(), TestCaseError> {
                let mut queue: Corrections<S, L> = Corrections::new();
                let mut pending: Vec<(u64, f64)> = Vec::new();
                let mut now = 0u64;
                for &(op, far, near, delta) in ops {
                    let delta = f64::from(delta);
                    let at = match op {
                        0 => Some(now + far % (3 * horizon)),
                        1 => Some(now + near % (horizon / 4).max(2)),
                        2 => Some(now.saturating_sub(near)),
                        _ => None,
                    };
                    if let Some(at) = at {
                        queue.push(at, delta);
                        pending.push((at, delta));
                        continue;
                    }
                    now += near * near % horizon;
                    let due: f64 = pending.iter().filter(|p| p.0 <= now).map(|p| p.1).sum();
                    pending.retain(|p| p.0 > now);
                    prop_assert_eq!(queue.take_due(now), due);
                    prop_assert_eq!(queue.len(), pending.len());
                }
                let rest: f64 = pending.iter().map(|p| p.1).sum();
                prop_assert_eq!(queue.take_due(u64::MAX), rest);
                prop_assert!(queue.is_empty());
                Ok(())
            }
            check::<SLOT_SHIFT, LOG_SLOTS>(&ops, 1 << (SLOT_SHIFT + LOG_SLOTS))?;
            check::<4, 3>(&ops, 16 * 8)?;
            check::<5, 2>(&ops, 32 * 4)?;
        }
    }
}
