//! Where argon2 runs: a fixed set of threads, one per core, fed through a short queue.
//!
//! Each hash takes 19 MiB and tens of milliseconds of one core. On tokio's blocking pool a burst of
//! a few hundred sign-ins asked for hundreds of them at once: every extra thread kept its own
//! allocator arena, so the memory stayed (3.2 GB after 180 requests), and the cores were gone for
//! everything else. Here at most one hash per core runs, the threads are reused (so is their
//! memory), they run at a lower priority than the request handlers, and a burst beyond the queue
//! is told at once to come back (`Busy`, 503 with Retry-After) instead of waiting for minutes.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::oneshot;

use crate::{Result, ServiceError};

/// Jobs that may wait for a thread. Enough for a busy office signing in at nine (and for the
/// tests' bursts of writes), short enough that a waiting sign-in is answered within seconds.
const QUEUE: usize = 128;

/// How long a caller turned away should wait before trying again.
const RETRY_AFTER_SECS: u64 = 2;

/// Below the runtime's threads, so pages and health checks stay quick while hashes queue.
const NICENESS: libc::c_int = 10;

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run jobs in order, and the queue in front of them.
struct Pool {
    jobs: SyncSender<Job>,
}

impl Pool {
    fn new(threads: usize, queue: usize) -> Pool {
        let (tx, rx) = mpsc::sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("nuri-hash-{i}"))
                .spawn(move || work(&rx))
                .expect("the hashing threads start");
        }
        Pool { jobs: tx }
    }

    /// Queues `f`; its result arrives on the receiver. `Busy` when the queue is full.
    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The caller may have gone (a closed connection); the result is then dropped.
            let _ = tx.send(f());
        });
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => ServiceError::Busy {
                retry_after_secs: RETRY_AFTER_SECS,
            },
            TrySendError::Disconnected(_) => {
                ServiceError::Internal("the hashing threads stopped".into())
            }
        })?;
        Ok(rx)
    }
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    // SAFETY: setpriority with PRIO_PROCESS and id 0 changes only the calling thread on Linux
    // (threads are scheduled entities of their own); a failure leaves the default priority.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, NICENESS);
    }
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let next = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match next {
            // A panicking job must not take its thread with it; its caller sees the dropped reply.
            Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
            Err(_) => return,
        }
    }
}

/// Runs `f` on a hashing thread; `Busy` when the queue is full.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    static POOL: OnceLock<Pool> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        Pool::new(
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            QUEUE,
        )
    });
    pool.submit(f)?
        .await
        .map_err(|_| ServiceError::Internal("a hashing job panicked".into()))
}

#[cfg(test)]
mod tests {
    use std::sync::RwLock;

    use super::*;

    #[tokio::test]
    async fn a_full_queue_turns_callers_away_at_once_and_the_rest_still_run() {
        let pool = Pool::new(1, 2);
        let gate = Arc::new(RwLock::new(()));
        let closed = gate.write().unwrap();
        let (started_tx, started) = mpsc::channel();
        let wait = |n: u32| {
            let gate = Arc::clone(&gate);
            let started = started_tx.clone();
            move || {
                let _ = started.send(());
                drop(gate.read());
                n
            }
        };
        let running = pool.submit(wait(1)).unwrap();
        started.recv().unwrap(); // the thread holds the first job: the queue is empty again
        let queued = [pool.submit(wait(2)).unwrap(), pool.submit(wait(3)).unwrap()];
        assert!(matches!(
            pool.submit(wait(4)),
            Err(ServiceError::Busy {
                retry_after_secs: RETRY_AFTER_SECS
            })
        ));
        drop(closed);
        assert_eq!(running.await.unwrap(), 1);
        let [a, b] = queued;
        assert_eq!((a.await.unwrap(), b.await.unwrap()), (2, 3));
        // A panicking job loses its answer, not the thread.
        assert!(pool
            .submit(|| -> u32 { panic!("boom") })
            .unwrap()
            .await
            .is_err());
        assert_eq!(pool.submit(|| 5).unwrap().await.unwrap(), 5);
    }
}
