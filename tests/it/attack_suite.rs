//! The standing attack suite: hostile strings in every string field of a report and of a
//! workshop config, rendered and run through the real validators (debconf-set-selections,
//! bash -n, shellcheck). What must hold, whatever the strings:
//! - the input is refused where it is read, or its bundle passes every validator;
//! - the preseed has the same keys, each as often, as the clean machine's with the same
//!   profile, and every value that does not come from the machine is unchanged
//!   (`passwd/root-login`, `preseed/early_command`, `partman/early_command`,
//!   `preseed/late_command`, ...);
//!   `pkgsel/include` holds only package names.
//!
//! Cases are drawn from a fixed seed, so a run is repeatable; `UPCYCLE_ATTACK_CASES` sets
//! how many (the README's test command runs the default, e2e a larger number). The figures
//! of a run are printed and recorded in docs/attack.md.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::support::{fixtures_dir, probe_dir};
use upcycle::bundle::Bundle;
use upcycle::catalog;
use upcycle::render::{self, RenderInput, Templates};
use upcycle::report::HardwareReport;
use upcycle::select::{self, Inputs, Policy};
use upcycle::validate::{self, Labelled};
use upcycle::workshop::Workshop;

/// Pieces that end a line, a word, a quote or a template, or look like installer answers.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\\",
    "'",
    "\"",
    "$(touch /tmp/PWNED)",
    "`touch /tmp/PWNED`",
    "\nd-i passwd/root-login boolean true\n",
    "\nd-i partman/early_command string touch /tmp/PWNED",
    "${IFS}",
    ";",
    "#",
    "}",
    "{{ x }}",
    "{% if x %}",
    "\t",
    "\u{1b}[2J",
    "\u{0}",
    "ü",
    " --- ",
    "sda",
    "/dev/sda",
    " ",
    "-",
    "=1",
    "a",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(proptest::sample::select(PIECES), 1..6).prop_map(|v| v.concat()),
        1 => ".{0,40}",
        // Odd but harmless values, so that some cases get through and are rendered.
        2 => "[a-zA-Z0-9 ._/:-]{0,16}",
        2 => "[a-z][a-z0-9-]{1,10}",
        1 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn cases() -> u32 {
    std::env::var("UPCYCLE_ATTACK_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120)
}

/// Paths (object keys and array indices) of every string leaf, and of every null leaf
/// (where an optional string may go).
fn string_paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::String(_) | Value::Null => out.push(here.clone()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                here.push(Value::from(i));
                string_paths(item, here, out);
                here.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                here.push(Value::from(k.as_str()));
                string_paths(item, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn set(v: &mut Value, path: &[Value], new: String) {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Value::Number(i) => &mut cur[i.as_u64().unwrap() as usize],
            Value::String(k) => &mut cur[k.as_str()],
            _ => unreachable!(),
        };
    }
    *cur = Value::String(new);
}

/// A preseed as (owner, key) -> values, in order; continuation lines joined as d-i does.
fn preseed_answers(text: &str) -> BTreeMap<(String, String), Vec<String>> {
    let mut joined = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if let Some(head) = line.strip_suffix('\\') {
            cur.push_str(head);
            continue;
        }
        cur.push_str(line);
        joined.push(std::mem::take(&mut cur));
    }
    let mut answers: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for line in joined {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(4, [' ', '\t']);
        let owner = words.next().unwrap_or_default().to_string();
        let key = words.next().unwrap_or_default().to_string();
        let rest = words.collect::<Vec<_>>().join(" ");
        answers.entry((owner, key)).or_default().push(rest);
    }
    answers
}

struct Setup {
    catalog: catalog::Catalog,
    templates: Templates,
    today: chrono::NaiveDate,
    token: upcycle::token::InstallToken,
}

