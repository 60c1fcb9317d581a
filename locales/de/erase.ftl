# Der Nachweis der Datenlöschung (erase).
cert-title = Nachweis der Datenlöschung
cert-subtitle = nach NIST SP 800-88 (Certificate of Sanitization)
cert-status-erased = GELÖSCHT und geprüft
cert-status-interrupted = UNTERBROCHEN – NICHT gelöscht
cert-status-failed = FEHLGESCHLAGEN – NICHT gelöscht
cert-media = Datenträger
cert-model = Modell
cert-serial = Seriennummer
cert-bus = Anschluss
cert-medium = Art
cert-size = Größe
cert-device = Gerät
cert-hidden = Versteckte Bereiche (HPA/DCO)
cert-sanitization = Löschung
cert-method = Verfahren
cert-category = Kategorie (NIST SP 800-88 / IEEE 2883)
cert-tool = Werkzeug und Version
cert-written = Geschriebene Bytes
cert-resumed = Fortgesetzt ab Byte
cert-verification = Prüfung
cert-verify-method = Prüfverfahren
cert-verify-result = Ergebnis
cert-read = Gelesene Bytes
cert-health = Zustand des Laufwerks
cert-time = Zeit
cert-start = Beginn
cert-end = Ende
cert-people = Durchgeführt
cert-operator = Durchgeführt von
cert-workshop = Werkstatt
cert-destination = Verbleib
cert-notes = Hinweise
cert-signature = Unterschrift
cert-record = Protokolldatei
cert-sha = SHA-256 der Protokolldatei
cert-unknown = unbekannt

## Der Plan: was mit einer Festplatte geschähe, und warum nicht
refuse-boot = das laufende System wurde von dieser Festplatte gestartet
refuse-in-use = in Benutzung: { $uses }
use-mounted = { $device } eingehängt in { $at }
use-swap = { $device } ist aktiver Auslagerungsspeicher
use-held = belegt von { $holder } (Device-Mapper, LVM oder RAID)
refuse-usb = USB-Festplatte: wird nur gelöscht, wenn sie ausdrücklich genannt ist (upcycle erase /dev/{ $name })
refuse-sd = SD-Karte: wird nur gelöscht, wenn sie ausdrücklich genannt ist (upcycle erase /dev/{ $name })
refuse-removable = Wechseldatenträger: wird nur gelöscht, wenn er ausdrücklich genannt ist (upcycle erase /dev/{ $name })
refuse-size-unknown = Größe unbekannt
refuse-no-medium = kein Medium (Größe 0)
refuse-locked = mit einem ATA-Passwort gesperrt: zuerst entsperren (hdparm --security-unlock)
refuse-installer-external = { $name } ist ein USB-Datenträger, eine Speicherkarte oder ein Wechseldatenträger: der Installer löscht nur die eingebaute Festplatte
refuse-usb-bridge = USB-Festplatte: über eine USB-Brücke wird nur überschrieben
refuse-unavailable = { $what } ist auf dieser Festplatte nicht verfügbar{ $frozen ->
    [yes] , solange das Laufwerk eingefroren ist (erst Bereitschaft/Suspend und wieder aufwecken)
   *[no] {""}
}
advice-frozen = die Sicherheitsfunktionen des Laufwerks sind von der Firmware eingefroren: den Laptop in Bereitschaft versetzen und wieder aufwecken (systemctl suspend), dann neu planen, um ATA Secure Erase / Sanitize freizuschalten
advice-installer-overwrite = { $method } braucht { $tool } (Paket { $package }), das der Installer nicht hat: upcycle überschreibt die Festplatte stattdessen selbst
advice-nvme-unknown = NVMe-Fähigkeiten unbekannt (apt install nvme-cli): Sanitize oder Format NVM wäre Purge
advice-ata-unknown = ATA-Sicherheitszustand unbekannt (apt install hdparm): Sanitize wäre Purge für diese SSD
advice-purge = für Purge statt Clear: { $method }
erase-unknown = { $what } unbekannt: { $error }
fact-ata-security = ATA-Sicherheitszustand
fact-nvme = NVMe-Fähigkeiten
fact-health = Zustand des Laufwerks

