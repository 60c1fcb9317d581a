# --help: Beschreibungen der Befehle und ihrer Optionen (clap kann keine Übersetzung:
# l10n::command setzt diese Texte in den fertigen Befehl). Ids: help-<Befehlspfad>
# (Kurzbeschreibung), -long (der ganze Text von --help), help-<Pfad>-arg-<Argument>,
# help-arg-<Argument> für ein Argument, das in jedem Befehl dasselbe bedeutet.
help-heading-usage = Aufruf:
help-heading-commands = Befehle
help-heading-options = Optionen
help-heading-arguments = Argumente
help-possible-values = [mögliche Werte: { $values }]
help-default = [Vorgabe: { $value }]
help-arg-help = Hilfe zeigen
help-arg-help-long = Hilfe zeigen (Kurzfassung mit „-h“)
help-arg-version = Version zeigen
help-help = Diese Hilfe oder die Hilfe der genannten Befehle zeigen
help-arg-quiet = Weniger ausgeben (nur Fehler und das Ergebnis)
help-arg-verbose = Mehr ausgeben (jede Warnung vollständig)
help-arg-lang = Sprache der Ausgabe [Vorgabe: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, sonst de]
help-arg-accessibility = Hilfen für die Empfängerin oder den Empfänger ab dem ersten Start, statt derer der Werkstatt (`accessibility` in den Werkstatt-Einstellungen), mit Komma getrennt: screen-reader (Bildschirmleser Orca), magnifier (Lupe), large-text (große Schrift), high-contrast (hoher Kontrast)
help-arg-images = Nur diesen Ordner mit Installer-Abbildern in `<Release>/<Arch>/text/` nehmen, wie ihn die Pakete debian-installer-<Release>-netboot-<Arch> installieren [Vorgabe: der Zwischenspeicher von `upcycle media images`, sonst /usr/lib/debian-installer/images]
help-arg-cache = Der Zwischenspeicher, den `upcycle media images` füllt [Vorgabe: $UPCYCLE_CACHE/installer, als root /var/cache/upcycle/installer, sonst $XDG_CACHE_HOME/upcycle/installer]
help-arg-max_unpacked = Eine .tar.gz-Erfassung ablehnen, die ausgepackt mehr als SIZE an Dateiinhalt hat (Bytes, oder mit K, M oder G: 64M). Eine echte Erfassung hat einige KiB bis wenige MiB [Vorgabe: 64M]
help-arg-profiles = Den Katalog in DIR statt des eingebauten benutzen (eine Kopie von `profiles/`)
help-arg-report = Das Gerät: eine Berichtsdatei (YAML oder JSON) oder eine Erfassung (Ordner oder .tar.gz)
help-arg-skip_validator = Bündel schreiben, obwohl dieses Prüfprogramm nicht installiert ist (für mehrere wiederholen). Das Bündel enthält dann NOT-CHECKED.txt. Ohne diese Option ist ein fehlendes Prüfprogramm ein Fehler
help-arg-templates = Die Vorlagen in DIR statt der eingebauten benutzen
help-arg-today = Die Support-Dauer ab diesem Tag (JJJJ-MM-TT) statt ab heute zählen
help-upcycle = upcycle macht aus alten Laptops Schulcomputer: Es liest, was ein Laptop hat, wählt ein passendes System aus freier Software und schreibt die Dateien, die es ohne Rückfragen installieren
help-probe = Die Hardware dieses Laptops (oder einer erfassten Kopie) lesen und den Bericht ausgeben.
help-probe-long =
    Die Hardware dieses Laptops (oder einer erfassten Kopie) lesen und den Bericht ausgeben.

    Beispiele:
      upcycle probe                         Kurzfassung für dieses Gerät
      upcycle probe -o t40.yaml             ganzer Bericht als YAML
      upcycle probe --root ./t40-capture    Bericht eines erfassten Laptops
