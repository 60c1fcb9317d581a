//! One integration test binary: the probe against captured real machines, the CLI as a
//! user runs it, capture round trips, and hostile input.

mod batch;
mod capture;
mod catalog;
mod cli;
mod fixtures;
mod fuzz;
mod generate;
mod inventory;
mod media_netboot;
mod media_usb;
mod select;
mod serve;
mod support;
