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

## Wo in einer Datei (`Zeile 3: proxy: ...`)
err-path = { $path }: { $error }
err-at-line = Zeile { $line }: { $error }
err-field = { $field }: { $error }

## Die Werkstattdatei (`WorkshopError`); `$value` steht in Anführungszeichen
err-workshop-read = Die Werkstattdatei { $path } lässt sich nicht lesen
err-workshop-too-big = Die Datei hat { $len } Bytes; eine Werkstattdatei hat höchstens 1 MiB ({ $max } Bytes)
err-workshop-locale = { $value } ist keine Locale wie de_DE.UTF-8
err-workshop-layout = { $value } ist keine Tastaturbelegung wie de
err-workshop-variant = { $value } ist keine Tastaturvariante wie nodeadkeys
err-workshop-timezone = { $value } ist keine Zeitzone wie Europe/Berlin
err-workshop-host = { $value } ist kein Rechnername
err-workshop-directory = { $value } ist kein Pfad wie /debian
err-workshop-proxy = { $value } ist keine http://-Adresse wie http://192.168.1.10:3142/
err-workshop-pattern-letter = `{ $letter }` kann in einem Rechnernamen nicht stehen (a-z, 0-9, -): mit einfachen Buchstaben schreiben
err-workshop-pattern-number = braucht { "{n}" } (laufende Nummer) oder { "{serial}" }, damit jeder Laptop seinen eigenen Namen bekommt
err-workshop-domain = { $value } ist kein Domänenname
err-workshop-user-name = { $value } ist kein Benutzername (a-z, 0-9, -, _)
err-workshop-setup-system = { $value } ist ein Systemkonto (der Assistent beim ersten Start entfernt das Einrichtungskonto mit `userdel -r`): einen anderen Namen wählen, etwa einrichtung
err-workshop-no-users = mode fixed braucht mindestens einen Benutzer
err-workshop-user-system = { $value } ist ein Systemkonto: einen Namen für einen Menschen wählen
err-workshop-hash = Der Passwort-Hash von { $name } ist kein SHA-512-crypt-Hash ($6$...): mit `upcycle hash-password` einen erzeugen
err-workshop-full-name = Der volle Name von { $name } enthält Steuerzeichen, ':' oder ','
err-workshop-a11y-host = { $value } ist kein Rechnername (klein geschrieben, a-z, 0-9 und -, wie ihn das Werkstattbuch vergibt)
err-workshop-package = { $value } ist kein Debian-Paketname
err-workshop-link = ein Dateiname oder eine Adresse ohne Leerzeichen, mit {"{"}host{"}"} für den Rechnernamen und keinem anderen {"{"}…{"}"}, z. B. https://werkstatt.example/paesse/{"{"}host{"}"}.passport.html
err-workshop-one-line = eine Zeile ohne Steuerzeichen
err-workshop-search-engine = nur Buchstaben, Ziffern, Leerzeichen und '-'
err-workshop-entries = { $n } Einträge; höchstens { $max }
err-workshop-users = { $n } Benutzer; höchstens { $max }
err-workshop-length = { $n } Zeichen lang; höchstens { $max }
err-workshop-digits = { $n }; höchstens 9

## Die Meldungen des YAML-Lesers (serdes Worte); `$first`, `$last`, `$names` mit Backticks
err-yaml-missing-field = das Feld `{ $field }` fehlt
err-yaml-unknown-field = unbekanntes Feld `{ $name }`, { $count ->
    [0] hier ist kein Feld erlaubt
    [1] erwartet wird { $first }
    [2] erwartet wird { $first } oder { $last }
   *[other] erwartet wird eines von { $names }
}
err-yaml-unknown-variant = unbekanntes Wort `{ $name }`, { $count ->
    [0] hier ist kein Wort erlaubt
    [1] erwartet wird { $first }
    [2] erwartet wird { $first } oder { $last }
   *[other] erwartet wird eines von { $names }
}

## Der Profilkatalog (`LoadError`)
err-catalog-unusable = Der Profilkatalog ist nicht brauchbar
err-catalog-read = Der Katalog in { $path } lässt sich nicht lesen: { $error }
err-catalog-problems = { $n ->
    [one] Der Katalog hat 1 Problem:
   *[other] Der Katalog hat { $n } Probleme:
}

