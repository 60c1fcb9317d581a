//! `upcycle preseed-value` (hidden): a preseed's answers for the e2e scripts, read by
//! the same code as `media netboot` ([`crate::preseed`]), so that no script carries a
//! preseed reader of its own.

use crate::cli::PreseedValueArgs;
use crate::exit::{Exit, Failure, OrExit};
use crate::preseed;
use crate::printer::Printer;

pub fn run(args: &PreseedValueArgs, printer: &Printer) -> Result<Exit, Failure> {
    let text = std::fs::read_to_string(&args.file).or_exit(
        Exit::BadInput,
        format!("cannot read the preseed {}", args.file.display()),
    )?;
    let lines: Vec<String> = if args.lines {
        preseed::answers(&text).iter().map(preseed::Answer::line).collect()
    } else {
        args.questions
            .iter()
            .map(|q| preseed::value(&text, q).unwrap_or_default())
            .collect()
    };
    printer.out(&lines.iter().map(|l| format!("{l}\n")).collect::<String>());
    Ok(Exit::Success)
}
