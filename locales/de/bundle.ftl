# Das Bündel eines Geräts: Checkliste, boot.txt, Einrichtungsassistent beim ersten Start.

## Werte über das Gerät
bundle-size-unknown = Größe unbekannt
bundle-setup-account-name = Einrichtung
bundle-accounts-fixed = Feste Konten: { $users }
bundle-accounts-first-boot = Beim ersten Start legt die neue Besitzerin / der neue Besitzer ein eigenes Konto an (das Einrichtungskonto „{ $setup_user }“ meldet sich automatisch an und wird danach gelöscht)
bundle-accounts-gnome = Beim ersten Start fragt GNOME nach dem Konto der neuen Besitzerin / des neuen Besitzers
bundle-no-disk = keine interne Festplatte
bundle-no-battery = keiner
bundle-battery-worn-wh = { $wear } % verschlissen ({ DEC($full) } / { DEC($design) } Wh)
bundle-battery-worn = { $wear } % verschlissen
bundle-ram-assumed = unbekannt: { MIB($mib) } angenommen (Aufkleber am Speicher oder BIOS-Setup prüfen)

## Checkliste
checklist-title = Werkstatt-Checkliste
checklist-machine = Gerät
checklist-serial = Seriennummer
checklist-disk = Festplatte
checklist-battery = Akku
checklist-system = System
checklist-accounts = Konten
checklist-before = Vor der Installation
checklist-start = So startet die Installation
checklist-why = Warum dieses System
checklist-left-out = Weggelassen
checklist-firmware-notes = Firmware und Hinweise
checklist-firmware = Firmware: { $package }
checklist-upgrades = Aufrüsten lohnt sich
checklist-check-after = Prüfen nach der Installation
checklist-checked-by = Geprüft von
checklist-date = Datum
checklist-accessibility = Barrierefreiheit
check-a11y-speech = Orca spricht beim ersten Start (Lautsprecher laut genug?)
check-a11y-seen = Lupe, Schrift und Kontrast wie gewünscht
check-starts = Startet ohne Fehlermeldung
check-wifi = WLAN verbindet sich
check-sound = Ton (Lautsprecher und Kopfhörer)
check-webcam = Webcam
check-keys = Alle Tasten der Tastatur
check-touchpad = Touchpad
check-display = Bildschirm ohne Pixelfehler
check-battery = Akku lädt und hält
check-usb = USB-Anschlüsse
check-login = Anmeldung / Einrichtung klappt

## boot.txt
boot-title = upcycle: So startet die Installation von { $host }
boot-machine = Gerät: { $title }
boot-before = VOR DEM START: { $note }
boot-image-debian = Installationsabbild: Debian { $release } ({ $codename }) { $arch } netinst (CD-/USB-Abbild)
boot-image-netboot = oder Netzwerkstart ({ $package })
boot-ia32-1 = 32-Bit-UEFI: der Stick von „upcycle media usb“ startet mit Debians grubia32.efi
boot-ia32-2 = (Paket grub-efi-ia32-bin auf dem Werkstatt-PC); Secure Boot im Firmware-Setup ausschalten
boot-route1-1 = Stick, gemacht mit „upcycle media usb“ (Preseed im Installer):
boot-route1-2 = nichts zu tippen: der Menüeintrag „upcycle { $host }“ startet mit
boot-route2-1 = Netzwerk, gemacht mit „upcycle media netboot“: der Eintrag „upcycle { $host }“ hat diese
boot-route2-2 = Zeile mit der Adresse des Werkstatt-PCs. Oder ein offizielles Debian-Abbild: im Startmenü
boot-route2-3 = „Advanced options“ > „Automated install“ wählen, oder Tab (BIOS) / e (UEFI) drücken und
boot-route2-4 = an die Kernel-Zeile anhängen:
boot-workshop-pc = (WORKSHOP-PC ist die Adresse des PCs, auf dem „upcycle serve“ läuft.)
boot-image-ubuntu = Installationsabbild: Ubuntu { $release } Desktop (amd64)
boot-ubuntu-line = Im Startmenü e drücken und an die „linux“-Zeile vor „---“ anhängen:
boot-params = Kernel-Parameter für diesen Laptop: { $params }
boot-params-kept = (schon in den Zeilen oben, und sie bleiben im installierten System)
boot-erases = Der Installer fragt nichts. Er löscht nur die interne Festplatte { $device } ({ $size }); andere Festplatten, die erhalten bleiben sollen, vorher ausbauen.

