//! Putting a bundle into Debian's installer initrd: a small newc ("070701") cpio writer
//! and [`inject`], which appends a second gzip member holding our files to the stock
//! `initrd.gz`. The kernel unpacks concatenated archives in order into the same root, so
//! `preseed.cfg` lands at `/` where d-i reads it first (initrd preseeding), and the
//! late_command finds `/upcycle/postinstall.sh`.
//!
//! Hand-written because it is ~100 lines of a fixed format and we want it deterministic:
//! uid/gid 0, mtime 0, inode numbers by position, directories before their files, so
//! the same bundle always gives the same bytes. Pure: bytes in, bytes out; the tests list
//! the output with the real `cpio` and `bsdtar`.

use std::collections::BTreeSet;
use std::io::Write;

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};

use crate::tree::{TreeFile, valid_path};

/// One archive entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry<'a> {
    Dir { path: &'a str, mode: u32 },
    File { path: &'a str, mode: u32, data: &'a [u8] },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CpioError {
    #[error("{0:?}: not a plain relative path for the initrd (no leading /, no . or .. parts, no empty parts)")]
    BadPath(String),
    #[error("{0}: larger than a newc cpio entry can hold (4 GiB)")]
    TooLarge(String),
    #[error("{0}: given twice")]
    Duplicate(String),
}

const S_IFDIR: u32 = 0o040000;
const S_IFREG: u32 = 0o100000;
const TRAILER: &str = "TRAILER!!!";

fn pad4(out: &mut Vec<u8>) {
    while out.len() % 4 != 0 {
        out.push(0);
    }
}

fn header(out: &mut Vec<u8>, ino: u32, mode: u32, nlink: u32, size: u32, name: &str) {
    let namesize = name.len() as u32 + 1;
    // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
    // rdevmajor, rdevminor, namesize, check
    let fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, namesize, 0];
    out.extend_from_slice(b"070701");
    for f in fields {
        out.extend_from_slice(format!("{f:08x}").as_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad4(out);
}

/// A newc cpio archive of `entries` in the given order, with the trailer.
pub fn newc(entries: &[Entry]) -> Result<Vec<u8>, CpioError> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let ino = i as u32 + 1;
        match *entry {
            Entry::Dir { path, mode } => {
                if !valid_path(path) {
                    return Err(CpioError::BadPath(path.to_string()));
                }
                header(&mut out, ino, S_IFDIR | (mode & 0o7777), 2, 0, path);
            }
            Entry::File { path, mode, data } => {
                if !valid_path(path) {
                    return Err(CpioError::BadPath(path.to_string()));
                }
                let size = u32::try_from(data.len()).map_err(|_| CpioError::TooLarge(path.to_string()))?;
                header(&mut out, ino, S_IFREG | (mode & 0o7777), 1, size, path);
                out.extend_from_slice(data);
                pad4(&mut out);
            }
        }
    }
    header(&mut out, 0, 0, 1, 0, TRAILER);
    Ok(out)
}

/// The newc archive of `files` (relative paths like `preseed.cfg`,
/// `upcycle/postinstall.sh`, permission bits, contents) with their parent directories
/// (mode 0755), directories first, everything sorted by path.
pub fn archive(files: &[TreeFile<Vec<u8>>]) -> Result<Vec<u8>, CpioError> {
    let mut seen = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    for f in files {
        if !valid_path(&f.path) {
            return Err(CpioError::BadPath(f.path.clone()));
        }
        if !seen.insert(f.path.as_str()) {
            return Err(CpioError::Duplicate(f.path.clone()));
        }
        let mut parent = f.path.as_str();
        while let Some((p, _)) = parent.rsplit_once('/') {
            dirs.insert(p);
            parent = p;
        }
    }
    if let Some(clash) = dirs.iter().find(|d| seen.contains(*d)) {
        return Err(CpioError::Duplicate(clash.to_string()));
    }
    let mut sorted: Vec<&TreeFile<Vec<u8>>> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let entries: Vec<Entry> = dirs
        .iter()
        .map(|d| Entry::Dir { path: d, mode: 0o755 })
        .chain(sorted.iter().map(|f| Entry::File {
            path: &f.path,
            mode: f.mode,
            data: &f.data,
        }))
        .collect();
    newc(&entries)
}

