# Der Weg eines Laptops (src/passport/state.rs): Zustände aus dem Werkstattbuch
state-intake = aufgenommen
state-erased = Daten gelöscht
state-installed = installiert
state-checked = geprüft
state-ready = bereit zur Übergabe
state-handed-over = übergeben
state-to-repair = zur Reparatur
state-parts = Ersatzteile
msg-status-state = Zustand
msg-marked = { $host } (Nummer { $number }) ist jetzt: { $state }

## Der Gerätepass (templates/passport/passport.html.tera, src/passport/html.rs)
pp-title = Gerätepass
pp-subtitle = Was mit diesem Laptop gemacht wurde und was Sie wissen sollten
pp-number = Inventarnummer
pp-host = Rechnername
pp-state = Zustand
pp-as-of = Stand: { $date }
pp-device = Gerät
pp-model = Hersteller und Modell
pp-year = Baujahr (laut BIOS)
pp-hardware = Ausstattung
pp-hardware-when = laut Erfassung vom { $date }
pp-no-hardware = Noch keine Erfassung der Ausstattung im Werkstattbuch.
pp-cpu = Prozessor
pp-cpu-64 = 64 Bit
pp-cpu-32 = nur 32 Bit
pp-ram = Arbeitsspeicher
pp-disk = Festplatte
pp-battery = Akku
pp-battery-health = { $percent } % der ursprünglichen Kapazität
pp-battery-none = kein Akku
pp-battery-unknown = vorhanden, Zustand nicht gemessen
pp-display = Bildschirm
pp-unknown = nicht bekannt
pp-erasure = Datenlöschung
pp-not-erased = NOCH NICHT GELÖSCHT: Für diesen Laptop ist keine Löschung der Festplatte eingetragen. Die Daten der früheren Besitzer können noch darauf sein.
pp-not-erased-failed = NOCH NICHT GELÖSCHT: Die eingetragene Löschung ist nicht gelungen. Die Daten der früheren Besitzer können noch auf der Festplatte sein.
pp-erasure-failed = Nicht jeder Löschversuch ist gelungen; es gilt die Löschung mit dem Ergebnis „gelöscht und geprüft“.
pp-replace-disk = Die Festplatte zeigt starken Verschleiß (SMART): Sie sollte ersetzt werden. Speichern Sie wichtige Dateien immer auch woanders.
pp-erased-on = Datum
pp-erased-disk = Festplatte
pp-method = Verfahren
pp-method-category = { $method }; Kategorie { $category } nach NIST SP 800-88
pp-erasure-attempt = Löschversuch vom { $date }, Festplatte { $disk }: { $result }
pp-result = Ergebnis
pp-result-ok = gelöscht und geprüft
pp-result-not-ok = nicht gelöscht
pp-record = Prüfsumme des Löschprotokolls (SHA-256)
pp-verify-full = jedes Byte zurückgelesen und verglichen
pp-verify-sample = Stichprobe zurückgelesen und verglichen
pp-system = Betriebssystem
pp-no-system = Noch kein System ausgewählt.
pp-system-name = System
pp-installed-on = installiert am { $date }
pp-not-installed = noch nicht installiert
pp-support = Sicherheitsupdates bis
pp-packages = { $n } Pakete installiert
pp-check = Prüfung
pp-not-checked = Noch nicht geprüft.
pp-self-check = Selbstprüfung
pp-self-check-ok = am { $date }: { $passed } Prüfungen in Ordnung, keine mit Fehler
pp-self-check-failed = am { $date }: { $passed } Prüfungen in Ordnung; mit Fehler: { $failed }
pp-checked-on = geprüft am
pp-verdict = Urteil
pp-grade = Note
pp-grade-scale = A wie neu bis E gerade noch brauchbar
pp-note = Hinweis
pp-manual = Von Hand geprüft
pp-item-keyboard = Tastatur
pp-item-touchpad = Touchpad
pp-item-hinges = Scharniere und Gehäuse
pp-item-screen = Bildschirm
pp-item-is-ok = in Ordnung
pp-item-is-defect = defekt
pp-item-is-not-checked = nicht geprüft
pp-for-you = Was Sie wissen sollten
pp-accounts-first-boot = Beim ersten Einschalten legen Sie Ihr eigenes Benutzerkonto mit einem Passwort an, das nur Sie kennen. Das Einrichtungskonto „{ $setup }“ löscht sich danach von selbst.
pp-accounts-fixed = Die Werkstatt hat die Benutzerkonten eingerichtet. Das Passwort bekommen Sie getrennt von diesem Blatt. Ändern Sie es beim ersten Anmelden.
pp-updates-auto = Sicherheitsupdates werden von selbst installiert, wenn der Laptop mit dem Internet verbunden ist. Verbinden Sie ihn darum regelmäßig mit dem Internet.
pp-updates-manual = Installieren Sie regelmäßig die Updates (Menü: Software aktualisieren).
pp-support-until = Dieses System bekommt Sicherheitsupdates bis { $date }. Danach sollte ein neueres System installiert werden – die Werkstatt hilft dabei.
pp-support-ended = Die Sicherheitsupdates für dieses System endeten am { $date }. Bitte lassen Sie ein neueres System installieren – die Werkstatt hilft dabei.
pp-help = Hilfe bekommen Sie hier: { $help }
pp-help-none = Bei Fragen und Problemen wenden Sie sich an die Werkstatt, von der Sie den Laptop bekommen haben.
pp-data = Speichern Sie wichtige Dateien zusätzlich auf einem USB-Stick: Eine alte Festplatte kann plötzlich kaputtgehen.
pp-dates = Stationen
pp-date-intake = aufgenommen
pp-date-erased = Daten gelöscht
pp-date-installed = installiert
pp-date-checked = geprüft
pp-date-handed-over = übergeben
pp-footer = Erstellt mit upcycle aus dem Werkstattbuch. Seriennummern und der Name der Empfängerin oder des Empfängers stehen nicht in diesem Pass.

