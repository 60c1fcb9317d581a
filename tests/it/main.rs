//! One integration test binary: the probe against captured real machines, the CLI as a
//! user runs it, capture round trips, and hostile input.

mod accessibility;
mod assets;
mod attack;
mod attack_capture;
mod attack_serve;
mod attack_suite;
mod batch;
mod capture;
mod catalog;
mod check;
mod cli;
mod erase;
mod erase_installer;
mod firstboot;
mod fixtures;
mod fuzz;
mod generate;
mod inventory;
mod l10n;
mod l10n_errors;
mod l10n_paths;
mod ledger;
mod media_images;
mod media_netboot;
mod media_usb;
mod passport;
mod select;
mod serve;
mod serve_erased;
mod serve_events;
mod setup;
mod support;
mod validators;