## Einrichtungsassistent beim ersten Start (zenity)
wizard-title = Willkommen auf deinem Laptop
wizard-intro = Dieser Laptop gehört jetzt dir. Lege dein Benutzerkonto an.
wizard-name = Wie heißt du? (Vor- und Nachname)
wizard-user = Dein Benutzername zum Anmelden (klein, ohne Leerzeichen, z. B. lena):
wizard-pass = Wähle ein Passwort (mindestens 6 Zeichen):
wizard-pass2 = Gib das Passwort zur Sicherheit noch einmal ein:
wizard-error-name = Bitte gib deinen Namen ein.
wizard-error-name-chars = Der Name darf keinen Doppelpunkt und kein Komma enthalten.
wizard-error-user = Der Benutzername darf nur kleine Buchstaben, Ziffern, - und _ enthalten und muss mit einem Buchstaben beginnen.
wizard-error-taken = Diesen Benutzernamen gibt es auf dem Laptop schon (das System braucht einige Namen selbst). Bitte wähle einen anderen.
wizard-error-short = Das Passwort ist zu kurz: Es braucht mindestens 6 Zeichen.
wizard-error-match = Die Passwörter sind verschieden. Bitte noch einmal.
wizard-error-fail = Das Konto konnte nicht angelegt werden. Ist der Name schon vergeben?
wizard-done = Fertig! Der Laptop startet jetzt neu. Melde dich danach mit deinem Benutzernamen an.
wizard-later = Später einrichten? Beim nächsten Start kommt diese Frage wieder.

## NOT-CHECKED.txt (bundle.rs, note_unchecked)
bundle-not-checked-title = Dieses Bündel wurde OHNE diese Prüfungen geschrieben (--skip-validator):
bundle-not-checked-tool = - { $program } (Paket { $package })
bundle-not-checked-todo = Die fehlenden Programme installieren und das Bündel neu erzeugen, bevor damit ein Laptop installiert wird.

# The installer's erasure step (preseed partman/early_command): shown by d-i when it fails.
# ASCII only (ae, oe, ue): d-i's screen before the language is set shows <ERR> from the
# first umlaut on (scripts/e2e/erase-installer.sh, docs/e2e.md).
installer-erase-operator = Debian-Installer, unbeaufsichtigt ({ $asset })
installer-erase-progress-title = Festplatte { $disk } wird geloescht (upcycle erase; bei alten Festplatten bis zu Stunden)
installer-erase-progress-write = Ueberschreiben mit Nullen: { $done } von { $total } MiB
installer-erase-progress-verify = Pruefen durch Zuruecklesen: { $done } von { $total } MiB
installer-erase-failed-title = Loeschen fehlgeschlagen: die Installation haelt an
installer-erase-failed = Die Festplatte { $disk } wurde nicht geloescht (upcycle erase endete mit { $code }; 127: upcycle fehlt im Installer). Damit nichts ueber alte Daten installiert wird, haelt die Installation hier an. Das Protokoll steht auf der vierten Konsole (Alt+F4) und in /var/lib/upcycle/erasure. Den Laptop ausschalten und die Festplatte mit upcycle erase von einem Live-Stick loeschen oder ersetzen.
note-erase-not-in-installer = Diese Installation (Ubuntu) löscht die Festplatte nicht vorher, obwohl die Werkstatt es eingestellt hat (erase.before_install): vorher vom Live-Stick mit upcycle erase löschen