## Das Werkstattbuch (`LedgerError`, `Conflict`) und Ordnersperren (`LockError`)
err-ledger-newer = { $path } wurde von einem neueren upcycle geschrieben (Werkstattbuch-Schema { $found }; dieses upcycle kennt bis { $known }): upcycle auf diesem PC aktualisieren, das Werkstattbuch bleibt, wie es ist
err-ledger-not-a-ledger = { $path } ist kein Werkstattbuch von upcycle oder ist beschädigt ({ $why }); es bleibt, wie es ist: beiseitelegen (oder eine Kopie zurückholen) und noch einmal starten
err-ledger-missing = Unter { $path } gibt es kein Werkstattbuch: die Werkstattbuch-Datei angeben oder den Werkstattordner, der { $file } enthält (--ledger)
err-ledger-busy = Das Werkstattbuch { $path } war { $seconds } s lang belegt (ein anderer upcycle-Lauf schreibt gerade): noch einmal versuchen
err-ledger-sql = Das Werkstattbuch { $path }: { $error }
err-ledger-name-taken = { $input } bekäme den Rechnernamen { $hostname }, der schon Nummer { $number } gehört (zuerst aus { $other }): zwei Geräte können keinen Namen teilen; hostname.pattern ändern (z. B. { "{n}" } hinzufügen) oder ohne --redact erfassen, oder mit --redact --ledger
err-ledger-number-taken = Die Nummer { $number } gehört schon { $hostname } (zuerst aus { $other }); eine andere --number wählen oder sie weglassen
err-ledger-duplicate = { $input } ist dasselbe Gerät wie { $other } ({ $hostname }, { $kind ->
    [serial] dieselbe Seriennummer
    [mac] dieselbe MAC-Adresse
    [disk] dieselbe Festplatte
    [dmi-uuid] dieselbe DMI-UUID
   *[other] dasselbe Merkmal { $kind }
}): eines davon ist eine zweite Erfassung dieses Laptops; nicht geschrieben
err-ledger-renumber = { $input } ist schon { $hostname } (Nummer { $number }), nicht Nummer { $wanted }: die Nummer eines Geräts ändert sich nie
err-lock-busy = { $path } wird gerade von einem anderen upcycle-Lauf benutzt (ein batch, generate oder serve im selben Ordner): warten, bis er fertig ist, oder einen anderen Ausgabeordner wählen
err-lock-io = { $path } lässt sich nicht sperren: { $error }

