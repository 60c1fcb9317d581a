# The selection: why a profile fits or not, what was assumed, what an upgrade brings.
# The codes are in selection.yaml; the words are added when shown.

## Why a profile does not fit
reject-forbidden = forbidden by the workshop policy
reject-family-forbidden = { $family } systems are forbidden by the workshop policy
reject-no-disk = no internal disk to install on (USB sticks and SD cards are never used)
reject-needs-64bit = needs a 64-bit CPU; this one is 32-bit only
reject-32bit-only = for 32-bit-only CPUs; this CPU runs 64-bit systems, which Debian recommends for it
reject-needs-pae = needs PAE; this CPU has none
reject-needs-cmov = needs a CPU with cmov (i686 or newer); this CPU lacks it, which Debian 12's i386 system needs since Debian 9 (its 686 kernels stop at boot: "This kernel requires the following features not present on the CPU: cmov"), and Debian 13 has no i386 system at all
reject-needs-sse2 = needs SSE2; this CPU has none
reject-ram = needs at least { MIB($min_mib) } RAM; this machine has { MIB($ram_mib) }
reject-disk = needs a disk of at least { $min_gb } GB; this one has { $gb } GB

## Why a profile fits
reason-64bit = 64-bit CPU
reason-ram = { MIB($ram_mib) } RAM (minimum { MIB($min_mib) })
reason-fit = fit: RAM { $ram } %, CPU { $cpu } %, cores { $cores } %{ $wants_ssd ->
    [yes] , wants an SSD
   *[no] {""}
}; { DEC($years) } { $years ->
    [one] year
   *[other] years
} of security support left
reason-preferred = the workshop prefers { $desktop }
reason-pinned = pinned by the workshop policy
reason-kernel = kernel { $package }: { $why }
reason-self-check = { $packages } for the self-check after the install (the disk's SMART values)
kernel-policy-forcepae = workshop policy: PAE kernel with forcepae for this Pentium M

## Apps left out
app-not-packaged = not packaged in { $release }
app-needs = needs { $what }
need-ram = { MIB($mib) } RAM
need-64bit = a 64-bit CPU
need-cores = { $n ->
    [one] one CPU core
   *[other] { $n } CPU cores
}

## Assumptions for unknown values
assumed-ram = RAM size unknown (no readable proc/meminfo): assumed { MIB($mib) } to be safe; check the sticker or BIOS and re-run
assumed-cpu = CPU unknown (no readable proc/cpuinfo): assumed 32-bit without PAE and SSE2
assumed-cmov = CPU flag cmov not in the report (an older upcycle, or no flags line): assumed present; a CPU without it (Pentium MMX, AMD K6, early VIA C3, Geode GX) cannot start Debian 12, so re-probe if unsure
assumed-clock = CPU clock unknown: counted as half the recommended clock
assumed-disk-size = disk size unknown: assumed big enough
assumed-disk-type = disk type unknown: assumed a spinning hard disk

## Upgrades
upgrade-ram = RAM to { MIB($target_mib) } (+{ MIB($added_mib) }), if the mainboard takes it
upgrade-ssd = SSD instead of the hard disk
# Only a chip whose firmware is free too (ath9k_htc, data/firmware/curated.tsv): RTL8188/8192
# sticks have free drivers but load non-free firmware-realtek.
upgrade-wifi-stick = a USB Wi-Fi stick whose driver and firmware are both free, e.g. one with an Atheros AR9271 chip (firmware-ath9k-htc, in Debian main) ({ $why })
upgrade-battery = new battery (this one is { $wear } % worn)
cost-about = about { $amount } { $currency }
unlocks-profile = system "{ $name }"
unlocks-app = app { $app }
unlocks-wifi = Wi-Fi with free software only
unlocks-mains = use away from the mains
wifi-wl = the internal { $name } runs on the non-free wl driver
wifi-needs = the internal { $name } needs { $package }
wifi-no-driver = the internal { $name } has no driver

## Accessibility (src/accessibility.rs)
reason-accessibility = Accessibility from the first start: { $aids }
a11y-screen-reader = Orca screen reader with speech
a11y-magnifier = screen magnifier
a11y-large-text = large text
a11y-high-contrast = high contrast
