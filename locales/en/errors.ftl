# Error messages (the terminal's `error: …` lines). Each is the English `Display` of a
# typed error or a check of the command line; `$error` is a cause said in its own words
# (the operating system's, or serde's for YAML details).

## Probing a root (`ProbeError`)
err-probe-root-missing = root { $root } does not exist
err-probe-root-not-dir = root { $root } is not a directory
err-probe-root-empty = root { $root } holds neither proc/ nor sys/: is it the top of a capture?

## Reading a machine (`MachineError`, `ReportError`)
err-machine-read = cannot read the report { $path }: { $error }
err-machine-report = { $path }: { $error }
err-machine-unpack = cannot unpack the capture { $path }: { $error }
err-report-not-yaml = not a YAML or JSON report: { $error }
err-report-no-schema = no `schema` field: not an upcycle report ({ $schema })
err-report-other-schema = schema `{ $found }` is not supported (this upcycle reads { $schema })
err-yaml-at = line { $line }, column { $column }: { $error }

## Unpacking a capture (`UnpackError`)
err-unpack-unreadable = not a readable .tar.gz: { $error }
err-unpack-write = cannot write the unpacked files (disk full? set TMPDIR to a folder with room): { $error }
err-unpack-too-big = it unpacks to more than { $limit } (the limit, --max-unpacked): not a capture made by upcycle? if it is a real one, raise --max-unpacked
err-unpack-too-many = it holds more than { $limit } entries (the limit; a capture has a few hundred): not unpacked
err-unpack-bad-symlink = { $entry }: a symlink without a usable target: not unpacked
err-unpack-kind = { $entry } is { $kind }: a capture holds only files, directories and symlinks
err-unpack-kind-hard-link = a hard link
err-unpack-kind-char = a character device
err-unpack-kind-block = a block device
err-unpack-kind-fifo = a FIFO
err-unpack-kind-sparse = a sparse file
err-unpack-kind-other = an unusual entry
err-unpack-entry = entry { $entry } { $why }: not unpacked
err-unpack-entry-long = is longer than { $limit } bytes
err-unpack-entry-nul = holds a NUL byte
err-unpack-entry-absolute = is absolute
err-unpack-entry-climbs = climbs with `..`
err-unpack-entry-deep = is { $depth } levels deep (the limit is { $limit })
err-unpack-not-dir = { $entry }: { $parent } is a file or symlink in the archive, not a directory: not unpacked
err-unpack-twice = { $entry } appears twice in the archive: not unpacked