help-probe-arg-root = Ordner mit `proc/` und `sys/` (eine Erfassung) oder eine `.tar.gz` von `upcycle capture`; `/` ist dieses Gerät
help-probe-arg-format = Ausgabeformat [Vorgabe: text im Terminal, sonst oder mit -o yaml]
help-probe-arg-output = Den Bericht in FILE statt auf die Standardausgabe schreiben
help-probe-arg-redact = Seriennummern, UUIDs und MAC-Adressen durch Platzhalter ersetzen
help-probe-arg-ledger = Mit --redact: Seriennummern, UUIDs und MACs durch ihren Schlüssel-Hash aus diesem Werkstattbuch ersetzen (eine Datei oder ein Ordner mit upcycle-ledger.sqlite; wird angelegt, wenn es fehlt), damit das Werkstattbuch den Laptop wiedererkennt. Ohne diese Option erkennt man einen geschwärzten Laptop nur an seiner Festplatte (docs/ledger.md)
help-probe-arg-force = DATEI ersetzen, wenn es sie gibt (sonst wird eine vorhandene Datei abgelehnt: Rückgabewert 4)
help-capture = Genau die Dateien kopieren, die die Erfassung liest, um einen Laptop später anderswo auszuwerten.
help-capture-long =
    Genau die Dateien kopieren, die die Erfassung liest, um einen Laptop später anderswo auszuwerten.

    `upcycle probe --root <Erfassung>` gibt dann denselben Bericht wie auf dem Laptop.
    Beispiele:
      upcycle capture -o t40.tar.gz --redact   auf dem Laptop, auf den USB-Stick
      tar xzf t40.tar.gz -C t40 && upcycle probe --root t40
help-capture-arg-root = Ordner mit `proc/` und `sys/`; `/` ist dieses Gerät
help-capture-arg-output = Wohin: eine `.tar.gz`-Datei oder ein Ordner, den es noch nicht gibt
help-capture-arg-redact = Seriennummern, UUIDs und MAC-Adressen durch Platzhalter ersetzen (zum Weitergeben)
help-capture-arg-ledger = Mit --redact: Seriennummern, UUIDs und MACs durch ihren Schlüssel-Hash aus diesem Werkstattbuch ersetzen (eine Datei oder ein Ordner mit upcycle-ledger.sqlite; wird angelegt, wenn es fehlt), damit das Werkstattbuch den Laptop wiedererkennt. Ohne diese Option erkennt man einen geschwärzten Laptop nur an seiner Festplatte (docs/ledger.md)
help-capture-arg-force = Eine vorhandene Ausgabe ersetzen
help-select = Das System aus freier Software für ein Gerät wählen, mit Gründen und Aufrüst-Tipps.
help-select-long =
    Das System aus freier Software für ein Gerät wählen, mit Gründen und Aufrüst-Tipps.

    REPORT ist ein Bericht von `upcycle probe -o` oder eine Erfassung (Ordner oder .tar.gz).
    Beispiele:
      upcycle select t40.yaml
      upcycle select t40.yaml --format json | jq .chosen.profile
      upcycle select t40.yaml --policy werkstatt-vorgabe.yaml --lang de
    Rückgabewert 5: kein Profil passt (die Ausgabe sagt, was fehlt).
help-select-arg-policy = Werkstatt-Vorgabe (YAML): Profile festlegen, ausschließen oder bevorzugen; siehe docs/selection-format.md
help-select-arg-format = Ausgabeformat [Vorgabe: text im Terminal, sonst oder mit -o yaml]
help-select-arg-output = Die Auswahl in FILE statt auf die Standardausgabe schreiben
help-select-arg-force = DATEI ersetzen, wenn es sie gibt (sonst wird eine vorhandene Datei abgelehnt: Rückgabewert 4)
help-profiles = Die Profile des Katalogs auflisten, zeigen und prüfen
help-profiles-list = Eine Zeile je Profil: Id, System, Desktop, kleinster Arbeitsspeicher
help-profiles-show = Ein Profil vollständig (YAML)
help-profiles-show-arg-id = Profil-Id, wie in `upcycle profiles list`
help-profiles-check = Einen Katalog prüfen: unbekannte Schlüssel, unbekannte Programmgruppen, Pakete, die es im Release nicht gibt, unmögliche Anforderungen, doppelte Ids. Jedes Problem nennt Datei, Zeile und Feld
help-profiles-check-arg-dir = Der zu prüfende Katalog-Ordner [Vorgabe: der eingebaute Katalog]
help-generate = Das Installationsbündel eines Geräts schreiben: Preseed oder Autoinstall, Skript nach der Installation, Startanleitung, Checkliste zum Drucken.
help-generate-long =
    Das Installationsbündel eines Geräts schreiben: Preseed oder Autoinstall, Skript nach
    der Installation, Startanleitung, Checkliste zum Drucken.

    Jede Datei prüft zuerst ihr echtes Prüfprogramm; schlägt eines fehl, wird nichts geschrieben.
    Beispiele:
      upcycle generate t40.yaml                    -> bundles/schule-001/
      upcycle generate t40.yaml --number 12 -o /media/stick/bundles
      upcycle generate t40.yaml --workshop unsere-werkstatt.yaml --profile debian-12-i386-xfce
    Rückgabewerte: 4 Bündel gibt es schon (--force nutzen), 5 kein Profil passt, 6 Prüfung fehlgeschlagen.
