# Meldungen im Terminal: Fortschritt, Warnungen, Ergebnisse der Befehle.
msg-warning = Warnung: { $text }
msg-error = Fehler: { $text }
msg-caused-by = Ursache: { $text }
msg-machines = Geräte
msg-written-to = { $what } geschrieben nach { $path }
msg-report = Bericht
msg-selection = Auswahl
msg-facts-unreadable = { $n ->
    [one] 1 Angabe war nicht lesbar
   *[other] { $n } Angaben waren nicht lesbar
} (mit -v alle zeigen)
msg-facts-unreadable-shown = { $n ->
    [one] 1 Angabe war nicht lesbar:
   *[other] { $n } Angaben waren nicht lesbar:
}
msg-ledger-starting = Das Werkstattbuch { $path } wird angelegt
msg-ledger-starting-redact = Das Werkstattbuch { $path } wird angelegt (für den Raum dieses Werkstattbuch nutzen: batch --ledger { $path })
msg-redact-without-ledger = --redact ohne --ledger: Seriennummern, UUIDs und MAC-Adressen werden zu Platzhaltern, so kann das Werkstattbuch diesen Laptop von einem anderen desselben Modells nur an seiner Festplatte unterscheiden; --ledger PFAD (das Werkstattbuch des Raums) angeben, damit er erkennbar bleibt (docs/ledger.md)
msg-captured = { $files } Dateien von { $model } erfasst{ $redacted ->
    [yes] {" "}(geschwärzt)
   *[no] {""}
} nach { $path }
msg-unknown-model = unbekanntes Modell
msg-batch-skipped = { $path } übersprungen (kein upcycle-Bericht)
msg-batch-summary = { $machines ->
    [one] 1 Gerät
   *[other] { $machines } Geräte
}: { $ok } Bündel ({ $written } geschrieben, { $unchanged } unverändert), { $failed } fehlgeschlagen{ $unread ->
    [0] {""}
    [one] {" "}(davon 1 Eingabe nicht gelesen: siehe Fehler oben)
   *[other] {" "}(davon { $unread } Eingaben nicht gelesen: siehe Fehler oben)
} -> { $path }
msg-batch-failed = FEHLGESCHLAGEN { $asset } ({ $source }): { $why }
msg-batch-files = Inventar: { $path }/inventory.csv, { $path }/inventory.html; Etiketten: { $path }/labels.html
msg-stale-removed = { $path } entfernt, übrig von einem abgebrochenen Lauf
msg-stale-not-removed = { $path } lässt sich nicht entfernen, übrig von einem abgebrochenen Lauf: { $error }
msg-ledger-number = { $host } hat die Nummer { $number }
msg-ledger-imported = { $imported } von { $total } Bündel-Ordnern übernommen in { $path }
msg-not-imported = { $path }: { $why } (nicht übernommen)
msg-media-skipping = überspringe { $id }: { $why }
msg-making-image = Das Datenträger-Abbild { $path } wird erstellt
msg-status-number = Nr.
msg-status-host = Rechnername
msg-status-model = Modell
msg-status-event = letztes Ereignis
msg-status-since = seit
msg-status-count = { $n ->
    [one] 1 Gerät
   *[other] { $n } Geräte
}
msg-profiles-from = ab { $ram }
msg-catalog-embedded = eingebauter Katalog
msg-catalog-ok = { $name }: { $n } Dateien, keine Probleme

## serve: die Zeilen beim Start
serve-warning =
    ACHTUNG: Wer { $listen } erreicht, kann jetzt { $dir } lesen (Preseed-Dateien enthalten Passwort-Hashes).
    Nur im Werkstatt-Netz, nur am Installationstag laufen lassen und mit Strg-C beenden.