## Verfahren
method-overwrite = ein Durchgang Nullen über jeden sichtbaren Sektor (upcycle), dann Zurücklesen
method-ata-secure-erase = ATA SECURITY ERASE UNIT (hdparm --security-erase), dann Zurücklesen
method-ata-enhanced-secure-erase = ATA SECURITY ERASE UNIT, erweitert (hdparm --security-erase-enhanced), dann Zurücklesen
method-ata-sanitize-block-erase = ATA SANITIZE BLOCK ERASE (hdparm --sanitize-block-erase), dann Zurücklesen
method-ata-sanitize-crypto-scramble = ATA SANITIZE CRYPTO SCRAMBLE (hdparm --sanitize-crypto-scramble), dann Zurücklesen
method-nvme-format-user-data = NVMe Format NVM, Löschen der Nutzerdaten (nvme format --ses=1), dann Zurücklesen
method-nvme-format-crypto = NVMe Format NVM, kryptografisches Löschen (nvme format --ses=2), dann Zurücklesen
method-nvme-sanitize-block-erase = NVMe Sanitize, Block Erase (nvme sanitize --sanact=2), im Sanitize-Log verfolgt, dann Zurücklesen
method-nvme-sanitize-crypto-erase = NVMe Sanitize, Crypto Erase (nvme sanitize --sanact=4), im Sanitize-Log verfolgt, dann Zurücklesen
method-emmc-secure-erase-sanitize = eMMC Secure Erase, dann Sanitize (mmc-utils), dann Zurücklesen
verify-full = vollständig: jedes Byte zurückgelesen und verglichen
verify-sample = Stichprobe: die ersten und letzten { $edge } MiB und { $slice } MiB am Anfang von je { $stride } MiB dazwischen, zurückgelesen und verglichen
verify-changed = nicht überall Nullen, darum: { $slices } Stichproben zu { $slice } MiB (die ersten und letzten { $edge } MiB und je { $slice } MiB in { $stride } MiB dazwischen) vor und nach dem Löschen gelesen und ihre SHA-256 verglichen: keine enthält noch ihren alten Inhalt (leere Bereiche ausgenommen)

## Zustand des Laufwerks (SMART)
health-smart-failed = die eigene SMART-Selbstbewertung des Laufwerks ist fehlgeschlagen
health-power-on = { $hours } Betriebsstunden (>= { $limit })
health-pending = { $n } schwebende (unlesbare) Sektoren
health-offline = { $n } nicht korrigierbare Sektoren (offline)
health-reallocated = { $n } ersetzte Sektoren
health-nvme-critical = kritische NVMe-Warnung { $code }
health-spare = Reserve { $spare } % auf oder unter ihrer Schwelle { $threshold } %
health-media-errors = { $n } NVMe-Medienfehler
health-endurance = { $used } % der Nennlebensdauer verbraucht
health-days-left = bei diesem Verschleiß noch etwa { $days } Betriebstage (< { $limit })
health-no-smart = das Laufwerk meldet keine SMART-Daten
health-not-read = keine SMART-Daten gelesen

## Protokoll-Hinweise
note-resumed = einen unterbrochenen Lauf vom { $started } bei Byte { $at } fortgesetzt
note-write-failed = Schreiben bei Byte { $at } fehlgeschlagen: { $error }
note-not-erased = Byte { $at } ist nicht gelöscht
note-read-failed = Lesen bei Byte { $at } fehlgeschlagen: { $error }
note-interrupted = unterbrochen: NICHT gelöscht; denselben Befehl noch einmal starten, um fortzusetzen
note-hpa = ein Host Protected Area von { $sectors } Sektoren wurde nicht überschrieben
note-dco = ein Device Configuration Overlay verbirgt { $sectors } Sektoren, die nicht überschrieben wurden
note-flash = Flash: Überschreiben erreicht die Reserveblöcke nicht (Clear, nicht Purge)
note-interrupted-firmware = unterbrochen: die Löschung durch die Firmware lief zu Ende, das Zurücklesen nicht; NICHT als gelöscht bestätigt, noch einmal starten
note-hpa-firmware = ein Host Protected Area von { $sectors } Sektoren: ob die Firmware-Löschung es erreicht hat, ist Sache des Laufwerks; zurückgelesen wurden nur die sichtbaren Sektoren
note-dco-firmware = ein Device Configuration Overlay verbirgt { $sectors } Sektoren: ob die Firmware-Löschung sie erreicht hat, ist Sache des Laufwerks; zurückgelesen wurden nur die sichtbaren Sektoren
note-tool-skipped = { $tool } ist nicht installiert (apt install { $package }): „{ $command }“ nicht ausgeführt
note-try-overwrite = „--method overwrite“ löscht die Festplatte stattdessen durch Überschreiben (Clear)
note-firmware-command = ausgeführt: { $command }
note-ata-password = das ATA-Passwort „{ $password }“ wurde für die Löschung gesetzt; bleibt das Laufwerk gesperrt: hdparm --user-master u --security-disable { $password } /dev/{ $name }
note-not-zeros = nicht überall Nullen (das erste andere Byte bei { $at }): was nach diesem Verfahren gelesen wird, legt der Hersteller fest
note-old-content = bei Byte { $at } steht noch der alte Inhalt (dieselbe SHA-256 wie vor dem Löschen): NICHT gelöscht
note-sanitize-failed = das Laufwerk meldet: Sanitize fehlgeschlagen
note-sanitize-not-started = das Laufwerk meldet keinen laufenden und keinen beendeten Sanitize-Vorgang

