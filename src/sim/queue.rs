//! The future-event queue: a ring-buffer timing wheel of ≈ 16 ms slots (2^14 µs, 1,024 of
//! them) with an overflow heap for events beyond its ≈ 16.8 s horizon.
//!
//! Events pop in order of `(time, sequence)`, the sequence being the order they were pushed, so
//! events at equal times come out first-in first-out and a run is deterministic. A push appends
//! to its slot's `Vec`; when the cursor reaches a slot, its few events are sorted (insertion
//! sort) and popped from the end, and events pushed into the current slot meanwhile wait in a
//! small heap. Slot buffers are kept (up to a few thousand events each), so a steady state
//! allocates nothing; a
//! bitmap of occupied slots lets the cursor skip empty ones.
//!
//! Chosen by measurement (`bench_queue` below, release, this 2-core AMD EPYC machine, the
//! engine's load of ≈ 6,000 pending completions, 32-byte events): a binary heap costs ≈ 70 ns
//! per push + pop, a wheel of 1 ms slots × 65,536 ≈ 65–125 ns (every slot's buffer is a cache
//! miss), wheels of 4–16 ms slots ≈ 27–30 ns. In the whole simulation (cachegrind, 1 M
//! requests, 1 MiB L2) 16 ms slots miss L2 115 k times against 1.2 M for 4 ms × 8,192 for
//! 2.6 % more instructions (sorting ≈ 16 events per slot); 32 ms slots trade a little further.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Slot width of the default queue: 2^14 µs ≈ 16.4 ms.
pub const SLOT_SHIFT: u32 = 14;
/// Slots in the default queue's ring: 2^10.
pub const LOG_SLOTS: u32 = 10;
/// Events further ahead than this from the current slot wait in the overflow heap (≈ 16.8 s
/// for the default queue).
pub const HORIZON_US: u64 = 1 << (SLOT_SHIFT + LOG_SLOTS);

/// Room a slot's buffer keeps after it is emptied, in events (slots normally hold a few dozen).
const RETAINED_SLOT_CAPACITY: usize = 4096;

/// One queued event; ordered so that a `BinaryHeap` pops the earliest `(time, seq)` first.
#[derive(Debug, Clone, Copy)]
struct Entry<T> {
    time: u64,
    seq: u64,
    item: T,
}

impl<T> Entry<T> {
    #[inline]
    fn key(&self) -> (u64, u64) {
        (self.time, self.seq)
    }
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the max-heap's top is the earliest event.
        other.key().cmp(&self.key())
    }
}

