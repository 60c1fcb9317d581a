//! Values made one at a time, in index order, by one thread (the ledger's intake: numbers
//! must not depend on thread timing), and read by the workers as they come: a worker
//! waits for machine `i`'s value only, not for the whole intake, so rendering starts
//! while the ledger still numbers the later machines.

use std::sync::{Condvar, Mutex, OnceLock};

pub struct InOrder<T> {
    cells: Vec<OnceLock<T>>,
    state: Mutex<Progress>,
    changed: Condvar,
}

#[derive(Default)]
struct Progress {
    /// Values set so far: those of indices `0..set`.
    set: usize,
    /// The maker ended: no more values come.
    ended: bool,
    /// ... after it set every value and said they hold ([`InOrder::finish`]).
    finished: bool,
}

impl<T> InOrder<T> {
    pub fn new(n: usize) -> Self {
        InOrder {
            cells: (0..n).map(|_| OnceLock::new()).collect(),
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    /// Set the next value (the maker only, in index order).
    pub fn push(&self, value: T) {
        let mut state = self.state.lock().expect("no panics hold the progress");
        assert!(!state.ended, "a value after the end");
        assert!(self.cells[state.set].set(value).is_ok(), "each value is set once");
        state.set += 1;
        self.changed.notify_all();
    }

    /// Every value is set, and they hold (for the intake: committed to the ledger).
    pub fn finish(&self) {
        let mut state = self.state.lock().expect("no panics hold the progress");
        assert_eq!(state.set, self.cells.len(), "finished before every value was set");
        state.finished = true;
        state.ended = true;
        self.changed.notify_all();
    }

    /// No more values come: called when the maker fails or panics ([`EndOnDrop`]), so that
    /// nobody waits for ever.
    pub fn end(&self) {
        self.state.lock().expect("no panics hold the progress").ended = true;
        self.changed.notify_all();
    }

    /// Value `i`, once it is set; `None` if the maker ended before it.
    pub fn wait(&self, i: usize) -> Option<&T> {
        let mut state = self.state.lock().expect("no panics hold the progress");
        while state.set <= i && !state.ended {
            state = self.changed.wait(state).expect("no panics hold the progress");
        }
        self.cells[i].get()
    }

    /// Wait until the maker ended; whether it [finished](InOrder::finish).
    pub fn wait_end(&self) -> bool {
        let mut state = self.state.lock().expect("no panics hold the progress");
        while !state.ended {
            state = self.changed.wait(state).expect("no panics hold the progress");
        }
        state.finished
    }

    /// The values, if every one was set.
    pub fn into_vec(self) -> Option<Vec<T>> {
        self.cells.into_iter().map(OnceLock::into_inner).collect()
    }
}

/// Ends an [`InOrder`] when dropped: held by its maker, also through a panic.
pub struct EndOnDrop<'a, T>(pub &'a InOrder<T>);

impl<T> Drop for EndOnDrop<'_, T> {
    fn drop(&mut self) {
        self.0.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn readers_get_each_value_as_it_comes_in_order() {
        let values = InOrder::new(50);
        let seen: Vec<Vec<usize>> = std::thread::scope(|s| {
            let readers: Vec<_> = (0..3)
                .map(|r| {
                    let values = &values;
                    s.spawn(move || (r..50).step_by(3).map(|i| *values.wait(i).unwrap()).collect())
                })
                .collect();
            let _end = EndOnDrop(&values);
            for i in 0..50 {
                if i % 7 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                values.push(i * 10);
            }
            values.finish();
            readers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for (r, got) in seen.iter().enumerate() {
            let want: Vec<usize> = (r..50).step_by(3).map(|i| i * 10).collect();
            assert_eq!(got, &want);
        }
        assert!(values.wait_end());
        assert_eq!(values.into_vec().unwrap(), (0..50).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_reader_waits_for_its_value_only() {
        let values = InOrder::new(3);
        std::thread::scope(|s| {
            let first = s.spawn(|| *values.wait(0).unwrap());
            values.push("a");
            // value 0 is there while 1 and 2 are not
            assert_eq!(first.join().unwrap(), "a");
            values.push("b");
            values.push("c");
            values.end();
        });
        assert_eq!(values.wait(2), Some(&"c"));
        // every value set, but not said to hold (the ledger's commit failed)
        assert!(!values.wait_end());
    }

    #[test]
    fn a_maker_that_fails_or_panics_ends_the_wait() {
        let values: InOrder<u32> = InOrder::new(4);
        std::thread::scope(|s| {
            let waiting = s.spawn(|| values.wait(3).copied());
            let maker = s.spawn(|| {
                let _end = EndOnDrop(&values);
                values.push(1);
                panic!("the ledger broke");
            });
            assert!(maker.join().is_err());
            assert_eq!(waiting.join().unwrap(), None);
        });
        assert_eq!(values.wait(0), Some(&1));
        assert_eq!(values.wait(1), None);
        assert!(!values.wait_end());
        assert!(values.into_vec().is_none());
    }
}
