# Startmedien: die README des USB-Sticks und des Netzwerk-Verzeichnisses.
usb-readme =
    upcycle-USB-Stick für { $id }
    { $underline }

    Gerät:         { $model }
    Installiert:   Debian { $release } ({ $arch }), vollautomatisch
    Installer:     Debians Netboot-Abbilder ({ $version })

    ACHTUNG: Wer von diesem Stick startet, LÖSCHT die Festplatte des Laptops und installiert Debian darauf.
    Nur am Laptop { $id } benutzen.

    So geht es
    1. Ein Netzwerkkabel einstecken (der Installer lädt die Pakete herunter).
    2. Den Stick einstecken, einschalten und das Startmenü öffnen (ThinkPad: F12; andere: F9,
       F10, F11 oder Esc). Den USB-Stick wählen.
    3. Altes BIOS: der Bildschirm zeigt die Zeile
    {"     "}{ $title }
       und eine boot:-Eingabe; es startet nach 5 Sekunden.
       UEFI: ein Menü mit diesem Eintrag startet nach 5 Sekunden.
    4. Nichts zu tippen. Wenn der Installer fertig ist, startet er den Laptop neu:
       dann den Stick abziehen und der Checkliste folgen (upcycle/{ $id }/checklist.html).

    Kernel-Parameter: { $params }

    Auf diesem Stick
      linux, initrd.gz          Debians Installer; initrd.gz enthält das Preseed und postinstall.sh
      syslinux.cfg              Start mit BIOS (syslinux muss auf dem Stick installiert sein)
      EFI/BOOT/{ $efi }UEFI-Start (Debians signiertes Shim + GRUB, wie auf Debians eigenen Medien)
      debian-installer/{ $arch }/grub/grub.cfg   das UEFI-Menü
    {"  "}{ $bundle_dir }/         das Bündel: checklist.html, boot.txt, report.yaml, ...

    Startet ein alter Laptop im BIOS-Modus nicht vom Stick, wurde syslinux nicht darauf
    installiert: siehe docs/media-usb.md von upcycle (oder das fertige Abbild von --image schreiben).
    Bleibt er bei „No kernel modules were found“ stehen, sind die Installer-Abbilder älter oder
    neuer als die Kernel-Pakete auf dem Spiegelserver: den Stick mit aktuellen Abbildern neu machen.
usb-no-ia32 = { $path } fehlt: der Stick startet nicht mit 32-Bit-UEFI (Bay-Trail-Netbooks und -Tablets); dafür das Paket grub-efi-ia32-bin installieren und den Stick neu machen
usb-readme-ia32 =
    32-Bit-UEFI (Bay-Trail-Netbooks und -Tablets wie das ASUS T100TA): EFI/BOOT/BOOTIA32.EFI
    ist Debians GRUB für 32-Bit-UEFI (grub-efi-ia32-bin) mit demselben Menü (EFI/BOOT/grub.cfg);
    er ist nicht signiert: im Firmware-Setup Secure Boot ausschalten.
usb-unknown = unbekannt

## media netboot: README.txt
netboot-title = upcycle-Netzwerkinstallation
netboot-intro = Dieser Ordner installiert Laptops über das Netzwerk vom Werkstatt-PC ({ $server }).
netboot-step1 =
    1. Den Werkstatt-PC und die Laptops an dasselbe Kabelnetz ({ $subnet }) anschließen,
       in dem ein DHCP-Server läuft (der Router der Schule). Diesen Ordner nicht verschieben.
