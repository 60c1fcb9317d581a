# Die Auswahl: warum ein Profil passt oder nicht, was angenommen wurde, was Aufrüsten bringt.
# Die Codes stehen in selection.yaml; die Wörter kommen erst beim Anzeigen dazu.

## Warum ein Profil nicht passt
reject-forbidden = von der Werkstatt-Vorgabe ausgeschlossen
reject-family-forbidden = { $family }-Systeme sind von der Werkstatt-Vorgabe ausgeschlossen
reject-no-disk = keine interne Festplatte zum Installieren (USB-Sticks und SD-Karten werden nie benutzt)
reject-needs-64bit = braucht eine 64-Bit-CPU; diese kann nur 32 Bit
reject-32bit-only = für reine 32-Bit-CPUs; diese CPU kann 64-Bit-Systeme, die Debian für sie empfiehlt
reject-needs-pae = braucht PAE; diese CPU hat keines
reject-needs-cmov = braucht eine CPU mit cmov (i686 oder neuer); dieser CPU fehlt cmov. Das 32-Bit-System von Debian 12 braucht es seit Debian 9 (seine 686-Kernel halten beim Start an: „This kernel requires the following features not present on the CPU: cmov“), und Debian 13 hat gar kein 32-Bit-System mehr
reject-needs-sse2 = braucht SSE2; diese CPU hat keines
reject-ram = braucht mindestens { MIB($min_mib) } RAM; dieses Gerät hat { MIB($ram_mib) }
reject-disk = braucht eine Festplatte mit mindestens { $min_gb } GB; diese hat { $gb } GB

## Warum ein Profil passt
reason-64bit = 64-Bit-CPU
reason-ram = { MIB($ram_mib) } RAM (mindestens { MIB($min_mib) })
reason-fit = Eignung: RAM { $ram } %, CPU { $cpu } %, Kerne { $cores } %{ $wants_ssd ->
    [yes] , wünscht eine SSD
   *[no] {""}
}; noch { DEC($years) } { $years ->
    [one] Jahr
   *[other] Jahre
} Sicherheitsupdates
reason-preferred = die Werkstatt bevorzugt { $desktop }
reason-pinned = von der Werkstatt-Vorgabe festgelegt
reason-kernel = Kernel { $package }: { $why }
reason-self-check = { $packages } für den Selbsttest nach der Installation (SMART-Werte der Festplatte)
kernel-policy-forcepae = Werkstatt-Vorgabe: PAE-Kernel mit forcepae für diesen Pentium M

## Weggelassene Programme
app-not-packaged = in { $release } nicht als Paket vorhanden
app-needs = braucht { $what }
need-ram = { MIB($mib) } RAM
need-64bit = eine 64-Bit-CPU
need-cores = { $n ->
    [one] einen CPU-Kern
   *[other] { $n } CPU-Kerne
}

## Annahmen für unbekannte Werte
assumed-ram = RAM-Größe unbekannt (proc/meminfo nicht lesbar): vorsichtshalber { MIB($mib) } angenommen; Aufkleber oder BIOS prüfen und neu auswerten
assumed-cpu = CPU unbekannt (proc/cpuinfo nicht lesbar): 32 Bit ohne PAE und SSE2 angenommen
assumed-cmov = CPU-Flag cmov fehlt im Bericht (älteres upcycle oder keine flags-Zeile): als vorhanden angenommen; eine CPU ohne cmov (Pentium MMX, AMD K6, frühe VIA C3, Geode GX) kann Debian 12 nicht starten, im Zweifel neu erfassen
assumed-clock = CPU-Takt unbekannt: als halber empfohlener Takt gezählt
assumed-disk-size = Festplattengröße unbekannt: als groß genug angenommen
assumed-disk-type = Festplattenart unbekannt: als drehende Festplatte angenommen

## Aufrüsten
upgrade-ram = RAM auf { MIB($target_mib) } (+{ MIB($added_mib) }), wenn die Hauptplatine das aufnimmt
upgrade-ssd = SSD statt der Festplatte
upgrade-wifi-stick = ein USB-WLAN-Stick, dessen Treiber und Firmware beide frei sind, z. B. einer mit Atheros-AR9271-Chip (firmware-ath9k-htc, in Debian main) ({ $why })
upgrade-battery = neuer Akku (dieser ist zu { $wear } % verschlissen)
cost-about = etwa { $amount } { $currency }
unlocks-profile = System „{ $name }“
unlocks-app = Programm { $app }
unlocks-wifi = WLAN nur mit freier Software
unlocks-mains = Betrieb ohne Netzteil
wifi-wl = das eingebaute { $name } läuft nur mit dem unfreien wl-Treiber
wifi-needs = das eingebaute { $name } braucht { $package }
wifi-no-driver = das eingebaute { $name } hat keinen Treiber

## Barrierefreiheit (src/accessibility.rs)
reason-accessibility = Barrierefreiheit ab dem ersten Start: { $aids }
a11y-screen-reader = Bildschirmleser Orca mit Sprachausgabe
a11y-magnifier = Bildschirmlupe
a11y-large-text = große Schrift
a11y-high-contrast = hoher Kontrast