serve-no-address = Dieser PC hat noch keine Netzwerkadresse: ihn anschließen und dann seine Adresse unten einsetzen.
serve-this-pc = <Adresse dieses PCs>
serve-no-ledger = kein Werkstatt-Ledger in { $dir }: keine Raumseite und kein Installationsfortschritt (den Ordner ausliefern, den `upcycle batch` geschrieben hat, oder --ledger angeben)
serve-ledger-unusable = { $why }; keine Raumseite und kein Installationsfortschritt
serve-room = die Raumseite: { $url }
serve-syslog = empfange die Meldungen der Installer auf UDP { $addr } (log_host/log_port) von { $nets }
serve-no-syslog = kann die Meldungen der Installer auf UDP { $addr } nicht empfangen ({ $why }): Fortschritt kommt nur über die Rückmeldungen
serve-addresses = Adressen dieses PCs: { $addrs } (die im Netz der Laptops nehmen; unten: { $first })
serve-serving = { $n ->
    [one] 1 Bündel wird
   *[other] { $n } Bündel werden
} ausgeliefert; die Kernel-Zeile jedes Installers braucht (boot.txt hat die ganze Zeile):
serve-log-below = Jede Anfrage steht unten: Zeit, Client, Methode, Pfad, Status, Bytes.

## serve: its log while it runs
serve-fetched = { $file ->
    [preseed] { $asset } hat seine Antwortdatei (preseed.cfg) geholt
    [user-data] { $asset } hat seine Antwortdatei (user-data) geholt
   *[postinstall] { $asset } hat sein Nachinstallationsskript geholt, den letzten Schritt des Installers
} (von { $ip })
serve-hello = { $asset }: sein Installer meldet sich (von { $ip })
serve-installed = { $asset }: installiert, { $packages } { $packages ->
    [one] Paket
   *[other] Pakete
} (von { $ip })
serve-refused-token = abgewiesen: { $what ->
    [hello] eine Meldung
    [checked] eine Selbstprüfung
    [erased] ein Löschprotokoll
   *[installed] ein Installationsbericht
} für { $asset } von { $ip } ohne seinen Installationsschlüssel
serve-warn-token-check = das Werkstattbuch konnte { $what ->
    [hello] eine Meldung
    [checked] eine Selbstprüfung
    [erased] ein Löschprotokoll
   *[installed] einen Installationsbericht
} nicht prüfen: { $why }
serve-warn-ledger = das Werkstattbuch hat { $what ->
    [fetch] den Abruf
    [hello] die Meldung
    [checked] die Selbstprüfung
    [form] die Prüfung im Raum
    [erased] das Löschprotokoll
   *[installed] den Installationsbericht
} von { $asset } nicht aufgenommen: { $why }
serve-self-check = { $asset }: Selbstprüfung, { $n } Prüfungen, { $failed } mit Fehler (von { $ip })
serve-erased = { $asset }: Löschprotokoll des Installers für { $disk }: { $result ->
    [erased] gelöscht und geprüft
    [interrupted] unterbrochen, NICHT gelöscht
   *[other] fehlgeschlagen, NICHT gelöscht
} (SHA-256 { $sha }…, von { $ip }), im Werkstattbuch
serve-erased-again = { $asset }: dasselbe Löschprotokoll für { $disk } noch einmal (SHA-256 { $sha }…, von { $ip }): schon im Werkstattbuch
serve-refused-erasure = abgewiesen: ein Löschprotokoll für { $asset } von { $ip }: { $why }
serve-room-checked = { $asset }: im Raum von Hand geprüft, jetzt „{ $state }“ (von { $ip })
serve-refused-form = abgewiesen: ein Prüfformular für { $asset } von einer anderen Seite (Origin { $origin })
serve-warn-syslog-stopped = der Empfang der Installer-Meldungen hat aufgehört: { $why }
serve-refused-syslog = abgewiesen: Installer-Meldungen von { $ip }, das nicht in den Netzen dieses PCs liegt ({ $nets })
serve-syslog-unknown = Installer-Meldungen von { $ip }: noch kein Laptop hat gesagt, dass dies seine Adresse ist (sein Abruf der Antwortdatei oder seine Meldung sagt es); seine Zeilen werden bis dahin aufbewahrt
serve-warn-lines-lost = { $n } { $n ->
    [one] Installer-Meldung
   *[other] Installer-Meldungen
} nicht aufgenommen: { $why }
serve-warn-accept = eine Verbindung konnte nicht angenommen werden: { $why }
serve-warn-no-thread = für eine Verbindung von { $ip } war kein Platz (kein Thread): { $why }
serve-warn-room-ledger = die Raumseite konnte das Werkstattbuch nicht lesen: { $why }
serve-room-no-ledger = Die Raumseite braucht das Werkstattbuch: den Ordner ausliefern, den `upcycle batch` geschrieben hat
serve-room-busy = Das Werkstattbuch ist gerade belegt: die Seite gleich neu laden
serve-bundle-unreadable = { $why } (seine Dateien werden trotzdem ausgeliefert)