impl Setup {
    fn new() -> Self {
        Setup {
            catalog: catalog::load::load(None).unwrap().0,
            templates: Templates::embedded().unwrap(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            token: upcycle::token::InstallToken::generate(),
        }
    }

    /// Select (with `pin` when given) and render; `None` when no profile fits.
    fn bundle(&self, report: &HardwareReport, workshop: &Workshop, pin: Option<&str>) -> Option<(String, Bundle)> {
        let mut policy: Policy = workshop.selection.clone();
        policy.pin = pin.map(str::to_string);
        let inputs = Inputs {
            catalog: &self.catalog,
            policy: &policy,
            today: self.today,
            firmware: &select::embedded_firmware,
        };
        let selection = select::select(report, &inputs);
        let chosen = selection.chosen.as_ref()?;
        if pin.is_some_and(|p| p != chosen.profile) {
            return None;
        }
        let hostname = workshop.hostname_for(1, report.machine.serial.as_deref());
        let input = RenderInput {
            report,
            selection: &selection,
            workshop,
            asset_id: &hostname,
            hostname: &hostname,
            install_token: &self.token,
        };
        let bundle = render::render(&self.templates, &input).ok()?;
        Some((chosen.profile.clone(), bundle))
    }
}

/// What a run found, for the figures in docs/attack.md.
#[derive(Debug, Default)]
struct Tally {
    tries: usize,
    refused_when_read: usize,
    no_profile: usize,
    rendered: usize,
}

/// Values of the preseed that may differ from the clean machine's for this kind of attack.
fn check_preseed(case: &str, hostile: &str, clean: &str, may_differ: &[&str]) -> Result<(), String> {
    let (h, c) = (preseed_answers(hostile), preseed_answers(clean));
    // The firmware a device needs comes from its ids: a changed modalias may add or drop a
    // firmware package and its license answer. Those answers are `boolean true` or absent.
    let firmware = |k: &(String, String)| k.0.starts_with("firmware-") && k.1 == format!("{}/license/accepted", k.0);
    for (k, values) in h.iter().filter(|(k, _)| firmware(k)) {
        if values.iter().any(|v| v != "boolean true") {
            return Err(format!("{case}: {} {} is {values:?}", k.0, k.1));
        }
    }
    let keys = |m: &BTreeMap<(String, String), Vec<String>>| -> Vec<((String, String), usize)> {
        m.iter()
            .filter(|(k, _)| !firmware(k))
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    };
    if keys(&h) != keys(&c) {
        return Err(format!(
            "{case}: the preseed's keys changed:\n{:?}\nvs clean\n{:?}",
            keys(&h),
            keys(&c)
        ));
    }
    for (k, values) in &h {
        if may_differ.contains(&k.1.as_str()) || firmware(k) {
            continue;
        }
        if values != &c[k] {
            return Err(format!(
                "{case}: {} {} changed: {values:?} vs clean {:?}",
                k.0, k.1, c[k]
            ));
        }
    }
    for v in h.get(&("d-i".into(), "pkgsel/include".into())).into_iter().flatten() {
        let words = v.strip_prefix("string ").unwrap_or(v);
        if let Some(bad) = words.split(' ').find(|w| !upcycle::token::PackageName::is_valid(w)) {
            return Err(format!("{case}: pkgsel/include holds {bad:?}"));
        }
    }
    Ok(())
}

/// Run the real validators over every bundle at once; the findings, labelled by case.
fn validate_all(bundles: &[(String, Bundle)]) -> Vec<String> {
    let mut files = Vec::new();
    for (i, (_, b)) in bundles.iter().enumerate() {
        for f in b.files.iter().filter(|f| validate::needs_tools(&f.path)) {
            // No machine values: every hostile text is checked as itself, never as a kind.
            files.push(Labelled {
                label: i,
                name: &f.path,
                contents: f.text(),
                values: &[],
            });
        }
    }
    let (errors, skipped) = validate::external(&files, &Default::default(), &mut Default::default());
    assert!(skipped.is_empty(), "validators missing: {skipped:?}");
    errors
        .into_iter()
        .map(|(i, f)| format!("{}: {} {}: {}", bundles[i].0, f.file, f.tool, f.message))
        .collect()
}

fn runner() -> TestRunner {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

#[test]
fn hostile_strings_in_every_report_field_never_change_the_installers_answers() {
    let setup = Setup::new();
    let workshop = Workshop::embedded();
    let machines = [
        "lenovo-thinkpad-t420-battery-wear",
        "ibm-thinkpad-t40",
        "dell-xps-15-9560-nvme-uefi",
    ];
    let bases: Vec<Value> = machines
        .iter()
        .map(|m| serde_json::to_value(probe_dir(&fixtures_dir().join(m).join("root"))).unwrap())
        .collect();
    let paths: Vec<Vec<Vec<Value>>> = bases
        .iter()
        .map(|b| {
            let mut out = Vec::new();
            string_paths(b, &mut Vec::new(), &mut out);
            out.retain(|p| p.first() != Some(&Value::from("schema")));
            out
        })
        .collect();
    let mut clean: BTreeMap<(usize, String), String> = BTreeMap::new();
    let tally = std::cell::RefCell::new(Tally::default());
    let bundles = std::cell::RefCell::new(Vec::new());
    let strategy = (
        0..machines.len(),
        proptest::collection::vec((any::<proptest::sample::Index>(), hostile()), 1..5),
    );
    let clean = std::cell::RefCell::new(&mut clean);
    runner()
        .run(&strategy, |(m, edits)| {
            let mut value = bases[m].clone();
            let mut what = Vec::new();
            for (idx, s) in &edits {
                let path = &paths[m][idx.index(paths[m].len())];
                what.push(format!("{path:?}={s:?}"));
                set(&mut value, path, s.clone());
            }
            let case = format!("{} {}", machines[m], what.join(" "));
            let mut t = tally.borrow_mut();
            t.tries += 1;
            let text = upcycle::yaml::to_string(&value);
            let report = match upcycle::machine::parse_report(&text) {
                Ok(r) => r,
                Err(_) => {
                    t.refused_when_read += 1;
                    return Ok(());
                }
            };
            let Some((profile, bundle)) = setup.bundle(&report, &workshop, None) else {
                t.no_profile += 1;
                return Ok(());
            };
            t.rendered += 1;
            let mut clean = clean.borrow_mut();
            let clean_preseed = clean.entry((m, profile.clone())).or_insert_with(|| {
                let base: HardwareReport = serde_json::from_value(bases[m].clone()).unwrap();
                let (_, b) = setup
                    .bundle(&base, &workshop, Some(&profile))
                    .expect("the clean machine fits");
                b.get("preseed.cfg").map(|f| f.data.clone()).unwrap_or_default()
            });
            if let Some(p) = bundle.get("preseed.cfg") {
                check_preseed(&case, p.text(), clean_preseed, &["pkgsel/include"])
                    .map_err(proptest::test_runner::TestCaseError::fail)?;
            }
            bundles.borrow_mut().push((case, bundle));
            Ok(())
        })
        .unwrap();
    let bundles = bundles.into_inner();
    let findings = validate_all(&bundles);
    let t = tally.into_inner();
    eprintln!(
        "attack suite, report fields: {t:?}, validated bundles: {}",
        bundles.len()
    );
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    // The suite must exercise both outcomes, or it proves nothing.
    assert!(t.refused_when_read > 0 && t.rendered > 0, "{t:?}");
}

#[test]
fn hostile_strings_in_every_workshop_field_are_refused_or_stay_values() {
    let setup = Setup::new();
    let report = probe_dir(&fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root"));
    let default_text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml")).unwrap();
    let base: Value = upcycle::yaml::from_str(&default_text).unwrap();
    let mut paths = Vec::new();
    string_paths(&base, &mut Vec::new(), &mut paths);
    let clean_workshop = Workshop::embedded();
    let (clean_profile, clean_bundle) = setup.bundle(&report, &clean_workshop, None).unwrap();
    let clean_preseed = clean_bundle.get("preseed.cfg").unwrap().data.clone();
    let tally = std::cell::RefCell::new(Tally::default());
    let bundles = std::cell::RefCell::new(Vec::new());
    let strategy = proptest::collection::vec((any::<proptest::sample::Index>(), hostile()), 1..3);
    runner()
        .run(&strategy, |edits| {
            let mut value = base.clone();
            let mut what = Vec::new();
            for (idx, s) in &edits {
                let path = &paths[idx.index(paths.len())];
                what.push(format!("{path:?}={s:?}"));
                set(&mut value, path, s.clone());
            }
            let case = format!("workshop {}", what.join(" "));
            let mut t = tally.borrow_mut();
            t.tries += 1;
            let Ok(workshop) = Workshop::parse(&upcycle::yaml::to_string(&value)) else {
                if std::env::var_os("UPCYCLE_ATTACK_VERBOSE").is_some() {
                    eprintln!(
                        "refused: {case}: {:?}",
                        Workshop::parse(&upcycle::yaml::to_string(&value)).err()
                    );
                }
                t.refused_when_read += 1;
                return Ok(());
            };
            let Some((profile, bundle)) = setup.bundle(&report, &workshop, None) else {
                t.no_profile += 1;
                return Ok(());
            };
            t.rendered += 1;
            // The workshop's own values (locale, mirror, host names, ...) may change their
            // answers; never the keys, and never these.
            if profile == clean_profile {
                let p = bundle.get("preseed.cfg").unwrap().text();
                let h = preseed_answers(p);
                let c = preseed_answers(&clean_preseed);
                let keys = |m: &BTreeMap<(String, String), Vec<String>>| m.keys().cloned().collect::<Vec<_>>();
                prop_assert_eq!(keys(&h), keys(&c), "{}", case);
                for fixed in [
                    "passwd/root-login",
                    "preseed/early_command",
                    "partman/early_command",
                    "preseed/late_command",
                    "partman-auto/disk",
                ] {
                    let k = ("d-i".to_string(), fixed.to_string());
                    prop_assert_eq!(h.get(&k), c.get(&k), "{}: {}", case, fixed);
                }
            }
            bundles.borrow_mut().push((case, bundle));
            Ok(())
        })
        .unwrap();
    let bundles = bundles.into_inner();
    let findings = validate_all(&bundles);
    let t = tally.into_inner();
    eprintln!(
        "attack suite, workshop fields: {t:?}, validated bundles: {}",
        bundles.len()
    );
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    assert!(t.refused_when_read > 0 && t.rendered > 0, "{t:?}");
}
