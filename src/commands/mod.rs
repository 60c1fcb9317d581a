//! The I/O edge: one file per subcommand, each a thin wrapper that reads inputs, calls
//! the pure pipeline, and writes outputs atomically.

pub mod batch;
pub mod capture;
pub mod generate;
pub mod hash_password;
pub mod media;
pub mod plan;
pub mod probe;
pub mod profiles;
pub mod select;
pub mod serve;