## Ausgaben und Eingaben der Befehlszeile (`src/commands/`)
err-output-is-folder = -o { $path } ist ein Ordner: einen Dateinamen darin angeben, z. B. -o { $example }
err-output-is-device = -o { $path } ist ein Gerät oder eine Pipe, keine Datei: -o weglassen, um auf die Standardausgabe zu schreiben
err-image-is-folder = --image { $path } ist ein Ordner: einen Dateinamen darin angeben, z. B. --image { $example }
err-output-is-file = -o { $path } ist eine Datei, kein Ordner: ein anderes -o wählen
err-output-no-folder = -o { $path }: den Ordner { $folder } gibt es nicht: ihn zuerst anlegen oder ein anderes -o wählen
err-output-exists = { $path } gibt es schon: einen anderen Namen wählen oder --force angeben
err-output-file-on-path = -o { $path }: { $file } ist eine Datei, kein Ordner: ein anderes -o wählen
err-cannot-write = { $path } lässt sich nicht schreiben
err-cannot-create = { $path } lässt sich nicht anlegen
err-not-a-folder = { $path } ist kein Ordner
err-capture-move = Die Erfassung lässt sich nicht nach { $path } verschieben
err-policy-read = Die Richtlinie { $path } lässt sich nicht lesen
err-policy-unknown-pin = Die Richtlinie legt das unbekannte Profil `{ $profile }` fest: siehe `upcycle profiles list`
err-no-profile = Es gibt kein Profil `{ $profile }`: siehe `upcycle profiles list`
err-batch-no-inputs = Keine Berichte (.yaml, .json) oder Erfassungen (.tar.gz, Ordner mit proc/ oder sys/) gefunden
err-ledger-earlier-bundles = { $dir } enthält { $n ->
    [one] 1 Bündel
   *[other] { $n } Bündel
} von vor dem Werkstattbuch ({ $names }) und kein Werkstattbuch { $path }: zuerst `upcycle ledger import { $dir }` ausführen, damit sie ihre Nummern behalten, oder das Werkstattbuch mit --ledger angeben
err-ledger-import-exists = { $path } gibt es schon: import legt ein neues Werkstattbuch an; das alte zuerst beiseitelegen
err-ledger-import-empty = { $path } enthält keine Bündel-Ordner (DIR/<Rechnername>/selection.yaml + report.yaml)
err-passport-write = Der Gerätepass { $path } lässt sich nicht schreiben: { $error }
err-log-no-machine = Kein Gerät { $machine } in { $path }: seine Nummer oder seinen Rechnernamen angeben (siehe `upcycle status`)
err-batch-input-missing = gibt es nicht
err-batch-not-a-report = kein upcycle-Bericht (kein `schema: upcycle.report/v1`) und keine Erfassung (.tar.gz, ein Ordner mit proc/ oder sys/): Berichte und Erfassungen angeben oder ihren Ordner; eine Werkstattdatei gehört zu --workshop
err-bundle-exists = { $path } gibt es schon: --force angeben, um es zu ersetzen
err-bundle-write = Das Bündel lässt sich nicht nach { $path } schreiben: { $error }
err-missing-tools = { $names } { $n ->
    [one] ist
   *[other] sind
} nicht installiert: { $n ->
    [one] es
   *[other] sie
} installieren (apt-get install { $packages }) oder { $flags } angeben, um Bündel zu schreiben, die damit nicht geprüft wurden

## Installationsmedien (`MediaError`)
err-media-not-a-bundle = { $path }: kein Bündel-Ordner (keine selection.yaml); Ordner angeben, die `upcycle generate` oder `batch` erzeugt hat
err-media-no-bundles = { $path }: keine Bündel-Ordner darin (Ordner mit einer selection.yaml)
err-media-not-debian = { $asset }: { $what } braucht ein Debian-Bündel; dieses installiert { $release } mit Ubuntus autoinstall (Ubuntus eigenes ISO mit der user-data des Bündels nehmen, siehe seine boot.txt)
err-media-for-usb = ein USB-Stick
err-media-for-netboot = eine Netzwerkinstallation
err-media-no-images = Keine Installationsabbilder für Debian { $release } { $arch } unter { $dir }: mit `apt install debian-installer-{ $release }-netboot-{ $arch }` installieren (oder das Paket herunterladen, mit dpkg-deb -x auspacken und dann --images <ausgepackt>/usr/lib/debian-installer/images angeben)
err-media-no-upcycle = { $asset } löscht die Festplatte im Installer und braucht dafür das statische upcycle für { $arch }: unter { $dir } ist keines (mit scripts/build-static.sh bauen, dann --upcycle-static target angeben)
err-media-bad-upcycle = { $path } läuft nicht im Installer für { $arch }: { $why }
err-upcycle-not-elf = kein ELF-Programm
err-upcycle-wrong-arch = ein Programm für eine andere Architektur
err-upcycle-damaged = ein beschädigtes ELF-Programm (Programmköpfe abgeschnitten)
err-upcycle-dynamic = dynamisch gelinkt (das statische mit scripts/build-static.sh bauen)
err-images-unreachable = { $url } ist nicht erreichbar: { $why }; Netzwerk, Spiegelserver und Proxy der Werkstatt prüfen
err-images-http = { $url }: der Spiegelserver antwortet mit HTTP { $status }; vielleicht hat er die Installer-Abbilder nicht (einen anderen Spiegel in den Werkstatt-Einstellungen eintragen)
err-images-too-large = { $url }: größer als { $limit } Bytes; das ist nicht, was Debian dort veröffentlicht
err-images-bad-signature = { $path }: FALSCHE Signatur ({ $signer }): die Datei wurde nach Debians Unterschrift verändert; nichts wurde behalten
err-images-untrusted = { $path }: keine gültige Signatur eines Schlüssels aus { $keyring } (gpgv: { $detail }); nichts wurde behalten. Ein älterer Schlüsselbund? debian-archive-keyring aktualisieren
err-images-wrong-release = { $path }: das signierte Release ist für { $found }, nicht für { $expected }
err-images-checksum = { $path }: SHA-256 { $found }, aber { $listed_in } nennt { $expected }: die Datei ist beschädigt oder nicht Debians (oder der Spiegel wird gerade aktualisiert: später noch einmal versuchen); nichts wurde behalten
err-images-changed = { $path } ist nicht mehr so, wie { $listed_in } es nennt (beschädigt oder verändert, seit es geprüft wurde)
err-images-not-listed = { $path }: steht nicht in { $listed_in }
err-images-no-installer = Debian { $release } hat keinen Installer für { $arch }
err-images-tool-missing = { $tool } fehlt: das Paket { $package } installieren (sudo apt install { $package })
err-images-unpack = { $path } lässt sich nicht auspacken: { $why }
err-media-no-images-anywhere = Keine Installationsabbilder für Debian { $release } { $arch }: `upcycle media images --release { $release } --arch { $arch }` ausführen (lädt und prüft sie nach { $cache }), oder das Paket debian-installer-{ $release }-netboot-{ $arch } installieren, wo dieses System es hat
err-media-cache-broken = die Installationsabbilder für Debian { $release } { $arch } in { $dir } sind beschädigt und werden nicht benutzt: `upcycle media images --release { $release } --arch { $arch }` lädt sie neu
err-media-read = { $path } lässt sich nicht lesen: { $error }