help-generate-arg-profile = Dieses Profil statt der Wahl des Programms installieren (es muss zum Gerät passen)
help-generate-arg-workshop = Werkstatt-Einstellungen (YAML) [Vorgabe: die eingebaute deutsche Schulwerkstatt]
help-generate-arg-output = Ausgabeordner; das Bündel kommt nach DIR/<Rechnername>/
help-generate-arg-force = Ein vorhandenes Bündel dieses Geräts ersetzen
help-generate-arg-number = Die Nummer für ein Gerät, das das Werkstattbuch noch nicht kennt [Vorgabe: die nächste freie]; ein bekanntes Gerät behält seine
help-generate-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite [Vorgabe: upcycle-ledger.sqlite im Ausgabeordner]
help-batch = Bündel, Inventar und Etiketten für einen ganzen Raum voller Laptops.
help-batch-long =
    Bündel, Inventar und Etiketten für einen ganzen Raum voller Laptops.

    INPUT sind Berichte (.yaml, .json) und Erfassungen (.tar.gz oder Ordner mit proc/ und
    sys/) oder Ordner, die sie enthalten (rekursiv, sortiert durchsucht). Das Werkstattbuch
    (DIR/upcycle-ledger.sqlite oder --ledger) erkennt Geräte, die es kennt; ein neues
    bekommt die nächste freie Nummer und seinen Rechnernamen, einmal und für immer. Eine
    kaputte Eingabe wird gemeldet, die anderen laufen weiter. Schreibt DIR/<Rechnername>/
    je Gerät, DIR/inventory.csv, DIR/inventory.html und DIR/labels.html (jedes Gerät des
    Werkstattbuchs; die nicht unter den Eingaben sind, werden markiert).
    Beispiele:
      upcycle batch /media/stick/captures -o raum-12
      upcycle batch berichte/ erfassungen/ -o aus --workshop unsere-werkstatt.yaml --jobs 4
    Rückgabewert 7: einige Geräte sind fehlgeschlagen (siehe Zusammenfassung und Inventar).
help-batch-arg-inputs = Berichte, Erfassungen oder Ordner, die sie enthalten
help-batch-arg-output = Ausgabeordner
help-batch-arg-workshop = Werkstatt-Einstellungen (YAML) [Vorgabe: die eingebaute deutsche Schulwerkstatt]
help-batch-arg-jobs = Gleichzeitig bearbeitete Geräte [Vorgabe: die Zahl der CPUs]
help-batch-arg-validate_all = debconf-set-selections, bash -n und shellcheck auf jedes Bündel anwenden (langsam), nicht nur einmal je Art von Bündel
help-batch-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite [Vorgabe: upcycle-ledger.sqlite im Ausgabeordner]
help-media = Startmedien für eine Werkstatt: ein Verzeichnis für die Netzwerkinstallation oder ein Ordner für einen USB-Stick
help-media-netboot = Ein Verzeichnis für die Netzwerkinstallation vom Werkstatt-PC: TFTP-Startdateien (BIOS und UEFI), ein Starteintrag je Laptop (gewählt an seiner MAC-Adresse) und eine Proxy-DHCP-Konfiguration für dnsmasq.
help-media-netboot-long =
    Ein Verzeichnis für die Netzwerkinstallation vom Werkstatt-PC: TFTP-Startdateien (BIOS
    und UEFI), ein Starteintrag je Laptop (gewählt an seiner MAC-Adresse) und eine
    Proxy-DHCP-Konfiguration für dnsmasq.

    BUNDLES sind Bündel-Ordner (von `generate`, `plan` oder `batch`) oder Ordner, die sie
    enthalten; Ubuntu-Bündel werden übersprungen (Ubuntus ISO nehmen). Ein Laptop, dessen
    Bericht seine kabelgebundene MAC-Adresse nennt, startet seine Installation nach 10
    Sekunden; jedes andere Gerät bekommt ein Menü aller Bündel, das von selbst die eigene
    Festplatte startet. Die Installer holen ihr Preseed von `upcycle serve` auf dem Werkstatt-PC.
    Braucht Debians Netboot-Abbilder: einmal `upcycle media images` auf dem Werkstatt-PC
    (lädt und prüft sie für Debian 12 und 13), oder die Pakete debian-installer-12-netboot-i386 ...
    Beispiele:
      upcycle media netboot raum-12 -o netboot --server 192.168.1.10
      sudo netboot/start.sh                      (dnsmasq: Proxy-DHCP + TFTP)
      upcycle serve raum-12                      (in einem zweiten Terminal)
    Rückgabewerte: 3 kaputtes Bündel oder fehlende Abbilder, 4 Ausgabe gibt es schon (--force nutzen).
