//! `upcycle erase`: no donated laptop leaves the workshop with its old owner's data.
//!
//! Plans are data, actions are edges:
//! - [`plan`] decides, purely, what each disk gets (method, NIST SP 800-88 / IEEE 2883
//!   category, estimate) or why it is refused (the boot disk, a USB disk not named, in use);
//! - [`facts`] and [`tools`] read what the plan needs (report, usage, `hdparm`, `nvme`,
//!   `smartctl`), with pure parsers; [`health`] is the drive health gate;
//! - [`overwrite`] is the action: upcycle's own overwrite and read-back (and the fingerprint
//!   of sampled slices that the read-back after a firmware erase compares with);
//! - [`firmware`] runs the drives' own erase commands (hdparm, nvme-cli, blkdiscard,
//!   mmc-utils) and follows a sanitize to its end;
//! - [`record`] is the proof: a record per disk and run, and its printable certificate;
//! - [`run`] is one run: plan, ledger, confirmation, method, read-back, record. It records
//!   before and after each step: a state file beside the records before writing (the
//!   resume point, updated at each checkpoint), the record after, whatever the outcome;
//! - [`progress`] is the machine-readable progress for the installer's screen;
//! - [`text`] says the plan and the confirmation question in a language.
//!
//! The command (`commands/erase.rs`) only prints the plan or asks the operator.

pub mod facts;
pub mod firmware;
pub mod health;
pub mod overwrite;
pub mod plan;
pub mod progress;
pub mod record;
pub mod run;
pub mod state;
pub mod text;
pub mod tools;

pub use plan::{DiskFacts, DiskPlan, ErasePlan, Policy, plan};
