//! `upcycle check`: read the laptop's facts, run the checks, print them (a table, or the
//! JSON document), keep the result on the laptop and send it to serve when asked.

use crate::check::post::{self, SERVE_CONF};
use crate::check::{CheckReport, Outcome};
use crate::exit::{Exit, Failure};
use crate::l10n::{Lang, Said, say, text};
use crate::options::SelfCheckOptions;
use crate::printer::Printer;
use crate::probe::root::SysRoot;

pub fn run(opts: &SelfCheckOptions, printer: &Printer) -> Result<Exit, Failure> {
    if !opts.root.is_dir() {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-check-root").arg("path", opts.root.display().to_string()),
        ));
    }
    let root = SysRoot::at(&opts.root);
    let facts = crate::check::facts::read(&root);
    let report = CheckReport::new(crate::ledger::now(), crate::check::evaluate(&facts));
    let json = report.to_json();
    if opts.json {
        printer.out(&json);
    } else {
        printer.out(&format!("{}\n", table(&report, printer.lang)));
    }
    if let Some(path) = &opts.keep {
        let kept = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| crate::atomic::write_file(path, json.as_bytes()));
        match kept {
            Ok(()) => printer.status(&printer.format("chk-kept", &[("path", path.display().to_string().into())])),
            Err(e) => printer.warn(&printer.format(
                "chk-keep-failed",
                &[
                    ("path", path.display().to_string().into()),
                    ("error", crate::l10n::Localize::localize(&e, printer.lang).into()),
                ],
            )),
        }
    }
    let posted = match &opts.post {
        None => true,
        Some(url) => send(&root, url.as_ref(), &report, opts, printer)?,
    };
    Ok(if !posted {
        Exit::NotPosted
    } else if report.failed() {
        Exit::CheckFailed
    } else {
        Exit::Success
    })
}

/// Send to `url`, or to serve.conf's address; whether it arrived (said either way).
fn send(
    root: &SysRoot,
    url: Option<&post::ServeUrl>,
    report: &CheckReport,
    opts: &SelfCheckOptions,
    printer: &Printer,
) -> Result<bool, Failure> {
    let conf = root
        .read(SERVE_CONF)
        .map_err(|e| e.describe())
        .and_then(|t| post::parse_serve_conf(&t.text).map_err(|s| say(printer.lang, &s)))
        .map_err(|error| Failure::new(Exit::BadInput, Said::new("chk-err-no-serve-conf").arg("error", error)))?;
    let Some(url) = url.or(conf.url.as_ref()) else {
        printer.warn(&printer.text("chk-no-serve"));
        return Ok(false);
    };
    match post::post(url, &conf.asset_id, &conf.token, report.to_json().as_bytes(), opts.wait) {
        Ok(()) => {
            printer.status(&printer.format(
                "chk-posted",
                &[("url", url.text().into()), ("host", conf.asset_id.as_str().into())],
            ));
            Ok(true)
        }
        Err(e) => {
            printer.warn(&say(printer.lang, &e.said(url)));
            Ok(false)
        }
    }
}

/// The results as a table: check, result, evidence (one line each), and a summary line.
pub fn table(report: &CheckReport, lang: Lang) -> String {
    let rows: Vec<[String; 3]> = report
        .results
        .iter()
        .map(|r| {
            let evidence: Vec<String> = r.evidence.iter().map(|s| say(lang, s)).collect();
            [
                text(lang, &r.check.name_id()),
                text(lang, &r.outcome.text_id()),
                evidence.join("; "),
            ]
        })
        .collect();
    let header = [
        text(lang, "chk-col-check"),
        text(lang, "chk-col-outcome"),
        text(lang, "chk-col-evidence"),
    ];
    let mut widths = [0usize; 2];
    for r in rows.iter().chain(std::iter::once(&header)) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |r: &[String; 3]| {
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
        format!("{}  {}  {}", pad(&r[0], widths[0]), pad(&r[1], widths[1]), r[2])
            .trim_end()
            .to_string()
    };
    let mut out: Vec<String> = std::iter::once(line(&header)).chain(rows.iter().map(line)).collect();
    let count = |o: Outcome| report.results.iter().filter(|r| r.outcome == o).count() as u64;
    let (pass, fail) = (count(Outcome::Pass), count(Outcome::Fail));
    out.push(String::new());
    out.push(crate::l10n::format(
        lang,
        "chk-summary",
        &[
            ("pass", pass.into()),
            ("fail", fail.into()),
            ("other", (report.results.len() as u64 - pass - fail).into()),
        ],
    ));
    out.join("\n")
}