help-media-netboot-arg-bundles = Bündel-Ordner oder Ordner, die Bündel-Ordner enthalten
help-media-netboot-arg-output = Wohin das Verzeichnis geschrieben wird (darf nicht existieren, außer mit --force)
help-media-netboot-arg-server = Die IPv4-Adresse des Werkstatt-PCs im Schulnetz (auf ihm laufen dnsmasq und `upcycle serve`)
help-media-netboot-arg-http_port = Port von `upcycle serve` auf dem Werkstatt-PC
help-media-netboot-arg-subnet = Das Netz der Laptops, für das Proxy-DHCP [Vorgabe: das /24 des Servers]
help-media-netboot-arg-append = Zusätzliche Kernel-Parameter für jeden Installationseintrag, nur für den Installer (z. B. „nomodeset“)
help-media-netboot-arg-upcycle_static = Wo die statischen upcycle-Programme liegen, für Bündel, die die Festplatte im Installer löschen: DIR/<Ziel>/release/upcycle (wie scripts/build-static.sh sie unter target/ ablegt) oder DIR/<Ziel>/upcycle, <Ziel> i686-unknown-linux-musl oder x86_64-unknown-linux-musl
help-media-netboot-arg-force = Einen vorhandenen Ausgabeordner ersetzen
help-media-usb = Ein Ordner zum Kopieren auf einen FAT-formatierten USB-Stick, der einen Laptop installiert, mit dem Preseed des Bündels im Initrd des Installers (BIOS und UEFI).
help-media-usb-long =
    Ein Ordner zum Kopieren auf einen FAT-formatierten USB-Stick, der einen Laptop
    installiert, mit dem Preseed des Bündels im Initrd des Installers (BIOS und UEFI).

    BUNDLE ist ein Debian-Bündel-Ordner. DIR bekommt: linux und initrd.gz (Debians
    Netboot-Installer, das Bündel im Initrd), syslinux.cfg (BIOS),
    EFI/BOOT/BOOTX64.EFI + grubx64.efi (UEFI, Debians signiertes Shim und GRUB), für amd64 auch
    EFI/BOOT/BOOTIA32.EFI + grub.cfg (32-Bit-UEFI: Debians grubia32.efi aus grub-efi-ia32-bin),
    debian-installer/ARCH/grub/grub.cfg, README.txt und upcycle/<Rechnername>/ (das Bündel).
    DIR auf einen FAT32-Stick kopieren; für den BIOS-Start dort auch `syslinux --install`
    ausführen (siehe docs/media-usb.md), oder --image nutzen und die Datei auf den Stick schreiben.
    Braucht Debians Netboot-Abbilder: einmal `upcycle media images` (lädt und prüft sie),
    oder die Pakete debian-installer-12-netboot-i386 ...
    Beispiele:
      upcycle media usb raum-12/schule-001 -o stick
      upcycle media usb raum-12/schule-001 -o stick --image schule-001.img
      sudo dd if=schule-001.img of=/dev/sdX bs=4M conv=fsync
    Rückgabewerte: 3 kein Debian-Bündel oder keine Installer-Abbilder, 4 Ausgabe gibt es schon (--force).
