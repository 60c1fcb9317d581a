# Inventory (inventory.html) and labels (labels.html).
inv-inventory = Inventory
inv-labels = Labels
inv-machines = machines
inv-ready = ready
inv-failed = failed
inv-failed-heading = These machines need help
inv-all-machines = All machines
inv-sort-hint = Click a column heading to sort; click again to reverse.
inv-per-profile = Machines per profile
inv-ram-sizes = Memory (RAM)
inv-battery = Battery health
inv-unknown = unknown
inv-no-battery = no battery
inv-battery-good = good (80 % or more)
inv-battery-ok = fair (50–79 %)
inv-battery-weak = weak (below 50 %)
inv-col-asset = Asset id
inv-col-model = Machine
inv-col-serial = Serial
inv-col-year = BIOS from
inv-col-disk = Disk
inv-col-display = Display
inv-col-profile = Profile
inv-col-notes = Notes
inv-col-status = Status
inv-bits32 = 32-bit only
inv-left-out = left out
inv-upgrade = upgrade
inv-status-ok = ready
inv-status-failed = failed
inv-no-machines = No machines in this batch.
inv-labels-intro = A sticker for every finished machine, with a QR code of its asset id.
inv-labels-intro-passport = A sticker for every finished machine, with a QR code leading to its passport.
inv-labels-on-sheets = labels on A4 sheets (3 × 8, 70 × 37 mm each)
inv-print-how = To print: paper size A4, scale 100 % (“actual size”, not “fit to page”), margins “none”, headers and footers off. Print a test sheet on plain paper first and hold it against the label sheet.
inv-no-labels = No machine is ready: no labels.
inv-labels-skipped = without a label (failed)
inv-battery-short = Battery
inv-firmware = firmware
inv-erasure-erased = disk erased
inv-erasure-failed = erase failed
inv-erasure-interrupted = erase interrupted
inv-replace-disk = replace the disk before hand-over
row-not-in-run = not in this run: its bundle folder from { $date } is kept as it was, not checked against today's catalog
row-not-in-run-no-bundle = not in this run: no bundle
row-bug = internal error, a bug in upcycle (please report it with this machine's report): { $what }

# The estimate of what reuse avoids (src/passport/impact.rs)
inv-impact = Reuse avoids
inv-impact-note = estimate for { $n ->
    [one] 1 laptop
   *[other] { $n } laptops
} with a bundle, instead of making new ones
