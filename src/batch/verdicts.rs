//! The external tools' verdicts on kinds of files, shared by the workers of a batch (without
//! `--validate-all`). Workers hand in machines; one whose kinds of files all have a verdict
//! is decided at once, one with a kind nobody has checked yet is parked (in memory) and its
//! new kinds queued. One thread runs the checker on everything queued since its last run in
//! one go (one `debconf-set-selections`, one `shellcheck`), then hands back the parked
//! machines that now have all their verdicts. Workers never wait for the tools, only when
//! [`MAX_PARKED`] machines are waiting.
//!
//! Generic over what is parked and over the checker, so the concurrency is tested here
//! without bundles or tools.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

/// Machines waiting for their kinds' verdicts at most; a worker that would park more waits.
pub const MAX_PARKED: usize = 256;

/// A kind of file: (file name, key of its text; see `validate::kind_key`).
pub type Kind = (String, String);

/// Pass, or what the tools said.
pub type Verdict = Result<(), String>;

/// What can wait for verdicts: its kinds, and what the checker needs of a file to check
/// a kind (its text, and for bundles the machine's own values).
pub trait Waiting {
    type Sample: Send;
    fn kinds(&self) -> &[Kind];
    fn sample_of(&self, file: &str) -> Self::Sample;
}

pub struct Verdicts<T: Waiting> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

struct State<T: Waiting> {
    /// Every kind met: `None` while it is queued or being checked.
    verdicts: HashMap<Kind, Option<Verdict>>,
    /// Kinds to check next, with a sample of one file of that kind.
    queue: Vec<(Kind, T::Sample)>,
    parked: Vec<(usize, T)>,
    /// No more machines will come.
    finished: bool,
}

impl<T: Waiting> State<T> {
    /// The verdict on all of these kinds, if every one has one.
    fn verdict(&self, kinds: &[Kind]) -> Option<Verdict> {
        let mut errors = Vec::new();
        for k in kinds {
            match self.verdicts.get(k) {
                Some(Some(Ok(()))) => {}
                Some(Some(Err(e))) => errors.push(e.clone()),
                _ => return None,
            }
        }
        Some(if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        })
    }
}

impl<T: Waiting> Default for Verdicts<T> {
    fn default() -> Self {
        Verdicts {
            state: Mutex::new(State {
                verdicts: HashMap::new(),
                queue: Vec::new(),
                parked: Vec::new(),
                finished: false,
            }),
            changed: Condvar::new(),
        }
    }
}

impl<T: Waiting> Verdicts<T> {
    /// The verdict on machine `index` now, if its kinds are all decided; else it is parked
    /// (`None`) and comes back from [`Verdicts::check_until_finished`].
    pub fn decide_or_park(&self, index: usize, item: T) -> Option<(T, Verdict)> {
        let mut state = self.state.lock().expect("no panics hold the lock");
        if let Some(verdict) = state.verdict(item.kinds()) {
            return Some((item, verdict));
        }
        for (file, key) in item.kinds() {
            let kind = (file.clone(), key.clone());
            if !state.verdicts.contains_key(&kind) {
                state.verdicts.insert(kind.clone(), None);
                state.queue.push((kind, item.sample_of(file)));
            }
        }
        state.parked.push((index, item));
        self.changed.notify_all();
        while state.parked.len() > MAX_PARKED {
            state = self.changed.wait(state).expect("no panics hold the lock");
        }
        None
    }

    /// No more machines: the checker finishes what is queued and returns.
    pub fn finish(&self) {
        // Also called while a panicking worker unwinds: a poisoned lock must not panic again.
        self.state.lock().unwrap_or_else(|e| e.into_inner()).finished = true;
        self.changed.notify_all();
    }