## Werkstattbuch: Ereignisse und die Geschichte eines Geräts (status, log)
event-intake = Aufnahme
event-bundle = Bündel
event-media = Startmedium
event-preseed-fetched = Preseed abgerufen
event-install-progress = Installation läuft
event-installed = installiert
event-first-boot = erster Start
event-erased = gelöscht
event-checked = geprüft
event-handed-over = übergeben
log-head = { $host } (Nummer { $number }){ $model }, im Werkstattbuch seit { $since }
log-from = aus { $input }
log-new = (neu)
log-profile = Profil { $profile }
msg-plan-bundle = Bündel: { $path } (Nummer { $number }; boot.txt sagt, wie die Installation startet)

## hash-password
pw-prompt = Passwort:{" "}
pw-again = Noch einmal:{" "}
pw-differ = die beiden Passwörter sind verschieden
pw-empty = leeres Passwort

## Install stages serve heard of (`ledger::InstallStage` codes)
msg-status-stage = Installationsschritt
msg-status-erasure = Löschung
msg-status-erasure-cell = { $result } { $date }{ $replace ->
    [yes] , Festplatte vor der Übergabe ersetzen
   *[no] {""}
}
erasure-result-erased = gelöscht
erasure-result-failed = Löschen fehlgeschlagen
erasure-result-interrupted = Löschen unterbrochen
log-erasure = { $disk }: { $result } mit { $method } ({ $category }), Prüfung { $check }, Protokoll { $file } (sha256 { $sha })
log-replace = Festplatte vor der Übergabe ersetzen
stage-started = Installation gestartet
stage-network = Netzwerk
stage-components = Installer lädt Komponenten
stage-partitioning = Festplatte wird eingeteilt
stage-base-system = Grundsystem wird installiert
stage-package-sources = Paketquellen
stage-software = Software wird installiert
stage-boot-loader = Bootloader
stage-finishing = Abschluss
stage-installed = Installiert
stage-failed = Fehler

## The room page of `upcycle serve` (src/serve/room.rs)
room-title = upcycle: der Raum
room-heading = Installationen im Raum
room-laptops = Laptops
room-running = laufen
room-done = fertig
room-failed = Fehler
room-as-of = Stand:
room-reloads = aktualisiert sich alle { $n } Sekunden
room-language-name = Deutsch
room-col-number = Nr.
room-col-host = Rechner
room-col-model = Modell
room-col-stage = Stand
room-col-line = Letzte Meldung des Installers
room-col-since = seit
room-empty = Noch keine Laptops im Ledger: erst `upcycle batch`, dann hier.
room-check-link = prüfen
room-check-title = Prüfung von { $host }
room-check-keyboard = Tastatur (alle Tasten)
room-check-touchpad = Touchpad und Maustasten
room-check-hinges = Scharniere und Gehäuse
room-check-screen = Bildschirm (Pixelfehler, Flecken, Risse)
room-check-ok = in Ordnung
room-check-defect = defekt
room-check-skipped = nicht geprüft
room-check-grade = Optische Note (A wie neu bis E gerade noch brauchbar)
room-check-no-grade = keine
room-check-verdict = Urteil
room-check-note = Hinweis (eine Zeile, zum Beispiel was zu reparieren ist)
room-check-save = Speichern
room-check-saved = Gespeichert: { $host } ist jetzt „{ $state }“.
room-check-back = Zurück zum Raum
room-check-err-form = Das Formular ist beschädigt: die Seite neu laden und noch einmal ausfüllen.
room-check-err-token = Das Formular stammt nicht von dieser Seite: die Raumseite neu laden.
room-check-err-verdict = Bitte ein Urteil wählen.
room-check-err-note = Der Hinweis ist zu lang (höchstens 500 Zeichen).
room-check-err-origin = Das Formular muss von der Seite dieses PCs kommen.
room-check-err-no-laptop = Diesen Laptop gibt es im Werkstattbuch nicht.
room-just-now = gerade eben
room-minutes-ago = vor { $n } min
room-hours-ago = vor { $n } h
room-event-intake = erfasst
room-event-bundle = Bündel bereit
room-event-media = Medium bereit

