//! The overwrite and the read-back: upcycle's own code, not a tool's. Writes a pattern over
//! a block device (or a file, for tests) in large aligned blocks with `O_DIRECT` where the
//! kernel allows it, syncs at checkpoints (each one a resume point), and reads back what it
//! wrote, bypassing the page cache, so that the verification sees the device, not memory.
//! SIGINT and SIGTERM stop it between blocks; the caller records that as an interruption.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom};
use std::ops::Range;
use std::os::unix::fs::{FileExt, FileTypeExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::plan::{MIB, SAMPLE_EDGE, SAMPLE_SLICE, SAMPLE_STRIDE, VerifyMode};

/// Bytes per write and read: large enough for full speed on any disk, small enough for
/// old laptops' memory. `scripts/bench-erase.sh` compares it with dd at the same size.
pub const BLOCK: usize = 4 * MIB as usize;
/// `O_DIRECT` needs buffers, offsets and lengths aligned to the logical block size.
const ALIGN: usize = 4096;
/// A checkpoint (sync, then the resume point saved) at least this often, and after this
/// many bytes.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);
pub const CHECKPOINT_BYTES: u64 = 256 * MIB;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// From now on SIGINT and SIGTERM stop the overwrite or the verification between two
/// blocks instead of killing the process, so the record can say "interrupted".
pub fn catch_interrupts() {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    let action = SigAction::new(SigHandler::Handler(on_signal), SaFlags::empty(), SigSet::empty());
    for sig in [Signal::SIGINT, Signal::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let _ = unsafe { sigaction(sig, &action) };
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// What is being erased: a block device, or a regular file standing in for one.
#[derive(Debug)]
pub struct Target {
    pub path: PathBuf,
    pub size: u64,
    pub block_device: bool,
}

impl Target {
    /// Open `path` to find its size. A block device is opened with `O_EXCL`, which the
    /// kernel refuses (EBUSY) while it is mounted or held by device-mapper or RAID.
    pub fn open(path: &Path) -> io::Result<Target> {
        let meta = std::fs::metadata(path)?;
        let block_device = meta.file_type().is_block_device();
        if !block_device && !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "neither a block device nor a file",
            ));
        }
        let mut f = open(path, false, false, block_device)?;
        let size = f.seek(SeekFrom::End(0))?;
        Ok(Target {
            path: path.to_path_buf(),
            size,
            block_device,
        })
    }
}

fn open(path: &Path, write: bool, direct: bool, exclusive: bool) -> io::Result<File> {
    let mut flags = libc::O_CLOEXEC;
    if direct {
        flags |= libc::O_DIRECT;
    }
    if exclusive {
        flags |= libc::O_EXCL;
    }
    OpenOptions::new()
        .read(!write)
        .write(write)
        .custom_flags(flags)
        .open(path)
}

/// A direct handle when the file system or device allows it, else a buffered one.
fn open_best(t: &Target, write: bool) -> io::Result<(File, bool)> {
    match open(&t.path, write, true, t.block_device) {
        Ok(f) => Ok((f, true)),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok((open(&t.path, write, false, t.block_device)?, false)),
        Err(e) => Err(e),
    }
}

