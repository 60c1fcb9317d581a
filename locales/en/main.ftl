# Common: lists, units, words many texts need.
list-and = { $first } and { $last }
# A text from an older file, as it was.
verbatim = { $text }
cores = { $n ->
    [one] { $n } core
   *[other] { $n } cores
}
# A machine without vendor and model: more than one word (see render::machine_view).
unknown-title = unknown (no vendor data)
unknown = unknown
bits-64 = 64-bit
bits-32 = 32-bit

## Errors
error-no-profile-fits = no profile fits this machine:
row-no-profile-fits = no profile fits ({ $why })

## Summary of a selection (select, plan)
sel-unknown-model = unknown model
sel-machine = Machine
sel-install = Install
sel-kernel = kernel { $package }
sel-boot-params = , boot parameters { $params }
sel-firmware = firmware: { $packages }
sel-apps = apps: { $apps }
sel-why = Why
sel-nothing-fits = no profile fits this machine
sel-dropped-instead = { $app }: { $reason } (instead: { $alternative })
sel-left-out = Left out
sel-upgrades = Upgrades
sel-not-chosen = Not chosen
sel-notes = Notes
sel-assumed = Assumed

## Summary of a report (probe, plan)
rep-machine = Machine
rep-unknown-machine = unknown (no DMI data)
rep-bios-from = BIOS from { $year }
rep-serial = serial { $serial }
rep-unknown-cpu = unknown CPU
rep-cores-threads = { $cores ->
    [one] 1 core
   *[other] { $cores } cores
} / { $threads ->
    [one] 1 thread
   *[other] { $threads } threads
}
rep-64bit = 64-bit (amd64)
rep-32bit = 32-bit only (i386)
rep-no-cmov = ; no cmov: below the i686 baseline, no current system starts on it
rep-forcepae = ; Pentium M without the PAE flag: a PAE kernel needs forcepae
rep-no-pae = ; no PAE: needs a non-PAE (686) kernel
rep-memory = Memory
rep-memory-value = { MIB($mib) } installed (the system sees { $seen } MiB)
rep-bios = BIOS (legacy boot)
rep-uefi-ia32 = UEFI { $bits }-bit on a 64-bit CPU: needs a 32-bit UEFI boot loader (grub-efi-ia32)
rep-uefi-bits = UEFI { $bits }-bit
rep-disks = Disks
rep-disk-optical = optical
rep-disk-usb = USB disk
rep-disk-ssd = SSD/flash
rep-disk-disk = disk
rep-no-disc = no disc
rep-install-here = <- install here
rep-none-found = none found
rep-no-internal-disk = no internal disk to install on
rep-raid = controller { $slot } in RAID mode: switch SATA to AHCI in the firmware setup before installing
rep-graphics = Graphics
rep-network = Network
rep-wifi = Wi-Fi
rep-other = other
rep-sd-card = SD card
rep-battery = Battery
rep-battery-wh = { $name }: { DEC($full) } of { DEC($design) } Wh left, { $wear } % worn
rep-battery-worn = { $name }: { $wear } % worn
rep-battery-unknown = { $name }: capacity unknown
rep-cycles = { $n ->
    [one] 1 cycle
   *[other] { $n } cycles
}
rep-display = Display
rep-running = Running
rep-warnings = Warnings
rep-warnings-value = { $n ->
    [one] 1 fact
   *[other] { $n } facts
} missing or unreadable (see "warnings" in --format yaml)
rep-vendor-device = { $vendor } device
rep-unknown-device = unknown device
rep-driver = driver { $driver }
rep-no-driver = no driver
rep-needs-firmware = needs { $package }
rep-may-need-firmware = may need { $package }

## Chassis types (SMBIOS) as the summary shows them
chassis-other = other
chassis-unknown = unknown
chassis-desktop = desktop
chassis-low-profile-desktop = low profile desktop
chassis-mini-tower = mini tower
chassis-tower = tower
chassis-portable = portable
chassis-laptop = laptop
chassis-notebook = notebook
chassis-hand-held = hand held
chassis-all-in-one = all in one
chassis-sub-notebook = sub notebook
chassis-tablet = tablet
chassis-convertible = convertible
chassis-detachable = detachable
chassis-mini-pc = mini pc
error-profile-does-not-fit = profile `{ $profile }` does not fit this machine: { $why }
error-invalid = the bundle for { $host } failed validation, nothing was written:
row-invalid = validation failed: { $findings }
row-not-recorded = the bundle was written but not recorded in the ledger: { $error }
serve-index = upcycle serve: { $n ->
    [one] 1 bundle
   *[other] { $n } bundles
}