/// `initrd` (a stock d-i `initrd.gz`, unchanged) followed by one gzip member holding
/// [`archive`]`(files)`. Deterministic: the gzip header carries no name and mtime 0.
pub fn inject(initrd: &[u8], files: &[TreeFile<Vec<u8>>]) -> Result<Vec<u8>, CpioError> {
    let cpio = archive(files)?;
    let mut out = Vec::with_capacity(initrd.len() + cpio.len() / 2 + 64);
    out.extend_from_slice(initrd);
    let mut gz: GzEncoder<&mut Vec<u8>> = GzBuilder::new().mtime(0).write(&mut out, Compression::best());
    gz.write_all(&cpio).expect("writing to a Vec cannot fail");
    gz.finish().expect("writing to a Vec cannot fail");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A minimal newc reader for the tests: (name, mode, data) per entry until the trailer.
    fn read_newc(mut b: &[u8]) -> Vec<(String, u32, Vec<u8>)> {
        let mut out = Vec::new();
        let start = b.len();
        loop {
            assert_eq!(&b[..6], b"070701");
            let field =
                |i: usize| u32::from_str_radix(std::str::from_utf8(&b[6 + i * 8..14 + i * 8]).unwrap(), 16).unwrap();
            let (mode, size, namesize) = (field(1), field(6) as usize, field(11) as usize);
            assert_eq!((field(2), field(3), field(5)), (0, 0, 0), "uid, gid, mtime are 0");
            let name = std::str::from_utf8(&b[110..110 + namesize - 1]).unwrap().to_string();
            assert_eq!(b[110 + namesize - 1], 0);
            let mut off = 110 + namesize;
            off += (4 - (start - b.len() + off) % 4) % 4;
            let data = b[off..off + size].to_vec();
            off += size;
            off += (4 - (start - b.len() + off) % 4) % 4;
            b = &b[off..];
            if name == TRAILER {
                assert!(b.is_empty(), "nothing after the trailer");
                return out;
            }
            out.push((name, mode, data));
        }
    }

    #[test]
    fn header_layout_is_newc() {
        let a = newc(&[Entry::File {
            path: "a",
            mode: 0o644,
            data: b"xyz",
        }])
        .unwrap();
        // 110-byte header, "a\0" padded to 112, 3 bytes data padded to 4
        let fields = [
            "00000001", "000081a4", "00000000", "00000000", "00000001", "00000000", "00000003",
        ];
        let rest = ["00000000", "00000000", "00000000", "00000000", "00000002", "00000000"];
        assert_eq!(
            std::str::from_utf8(&a[..110]).unwrap(),
            format!("070701{}{}", fields.concat(), rest.concat())
        );
        assert_eq!(&a[110..116], b"a\0xyz\0");
        assert_eq!(a.len() % 4, 0);
        assert!(a.ends_with(b"TRAILER!!!\0\0\0\0"));
    }

    #[test]
    fn archive_adds_parents_sorted_and_round_trips() {
        let files: Vec<TreeFile<Vec<u8>>> = vec![
            TreeFile::new("upcycle/postinstall.sh", 0o755, "#!/bin/bash\n"),
            TreeFile::new("preseed.cfg", 0o600, "d-i x string y\n"),
            TreeFile::new("upcycle/deep/er/f", 0o644, vec![0u8; 5]),
        ];
        let entries = read_newc(&archive(&files).unwrap());
        let names: Vec<(&str, u32)> = entries.iter().map(|(n, m, _)| (n.as_str(), *m)).collect();
        assert_eq!(
            names,
            [
                ("upcycle", 0o40755),
                ("upcycle/deep", 0o40755),
                ("upcycle/deep/er", 0o40755),
                ("preseed.cfg", 0o100600),
                ("upcycle/deep/er/f", 0o100644),
                ("upcycle/postinstall.sh", 0o100755)
            ]
        );
        assert_eq!(entries[3].2, b"d-i x string y\n");
        assert_eq!(entries[4].2, vec![0u8; 5]);
    }

    #[test]
    fn bad_paths_and_duplicates_are_refused() {
        for bad in ["/etc/passwd", "../x", "a/../b", "a//b", "", "./a", "a/"] {
            assert_eq!(
                archive(&[TreeFile::new(bad, 0o644, "")]),
                Err(CpioError::BadPath(bad.to_string())),
                "{bad}"
            );
        }
        let twice: [TreeFile<Vec<u8>>; 2] = [TreeFile::new("a", 0o644, ""), TreeFile::new("a", 0o644, "")];
        assert_eq!(archive(&twice), Err(CpioError::Duplicate("a".into())));
        let file_and_dir: [TreeFile<Vec<u8>>; 2] = [TreeFile::new("a", 0o644, ""), TreeFile::new("a/b", 0o644, "")];
        assert_eq!(archive(&file_and_dir), Err(CpioError::Duplicate("a".into())));
    }

    #[test]
    fn inject_keeps_the_initrd_and_appends_one_gzip_member() {
        let stock = {
            let mut gz = GzBuilder::new().write(Vec::new(), Compression::fast());
            gz.write_all(
                &newc(&[Entry::File {
                    path: "init",
                    mode: 0o755,
                    data: b"#!/bin/sh\n",
                }])
                .unwrap(),
            )
            .unwrap();
            gz.finish().unwrap()
        };
        let files: [TreeFile<Vec<u8>>; 1] = [TreeFile::new("preseed.cfg", 0o644, "d-i a string b\n")];
        let out = inject(&stock, &files).unwrap();
        assert_eq!(&out[..stock.len()], &stock[..], "the stock initrd is unchanged");
        assert_eq!(out, inject(&stock, &files).unwrap(), "deterministic");
        let mut member = Vec::new();
        flate2::read::GzDecoder::new(&out[stock.len()..])
            .read_to_end(&mut member)
            .unwrap();
        assert_eq!(member, archive(&files).unwrap());
        // both members read back as one stream
        let mut all = Vec::new();
        flate2::read::MultiGzDecoder::new(&out[..])
            .read_to_end(&mut all)
            .unwrap();
        assert!(all.ends_with(&member));
    }
}