/// A buffer of `len` bytes aligned for `O_DIRECT`, filled with `byte`.
struct Aligned {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl Aligned {
    fn new(len: usize, byte: u8) -> Aligned {
        let storage = vec![byte; len + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN);
        Aligned { storage, start, len }
    }
    fn get(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }
    fn get_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// How an overwrite or a verification ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every byte written (or read back and found erased).
    Done,
    /// Stopped by a signal; bytes before `at` are done (synced).
    Interrupted { at: u64 },
    /// The device failed at `at` (an I/O error: a failing disk).
    Failed { at: u64, error: String },
    /// Verification only: the byte at `at` is not the pattern.
    Mismatch { at: u64 },
}

/// Overwrite `t` with `pattern` from `start` to its end. `checkpoint(done)` is called after
/// each sync with the bytes that are now on the device (the caller saves it as the resume
/// point); `progress(done)` after each block. Returns the outcome and whether `O_DIRECT`
/// was used.
pub fn overwrite(
    t: &Target,
    pattern: u8,
    start: u64,
    checkpoint: &mut dyn FnMut(u64) -> io::Result<()>,
    progress: &dyn Fn(u64),
) -> io::Result<(Outcome, bool)> {
    let (file, direct) = open_best(t, true)?;
    // The unaligned tail of a file (never of a disk: sizes are whole sectors) goes through
    // the page cache, synced with the rest.
    let mut tail: Option<File> = None;
    let buf = Aligned::new(BLOCK, pattern);
    let mut at = start - start % ALIGN as u64;
    let mut last_sync = Instant::now();
    let mut synced_at = at;
    let sync = |file: &File, tail: &Option<File>| -> io::Result<()> {
        file.sync_data()?;
        if let Some(t) = tail {
            t.sync_data()?;
        }
        Ok(())
    };
    while at < t.size {
        if interrupted() {
            sync(&file, &tail)?;
            checkpoint(at)?;
            return Ok((Outcome::Interrupted { at }, direct));
        }
        let n = (t.size - at).min(BLOCK as u64) as usize;
        let result = if direct && n % ALIGN != 0 {
            if tail.is_none() {
                tail = Some(open(&t.path, true, false, false)?);
            }
            tail.as_ref().expect("opened above").write_all_at(&buf.get()[..n], at)
        } else {
            file.write_all_at(&buf.get()[..n], at)
        };
        if let Err(e) = result {
            let _ = sync(&file, &tail);
            let _ = checkpoint(at);
            return Ok((
                Outcome::Failed {
                    at,
                    error: e.to_string(),
                },
                direct,
            ));
        }
        at += n as u64;
        progress(at);
        if last_sync.elapsed() >= CHECKPOINT_EVERY || at - synced_at >= CHECKPOINT_BYTES {
            if let Err(e) = sync(&file, &tail) {
                return Ok((
                    Outcome::Failed {
                        at,
                        error: e.to_string(),
                    },
                    direct,
                ));
            }
            checkpoint(at)?;
            last_sync = Instant::now();
            synced_at = at;
        }
    }
    if let Err(e) = sync(&file, &tail) {
        return Ok((
            Outcome::Failed {
                at,
                error: e.to_string(),
            },
            direct,
        ));
    }
    checkpoint(at)?;
    Ok((Outcome::Done, direct))
}

/// The ranges a sample verification reads: the first and last [`SAMPLE_EDGE`] bytes and
/// [`SAMPLE_SLICE`] at the start of every [`SAMPLE_STRIDE`] between them. Sorted, disjoint.
pub fn sample_ranges(size: u64) -> Vec<Range<u64>> {
    if size <= 2 * SAMPLE_EDGE {
        return std::iter::once(0..size).collect();
    }
    let mut out: Vec<Range<u64>> = std::iter::once(0..SAMPLE_EDGE).collect();
    let end_edge = size - SAMPLE_EDGE;
    let mut at = SAMPLE_EDGE.div_ceil(SAMPLE_STRIDE) * SAMPLE_STRIDE;
    while at < end_edge {
        out.push(at..(at + SAMPLE_SLICE).min(end_edge));
        at += SAMPLE_STRIDE;
    }
    out.push(end_edge..size);
    out
}

/// Read back the ranges `mode` names and compare every byte with `pattern`. Returns the
/// outcome, the bytes read and whether `O_DIRECT` was used (without it, the page cache is
/// dropped first, so the reads still come from the device).
pub fn verify(t: &Target, pattern: u8, mode: VerifyMode, progress: &dyn Fn(u64)) -> io::Result<(Outcome, u64, bool)> {
    let ranges = match mode {
        VerifyMode::Full => std::iter::once(0..t.size).collect(),
        VerifyMode::Sample => sample_ranges(t.size),
    };
    let (file, direct) = open_best(t, false)?;
    let buffered = open(&t.path, false, false, false)?;
    // Written pages may still be cached: drop them so that buffered reads go to the device.
    // SAFETY: plain syscall on an open descriptor.
    unsafe {
        libc::posix_fadvise(buffered.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
    }
    let mut buf = Aligned::new(BLOCK, !pattern);
    let expected = vec![pattern; ALIGN];
    let mut read = 0u64;
    for r in ranges {
        let mut at = r.start;
        while at < r.end {
            if interrupted() {
                return Ok((Outcome::Interrupted { at }, read, direct));
            }
            let n = (r.end - at).min(BLOCK as u64) as usize;
            let aligned = direct && n % ALIGN == 0 && at % ALIGN as u64 == 0;
            let chunk = &mut buf.get_mut()[..n];
            let result = if aligned {
                file.read_exact_at(chunk, at)
            } else {
                buffered.read_exact_at(chunk, at)
            };
            if let Err(e) = result {
                return Ok((
                    Outcome::Failed {
                        at,
                        error: e.to_string(),
                    },
                    read,
                    direct,
                ));
            }
            if let Some(i) = chunk.chunks(ALIGN).position(|c| c != &expected[..c.len()]) {
                let page = &chunk[i * ALIGN..];
                let within = page.iter().position(|&b| b != pattern).unwrap_or(0);
                return Ok((
                    Outcome::Mismatch {
                        at: at + (i * ALIGN + within) as u64,
                    },
                    read,
                    direct,
                ));
            }
            at += n as u64;
            read += n as u64;
            progress(read);
        }
    }
    Ok((Outcome::Done, read, direct))
}

/// One sampled slice of a disk before a firmware erase: where, its SHA-256, and whether it
/// was one byte repeated (an empty area: the same after any erase, and no old data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub at: u64,
    pub len: u64,
    pub sha256: [u8; 32],
    pub uniform: bool,
}

/// The slices a fingerprint reads: the sample ranges ([`sample_ranges`]) cut into pieces of
/// [`SAMPLE_SLICE`].
pub fn slices(size: u64) -> Vec<Range<u64>> {
    sample_ranges(size)
        .into_iter()
        .flat_map(|r| {
            (r.start..r.end)
                .step_by(SAMPLE_SLICE as usize)
                .map(move |at| at..(at + SAMPLE_SLICE).min(r.end))
        })
        .collect()
}

fn read_slices(t: &Target, mut each: impl FnMut(u64, &[u8]) -> bool) -> io::Result<Outcome> {
    let buffered = open(&t.path, false, false, false)?;
    // SAFETY: plain syscall on an open descriptor.
    unsafe {
        libc::posix_fadvise(buffered.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
    }
    let mut buf = vec![0u8; SAMPLE_SLICE as usize];
    for r in slices(t.size) {
        if interrupted() {
            return Ok(Outcome::Interrupted { at: r.start });
        }
        let chunk = &mut buf[..(r.end - r.start) as usize];
        if let Err(e) = buffered.read_exact_at(chunk, r.start) {
            return Ok(Outcome::Failed {
                at: r.start,
                error: e.to_string(),
            });
        }
        if !each(r.start, chunk) {
            return Ok(Outcome::Mismatch { at: r.start });
        }
    }
    Ok(Outcome::Done)
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Before a firmware erase whose result is the vendor's: the SHA-256 of every sampled
/// slice, so the read-back can tell the old content from anything new.
pub fn fingerprint(t: &Target) -> io::Result<(Outcome, Vec<Slice>)> {
    let mut out = Vec::new();
    let outcome = read_slices(t, |at, chunk| {
        out.push(Slice {
            at,
            len: chunk.len() as u64,
            sha256: digest(chunk),
            uniform: chunk.iter().all(|&b| b == chunk[0]),
        });
        true
    })?;
    Ok((outcome, out))
}

/// After it: `Done` when no slice that held data still holds it (the same SHA-256 as
/// before); `Mismatch { at }` at the first that does.
pub fn compare(t: &Target, before: &[Slice]) -> io::Result<Outcome> {
    let mut i = 0;
    read_slices(t, |at, chunk| {
        let Some(old) = before.get(i).filter(|s| s.at == at) else {
            return false;
        };
        i += 1;
        old.uniform || digest(chunk) != old.sha256
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(len: usize, byte: u8) -> (tempfile::TempDir, Target) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk.img");
        std::fs::write(&path, vec![byte; len]).unwrap();
        let t = Target::open(&path).unwrap();
        (dir, t)
    }

    #[test]
    fn overwrite_then_verify_a_file_with_an_odd_size() {
        let len = 9 * MIB as usize + 1234;
        let (_dir, t) = file_with(len, 0xA5);
        assert_eq!(t.size, len as u64);
        let mut points = Vec::new();
        let (out, _) = overwrite(
            &t,
            0,
            0,
            &mut |d| {
                points.push(d);
                Ok(())
            },
            &|_| {},
        )
        .unwrap();
        assert_eq!(out, Outcome::Done);
        assert_eq!(points.last(), Some(&(len as u64)));
        assert!(std::fs::read(&t.path).unwrap().iter().all(|&b| b == 0));
        let (out, read, _) = verify(&t, 0, VerifyMode::Full, &|_| {}).unwrap();
        assert_eq!((out, read), (Outcome::Done, len as u64));
    }

    #[test]
    fn any_non_erased_byte_fails_the_verification_at_its_offset() {
        let len = 6 * MIB as usize;
        let (_dir, t) = file_with(len, 0);
        let f = OpenOptions::new().write(true).open(&t.path).unwrap();
        f.write_all_at(&[1], 5 * MIB + 77).unwrap();
        drop(f);
        let (out, _, _) = verify(&t, 0, VerifyMode::Full, &|_| {}).unwrap();
        assert_eq!(out, Outcome::Mismatch { at: 5 * MIB + 77 });
        // A pattern other than zeros: the zeros are the mismatch.
        let (out, _, _) = verify(&t, 0xFF, VerifyMode::Full, &|_| {}).unwrap();
        assert_eq!(out, Outcome::Mismatch { at: 0 });
    }

    #[test]
    fn a_resumed_overwrite_starts_at_its_checkpoint() {
        let len = 8 * MIB as usize;
        let (_dir, t) = file_with(len, 0x11);
        let (out, _) = overwrite(&t, 0, 4 * MIB, &mut |_| Ok(()), &|_| {}).unwrap();
        assert_eq!(out, Outcome::Done);
        let data = std::fs::read(&t.path).unwrap();
        assert!(
            data[..4 * MIB as usize].iter().all(|&b| b == 0x11),
            "before the resume point: untouched"
        );
        assert!(data[4 * MIB as usize..].iter().all(|&b| b == 0));
    }

    #[test]
    fn a_fingerprint_tells_the_old_content_from_anything_new() {
        let len = 5 * MIB as usize + 4096;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("disk.img");
        let mut data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        // the third MiB is empty (one byte repeated): not old data
        data[2 * MIB as usize..3 * MIB as usize].fill(0);
        std::fs::write(&path, &data).unwrap();
        let t = Target::open(&path).unwrap();
        let (out, before) = fingerprint(&t).unwrap();
        assert_eq!(out, Outcome::Done);
        assert_eq!(before.len(), 6, "five whole MiB and the tail");
        assert_eq!(before.iter().filter(|s| s.uniform).count(), 1);
        // unchanged: the old content is found in the first slice
        assert_eq!(compare(&t, &before).unwrap(), Outcome::Mismatch { at: 0 });
        // "crypto erased": everything new, except the empty area, which stayed empty
        let new: Vec<u8> = data
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (2 * MIB as usize..3 * MIB as usize).contains(&i) {
                    b
                } else {
                    b ^ 0x5a
                }
            })
            .collect();
        std::fs::write(&path, &new).unwrap();
        assert_eq!(compare(&t, &before).unwrap(), Outcome::Done);
        // one slice left as it was (a drive that skipped a region)
        let mut partly = new.clone();
        partly[4 * MIB as usize..5 * MIB as usize].copy_from_slice(&data[4 * MIB as usize..5 * MIB as usize]);
        std::fs::write(&path, &partly).unwrap();
        assert_eq!(compare(&t, &before).unwrap(), Outcome::Mismatch { at: 4 * MIB });
    }

    #[test]
    fn sample_ranges_cover_the_edges_and_every_stride() {
        assert_eq!(sample_ranges(100 * MIB).first(), Some(&(0..100 * MIB)));
        assert_eq!(sample_ranges(100 * MIB).len(), 1);
        let size = 1024 * MIB;
        let r = sample_ranges(size);
        assert_eq!(r.first(), Some(&(0..64 * MIB)));
        assert_eq!(r.last(), Some(&(960 * MIB..1024 * MIB)));
        // 64, 96, ..., 928 MiB: 28 slices of 1 MiB.
        assert_eq!(r.len(), 2 + 28);
        assert!(r.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!(VerifyMode::Sample.bytes_read(size), 128 * MIB + 28 * MIB);
    }
}
