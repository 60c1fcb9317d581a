# The certificate of data sanitization (erase).
cert-title = Certificate of data sanitization
cert-subtitle = after NIST SP 800-88
cert-status-erased = ERASED and verified
cert-status-interrupted = INTERRUPTED – NOT erased
cert-status-failed = FAILED – NOT erased
cert-media = Media
cert-model = Model
cert-serial = Serial number
cert-bus = Interface
cert-medium = Type
cert-size = Size
cert-device = Device
cert-hidden = Hidden areas (HPA/DCO)
cert-sanitization = Sanitization
cert-method = Method
cert-category = Category (NIST SP 800-88 / IEEE 2883)
cert-tool = Tool and version
cert-written = Bytes written
cert-resumed = Resumed at byte
cert-verification = Verification
cert-verify-method = Verification method
cert-verify-result = Result
cert-read = Bytes read
cert-health = Drive health
cert-time = Time
cert-start = Start
cert-end = End
cert-people = Performed
cert-operator = Performed by
cert-workshop = Workshop
cert-destination = Destination
cert-notes = Notes
cert-signature = Signature
cert-record = Record file
cert-sha = SHA-256 of the record file
cert-unknown = unknown

## The plan: what would be done to a disk, and why not
refuse-boot = the running system was booted from this disk
refuse-in-use = in use: { $uses }
use-mounted = { $device } mounted at { $at }
use-swap = { $device } is active swap
use-held = held by { $holder } (device-mapper, LVM or RAID)
refuse-usb = USB disk: erased only when named explicitly (upcycle erase /dev/{ $name })
refuse-sd = SD card: erased only when named explicitly (upcycle erase /dev/{ $name })
refuse-removable = removable disk: erased only when named explicitly (upcycle erase /dev/{ $name })
refuse-size-unknown = size unknown
refuse-no-medium = no medium (size 0)
refuse-locked = locked with an ATA password: unlock it (hdparm --security-unlock) first
refuse-installer-external = { $name } is a USB disk, a memory card or a removable disk: the installer erases only the built-in disk
refuse-usb-bridge = USB disk: only the overwrite is done through a USB bridge
refuse-unavailable = { $what } is not available on this disk{ $frozen ->
    [yes] {" "}while the drive is frozen (suspend to RAM and wake it first)
   *[no] {""}
}
advice-frozen = the drive's security is frozen by the firmware: suspend to RAM and wake the laptop (systemctl suspend), then plan again to unlock ATA Secure Erase / Sanitize
advice-installer-overwrite = { $method } needs { $tool } (package { $package }), which the installer lacks: upcycle overwrites the disk itself instead
advice-nvme-unknown = NVMe capabilities unknown (apt install nvme-cli): Sanitize or Format NVM would be Purge
advice-ata-unknown = ATA security state unknown (apt install hdparm): Sanitize would be Purge for this SSD
advice-purge = for Purge instead of Clear: { $method }
erase-unknown = { $what } unknown: { $error }
fact-ata-security = ATA security state
fact-nvme = NVMe capabilities
fact-health = drive health

## Methods
method-overwrite = one pass of zeros over every visible sector (upcycle), then a read-back
method-ata-secure-erase = ATA SECURITY ERASE UNIT (hdparm --security-erase), then a read-back
method-ata-enhanced-secure-erase = ATA SECURITY ERASE UNIT, enhanced (hdparm --security-erase-enhanced), then a read-back
method-ata-sanitize-block-erase = ATA SANITIZE BLOCK ERASE (hdparm --sanitize-block-erase), then a read-back
method-ata-sanitize-crypto-scramble = ATA SANITIZE CRYPTO SCRAMBLE (hdparm --sanitize-crypto-scramble), then a read-back
method-nvme-format-user-data = NVMe Format NVM, user data erase (nvme format --ses=1), then a read-back
method-nvme-format-crypto = NVMe Format NVM, cryptographic erase (nvme format --ses=2), then a read-back
method-nvme-sanitize-block-erase = NVMe Sanitize, block erase (nvme sanitize --sanact=2), polled in the sanitize log, then a read-back
method-nvme-sanitize-crypto-erase = NVMe Sanitize, crypto erase (nvme sanitize --sanact=4), polled in the sanitize log, then a read-back
method-emmc-secure-erase-sanitize = eMMC secure erase, then sanitize (mmc-utils), then a read-back
verify-full = full: every byte read back and compared
verify-sample = sample: the first and last { $edge } MiB, and { $slice } MiB at the start of every { $stride } MiB between them, read back and compared
verify-changed = not zeros everywhere, so: { $slices } samples of { $slice } MiB (the first and last { $edge } MiB and { $slice } MiB in every { $stride } MiB between) read before and after the erase and their SHA-256 compared: none holds its old content (empty areas aside)

## Drive health (SMART)
health-smart-failed = the drive's own SMART self-assessment failed
health-power-on = { $hours } power-on hours (>= { $limit })
health-pending = { $n } pending (unreadable) sectors
health-offline = { $n } offline uncorrectable sectors
health-reallocated = { $n } reallocated sectors
health-nvme-critical = NVMe critical warning { $code }
health-spare = available spare { $spare }% at or below its threshold { $threshold }%
health-media-errors = { $n } NVMe media errors
health-endurance = { $used }% of the rated endurance used
health-days-left = about { $days } power-on days of life left at its wear rate (< { $limit })
health-no-smart = the drive reported no SMART data
health-not-read = no SMART data read

