//! Making requests on one thread while the simulation consumes them on another.
//!
//! Generating synthetic traffic (exponential gaps, log-normal sizes) costs about a third of
//! what simulating it does, so on a machine with two cores a producer thread makes the
//! requests in batches and the simulation runs on the caller's thread. Batches go through a
//! bounded channel (a few hundred kilobytes in flight) and come back empty to be refilled, so
//! the steady state allocates nothing. The order of requests, and so every result, is the same
//! as with one thread.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use indicatif::ProgressBar;

use crate::sim::Request;

/// Requests per batch: 8,192 × 24 bytes = 192 KiB.
const BATCH: usize = 8_192;
/// Full batches waiting for the simulation at most.
const IN_FLIGHT: usize = 4;

/// Runs `consume` on the requests of `requests`, made on a second thread that also shows each
/// one to `observe` (in order) before handing it over, and moves `progress` to the simulated
/// second of each batch handed over (cleared at the end).
pub(super) fn pipelined<I, O, T>(
    requests: I,
    mut observe: O,
    progress: &ProgressBar,
    consume: impl FnOnce(Batches) -> T,
) -> T
where
    I: Iterator<Item = Request> + Send,
    O: FnMut(&Request) + Send,
{
    let (full_tx, full_rx) = sync_channel(IN_FLIGHT);
    let (empty_tx, empty_rx) = sync_channel(IN_FLIGHT + 2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut first_us = None;
            for request in requests {
                observe(&request);
                batch.push(request);
                if batch.len() == BATCH {
                    let first_us = *first_us.get_or_insert(batch[0].at_us);
                    progress.set_position(request.at_us.saturating_sub(first_us) / 1_000_000);
                    if full_tx.send(batch).is_err() {
                        return; // The simulation stopped early (an error).
                    }
                    batch = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                }
            }
            if !batch.is_empty() {
                let _ = full_tx.send(batch);
            }
        });
        let result = consume(Batches {
            batch: Vec::new(),
            next: 0,
            full: full_rx,
            empty: empty_tx,
        });
        progress.finish_and_clear();
        result
    })
}

/// The requests of [`pipelined`]'s producer, batch after batch.
pub(super) struct Batches {
    batch: Vec<Request>,
    next: usize,
    full: Receiver<Vec<Request>>,
    empty: SyncSender<Vec<Request>>,
}

impl Batches {
    /// Takes the next full batch and sends the spent one back; `None` when the producer is
    /// done.
    #[inline(never)]
    fn refill(&mut self) -> Option<()> {
        let mut spent = self.full.recv().ok()?;
        std::mem::swap(&mut spent, &mut self.batch);
        spent.clear();
        // The producer may have made its own new batch meanwhile: then this one is dropped.
        let _ = self.empty.try_send(spent);
        self.next = 0;
        Some(())
    }
}

impl Iterator for Batches {
    type Item = Request;

    #[inline]
    fn next(&mut self) -> Option<Request> {
        while self.next == self.batch.len() {
            self.refill()?;
        }
        let request = self.batch[self.next];
        self.next += 1;
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden() -> ProgressBar {
        ProgressBar::hidden()
    }

    fn request(i: u64) -> Request {
        Request {
            at_us: i,
            prompt: (i % 1_000) as u32,
            cached: 0,
            completion: 1,
            max_tokens: 2,
        }
    }

    #[test]
    fn every_request_arrives_in_order_and_is_observed() {
        // Three and a half batches: full ones, a partial last one.
        let n = (3 * BATCH + BATCH / 2) as u64;
        let mut observed = 0u64;
        let received: Vec<Request> = pipelined(
            (0..n).map(request),
            |_| observed += 1,
            &hidden(),
            |b| b.collect(),
        );
        assert_eq!(observed, n);
        assert_eq!(received.len() as u64, n);
        assert!(
            received
                .iter()
                .enumerate()
                .all(|(i, r)| *r == request(i as u64))
        );
    }

    #[test]
    fn a_consumer_that_stops_early_stops_the_producer() {
        // An endless producer: this returns only because the dropped receiver ends it.
        let first: Vec<Request> = pipelined(
            (0..).map(request),
            |_| {},
            &hidden(),
            |b| b.take(10).collect(),
        );
        assert_eq!(first.len(), 10);
        assert_eq!(first[9], request(9));
    }

    #[test]
    fn no_requests() {
        let none: Vec<Request> = pipelined(std::iter::empty(), |_| {}, &hidden(), |b| b.collect());
        assert!(none.is_empty());
    }
}