help-media-usb-arg-bundle = Ein Bündel-Ordner
help-media-usb-arg-output = Wohin die Dateien des Sticks geschrieben werden (darf nicht existieren, außer mit --force)
help-media-usb-arg-image = Auch ein Datenträger-Abbild schreiben (MBR, FAT32, syslinux installiert), das man mit dd oder GNOME Disks auf einen Stick schreibt. Braucht dosfstools, mtools, syslinux und syslinux-common
help-media-usb-arg-append = Zusätzliche Kernel-Parameter für den Installer, durch Leerzeichen getrennt, vor Debians `---` (z. B. „console=ttyS0,115200n8“ oder „vga=788“)
help-media-usb-arg-upcycle_static = Wo die statischen upcycle-Programme liegen, für Bündel, die die Festplatte im Installer löschen: DIR/<Ziel>/release/upcycle (wie scripts/build-static.sh sie unter target/ ablegt) oder DIR/<Ziel>/upcycle, <Ziel> i686-unknown-linux-musl oder x86_64-unknown-linux-musl
help-media-usb-arg-grub_ia32 = Debians 32-Bit-UEFI-GRUB, den amd64-Sticks als EFI/BOOT/BOOTIA32.EFI bekommen (Paket grub-efi-ia32-bin)
help-media-usb-arg-force = Einen vorhandenen Ausgabeordner (und das Abbild) ersetzen
help-media-usb-arg-server = Die Adresse des Werkstatt-PCs, wenn bekannt: der Installer schickt dann seine Meldungen an `upcycle serve` dort (log_host/log_port), das den Fortschritt jedes Laptops auf /room zeigt
help-media-usb-arg-http_port = Der Port, auf dem `upcycle serve` lauscht (HTTP und die Meldungen der Installer), mit --server
help-media-images = Debians Netboot-Installer-Abbilder für ein Release in upcycles Zwischenspeicher laden, gegen Debians Signatur geprüft, für `media usb` und `media netboot`.
help-media-images-long =
    Debians Netboot-Installer-Abbilder für ein Release in upcycles Zwischenspeicher laden,
    gegen Debians Signatur geprüft, für `media usb` und `media netboot`.

    Vom Spiegelserver der Werkstatt (über ihren Proxy): dists/CODENAME/InRelease, mit gpgv
    gegen Debians Archiv-Schlüsselbund geprüft; die SHA256SUMS der Abbilder, gegen das
    signierte Release geprüft; netboot.tar.gz, gegen SHA256SUMS geprüft. Nur eine
    vollständige, geprüfte Kopie kommt in den Zwischenspeicher. Zum Aktualisieren einfach
    wieder aufrufen: die Abbilder werden nur geladen, wenn der Spiegel neuere hat, und eine
    beschädigte Kopie wird ersetzt.
    Braucht gpgv und debian-archive-keyring.
    Beispiele:
      upcycle media images                           Debian 12 (i386, amd64) und 13 (amd64)
      upcycle media images --release 13 --arch amd64
      upcycle media images --workshop unsere-werkstatt.yaml   (ihr Spiegel und Proxy)
    Rückgabewerte: 13 Spiegel nicht erreichbar, 14 falsche Signatur, 15 falsche Prüfsumme,
    16 gpgv oder Schlüsselbund fehlt.
help-media-images-arg-release = Debian-Release [Vorgabe: 12 und 13]
help-media-images-arg-arch = Architektur [Vorgabe: jede, für die das Release einen Installer hat]
help-media-images-arg-cache = Wohin die Abbilder kommen [Vorgabe: $UPCYCLE_CACHE/installer, als root /var/cache/upcycle/installer, sonst $XDG_CACHE_HOME/upcycle/installer]
help-media-images-arg-workshop = Werkstatt-Einstellungen (YAML): ihr Spiegelserver und Proxy [Vorgabe: die eingebauten, deb.debian.org]
help-media-images-arg-keyring = Der Schlüsselbund, gegen den die Signatur des Archivs geprüft wird (für Tests)
help-serve = Bündel per HTTP an die Installer im Werkstatt-Netz ausliefern (nur lesend).
help-serve-long =
    Bündel per HTTP an die Installer im Werkstatt-Netz ausliefern (nur lesend).

    Installer, die mit `url=http://WORKSHOP-PC:8080/<Rechnername>/preseed.cfg` starten
    (boot.txt, Weg 2, oder ein Eintrag von `media netboot`), holen ihre Dateien hier.
    Jeder Abruf wird protokolliert, so sieht man, welcher Laptop sein Preseed bekam.
    Beispiel: upcycle serve raum-12 --listen 0.0.0.0:8080
help-serve-arg-dir = Der auszuliefernde Ordner: eine Ausgabe von `batch` oder ein Ordner mit Bündel-Ordnern (DIR/<Inventarnummer>/preseed.cfg ...). Jede normale, nicht versteckte Datei darunter wird ausgeliefert
help-serve-arg-listen = Adresse und Port zum Lauschen. 0.0.0.0 ist jedes Netz dieses PCs (die Startzeilen nennen seine Adressen); Port 0 wählt einen freien Port
help-serve-arg-read_timeout = Sekunden, die ein Client für seine Anfrage hat, bevor er 408 bekommt
help-serve-arg-write_timeout = Sekunden, die ein Schreiben an einen Client blockieren darf, bevor die Verbindung getrennt wird
help-serve-arg-ledger = Das Werkstatt-Ledger, das die Ereignisse der Installer bekommt und die Raumseite (/room) speist. Vorgabe: DIR/upcycle-ledger.sqlite, wenn vorhanden
help-serve-arg-no_syslog = Die Meldungen der Installer nicht empfangen (UDP auf dem Port von --listen; nur aus den Netzen dieses PCs)
help-plan = Alles auf einmal auf diesem Laptop: erfassen, System wählen, Bündel schreiben, zeigen, was gefunden und gewählt wurde.
help-plan-long =
    Alles auf einmal auf diesem Laptop: erfassen, System wählen, Bündel schreiben, zeigen,
    was gefunden und gewählt wurde.

    Beispiel: upcycle plan -o /media/stick/bundles
