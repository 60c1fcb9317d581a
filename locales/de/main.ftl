# Allgemeines: Listen, Einheiten, Wörter, die viele Texte brauchen.
list-and = { $first } und { $last }
# Ein Text aus einer älteren Datei, unverändert.
verbatim = { $text }
cores = { $n ->
    [one] { $n } Kern
   *[other] { $n } Kerne
}
# A machine without vendor and model: more than one word (see render::machine_view).
unknown-title = unbekannt (keine Herstellerangaben)
unknown = unbekannt
bits-64 = 64 Bit
bits-32 = 32 Bit

## Fehler
error-no-profile-fits = kein Profil passt zu diesem Gerät:
row-no-profile-fits = kein Profil passt ({ $why })

## Kurzfassung einer Auswahl (select, plan)
sel-unknown-model = unbekanntes Modell
sel-machine = Gerät
sel-install = Installieren
sel-kernel = Kernel { $package }
sel-boot-params = , Boot-Parameter { $params }
sel-firmware = Firmware: { $packages }
sel-apps = Programme: { $apps }
sel-why = Warum
sel-nothing-fits = kein Profil passt zu diesem Gerät
sel-dropped-instead = { $app }: { $reason } (stattdessen: { $alternative })
sel-left-out = Weggelassen
sel-upgrades = Aufrüsten
sel-not-chosen = Nicht gewählt
sel-notes = Hinweise
sel-assumed = Angenommen

## Kurzfassung eines Berichts (probe, plan)
rep-machine = Gerät
rep-unknown-machine = unbekannt (keine DMI-Daten)
rep-bios-from = BIOS von { $year }
rep-serial = Seriennummer { $serial }
rep-unknown-cpu = unbekannte CPU
rep-cores-threads = { $cores ->
    [one] 1 Kern
   *[other] { $cores } Kerne
} / { $threads ->
    [one] 1 Thread
   *[other] { $threads } Threads
}
rep-64bit = 64 Bit (amd64)
rep-32bit = nur 32 Bit (i386)
rep-no-cmov = ; kein cmov: unter der i686-Grundlinie, kein aktuelles System startet darauf
rep-forcepae = ; Pentium M ohne PAE-Flag: ein PAE-Kernel braucht forcepae
rep-no-pae = ; kein PAE: braucht einen Kernel ohne PAE (686)
rep-memory = Speicher
rep-memory-value = { MIB($mib) } eingebaut (das System sieht { $seen } MiB)
rep-bios = BIOS (Legacy-Start)
rep-uefi-ia32 = UEFI { $bits } Bit auf einer 64-Bit-CPU: braucht einen 32-Bit-UEFI-Bootloader (grub-efi-ia32)
rep-uefi-bits = UEFI { $bits } Bit
rep-disks = Festplatten
rep-disk-optical = optisch
rep-disk-usb = USB-Festplatte
rep-disk-ssd = SSD/Flash
rep-disk-disk = Festplatte
rep-no-disc = keine Disc
rep-install-here = <- hierhin installieren
rep-none-found = keine gefunden
rep-no-internal-disk = keine interne Festplatte zum Installieren
rep-raid = Controller { $slot } im RAID-Modus: vor der Installation im Firmware-Setup SATA auf AHCI umstellen
rep-graphics = Grafik
rep-network = Netzwerk
rep-wifi = WLAN
rep-other = sonstige
rep-sd-card = SD-Karte
rep-battery = Akku
rep-battery-wh = { $name }: { DEC($full) } von { DEC($design) } Wh übrig, { $wear } % verschlissen
rep-battery-worn = { $name }: { $wear } % verschlissen
rep-battery-unknown = { $name }: Kapazität unbekannt
rep-cycles = { $n ->
    [one] 1 Ladezyklus
   *[other] { $n } Ladezyklen
}
rep-display = Bildschirm
rep-running = Läuft
rep-warnings = Warnungen
rep-warnings-value = { $n ->
    [one] 1 Angabe fehlt oder ist unlesbar
   *[other] { $n } Angaben fehlen oder sind unlesbar
} (siehe „warnings“ in --format yaml)
rep-vendor-device = { $vendor } Gerät
rep-unknown-device = unbekanntes Gerät
rep-driver = Treiber { $driver }
rep-no-driver = kein Treiber
rep-needs-firmware = braucht { $package }
rep-may-need-firmware = braucht vielleicht { $package }

## Gehäusearten (SMBIOS), wie sie die Kurzfassung zeigt
chassis-other = sonstiges Gehäuse
chassis-unknown = unbekanntes Gehäuse
chassis-desktop = Desktop-PC
chassis-low-profile-desktop = flacher Desktop-PC
chassis-mini-tower = Mini-Tower
chassis-tower = Tower
chassis-portable = tragbar
chassis-laptop = Laptop
chassis-notebook = Notebook
chassis-hand-held = Handgerät
chassis-all-in-one = All-in-One
chassis-sub-notebook = Subnotebook
chassis-tablet = Tablet
chassis-convertible = Convertible
chassis-detachable = Detachable
chassis-mini-pc = Mini-PC
error-profile-does-not-fit = das Profil „{ $profile }“ passt nicht zu diesem Gerät: { $why }
error-invalid = das Bündel für { $host } hat die Prüfung nicht bestanden, nichts wurde geschrieben:
row-invalid = Prüfung fehlgeschlagen: { $findings }
row-not-recorded = das Bündel wurde geschrieben, aber nicht im Werkstattbuch vermerkt: { $error }
serve-index = upcycle serve: { $n } Bündel
