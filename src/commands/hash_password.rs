//! `upcycle hash-password`: read a password (prompt without echo, or standard input)
//! and print its SHA-512 crypt hash for the workshop file.

use std::io::{BufRead, IsTerminal};

use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;

pub fn run(printer: &Printer) -> Result<Exit, Failure> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = prompt(printer, &printer.text("pw-prompt"))?;
        let second = prompt(printer, &printer.text("pw-again"))?;
        if first != second {
            return Err(Failure::new(Exit::BadInput, anyhow::anyhow!(printer.text("pw-differ"))));
        }
        first
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .or_exit(Exit::BadInput, "cannot read the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    if password.is_empty() {
        return Err(Failure::new(Exit::BadInput, anyhow::anyhow!(printer.text("pw-empty"))));
    }
    let hash = crate::password::hash(&password).map_err(|e| Failure::new(Exit::Internal, anyhow::anyhow!(e)))?;
    printer.out(&format!("{hash}\n"));
    Ok(Exit::Success)
}

/// Read a line from the terminal with echo switched off.
fn prompt(printer: &Printer, text: &str) -> Result<String, Failure> {
    use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    printer.prompt(text);
    let saved = tcgetattr(&stdin).or_exit(Exit::Internal, "cannot read the terminal settings")?;
    let mut quiet = saved.clone();
    quiet.local_flags.remove(LocalFlags::ECHO);
    tcsetattr(&stdin, SetArg::TCSANOW, &quiet).or_exit(Exit::Internal, "cannot switch off echo")?;
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = tcsetattr(&stdin, SetArg::TCSANOW, &saved);
    printer.end_line();
    read.or_exit(Exit::BadInput, "cannot read the password")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
