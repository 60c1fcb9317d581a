//! Command-line arguments resolved once into the options the commands run with
//! (defaults decided, terminal detected). Commands never see clap types.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{CaptureArgs, Format, ProbeArgs};

#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub root: PathBuf,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub redact: bool,
}

impl ProbeOptions {
    pub fn from_args(args: ProbeArgs) -> Self {
        let format = args
            .format
            .unwrap_or(if args.output.is_none() && std::io::stdout().is_terminal() {
                Format::Text
            } else {
                Format::Yaml
            });
        ProbeOptions {
            root: args.root,
            format,
            output: args.output,
            redact: args.redact,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureFormat {
    TarGz,
    Dir,
}

#[derive(Debug, Clone)]
pub struct CaptureOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub format: CaptureFormat,
    pub redact: bool,
    pub force: bool,
}

impl CaptureOptions {
    pub fn from_args(args: CaptureArgs) -> Self {
        let name = args.output.to_string_lossy();
        let format = if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            CaptureFormat::TarGz
        } else {
            CaptureFormat::Dir
        };
        CaptureOptions {
            root: args.root,
            output: args.output,
            format,
            redact: args.redact,
            force: args.force,
        }
    }
}