## upcycle passport auf dem Terminal
msg-passport-new = { $path } geschrieben
msg-passport-unchanged = { $path } unverändert
msg-passport-replaced = { $path } neu geschrieben; der vorige Stand bleibt als { $kept }
msg-passport-done = { $n ->
    [one] 1 Gerätepass
   *[other] { $n } Gerätepässe
} in { $path }

## Wirkung der Weiternutzung (src/passport/impact.rs, docs/passport.md)
impact-amounts = ca. { $co2e } CO₂e und ca. { $ewaste } Elektroschrott
pp-impact = Umwelt
pp-impact-laptop = Weil dieser gebrauchte Laptop weiter genutzt wird, statt einen neuen herzustellen, werden { $amounts } vermieden (eine Schätzung aus veröffentlichten Werten der Hersteller).

## upcycle handover
log-grade = Note { $grade }
log-removed = entfernt: { $what }
msg-handover-done = { $host } (Nummer { $number }) ist übergeben.
msg-handover-removed = Aus dem Werkstattbuch entfernt: { $what } (die Ereignisse bleiben, wie sie sind)
msg-handover-removed-nothing = Im Werkstattbuch war nichts zu entfernen (die Ereignisse bleiben, wie sie sind)
handover-removed-install-token = der Installationsschlüssel
handover-removed-install-state = der letzte Installationsstand (Adresse und Meldung des Installers)
msg-handover-name-not-stored = Der Name der Empfängerin oder des Empfängers wurde NICHT gespeichert (passport.keep_recipient_name ist in der Werkstatt-Datei aus); das Werkstattbuch vermerkt das.
msg-handover-name-stored = Der Name der Empfängerin oder des Empfängers steht im Werkstattbuch (passport.keep_recipient_name in der Werkstatt-Datei).
msg-handover-not-erased = Für diesen Laptop ist keine gelungene Löschung der Festplatte eingetragen: Die Daten der früheren Besitzer können noch darauf sein.
msg-handover-not-ready = Dieser Laptop war nicht als bereit zur Übergabe eingetragen, sondern: { $state }
