//! Package-name lists of real releases (`data/packages/<release>-<arch>.txt.gz`, made by
//! `scripts/gen-package-lists.sh` from the Debian and Ubuntu indexes), to check that every
//! package a profile names exists for its release and architecture.

use std::collections::HashSet;
use std::io::Read;

use include_dir::Dir;
#[cfg(feature = "package-lists")]
use include_dir::include_dir;

// 2 MB: left out of the static builds for old laptops (feature `package-lists`).
#[cfg(feature = "package-lists")]
static LISTS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data/packages");
#[cfg(not(feature = "package-lists"))]
static LISTS: Dir<'static> = Dir::new("", &[]);

/// The names of one release/architecture.
#[derive(Debug, Clone)]
pub struct PackageIndex {
    pub key: String,
    names: HashSet<String>,
}

impl PackageIndex {
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Parse the list's text (comment lines start with `#`).
    pub fn parse(key: &str, text: &str) -> PackageIndex {
        let names = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        PackageIndex {
            key: key.to_string(),
            names,
        }
    }
}

/// The embedded list for `key` (e.g. `debian-13-trixie-amd64`), if shipped.
pub fn embedded(key: &str) -> Option<PackageIndex> {
    let file = LISTS.get_file(format!("{key}.txt.gz"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file.contents())
        .read_to_string(&mut text)
        .ok()?;
    Some(PackageIndex::parse(key, &text))
}

/// Keys of every embedded list.
pub fn embedded_keys() -> Vec<String> {
    let mut keys: Vec<String> = LISTS
        .files()
        .filter_map(|f| f.path().to_str()?.strip_suffix(".txt.gz").map(String::from))
        .collect();
    keys.sort();
    keys
}