/// Timing-wheel priority queue of `Copy` events keyed by time in µs, with slots of
/// 2^`SHIFT` µs and 2^`LOG` slots in the ring.
#[derive(Debug)]
pub struct EventQueue<T: Copy, const SHIFT: u32 = SLOT_SHIFT, const LOG: u32 = LOG_SLOTS> {
    /// Current slot (time >> SHIFT); every event of an earlier slot has been popped.
    cursor: u64,
    /// Events of the current slot as it was entered, sorted latest first (pop from the end).
    current: Vec<Entry<T>>,
    /// Scratch for sorting a slot: (time within the slot << 32) | index in the slot.
    keys: Vec<u64>,
    /// Events pushed into the current slot (or before it) after it was entered.
    late: BinaryHeap<Entry<T>>,
    /// Events of slots `cursor + 1 ..= cursor + 2^LOG − 1`, at index `slot mod 2^LOG`.
    wheel: Vec<Vec<Entry<T>>>,
    /// Which wheel slots hold events.
    occupied: Occupancy,
    in_wheel: usize,
    /// Events of slots `≥ cursor + 2^LOG` (as of when they were pushed).
    far: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T: Copy, const SHIFT: u32, const LOG: u32> Default for EventQueue<T, SHIFT, LOG> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy, const SHIFT: u32, const LOG: u32> EventQueue<T, SHIFT, LOG> {
    const SLOTS: u64 = 1 << LOG;
    const MASK: u64 = Self::SLOTS - 1;

    /// An empty queue at time 0.
    pub fn new() -> Self {
        EventQueue {
            cursor: 0,
            current: Vec::new(),
            keys: Vec::new(),
            late: BinaryHeap::new(),
            wheel: (0..Self::SLOTS).map(|_| Vec::new()).collect(),
            occupied: Occupancy::new(Self::SLOTS as usize),
            in_wheel: 0,
            far: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.current.len() + self.late.len() + self.in_wheel + self.far.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Schedules `item` at `time` µs. A time before the current slot is served as soon as
    /// possible (still in `(time, seq)` order among such events).
    #[inline]
    pub fn push(&mut self, time: u64, item: T) {
        let entry = Entry {
            time,
            seq: self.seq,
            item,
        };
        self.seq += 1;
        self.place(entry);
    }

    #[inline(always)]
    fn place(&mut self, entry: Entry<T>) {
        let slot = entry.time >> SHIFT;
        if slot > self.cursor && slot - self.cursor < Self::SLOTS {
            let i = (slot & Self::MASK) as usize;
            self.wheel[i].push(entry);
            self.occupied.set(i);
            self.in_wheel += 1;
        } else {
            self.place_outside_wheel(entry);
        }
    }

    /// The rare pushes: into the current slot, or beyond the horizon.
    #[inline(never)]
    fn place_outside_wheel(&mut self, entry: Entry<T>) {
        if entry.time >> SHIFT <= self.cursor {
            self.late.push(entry);
        } else {
            self.far.push(entry);
        }
    }

    /// Pops the earliest event if its time is ≤ `limit`, as `(time, item)`.
    #[inline(always)]
    pub fn pop_until(&mut self, limit: u64) -> Option<(u64, T)> {
        // The common case: nothing pushed late, the sorted current slot holds the next event.
        if self.late.is_empty()
            && let Some(&top) = self.current.last()
        {
            if top.time > limit {
                return None;
            }
            self.current.truncate(self.current.len() - 1);
            return Some((top.time, top.item));
        }
        self.pop_slow(limit)
    }

    /// [`Self::pop_until`] when events were pushed into the current slot or the slot is
    /// exhausted.
    #[inline(never)]
    fn pop_slow(&mut self, limit: u64) -> Option<(u64, T)> {
        loop {
            let late_key = self.late.peek().map(Entry::key);
            let from_current = self
                .current
                .last()
                .is_some_and(|c| late_key.is_none_or(|l| c.key() < l));
            let top = if from_current {
                self.current.last()
            } else {
                self.late.peek()
            };
            if let Some(top) = top {
                if top.time > limit {
                    return None;
                }
                let popped = if from_current {
                    self.current.pop()
                } else {
                    self.late.pop()
                };
                return popped.map(|e| (e.time, e.item));
            }
            if !self.advance(limit >> SHIFT) {
                return None;
            }
        }
    }

    /// With the current slot exhausted, moves the cursor to the next slot holding events, but
    /// not past `limit_slot`; `false` when no event is due by then.
    #[inline]
    fn advance(&mut self, limit_slot: u64) -> bool {
        if self.cursor >= limit_slot {
            return false;
        }
        let next_wheel = self.next_occupied();
        let next_far = self.far.peek().map(|e| e.time >> SHIFT);
        let next = match (next_wheel, next_far) {
            (Some(w), Some(f)) => w.min(f),
            (Some(w), None) => w,
            (None, Some(f)) => f,
            (None, None) => {
                self.cursor = limit_slot;
                return false;
            }
        };
        self.cursor = next.min(limit_slot);
        if next_wheel == Some(self.cursor) {
            let i = (self.cursor & Self::MASK) as usize;
            self.occupied.clear(i);
            let slot = &mut self.wheel[i];
            self.in_wheel -= slot.len();
            // A slot holds its events in push order: those brought from `far` (in time order,
            // ties in push order) come before any pushed straight into the slot. So sorting by
            // (time, index in the slot) sorts by (time, sequence). Sort 8-byte keys — the
            // time's low SHIFT bits and the index — then copy the events over, latest first:
            // cheaper than moving the events themselves while sorting.
            self.keys.clear();
            self.keys.extend(
                slot.iter()
                    .enumerate()
                    .map(|(k, e)| ((e.time & ((1 << SHIFT) - 1)) << 32) | k as u64),
            );
            self.keys.sort_unstable();
            // `current` is empty.
            self.current
                .extend(self.keys.iter().rev().map(|&key| slot[key as u32 as usize]));
            slot.clear();
            // A burst (a quota refusing everything, clients retrying together) can fill one
            // slot with millions of events; keep at most RETAINED_SLOT_CAPACITY of its room, or
            // every slot would keep its largest burst's memory for the rest of the run.
            if slot.capacity() > RETAINED_SLOT_CAPACITY {
                slot.shrink_to(RETAINED_SLOT_CAPACITY);
                self.keys.shrink_to(RETAINED_SLOT_CAPACITY);
            }
        }
        self.migrate_far();
        true
    }

    /// Moves overflow events that are now within the wheel's horizon into it.
    #[inline]
    fn migrate_far(&mut self) {
        while let Some(top) = self.far.peek() {
            if top.time >> SHIFT >= self.cursor + Self::SLOTS {
                break;
            }
            if let Some(entry) = self.far.pop() {
                self.place(entry);
            }
        }
    }

    /// First occupied wheel slot after the cursor, as an absolute slot number.
    #[inline]
    fn next_occupied(&self) -> Option<u64> {
        if self.in_wheel == 0 {
            return None;
        }
        self.occupied.first_after(self.cursor)
    }
}

/// One bit per ring slot of a timing wheel: set while the slot holds events.
#[derive(Debug)]
pub(crate) struct Occupancy {
    words: Vec<u64>,
    slots: usize,
}

impl Occupancy {
    /// All clear, for `slots` slots (a power of two).
    pub(crate) fn new(slots: usize) -> Self {
        debug_assert!(slots.is_power_of_two(), "{slots} slots");
        Occupancy {
            words: vec![0; slots.div_ceil(64)],
            slots,
        }
    }

    /// Marks slot `i` occupied.
    #[inline]
    pub(crate) fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Marks slot `i` empty.
    #[inline]
    pub(crate) fn clear(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    /// Whether slot `i` is occupied.
    #[inline]
    pub(crate) fn is_set(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// The first occupied absolute slot after `cursor` (at ring index slot mod the ring's
    /// size), scanning forward and wrapping around; `None` when all are empty.
    #[inline]
    pub(crate) fn first_after(&self, cursor: u64) -> Option<u64> {
        // The ring's size is a power of two: a mask, not a division.
        let start = (cursor + 1) as usize & (self.slots - 1);
        let ahead = self.next_from(start)?;
        Some(cursor + 1 + ahead as u64)
    }

    /// How many slots after `start` (a ring index) the first occupied one is, scanning
    /// forward and wrapping around; `None` when all are empty.
    fn next_from(&self, start: usize) -> Option<usize> {
        let (words, slots) = (self.words.len(), self.slots);
        let (w0, b0) = (start / 64, start % 64);
        // The first word, masked to bits at or after `start`.
        let first = self.words[w0] & (u64::MAX << b0);
        let index = if first != 0 {
            w0 * 64 + first.trailing_zeros() as usize
        } else {
            (1..=words).find_map(|k| {
                let w = (w0 + k) % words;
                let mut bits = self.words[w];
                if k == words {
                    // Back at the first word: only bits before `start`.
                    bits &= !(u64::MAX << b0);
                }
                (bits != 0).then(|| w * 64 + bits.trailing_zeros() as usize)
            })?
        };
        Some((index + slots - start) % slots)
    }
}

/// The same interface on a plain binary heap: the reference the wheel is tested against.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct HeapQueue<T: Copy> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

#[cfg(test)]
impl<T: Copy> HeapQueue<T> {
    /// Schedules `item` at `time`.
    pub fn push(&mut self, time: u64, item: T) {
        self.heap.push(Entry {
            time,
            seq: self.seq,
            item,
        });
        self.seq += 1;
    }

    /// Pops the earliest event with time ≤ `limit`.
    pub fn pop_until(&mut self, limit: u64) -> Option<(u64, T)> {
        if self.heap.peek()?.time > limit {
            return None;
        }
        self.heap.pop().map(|e| (e.time, e.item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pops_in_time_then_push_order() {
        let mut q: EventQueue<char> = EventQueue::new();
        q.push(50_000, 'a');
        q.push(1_500, 'b');
        q.push(50_000, 'c'); // same time as 'a', pushed later → after 'a'
        q.push(HORIZON_US * 3 + 7, 'd'); // overflow heap
        q.push(1_499, 'e'); // same slot as 'b', earlier
        assert_eq!(q.len(), 5);
        assert_eq!(q.pop_until(1_000), None);
        assert_eq!(q.pop_until(u64::MAX), Some((1_499, 'e')));
        q.push(1_499, 'f'); // into the current slot, after 'e' was popped
        assert_eq!(q.pop_until(u64::MAX), Some((1_499, 'f')));
        assert_eq!(q.pop_until(u64::MAX), Some((1_500, 'b')));
        assert_eq!(q.pop_until(49_999), None);
        assert_eq!(q.pop_until(50_000), Some((50_000, 'a')));
        assert_eq!(q.pop_until(50_000), Some((50_000, 'c')));
        assert_eq!(q.pop_until(HORIZON_US * 3), None);
        assert_eq!(q.pop_until(u64::MAX), Some((HORIZON_US * 3 + 7, 'd')));
        assert!(q.is_empty());
        assert_eq!(q.pop_until(u64::MAX), None);
    }

    /// The common interface of the wheel and the reference heap.
    trait Queue<T> {
        fn push(&mut self, time: u64, item: T);
        fn pop_until(&mut self, limit: u64) -> Option<(u64, T)>;
    }
    impl<T: Copy, const S: u32, const L: u32> Queue<T> for EventQueue<T, S, L> {
        fn push(&mut self, time: u64, item: T) {
            EventQueue::push(self, time, item);
        }
        fn pop_until(&mut self, limit: u64) -> Option<(u64, T)> {
            EventQueue::pop_until(self, limit)
        }
    }
    impl<T: Copy> Queue<T> for HeapQueue<T> {
        fn push(&mut self, time: u64, item: T) {
            HeapQueue::push(self, time, item);
        }
        fn pop_until(&mut self, limit: u64) -> Option<(u64, T)> {
            HeapQueue::pop_until(self, limit)
        }
    }

    /// Replays `ops` on `wheel` and a heap: pushes at, shortly after or far after "now" and
    /// pops up to a limit; both must pop the same events in the same order.
    fn same_as_heap(
        wheel: &mut impl Queue<u32>,
        ops: &[(u8, u64, u64)],
        horizon: u64,
    ) -> Result<(), TestCaseError> {
        let mut heap = HeapQueue::default();
        let mut now = 0u64;
        let mut id = 0u32;
        for &(op, far, near) in ops {
            let at = match op {
                0 => Some(now + far % (3 * horizon)),
                1 => Some(now + near % (horizon / 4).max(2)),
                2 => Some(now),
                _ => None,
            };
            if let Some(at) = at {
                wheel.push(at, id);
                heap.push(at, id);
                id += 1;
                continue;
            }
            let limit = now + near * near % horizon;
            loop {
                let (a, b) = (wheel.pop_until(limit), heap.pop_until(limit));
                prop_assert_eq!(a, b);
                if a.is_none() {
                    break;
                }
            }
            now = limit;
        }
        loop {
            let (a, b) = (wheel.pop_until(u64::MAX), heap.pop_until(u64::MAX));
            prop_assert_eq!(a, b);
            if a.is_none() {
                break;
            }
        }
        Ok(())
    }

    proptest! {
        /// The wheel pops exactly what a binary heap keyed by (time, push order) pops, for any
        /// interleaving of pushes and pops: with the default geometry and a tiny one (16 µs
        /// slots, 8 of them) that wraps and overflows all the time.
        #[test]
        fn wheel_matches_heap(ops in prop::collection::vec(
            (0u8..4, any::<u64>(), 0u64..100_000), 1..400)) {
            let mut wheel: EventQueue<u32> = EventQueue::new();
            same_as_heap(&mut wheel, &ops, HORIZON_US)?;
            prop_assert!(wheel.is_empty());
            let mut tiny: EventQueue<u32, 4, 3> = EventQueue::new();
            same_as_heap(&mut tiny, &ops, 16 * 8)?;
            prop_assert!(tiny.is_empty());
        }
    }

    /// The engine's load on the queue: events 1 ms apart, each scheduling a completion
    /// 0.5 s + up to 2 × 6 s later; pop everything due before the next arrival. Items are 32
    /// bytes, like the engine's events.
    fn churn(q: &mut impl Queue<[u64; 4]>, n: u32) -> u64 {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut sum = 0u64;
        for i in 0..n {
            let now = u64::from(i) * 1_000;
            while let Some((t, item)) = q.pop_until(now) {
                sum = sum.wrapping_add(t ^ item[0]);
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            q.push(now + 500_000 + x % 12_000_000, [u64::from(i); 4]);
        }
        sum
    }

    /// `cargo test --release --lib sim::queue -- --ignored --nocapture`
    #[test]
    #[ignore = "benchmark: run in release"]
    fn bench_queue() {
        let n = 5_000_000;
        let time = |name: &str, q: &mut dyn FnMut() -> u64| {
            let start = std::time::Instant::now();
            let sum = q();
            let ns = start.elapsed().as_secs_f64() * 1e9 / f64::from(n);
            eprintln!("{name}: {ns:.1} ns per push + pop ({sum})");
        };
        time("binary heap", &mut || churn(&mut HeapQueue::default(), n));
        time("wheel 1 ms × 65,536", &mut || {
            churn(&mut EventQueue::<[u64; 4], 10, 16>::new(), n)
        });
        time("wheel 4 ms × 4,096", &mut || {
            churn(&mut EventQueue::<[u64; 4], 12, 12>::new(), n)
        });
        time("wheel 4 ms × 8,192", &mut || {
            churn(&mut EventQueue::<[u64; 4], 12, 13>::new(), n)
        });
        time("wheel 8 ms × 2,048", &mut || {
            churn(&mut EventQueue::<[u64; 4], 13, 11>::new(), n)
        });
        time("wheel 16 ms × 1,024 (default)", &mut || {
            churn(&mut EventQueue::<[u64; 4]>::new(), n)
        });
        time("wheel 65 ms × 256", &mut || {
            churn(&mut EventQueue::<[u64; 4], 16, 8>::new(), n)
        });
    }
}
