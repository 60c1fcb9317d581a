# Inventar (inventory.html) und Etiketten (labels.html).
inv-inventory = Inventar
inv-labels = Etiketten
inv-machines = Geräte
inv-ready = bereit
inv-failed = fehlgeschlagen
inv-failed-heading = Diese Geräte brauchen Hilfe
inv-all-machines = Alle Geräte
inv-sort-hint = Zum Sortieren auf eine Spaltenüberschrift klicken, ein zweiter Klick dreht die Reihenfolge um.
inv-per-profile = Geräte je Profil
inv-ram-sizes = Arbeitsspeicher (RAM)
inv-battery = Akkuzustand
inv-unknown = unbekannt
inv-no-battery = kein Akku
inv-battery-good = gut (ab 80 %)
inv-battery-ok = mittel (50–79 %)
inv-battery-weak = schwach (unter 50 %)
inv-col-asset = Inventar-Nr.
inv-col-model = Gerät
inv-col-serial = Seriennr.
inv-col-year = BIOS von
inv-col-disk = Festplatte
inv-col-display = Bildschirm
inv-col-profile = Profil
inv-col-notes = Hinweise
inv-col-status = Status
inv-bits32 = nur 32-Bit
inv-left-out = weggelassen
inv-upgrade = aufrüsten
inv-status-ok = bereit
inv-status-failed = fehlgeschlagen
inv-no-machines = Keine Geräte in diesem Durchgang.
inv-labels-intro = Aufkleber für jedes fertige Gerät, mit QR-Code der Inventarnummer.
inv-labels-intro-passport = Aufkleber für jedes fertige Gerät, mit QR-Code zu seinem Gerätepass.
inv-labels-on-sheets = Etiketten auf A4-Bögen (3 × 8, je 70 × 37 mm)
inv-print-how = Drucken: Papierformat A4, Skalierung 100 % („Tatsächliche Größe“, nicht „An Seite anpassen“), Ränder „Keine“, Kopf- und Fußzeilen aus. Erst ein Probeblatt auf Normalpapier drucken und gegen den Etikettenbogen halten.
inv-no-labels = Kein Gerät ist fertig: keine Etiketten.
inv-labels-skipped = ohne Etikett (fehlgeschlagen)
inv-battery-short = Akku
inv-firmware = Firmware
inv-erasure-erased = Festplatte gelöscht
inv-erasure-failed = Löschen fehlgeschlagen
inv-erasure-interrupted = Löschen unterbrochen
inv-replace-disk = Festplatte vor der Übergabe ersetzen
row-not-in-run = nicht in diesem Lauf: sein Bündelordner vom { $date } bleibt, wie er war, nicht mit dem heutigen Katalog geprüft
row-not-in-run-no-bundle = nicht in diesem Lauf: kein Bündel
row-bug = interner Fehler, ein Programmfehler in upcycle (bitte mit dem Bericht dieses Geräts melden): { $what }

# The estimate of what reuse avoids (src/passport/impact.rs)
inv-impact = Weiternutzung vermeidet
inv-impact-note = Schätzung für { $n ->
    [one] 1 Laptop
   *[other] { $n } Laptops
} mit Bündel, statt neue herzustellen
