//! The event queue: a binary min-heap keyed by (time, priority, sequence).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::Day;

/// An event with its key in the queue.
#[derive(Debug)]
pub struct Scheduled<E> {
    /// When it fires.
    pub at: Day,
    /// Lower fires first among events at the same time.
    pub priority: i32,
    /// Insertion order: the final, deterministic tie-break.
    pub seq: u64,
    /// The payload.
    pub event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest key.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at
            .total_cmp(&self.at)
            .then(other.priority.cmp(&self.priority))
            .then(other.seq.cmp(&self.seq))
    }
}

/// A min-priority queue of events with deterministic ties.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(32),
            seq: 0,
        }
    }

    /// Adds an event.
    pub fn push(&mut self, at: Day, priority: i32, event: E) {
        let seq = self.seq;
        self.seq += 1;
        self.heap.push(Scheduled {
            at,
            priority,
            seq,
            event,
        });
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        self.heap.pop()
    }

    /// Time of the earliest event.
    pub fn peek_time(&self) -> Option<Day> {
        self.heap.peek().map(|s| s.at)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Empties the queue and restarts the sequence, keeping the allocation.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.seq = 0;
    }
}