## Im Terminal
erase-prompt = /dev/{ $name } löschen: { $model }{ $serial }, { $size }, mit { $method } ({ $category })? Alle Daten darauf gehen verloren.
erase-prompt-serial = , Seriennummer endet auf { $tail }
erase-type-serial = Zum Fortfahren die letzten Zeichen der Seriennummer ({ $expected }) eintippen:{" "}
erase-type-name = Zum Fortfahren den Namen ({ $expected }) eintippen:{" "}
erase-unknown-model = unbekanntes Modell
erase-refused = /dev/{ $name } nicht gelöscht: { $why }
erase-replace-anyway = /dev/{ $name }: vor der Übergabe austauschen ({ $why }); wird trotzdem gelöscht
erase-busy = /dev/{ $name } nicht gelöscht: in Benutzung (der Kernel verweigert den alleinigen Zugriff)
erase-not-confirmed = /dev/{ $name } nicht gelöscht: nicht bestätigt
erase-resuming = /dev/{ $name }: setze fort bei { $done } von { $size }
erase-bar-overwrite = überschreibe { $name }
erase-bar-verify = prüfe { $name }
erase-tool-missing = /dev/{ $name } nicht gelöscht: { $method } braucht { $tool }, das nicht installiert ist (Paket { $package }: apt install { $package })
erase-firmware-running = /dev/{ $name }: { $command } (die Firmware des Laufwerks löscht; das lässt sich nicht abbrechen)
erase-bar-sanitize = % Sanitize { $name }
erase-done-erased = gelöscht und geprüft
erase-done-interrupted = UNTERBROCHEN, nicht gelöscht (noch einmal starten, um fortzusetzen)
erase-done-failed = FEHLGESCHLAGEN, nicht gelöscht
erase-done = /dev/{ $name }: { $word }; Protokoll { $record }, Nachweis { $certificate }
erase-ledger-none = kein Werkstattbuch im Protokollordner oder darüber (--ledger): die Löschung steht nur in den Protokolldateien
erase-ledger-machine = /dev/{ $name } gehört zu { $host } (Nummer { $number }) im Werkstattbuch { $path }
erase-ledger-unknown = /dev/{ $name }: dieser Laptop steht nicht im Werkstattbuch { $path } (weder das Gerät noch diese Festplatte ist dort bekannt); die Löschung wird nur als Protokolldatei gespeichert
erase-ledger-ambiguous = /dev/{ $name }: diese Festplatte passt zu mehreren Geräten im Werkstattbuch { $path } (Nummern { $numbers }); keines wird geraten, die Löschung wird nur als Protokolldatei gespeichert
erase-ledger-not-recorded = nicht ins Werkstattbuch { $path } eingetragen (der Laptop ist dort nicht eindeutig bekannt); das Protokoll bleibt in { $record }
erase-ledger-recorded = im Werkstattbuch { $path } eingetragen: { $host } (Nummer { $number })
erase-ledger-failed = konnte die Löschung nicht ins Werkstattbuch { $path } eintragen: { $error }; das Protokoll bleibt in { $record }
plan-serial = (Seriennummer …{ $tail })
plan-not-erased = NICHT GELÖSCHT: { $why }
plan-method = Verfahren: { $method } ({ $category }), Prüfung { $verify }{ $about }
plan-about = , etwa { $time }
plan-security = ATA-Sicherheit: { $supported }{ $frozen }, erweitertes Löschen { $enhanced }, Sanitize { $sanitize }{ $estimate }
plan-supported = unterstützt
plan-not-supported = nicht unterstützt
plan-frozen = , EINGEFROREN
plan-not-frozen = , nicht eingefroren
plan-yes = ja
plan-no = nein
plan-drive-estimate = , Schätzung des Laufwerks { $minutes } min
plan-hidden = versteckte Bereiche: HPA { $hpa }, DCO { $dco }
plan-area-none = keine
plan-area-present = VORHANDEN ({ $sectors } Sektoren, die ein Überschreiben nicht erreicht)
plan-health = Zustand: { $verdict }
plan-verdict-replace = VOR DER ÜBERGABE AUSTAUSCHEN
plan-verdict-watch = beobachten
plan-verdict-good = gut
plan-verdict-unknown = unbekannt
plan-advice = Rat: { $advice }
plan-no-disks = keine Festplatten gefunden
cert-result-passed = bestanden
cert-result-failed = NICHT bestanden
cert-result-not-run = nicht durchgeführt
tool-missing = { $tool } ist nicht installiert (apt install { $package })
tool-cannot-run = { $tool } lässt sich nicht starten: { $error }
tool-failed = { $command } fehlgeschlagen: { $error }