help-plan-arg-output = Ausgabeordner; das Bündel kommt nach DIR/<Rechnername>/ (das eigene Bündel dieses Geräts wird ersetzt, wenn es das gibt; den Rechnernamen vergibt das Werkstattbuch)
help-plan-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite [Vorgabe: upcycle-ledger.sqlite im Ausgabeordner]
help-plan-arg-workshop = Werkstatt-Einstellungen (YAML) [Vorgabe: die eingebaute deutsche Schulwerkstatt]
help-plan-arg-root = Ordner mit proc/ und sys/ (eine Erfassung) oder eine `.tar.gz` von `upcycle capture`; `/` ist dieses Gerät
help-erase = Festplatten nachweisbar löschen: planen, überschreiben, zurücklesen, protokollieren, Nachweis drucken.
help-erase-long =
    Festplatten nachweisbar löschen: planen, überschreiben, zurücklesen, protokollieren,
    Nachweis drucken.

    Nie die Festplatte, von der das System läuft; eine USB-Festplatte nur, wenn sie genannt
    ist. Jeder Lauf schreibt ein Protokoll (YAML) und einen druckbaren Nachweis (HTML, A4)
    in den Ordner von --record.
    Beispiele:
      upcycle erase --plan                              was mit jeder Festplatte geschähe
      upcycle erase /dev/sda --operator "A. Schmidt"    fragt nach den letzten Ziffern der Seriennummer
      upcycle erase --yes /dev/sdb --method overwrite --verify sample --record /media/stick/erasure
    Rückgabewerte: 10 abgelehnt (Startfestplatte, in Benutzung, USB nicht genannt, nicht
    bestätigt, ein Werkzeug fehlt), 11 fehlgeschlagen (E/A-Fehler oder ein nicht
    gelöschtes Byte), 12 unterbrochen (erneut starten, um fortzusetzen).
help-erase-arg-devices = Zu löschende Festplatten (/dev/sda, /dev/nvme0n1, ein Link in /dev/disk/by-id/, ein Loop-Gerät)
help-erase-arg-plan = Jede Festplatte (oder die genannten) mit dem, was geschähe, auflisten und nichts ändern
help-erase-arg-yes = Nicht nach Bestätigung fragen (nur mit auf der Befehlszeile genannten Geräten)
help-erase-arg-method = Das Löschverfahren [Vorgabe: auto, das übliche je Datenträger; siehe docs/erase.md]
help-erase-arg-verify = Jedes Byte zurücklesen (full) oder eine festgelegte Stichprobe (erste/letzte 64 MiB, 1 MiB in je 32 MiB)
help-erase-arg-record = Ordner für die Löschprotokolle und Nachweise (eine neue Datei je Lauf, nie ersetzt)
help-erase-arg-ledger = Das Werkstattbuch, das je Festplatte ein Ereignis „gelöscht“ bekommt: eine Datei oder ein Ordner mit upcycle-ledger.sqlite [Vorgabe: das im --record-Ordner oder im Ordner darüber, wenn es eines gibt]. erase legt nie eines an
help-erase-arg-operator = Wer löscht (im Protokoll und auf dem Nachweis)
help-erase-arg-workshop_name = Der Name der Werkstatt (im Protokoll und auf dem Nachweis)
help-erase-arg-format = Format von --plan [Vorgabe: text im Terminal, sonst yaml]
help-erase-arg-installer = Der Schritt im Installer (partman/early_command): nur eingebaute Festplatten, auch wenn genannt; das Überschreiben, wenn dem Installer das Werkzeug für das Verfahren des Laufwerks fehlt
help-erase-arg-progress_file = Den Fortschritt zusätzlich als eine maschinenlesbare Zeile in DATEI schreiben, laufend erneuert (`upcycle-progress/v1 PHASE PROMILLE FERTIG_MIB GESAMT_MIB`): der Fortschrittsbalken des Installers
help-erase-arg-root = Ordner mit proc/, sys/ und dev/ statt / (für Tests)
help-hash-password = Den SHA-512-crypt-Hash eines Passworts ausgeben (für `accounts.users` in der Werkstatt-Datei)
help-hash-password-long =
    Den SHA-512-crypt-Hash eines Passworts ausgeben (für `accounts.users` in der Werkstatt-Datei).

    Fragt im Terminal zweimal ohne Anzeige, oder liest eine Zeile von der Standardeingabe.