    /// The checker's thread: `check` gets every kind queued since its last run (file name,
    /// text) and returns one verdict each; each parked machine is handed to `done` with its
    /// verdict as soon as it has one. Returns when [`Verdicts::finish`] was called and the
    /// queue is empty.
    pub fn check_until_finished(
        &self,
        mut check: impl FnMut(&[(Kind, T::Sample)]) -> Vec<Verdict>,
        mut done: impl FnMut(usize, T, Verdict),
    ) {
        loop {
            let queue = {
                let mut state = self.state.lock().expect("no panics hold the lock");
                while state.queue.is_empty() && !state.finished {
                    state = self.changed.wait(state).expect("no panics hold the lock");
                }
                if state.queue.is_empty() {
                    break;
                }
                std::mem::take(&mut state.queue)
            };
            let verdicts = check(&queue);
            assert_eq!(verdicts.len(), queue.len(), "one verdict per kind");
            let ready = {
                let mut state = self.state.lock().expect("no panics hold the lock");
                for ((kind, _), verdict) in queue.into_iter().zip(verdicts) {
                    state.verdicts.insert(kind, Some(verdict));
                }
                let parked = std::mem::take(&mut state.parked);
                let (ready, waiting): (Vec<_>, Vec<_>) = parked
                    .into_iter()
                    .partition(|(_, r)| state.verdict(r.kinds()).is_some());
                state.parked = waiting;
                ready
                    .into_iter()
                    .map(|(i, r)| {
                        let verdict = state.verdict(r.kinds()).expect("partitioned on it");
                        (i, r, verdict)
                    })
                    .collect::<Vec<_>>()
            };
            self.changed.notify_all();
            for (i, item, verdict) in ready {
                done(i, item, verdict);
            }
        }
    }
}

/// Calls [`Verdicts::finish`] when dropped (also when a worker panics).
pub struct FinishOnDrop<'a, T: Waiting>(pub &'a Verdicts<T>);

impl<T: Waiting> Drop for FinishOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A machine with one file; its kind is the file's text.
    struct Machine(Vec<Kind>);

    impl Machine {
        fn new(text: &str) -> Self {
            Machine(vec![("f.sh".to_string(), text.to_string())])
        }
    }

    impl Waiting for Machine {
        type Sample = String;
        fn kinds(&self) -> &[Kind] {
            &self.0
        }
        fn sample_of(&self, _: &str) -> String {
            self.0[0].1.clone()
        }
    }

    /// Run `machines` through `workers` threads and one checker that fails texts containing
    /// "bad"; every machine's verdict, in index order, and how many texts were checked.
    fn run(texts: &[&str], workers: usize) -> (Vec<Verdict>, usize) {
        let verdicts: Verdicts<Machine> = Verdicts::default();
        let checked = AtomicUsize::new(0);
        let results = Mutex::new(vec![None; texts.len()]);
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            let checker = s.spawn(|| {
                verdicts.check_until_finished(
                    |queue| {
                        checked.fetch_add(queue.len(), Ordering::SeqCst);
                        queue
                            .iter()
                            .map(|(_, text)| {
                                if text.contains("bad") {
                                    Err(format!("{text} is bad"))
                                } else {
                                    Ok(())
                                }
                            })
                            .collect()
                    },
                    |i, _, v| results.lock().unwrap()[i] = Some(v),
                )
            });
            let _finish = FinishOnDrop(&verdicts);
            std::thread::scope(|w| {
                for _ in 0..workers {
                    w.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::SeqCst);
                            if i >= texts.len() {
                                break;
                            }
                            if let Some((_, v)) = verdicts.decide_or_park(i, Machine::new(texts[i])) {
                                results.lock().unwrap()[i] = Some(v);
                            }
                        }
                    });
                }
            });
            verdicts.finish();
            checker.join().unwrap();
        });
        let results = results
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|v| v.expect("every machine decided"))
            .collect();
        (results, checked.into_inner())
    }

    #[test]
    fn each_kind_is_checked_once_and_every_machine_gets_its_verdict() {
        let texts: Vec<&str> = (0..1000).map(|i| ["a", "b", "bad"][i % 3]).collect();
        let (verdicts, checked) = run(&texts, 4);
        assert_eq!(checked, 3, "three kinds, each checked once");
        for (text, v) in texts.iter().zip(&verdicts) {
            assert_eq!(v.is_err(), *text == "bad", "{text}: {v:?}");
        }
    }

    #[test]
    fn more_new_kinds_than_may_be_parked_do_not_dead_lock() {
        // Every machine its own kind: parking fills up and workers must wait for the checker.
        let texts: Vec<String> = (0..3 * MAX_PARKED).map(|i| format!("t{i}")).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (verdicts, checked) = run(&texts, 3);
        assert_eq!(checked, texts.len());
        assert!(verdicts.iter().all(Result::is_ok));
    }

    #[test]
    fn finishing_with_nothing_queued_returns() {
        let (verdicts, checked) = run(&[], 2);
        assert!(verdicts.is_empty() && checked == 0);
    }
}
