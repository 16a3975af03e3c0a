//! A small bounded map whose entries live for a fixed time: the building block of nuri's
//! per-process caches (who is signed in, list totals).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A small map whose entries live for a fixed time. `stamp` before loading and `insert` with
/// that stamp afterwards: an invalidation in between wins, so a load that read the row just
/// before a revocation committed cannot put the old row back.
pub struct TtlCache<K, V> {
    ttl: Duration,
    capacity: usize,
    inner: Mutex<Inner<K, V>>,
}

struct Inner<K, V> {
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            inner: Mutex::new(Inner {
                generation: 0,
                entries: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        // A panic while holding the lock leaves a map that is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let inner = self.lock();
        let (at, value) = inner.entries.get(key)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    /// The generation to pass to `insert` for a value about to be loaded.
    pub fn stamp(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps `value` unless something was invalidated since `stamp`.
    pub fn insert(&self, key: K, value: V, stamp: u64) {
        let mut inner = self.lock();
        if inner.generation != stamp {
            return;
        }
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            let ttl = self.ttl;
            inner.entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if inner.entries.len() >= self.capacity {
                inner.entries.clear();
            }
        }
        inner.entries.insert(key, (Instant::now(), value));
    }

    pub fn remove<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.remove(key);
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let c = TtlCache::new(Duration::from_millis(30), 8);
        c.insert(1, "a", c.stamp());
        assert_eq!(c.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get(&1), None);
    }

    #[test]
    fn an_invalidation_during_a_load_wins() {
        let c = TtlCache::new(Duration::from_secs(1), 8);
        let stamp = c.stamp();
        c.remove(&1);
        c.insert(1, "stale", stamp);
        assert_eq!(c.get(&1), None);
        let stamp = c.stamp();
        c.insert(1, "fresh", stamp);
        assert_eq!(c.get(&1), Some("fresh"));
    }

    #[test]
    fn stays_within_capacity() {
        let c = TtlCache::new(Duration::from_secs(1), 4);
        for k in 0..100 {
            c.insert(k, k, c.stamp());
            assert!(c.len() <= 4);
        }
        assert_eq!(c.get(&99), Some(99));
    }
}
