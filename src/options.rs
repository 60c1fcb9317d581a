//! Command-line arguments resolved once into the options the commands run with
//! (defaults decided, terminal detected). Commands never see clap types.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{BatchArgs, CaptureArgs, Format, GenerateArgs, LangArg, ProbeArgs, SelectArgs};
use crate::exit::{Exit, Failure};

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

#[derive(Debug, Clone)]
pub struct SelectOptions {
    pub report: PathBuf,
    pub profiles: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub lang: LangArg,
    pub today: NaiveDate,
}

impl SelectOptions {
    pub fn from_args(args: SelectArgs) -> Result<Self, Failure> {
        let today = match &args.today {
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| Failure::new(Exit::Usage, anyhow::anyhow!("--today {d:?} is not a YYYY-MM-DD date")))?,
            None => crate::commands::select::today(),
        };
        Ok(SelectOptions {
            report: args.report,
            profiles: args.catalog.profiles,
            policy: args.policy,
            format: default_format(args.format, args.output.is_none()),
            output: args.output,
            lang: args.lang,
            today,
        })
    }
}

/// Text for a person at a terminal, YAML for files and pipes.
pub fn default_format(asked: Option<Format>, to_stdout: bool) -> Format {
    asked.unwrap_or(if to_stdout && std::io::stdout().is_terminal() {
        Format::Text
    } else {
        Format::Yaml
    })
}

fn parse_today(arg: Option<&str>) -> Result<NaiveDate, Failure> {
    match arg {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Failure::new(Exit::Usage, anyhow::anyhow!("--today {d:?} is not a YYYY-MM-DD date"))),
        None => Ok(crate::commands::select::today()),
    }
}

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub report: PathBuf,
    pub profile: Option<String>,
    pub workshop: Option<PathBuf>,
    pub output: PathBuf,
    pub force: bool,
    pub number: usize,
    pub profiles: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    pub today: NaiveDate,
}

impl GenerateOptions {
    pub fn from_args(args: GenerateArgs) -> Result<Self, Failure> {
        Ok(GenerateOptions {
            today: parse_today(args.today.as_deref())?,
            report: args.report,
            profile: args.profile,
            workshop: args.workshop,
            output: args.output,
            force: args.force,
            number: args.number,
            profiles: args.catalog.profiles,
            templates: args.templates,
        })
    }
}

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub workshop: Option<PathBuf>,
    pub jobs: usize,
    pub validate_all: bool,
    pub profiles: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    pub today: NaiveDate,
}

impl BatchOptions {
    pub fn from_args(args: BatchArgs) -> Result<Self, Failure> {
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        if jobs == 0 {
            return Err(Failure::new(Exit::Usage, anyhow::anyhow!("--jobs must be at least 1")));
        }
        Ok(BatchOptions {
            today: parse_today(args.today.as_deref())?,
            inputs: args.inputs,
            output: args.output,
            workshop: args.workshop,
            jobs,
            validate_all: args.validate_all,
            profiles: args.catalog.profiles,
            templates: args.templates,
        })
    }
}