## Warnings of the probe (src/probe/mod.rs, WARNINGS): a file it could not read
warn-missing = fehlt
warn-cpu-missing = fehlt: CPU-Angaben unbekannt
warn-cpu-unparsable = keine Prozessor-Einträge lesbar
warn-dmi-missing = keine DMI-Angaben: Hersteller, Modell und BIOS unbekannt
warn-uefi-bitness = UEFI-Bitbreite unbekannt (Kernel vor 4.6 haben diese Datei nicht)
warn-ram-missing = fehlt: eingebauter Arbeitsspeicher unbekannt
warn-ram-unparsable = keine lesbare MemTotal-Zeile
warn-not-utf8 = kein gültiges UTF-8: ungültige Bytes ersetzt
warn-too-large = Datei zu groß: nur die ersten 4 MiB gelesen
warn-unparsable-value = unlesbarer Wert { $value }
warn-unparsable-id = unlesbare Kennung { $value }
warn-pci-no-ids = PCI-Gerät ohne lesbare Hersteller- und Gerätekennung: übersprungen
warn-disk-skipped = übersprungen: { $value }
warn-disk-size = Größe der Festplatte unbekannt
warn-rotational-missing = fehlt: HDD oder SSD unbekannt
warn-battery-capacity = Akkukapazität unbekannt (kein energy_full/charge_full mit Nennwert)
warn-network-bus = Netzwerkanschluss an einem Bus, den die Erfassung nicht liest ({ $value })
warn-permission = nicht lesbar (braucht root?)
warn-not-regular-directory = ein Ordner, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-fifo = eine FIFO, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-char = eine Zeichen-Gerätedatei, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-block = eine Block-Gerätedatei, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-symlink = eine symbolische Verknüpfung, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-socket = ein Socket, keine gewöhnliche Datei: nicht gelesen
warn-not-regular-other = keine gewöhnliche Datei: nicht gelesen
warn-outside-root = symbolische Verknüpfung nach { $value } führt aus der Erfassung hinaus: nicht gefolgt
warn-too-many-links = zu viele symbolische Verknüpfungen (eine Schleife?): nicht gefolgt

## upcycle --version: welche Daten es mitbringt
version-profiles = { $n } Profile: { $ids }
version-profiles-broken = die eingebauten Profile lassen sich nicht laden (ein kaputter Build)
version-firmware = Firmware-Zuordnung { $release }: erstellt am { $day } aus firmware-nonfree { $nonfree }
version-ids = Gerätenamen: pci.ids { $pci }, usb.ids { $usb }
version-packages = Paketlisten: { $lists }

