# Fehlermeldungen (die Zeilen `Fehler: …` im Terminal). `$error` ist eine Ursache in
# ihren eigenen Worten (die des Betriebssystems, bei YAML-Einzelheiten die von serde).

## Eine Wurzel untersuchen (`ProbeError`)
err-probe-root-missing = Die Wurzel { $root } gibt es nicht
err-probe-root-not-dir = Die Wurzel { $root } ist kein Ordner
err-probe-root-empty = Die Wurzel { $root } enthält weder proc/ noch sys/: Ist sie wirklich der oberste Ordner einer Erfassung?

## Ein Gerät lesen (`MachineError`, `ReportError`)
err-machine-read = Der Bericht { $path } lässt sich nicht lesen: { $error }
err-machine-report = { $path }: { $error }
err-machine-unpack = Die Erfassung { $path } lässt sich nicht entpacken: { $error }
err-report-not-yaml = kein Bericht in YAML oder JSON: { $error }
err-report-no-schema = kein Feld `schema`: kein upcycle-Bericht ({ $schema })
err-report-other-schema = Das Schema `{ $found }` wird nicht unterstützt (dieses upcycle liest { $schema })
err-yaml-at = Zeile { $line }, Spalte { $column }: { $error }

## Eine Erfassung entpacken (`UnpackError`)
err-unpack-unreadable = kein lesbares .tar.gz: { $error }
err-unpack-write = Die entpackten Dateien lassen sich nicht schreiben (Festplatte voll? TMPDIR auf einen Ordner mit Platz setzen): { $error }
err-unpack-too-big = Entpackt wäre sie größer als { $limit } (die Grenze, --max-unpacked): keine Erfassung von upcycle? Falls es doch eine echte ist, --max-unpacked erhöhen
err-unpack-too-many = Sie enthält mehr als { $limit } Einträge (die Grenze; eine Erfassung hat einige hundert): nicht entpackt
err-unpack-bad-symlink = { $entry }: ein symbolischer Link ohne brauchbares Ziel: nicht entpackt
err-unpack-kind = { $entry } ist { $kind }: eine Erfassung enthält nur Dateien, Ordner und symbolische Links
err-unpack-kind-hard-link = ein harter Link
err-unpack-kind-char = ein zeichenorientiertes Gerät
err-unpack-kind-block = ein blockorientiertes Gerät
err-unpack-kind-fifo = ein FIFO
err-unpack-kind-sparse = eine Sparse-Datei
err-unpack-kind-other = ein ungewöhnlicher Eintrag
err-unpack-entry = Der Eintrag { $entry } { $why }: nicht entpackt
err-unpack-entry-long = ist länger als { $limit } Bytes
err-unpack-entry-nul = enthält ein NUL-Byte
err-unpack-entry-absolute = ist absolut
err-unpack-entry-climbs = steigt mit `..` nach oben
err-unpack-entry-deep = ist { $depth } Ebenen tief (die Grenze ist { $limit })
err-unpack-not-dir = { $entry }: { $parent } ist im Archiv eine Datei oder ein symbolischer Link, kein Ordner: nicht entpackt
err-unpack-twice = { $entry } kommt im Archiv zweimal vor: nicht entpackt