help-status = Der Raum: jedes Gerät im Werkstattbuch mit seinem letzten Ereignis.
help-status-long =
    Der Raum: jedes Gerät im Werkstattbuch mit seinem letzten Ereignis.

    Beispiele:
      upcycle status --ledger raum-12
      upcycle status --ledger raum-12 --format json
help-status-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-status-arg-format = Ausgabeformat
help-log = Die Geschichte eines Geräts: Aufnahme, Bündel und was seitdem geschah.
help-log-long =
    Die Geschichte eines Geräts: Aufnahme, Bündel und was seitdem geschah.

    Beispiel: upcycle log schule-003 --ledger raum-12
help-log-arg-machine = Das Gerät: seine Inventarnummer (12) oder sein Rechnername (schule-012)
help-log-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-log-arg-format = Ausgabeformat
help-handover = Ein Gerät als übergeben eintragen.
help-handover-long =
    Ein Gerät als übergeben eintragen.

    Entfernt die nur für die Werkstatt nötigen Daten aus dem Werkstattbuch (den
    Installationsschlüssel, die letzte Adresse und Meldung des Installers) und vermerkt, was
    entfernt wurde. Der Name der Empfängerin oder des Empfängers wird nur gespeichert, wenn
    die Werkstatt-Datei es sagt (passport.keep_recipient_name).
    Beispiel: upcycle handover schule-003 --ledger raum-12
help-handover-arg-machine = Das Gerät: seine Inventarnummer (12) oder sein Rechnername (schule-012)
help-handover-arg-recipient = Der Name der Empfängerin oder des Empfängers: nur mit passport.keep_recipient_name in der Werkstatt-Datei gespeichert
help-handover-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-handover-arg-workshop = Werkstatt-Konfiguration (YAML) [Standard: die eingebaute deutsche Schulwerkstatt]
help-passport = Den Gerätepass jedes Laptops schreiben: ein JSON-Dokument und eine druckbare A4-Seite.
help-passport-long =
    Den Gerätepass jedes Laptops schreiben: ein JSON-Dokument und eine druckbare A4-Seite.

    Gerät, Ausstattung, Datenlöschung, System und sein Update-Ende, Prüfung und Note und was
    die Empfänger wissen sollten, aus dem Werkstattbuch; auf Deutsch, oder englisch mit --lang en.
    Ohne MACHINE: alle Geräte im Werkstattbuch. Eine andere Datei gleichen Namens bleibt als
    NAME.1.html (.2, ...) erhalten, sie wird nie überschrieben.
    Beispiele:
      upcycle passport --ledger raum-12 -o raum-12/paesse
      upcycle passport schule-003 7 --ledger raum-12 -o paesse --lang en
help-passport-arg-machines = Die Geräte: Inventarnummern (12) oder Rechnernamen (schule-012); keins: alle
help-passport-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-passport-arg-output = Der Ordner für die Gerätepässe (wird angelegt, wenn er fehlt)
help-passport-arg-workshop = Werkstatt-Konfiguration (YAML) [Standard: die eingebaute deutsche Schulwerkstatt]
help-passport-arg-profiles = Den Katalog in DIR statt des eingebauten nehmen (eine Kopie von `profiles/`)
help-mark = Das Urteil über ein Gerät: bereit zur Übergabe, zur Reparatur oder für Ersatzteile.
help-mark-long =
    Das Urteil über ein Gerät: bereit zur Übergabe, zur Reparatur oder für Ersatzteile.

    Hängt ein Ereignis „geprüft“ an das Werkstattbuch an; `status` zeigt den Zustand.
    Beispiele:
      upcycle mark schule-003 ready --grade B --ledger raum-12
      upcycle mark 7 to-repair --note "Scharnier gebrochen" --ledger raum-12
help-mark-arg-machine = Das Gerät: seine Inventarnummer (12) oder sein Rechnername (schule-012)
help-mark-arg-verdict = Das Urteil: ready oder bereit, to-repair oder reparatur, parts oder ersatzteile
help-mark-arg-grade = Optische und technische Note, A (wie neu) bis E (gerade noch brauchbar)
help-mark-arg-note = Was zu reparieren ist oder warum es für Ersatzteile ist (eine Zeile)
help-mark-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-ledger = Frühere Durchgänge in ein neues Werkstattbuch übernehmen oder das Werkstattbuch exportieren
help-ledger-import = Ein Werkstattbuch aus Bündel-Ordnern und inventory.csv früherer Durchgänge beginnen, mit ihren Nummern und Rechnernamen.
help-ledger-import-long =
    Ein Werkstattbuch aus Bündel-Ordnern und inventory.csv früherer Durchgänge beginnen,
    mit ihren Nummern und Rechnernamen.

    DIR ist eine Ausgabe von `batch` oder ein Ordner mit Bündeln (DIR/<Rechnername>/selection.yaml +
    report.yaml). Die Nummern kommen aus DIR/inventory.csv (Zeile n war Gerät n), sonst aus
    dem Rechnernamen und dem Muster der Werkstatt, sonst die nächste freie.
    Beispiel: upcycle ledger import raum-12