netboot-terminal1 = 2. Terminal 1:
netboot-runs = (startet:
netboot-terminal2 = 3. Terminal 2:
netboot-step4 =
    4. An jedem Laptop das einmalige Startmenü öffnen (F12 bei den meisten ThinkPads) und
       die Netzwerkkarte wählen. Ein Laptop, der unten mit seiner MAC-Adresse steht, startet seine
       Installation nach { $auto } Sekunden von selbst; jeder andere zeigt das Menü, dort seinen
       Eintrag wählen. Ohne Wahl startet das Menü nach { $menu } Sekunden die eigene Festplatte des Laptops.
       Das Netzwerk nicht dauerhaft an die erste Stelle der Startreihenfolge setzen: nach der
       Installation würde der Laptop wieder vom Netz starten und sich neu installieren.
netboot-machines = Geräte ({ $n }):
netboot-starts-itself = startet von selbst: { $macs }
netboot-no-mac = keine MAC bekannt: im Menü wählen
netboot-boot-files = Startdateien: BIOS pxelinux.0 aus Debian { $release } ({ $arch }-Abbilder; es startet die Kernel jeder Architektur), UEFI:
netboot-none = keine
netboot-fetch = Die Installer holen http://{ $server }:{ $port }/<Rechnername>/preseed.cfg von „upcycle serve“.
netboot-copy-first = (die Bündel-Ordner zuerst in einen Ordner kopieren)

## Was media netboot / media usb getan haben
netboot-done = Netzwerk-Installationsverzeichnis für { $n ->
    [one] 1 Gerät
   *[other] { $n } Geräte
} ({ $by_mac } starten an ihrer MAC-Adresse) -> { $tree }
netboot-done-menu = Menü
netboot-done-serve-none = upcycle serve <ein Ordner mit allen Bündeln> (sie kommen aus mehreren Ordnern)
netboot-done-next = weiter: sudo { $tree }/start.sh, und in einem zweiten Terminal: { $serve }
usb-done = { $id }: Dateien für den USB-Stick in { $dir } ({ $size } MiB, Debian { $release } { $arch }, { $title })
usb-done-image = { $id }: Datenträger-Abbild { $path } ({ $size } MiB): mit „sudo dd if={ $path } of=/dev/sdX bs=4M conv=fsync“ oder GNOME Disks (Laufwerksabbild wiederherstellen) schreiben
usb-done-next = weiter: den Inhalt des Ordners auf einen FAT32-Stick kopieren; für den BIOS-Start einmal „sudo syslinux --install /dev/sdX1“ ausführen (docs/media-usb.md)

## media images
images-via-proxy = {" "}über { $proxy }
images-checking = Debian { $release } { $arch }: prüfe { $mirror }{ $via } ...
images-downloading = lade { $url } ...
images-fetched = Debian { $release } { $arch }: Installer { $build } (Release { $version }) geladen und geprüft, { $download } MiB -> { $dir } ({ $files } Dateien, { $size } MiB)
images-up-to-date = Debian { $release } { $arch }: Installer { $build } (Release { $version }) ist aktuell und geprüft in { $dir }
images-cached = Debian { $release } { $arch }: Installer { $build } (Release { $version }), geprüft, in { $dir }
images-offline = der Spiegelserver ist nicht erreichbar ({ $why }); die geprüften Abbilder im Zwischenspeicher bleiben in Gebrauch
images-replaced-broken = { $dir } war beschädigt ({ $why }) und wird neu geladen
images-replaced-older = der Spiegel hat neuere Abbilder als die von Release { $version }: sie werden geladen
images-cache-broken-using-package = { $dir } ist beschädigt ({ $why }); es werden die Abbilder des installierten Pakets benutzt. `upcycle media images` lädt den Zwischenspeicher neu

## Boot menus on the laptop's screen (pxelinux, GRUB, syslinux, the firmware's PXE list).
## Only ASCII: those menus show no umlauts (a test checks it), so ae/oe/ue/ss.
boot-menu-local = Von der eigenen Festplatte starten
boot-menu-all = Alle Geraete ...
boot-menu-erases = (LOESCHT die Festplatte)
boot-menu-loading = Der Installer von { $asset } wird geladen ...
boot-menu-unknown-model = Modell unbekannt
boot-menu-title = upcycle-Netzwerkinstallation ({ $n ->
        [one] 1 Geraet
       *[other] { $n } Geraete
    })
boot-menu-machine-title = upcycle: { $asset } wird in { $seconds } s installiert (LOESCHT die Festplatte)
boot-menu-help = Installiert Debian { $release } ({ $codename }) { $arch } als { $asset }: LOESCHT die eingebaute Festplatte.
boot-menu-pxe-bios = upcycle-Netzwerkinstallation (BIOS)
boot-menu-pxe-uefi = upcycle-Netzwerkinstallation (UEFI)
boot-menu-pxe-uefi32 = upcycle-Netzwerkinstallation (32-Bit-UEFI)
boot-menu-usb-say = Debian { $release } ({ $arch }): installiert von selbst und LOESCHT die Festplatte. Startet in 5 Sekunden.