## serve: warum eine Anfrage keine Datei bekommt (der Inhalt der Absage; Deutsch, außer ?lang=en)
http-and-are-not-allowed-in-paths = `.` und `..` sind in Pfaden nicht erlaubt
http-a-bad-content-length = eine ungültige Content-Length
http-a-line-of-the-package-list-names-no-package = eine Zeile der Paketliste nennt kein Paket
http-empty-path-segments-are-not-allowed = leere Pfadteile (//) sind nicht erlaubt
http-folders-are-not-listed = Ordner werden nicht aufgelistet
http-give-packages-n-1-to-100000-and-sha256-64-hex-di = packages=N (1 bis 100000) und sha256=64 Hexadezimalziffern angeben
http-hello-is-get-installed-is-post-or-get-with-packa = hello ist GET, installed ist POST (oder GET mit packages= und sha256=), checked und erased sind POST
http-hidden-files-are-not-served = versteckte Dateien werden nicht ausgeliefert
http-no-such-callback = keine solche Rückmeldung
http-no-such-file = keine solche Datei
http-no-such-file-a-broken-link = keine solche Datei (ein kaputter Verweis)
http-not-a-regular-file = keine gewöhnliche Datei
http-not-an-http-1-request = keine HTTP/1-Anfrage
http-not-this-bundle-s-install-token = nicht der Installationsschlüssel dieses Bündels
http-only-get-and-head = nur GET und HEAD
http-only-paths-starting-with-are-served = nur Pfade, die mit / beginnen, werden ausgeliefert
http-only-the-characters-a-z-a-z-0-9-are-served = nur die Zeichen A-Z a-z 0-9 . _ ~ - / werden ausgeliefert
http-percent-encoded-paths-are-not-served-bundle-file = Pfade mit %-Kodierung werden nicht ausgeliefert (Bündeldateien brauchen keine)
http-send-the-body-with-a-content-length = den Inhalt mit einer Content-Length senden
http-the-body-ended-early = der Inhalt endete zu früh
http-the-body-is-too-long = der Inhalt ist zu lang
http-the-body-was-not-sent-in-time = der Inhalt kam nicht rechtzeitig
http-the-check-form-is-get-and-post = das Prüfformular ist GET und POST
http-the-ledger-is-busy-try-again = das Werkstattbuch ist gerade belegt, noch einmal versuchen
http-the-link-leads-out-of-the-served-folder = der Verweis führt aus dem ausgelieferten Ordner hinaus
http-the-link-leads-to-a-hidden-file = der Verweis führt zu einer versteckten Datei
http-the-erasure-record-is-not-utf-8-text = das Löschprotokoll ist kein UTF-8-Text
http-not-an-erasure-record = kein Löschprotokoll (YAML oder JSON nach upcycle.erasure/v2)
http-not-an-erasure-record-of-this-version = kein Löschprotokoll dieser Version (upcycle.erasure/v2)
http-the-erasure-record-has-a-bad-text = ein Text des Löschprotokolls ist zu lang, hat Steuerzeichen oder passt nicht zum Gerät
http-the-erasure-record-has-a-bad-time = eine Zeit des Löschprotokolls ist keine RFC-3339-Zeit
http-the-erasure-record-has-an-unknown-message = das Löschprotokoll nennt eine unbekannte Meldung
http-the-erasure-record-has-a-bad-number = eine Zahl des Löschprotokolls ist unmöglich (Größe 0, mehr Bytes als die Platte hat, keine endliche Zahl)
http-the-erasure-record-says-erased-without-a-passed-read-back = das Löschprotokoll sagt gelöscht, aber ohne bestandene Prüfung durch Zurücklesen
http-the-package-list-is-empty = die Paketliste ist leer
http-the-package-list-is-not-utf-8-text = die Paketliste ist kein UTF-8-Text
http-the-path-is-too-long = der Pfad ist zu lang
http-the-request-ended-early = die Anfrage endete zu früh
http-the-request-head-is-too-long = der Kopf der Anfrage ist zu lang
http-the-request-was-not-sent-in-time = die Anfrage kam nicht rechtzeitig
http-the-request-was-not-sent-in-time-the-server-is-b = die Anfrage kam nicht rechtzeitig (der Server ist ausgelastet)
http-the-workshop-ledger-is-not-served = das Werkstattbuch wird nicht ausgeliefert
http-this-file-is-not-readable-by-the-server = diese Datei kann der Server nicht lesen
http-too-many-request-headers = zu viele Kopfzeilen in der Anfrage
http-read-only = nur GET und HEAD werden ausgeliefert (nur lesen)