help-ledger-import-arg-dir = Der Ordner der früheren Bündel
help-ledger-import-arg-ledger = Wo das Werkstattbuch angelegt wird [Vorgabe: DIR/upcycle-ledger.sqlite]; es muss neu sein
help-ledger-import-arg-workshop = Die Werkstatt-Datei jener Durchgänge (für das Muster der Rechnernamen)
help-ledger-export = Jedes Gerät des Werkstattbuchs, für die eigene Inventarliste der Schule.
help-ledger-export-long =
    Jedes Gerät des Werkstattbuchs, für die eigene Inventarliste der Schule.

    Beispiel: upcycle ledger export --ledger raum-12 --format csv > geraete.csv
help-ledger-export-arg-ledger = Das Werkstattbuch: eine Datei oder ein Ordner mit upcycle-ledger.sqlite
help-ledger-export-arg-format = Ausgabeformat
help-preseed-value = Antworten einer Preseed-Datei, gelesen wie debconf sie liest (für die e2e-Skripte)
help-preseed-value-arg-file = Die Preseed-Datei
help-preseed-value-arg-questions = Die Antwort jeder Frage auf einer eigenen Zeile ausgeben (leer, wenn unbeantwortet)
help-preseed-value-arg-lines = Stattdessen jede Antwort ausgeben, je eine Zeile `OWNER QUESTION TYPE VALUE`, Fortsetzungszeilen verbunden (was debconf-set-selections liest)
help-synthetic-reports = Künstliche Berichte, abgewandelt aus den Fixture-Geräten (für scripts/bench-batch.sh)
help-synthetic-reports-arg-fixtures = Ordner der Fixture-Geräte (`<slug>/root/`)
help-synthetic-reports-arg-output = Ordner, in den die Berichte geschrieben werden (`NNNNNN-<slug>.json`)
help-synthetic-reports-arg-count = Wie viele Berichte
help-bundle-info = Was ein Bündel installiert (die gewählte Ausstattung seiner Auswahl) oder für welchen Rechner es ist (sein Bericht), als JSON (für die e2e-Skripte)
help-bundle-info-arg-dir = Der Bündel-Ordner (mit selection.yaml)
help-bundle-info-arg-report = Stattdessen der Rechner, für den das Bündel ist: sein report.yaml als JSON
help-generate-assets = Handbuchseiten (man) und Shell-Vervollständigungen aus dieser Befehlszeile (für scripts/build-deb.sh)
help-generate-assets-arg-dir = Der Ordner, in den man/ und completions/ geschrieben werden (wird angelegt, wenn er fehlt)
help-check = Die Selbstprüfung eines installierten Laptops: WLAN, Ton, Webcam, Akku, Festplatte, Pakete, Bildschirm, jeweils mit Befund.
help-check-long =
    Die Selbstprüfung eines installierten Laptops: WLAN, Ton, Webcam, Akku, Festplatte,
    Pakete, Bildschirm, jeweils mit Befund.

    Speichert das Ergebnis in /var/lib/upcycle/check.json und sendet es mit --post an
    `upcycle serve` der Werkstatt (läuft einmal beim ersten Start, wenn das Bündel es eingerichtet hat).
    Beispiele:
      sudo upcycle check
      sudo upcycle check --post                      an das serve, von dem der Laptop installiert wurde
      upcycle check --json --post http://192.168.1.10:8080
    Rückgabewerte: 13 eine Prüfung schlug fehl, 14 nicht an serve gesendet (das Ergebnis bleibt gespeichert).
help-check-arg-json = Das Ergebnis als JSON (upcycle.check/v1) statt als Tabelle ausgeben
help-check-arg-post = Das Ergebnis an serve der Werkstatt senden: an URL (http://RECHNER:PORT) oder ohne URL an die Adresse, von der der Laptop installiert wurde (/etc/upcycle/serve.conf)
help-check-arg-wait = So viele Sekunden lang erneut senden, solange serve nicht erreichbar ist (beim ersten Start braucht das Netz etwas)
help-check-arg-output = Wo das Ergebnis gespeichert wird [Vorgabe: /var/lib/upcycle/check.json; mit --root keins]
help-check-arg-root = Ordner mit proc/, sys/, etc/ und var/ des Laptops statt / (für Tests)