## Record notes
note-resumed = resumed an interrupted run of { $started } at byte { $at }
note-write-failed = write failed at byte { $at }: { $error }
note-not-erased = byte { $at } is not erased
note-read-failed = read failed at byte { $at }: { $error }
note-interrupted = interrupted: NOT erased; run the same command again to resume
note-hpa = a host protected area of { $sectors } sectors was not overwritten
note-dco = a device configuration overlay hides { $sectors } sectors that were not overwritten
note-flash = flash: an overwrite does not reach spare blocks (Clear, not Purge)
note-interrupted-firmware = interrupted: the firmware erase ran to its end, the read-back did not; NOT confirmed as erased, run again
note-hpa-firmware = a Host Protected Area of { $sectors } sectors: whether the firmware erase reached it is the drive's matter; only the visible sectors were read back
note-dco-firmware = a Device Configuration Overlay hides { $sectors } sectors: whether the firmware erase reached them is the drive's matter; only the visible sectors were read back
note-tool-skipped = { $tool } is not installed (apt install { $package }): "{ $command }" not run
note-try-overwrite = "--method overwrite" erases the disk by overwriting it instead (Clear)
note-firmware-command = ran: { $command }
note-ata-password = the ATA password "{ $password }" was set for the erase; if the drive stays locked: hdparm --user-master u --security-disable { $password } /dev/{ $name }
note-not-zeros = not zeros everywhere (the first other byte at { $at }): what reads back after this method is the vendor's choice
note-old-content = byte { $at } still holds the old content (the same SHA-256 as before the erase): NOT erased
note-sanitize-failed = the drive reports: sanitize failed
note-sanitize-not-started = the drive reports no sanitize running and none finished

## On the terminal
erase-prompt = Erase /dev/{ $name }: { $model }{ $serial }, { $size }, by { $method } ({ $category })? All data on it will be lost.
erase-prompt-serial = , serial ending { $tail }
erase-type-serial = Type the last characters of its serial ({ $expected }) to go on:{" "}
erase-type-name = Type its name ({ $expected }) to go on:{" "}
erase-unknown-model = unknown model
erase-refused = /dev/{ $name } not erased: { $why }
erase-replace-anyway = /dev/{ $name }: replace before hand-over ({ $why }); erasing it anyway
erase-busy = /dev/{ $name } not erased: in use (the kernel refuses exclusive access)
erase-not-confirmed = /dev/{ $name } not erased: not confirmed
erase-resuming = /dev/{ $name }: resuming at { $done } of { $size }
erase-bar-overwrite = overwrite { $name }
erase-bar-verify = verify { $name }
erase-tool-missing = /dev/{ $name } not erased: { $method } needs { $tool }, which is not installed (package { $package }: apt install { $package })
erase-firmware-running = /dev/{ $name }: { $command } (the drive's firmware erases; this cannot be stopped)
erase-bar-sanitize = % sanitize { $name }
erase-done-erased = erased and verified
erase-done-interrupted = INTERRUPTED, not erased (run again to resume)
erase-done-failed = FAILED, not erased
erase-done = /dev/{ $name }: { $word }; record { $record }, certificate { $certificate }
erase-ledger-none = no ledger in the record folder or above it (--ledger): the erasure is in the record files only
erase-ledger-machine = /dev/{ $name } belongs to { $host } (number { $number }) in the ledger { $path }
erase-ledger-unknown = /dev/{ $name }: this laptop is not in the ledger { $path } (neither the machine nor this disk is known there); the erasure is kept as a record file only
erase-ledger-ambiguous = /dev/{ $name }: this disk matches several machines of the ledger { $path } (numbers { $numbers }); none is guessed, the erasure is kept as a record file only
erase-ledger-not-recorded = not recorded in the ledger { $path } (the laptop is not known there for certain); the record stays in { $record }
erase-ledger-recorded = recorded in the ledger { $path }: { $host } (number { $number })
erase-ledger-failed = could not record the erasure in the ledger { $path }: { $error }; the record stays in { $record }
plan-serial = (serial …{ $tail })
plan-not-erased = NOT ERASED: { $why }
plan-method = method: { $method } ({ $category }), verify { $verify }{ $about }
plan-about = , about { $time }
plan-security = ATA security: { $supported }{ $frozen }, enhanced erase { $enhanced }, sanitize { $sanitize }{ $estimate }
plan-supported = supported
plan-not-supported = not supported
plan-frozen = , FROZEN
plan-not-frozen = , not frozen
plan-yes = yes
plan-no = no
plan-drive-estimate = , drive's own estimate { $minutes } min
plan-hidden = hidden areas: HPA { $hpa }, DCO { $dco }
plan-area-none = none
plan-area-present = PRESENT ({ $sectors } sectors not reached by an overwrite)
plan-health = health: { $verdict }
plan-verdict-replace = REPLACE BEFORE HAND-OVER
plan-verdict-watch = watch
plan-verdict-good = good
plan-verdict-unknown = unknown
plan-advice = advice: { $advice }
plan-no-disks = no disks found
cert-result-passed = passed
cert-result-failed = FAILED
cert-result-not-run = not run
tool-missing = { $tool } not installed (apt install { $package })
tool-cannot-run = { $tool } could not run: { $error }
tool-failed = { $command } failed: { $error }