# Fehler auf der Befehlszeile (clap sagt sie nur englisch; upcycle sagt die häufigen selbst).
usage-unknown-argument = unbekannte Option { $arg }
usage-unknown-command = unbekannter Befehl „{ $command }“
usage-invalid-value = „{ $value }“ ist kein möglicher Wert für { $arg } (möglich: { $valid })
usage-missing-argument = es fehlt: { $arg }
usage-bad-value = „{ $value }“ passt nicht zu { $arg }: { $why }
usage-did-you-mean = Gemeint: { $suggestion }?
usage-usage = Aufruf: { $usage }
usage-more = Mehr dazu: upcycle --help, oder --help hinter dem Befehl

## values of the command line (clap value parsers, src/cli.rs, capture::parse_size)
err-size-invalid = { $value } ist keine Größe: Bytes schreiben, oder eine Zahl mit K, M oder G (64M)
err-size-too-large = { $value } ist zu groß
err-number-invalid = { $value } ist keine Gerätenummer: eine ganze Zahl von 1 bis { $max }

## kinds of values in a YAML or JSON error (src/yaml.rs)
err-yaml-wrong-kind = falsche Art von Wert: { $found }, erwartet { $expected }
yaml-kind-integer = die Zahl { $value }
yaml-kind-float = die Kommazahl { $value }
yaml-kind-string = der Text { $value }
yaml-kind-boolean = der Wahrheitswert { $value }
yaml-kind-list = eine Liste
yaml-kind-mapping = eine Zuordnung
yaml-kind-empty = ein leerer Wert
yaml-expect-mapping = eine Zuordnung (Zeilen `Schlüssel: Wert`)
yaml-expect-list = eine Liste (Zeilen `- Eintrag`)
yaml-expect-single = ein einzelner Wert
yaml-expect-empty = ein leerer Wert
yaml-expect-word = eines der erlaubten Wörter
yaml-expect-bool = true oder false
yaml-expect-range = eine ganze Zahl von 0 bis { $max }
yaml-expect-unsigned = eine ganze Zahl ab 0
yaml-expect-integer = eine ganze Zahl
yaml-expect-number = eine Zahl
yaml-expect-string = ein Text

