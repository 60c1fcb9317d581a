//! `upcycle media netboot|usb`: boot media for bundles.

use crate::cli::{MediaCommand, NetbootArgs, UsbArgs};
use crate::exit::{Exit, Failure};
use crate::printer::Printer;

pub fn run(cmd: &MediaCommand, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        MediaCommand::Netboot(args) => netboot(args, printer),
        MediaCommand::Usb(args) => usb(args, printer),
    }
}

fn netboot(_args: &NetbootArgs, _printer: &Printer) -> Result<Exit, Failure> {
    Err(Failure::new(
        Exit::Internal,
        anyhow::anyhow!("`upcycle media netboot` is not written yet"),
    ))
}

fn usb(_args: &UsbArgs, _printer: &Printer) -> Result<Exit, Failure> {
    Err(Failure::new(
        Exit::Internal,
        anyhow::anyhow!("`upcycle media usb` is not written yet"),
    ))
}
