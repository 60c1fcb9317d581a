//! (being written) `upcycle serve`: read-only HTTP for installers.
