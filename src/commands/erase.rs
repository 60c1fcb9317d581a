//! `upcycle erase`: the plan printed (`--plan`), or the run of `erase::run` with the
//! operator's confirmation read from the terminal.

use std::io::BufRead;

use crate::cli::Format;
use crate::erase::{run, text};
use crate::exit::{Exit, Failure, OrExit};
use crate::options::EraseOptions;
use crate::printer::Printer;

pub fn run(o: &EraseOptions, printer: &Printer) -> Result<Exit, Failure> {
    let prepared = run::prepare(o)?;
    if o.plan_only {
        let the_plan = &prepared.plan;
        printer.out(&match o.format {
            Format::Json => serde_json::to_string_pretty(the_plan).expect("the plan serialises") + "\n",
            Format::Yaml => crate::yaml::to_string(the_plan),
            Format::Text => text::plan_text(the_plan, printer.lang),
        });
        return Ok(Exit::Success);
    }
    run::erase(o, printer, &prepared, &|question| {
        printer.prompt(question);
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .or_exit(Exit::Internal, "cannot read the confirmation")?;
        Ok(line)
    })
}