## values of a shape (src/token.rs)
err-token = { $value } ist { $what }
token-disk-name = kein Name eines Blockgeräts wie sda oder nvme0n1
token-package-name = kein Debian-Paketname (a-z, 0-9, +, -, .)
token-codename = kein Codename einer Version wie bookworm (nur a-z)
token-release = keine Versionsnummer wie 12 oder 24.04
token-kernel-param = kein Kernel-Parameter (nur Buchstaben, Ziffern und ._,:=/+@-)
token-install-token = kein Installationsschlüssel (32 kleine Hex-Ziffern)

## more mistakes said (serve's --listen, --append, --jobs, profiles show)
err-serve-port-in-use = Port { $port } ist belegt (ein anderes `upcycle serve` oder ein Webserver?): --listen { $listen } angeben
err-serve-port-root = Port { $port } braucht root (Ports unter 1024): --listen { $listen } angeben
err-serve-not-here = { $ip } ist keine Adresse dieses PCs: --listen { $listen } (jedes Netz) oder eine seiner Adressen angeben
err-append-word = --append: { $value } kann nicht in eine Bootzeile: nur Buchstaben, Ziffern und . _ , : = / + @ - (keine Leerzeichen, Anführungszeichen, $ ; # oder ---; das `---` kommt von selbst)
err-jobs-zero = --jobs muss mindestens 1 sein
err-one-line = { $option } muss eine Zeile mit höchstens 200 Zeichen sein
err-profile-unknown = kein Profil `{ $profile }`; bekannt: { $known }
err-server-not-ipv4 = --server '{ $value }' ist keine IPv4-Adresse: die Adresse des Werkstatt-PCs im Netz der Laptops angeben, etwa 192.168.1.10
err-subnet = --subnet: { $why }
err-server-not-in-subnet = --server { $server } liegt nicht in --subnet { $subnet }
err-serve-no-folder = { $path }: diesen Ordner gibt es nicht; den Ordner angeben, den `upcycle batch -o` (oder `generate -o`) geschrieben hat
err-serve-not-folder = { $path } ist kein Ordner; den Ordner angeben, der die Bündelordner enthält
err-serve-one-bundle = { $path } ist ein einzelner Bündelordner; den Ordner darüber bereitstellen (`upcycle serve { $parent }`): die Installer holen /<Rechnername>/preseed.cfg
err-serve-cannot-read = { $path } ist nicht lesbar: { $why }
err-serve-no-bundles = { $path } enthält keine Bündelordner (Ordner wie schule-001 mit einer selection.yaml); mit `upcycle batch` oder `upcycle generate` erzeugen
err-serve-no-address = Der Empfangsanschluss hat keine Adresse: { $why }
err-serve-stopped = Der Empfang auf { $listen } ist fehlgeschlagen: { $why }
err-serve-no-thread = Kein Thread für den Empfang der Installer-Meldungen: { $why }
err-serve-cannot-listen = Auf { $listen } kann nicht empfangen werden: { $why }
err-today = --today „{ $value }“ ist kein Datum wie 2026-12-06 (JJJJ-MM-TT)
err-subnet-shape = '{ $value }' ist kein Netz wie 192.168.1.0/24
err-subnet-address = '{ $value }' ist keine IPv4-Adresse (wie 192.168.1.0)
err-subnet-prefix = '/{ $value }': die Präfixlänge muss 8 bis 30 sein
err-media-new-folder = -o { $path }: einen neuen Ordner nennen
err-media-path-chars = -o { $path }: dnsmasq.conf nennt diesen Ordner, und sein Pfad hat Zeichen, die dnsmasq oder sh nicht nehmen (, " \ # ' $ ` oder Steuerzeichen); einen anderen Ordner wählen
err-media-none-given = keine Bündel angegeben
err-media-images-incomplete = die Installationsabbilder sind unvollständig: { $path } ist nicht lesbar ({ $why }); { $package } neu installieren

## Ursachen des Betriebssystems (`$code`: seine Nummer, für eine Suche)
os-not-found = gibt es nicht (Systemfehler { $code })
os-permission-denied = keine Berechtigung: als root oder mit sudo starten? (Systemfehler { $code })
os-already-exists = gibt es schon (Systemfehler { $code })
os-is-a-directory = ist ein Ordner, keine Datei (Systemfehler { $code })
os-not-a-directory = ein Teil des Pfads ist kein Ordner (Systemfehler { $code })
os-directory-not-empty = der Ordner ist nicht leer (Systemfehler { $code })
os-storage-full = kein Platz mehr auf dem Datenträger (Systemfehler { $code })
os-read-only = der Datenträger ist nur lesbar (Systemfehler { $code })
os-busy = wird gerade benutzt (Systemfehler { $code })
os-address-in-use = die Adresse wird schon benutzt (Systemfehler { $code })
os-address-not-available = die Adresse gehört nicht zu diesem PC (Systemfehler { $code })
os-connection-refused = die Verbindung wurde abgelehnt (Systemfehler { $code })
os-timed-out = keine Antwort in der erlaubten Zeit (Systemfehler { $code })
os-unexpected-eof = die Datei endet zu früh (Systemfehler { $code })

## Was in einer Katalogdatei falsch sein kann (`catalog::Problem`, src/catalog/check.rs)
catalog-duplicate-profile = Profil-ID `{ $id }` doppelt ({ $n } Dateien nutzen sie)
catalog-duplicate-quirk = Quirk-ID `{ $id }` doppelt
catalog-unknown-app-set = unbekannte App-Sammlung `{ $set }` (bekannt: { $known })
catalog-amd64-needs-64bit = ein amd64-Profil muss eine 64-Bit-CPU verlangen
catalog-i386-no-64bit = ein i386-Profil darf keine 64-Bit-CPU verlangen
catalog-cpu-exclusive = cpu_64bit und cpu_32bit_only schließen sich aus
catalog-ram-above-recommended = Mindest-RAM { $min } MiB liegt über den empfohlenen { $recommended } MiB
catalog-requires-zero = Mindest-RAM und -Festplatte müssen über 0 liegen
catalog-installer-mismatch = Debian installiert mit preseed, Ubuntu mit autoinstall
catalog-bad-date = `{ $value }` ist kein Datum der Form JJJJ-MM-TT
catalog-no-kernel-rule = mindestens eine Kernel-Regel ist nötig
catalog-last-kernel-rule-when = die letzte Kernel-Regel darf kein `when` haben, damit jede CPU einen Kernel bekommt
catalog-kernel-rule-shadows = Regel `{ $package }` hat kein `when`: die Regeln danach greifen nie
catalog-ubuntu-needs-source = ein Ubuntu-Profil braucht die Subiquity-Quell-ID (source)
catalog-debian-needs-desktop = ein Debian-Profil braucht Desktop-Tasks oder -Pakete
catalog-kept-out-and-installed = `{ $name }` wird zugleich ferngehalten und installiert: aus einer der Listen streichen
catalog-swap-min-above-max = min_mib liegt über max_mib
catalog-duplicate-app = zwei Apps haben dieselbe ID
catalog-unknown-alternative = `{ $app }`: unbekannte Alternative `{ $alternative }`
catalog-own-alternative = `{ $app }` ist seine eigene Alternative
catalog-app-no-packages = `{ $app }` nennt für keine Version Pakete
catalog-no-package-list = keine Paketliste `{ $key }` zum Prüfen (siehe scripts/gen-package-lists.sh)
catalog-no-package-lists-built = keine Paketliste `{ $key }`: dieses upcycle wurde ohne Paketlisten gebaut (statischer Build)
catalog-unknown-package = Paket `{ $name }` gibt es in { $key } nicht (gebraucht von Profil `{ $profile }`)
catalog-check-failed = { $n ->
    [one] { $name }: 1 Problem
   *[other] { $name }: { $n } Probleme
}
err-check-post-url = --post { $url }: keine serve-Adresse; so geht es: http://192.168.1.10:8080
err-check-root = { $path } ist kein Ordner
err-erase-cannot-open = { $path } lässt sich zum Löschen nicht öffnen: { $why }
err-cannot-read = { $path } lässt sich nicht lesen
err-erase-record-write = Der Löschnachweis lässt sich nicht in { $path } schreiben
