# A laptop's way (src/passport/state.rs): states from the workshop ledger
state-intake = taken in
state-erased = data erased
state-installed = installed
state-checked = checked
state-ready = ready to hand over
state-handed-over = handed over
state-to-repair = to repair
state-parts = for parts
msg-status-state = state
msg-marked = { $host } (number { $number }) is now: { $state }

## The device passport (templates/passport/passport.html.tera, src/passport/html.rs)
pp-title = Device passport
pp-subtitle = What was done to this laptop, and what you should know
pp-number = Inventory number
pp-host = Host name
pp-state = State
pp-as-of = As of { $date }
pp-device = Device
pp-model = Make and model
pp-year = Year (from its BIOS)
pp-hardware = Hardware
pp-hardware-when = as recorded on { $date }
pp-no-hardware = The ledger has no record of its hardware yet.
pp-cpu = Processor
pp-cpu-64 = 64-bit
pp-cpu-32 = 32-bit only
pp-ram = Memory
pp-disk = Disk
pp-battery = Battery
pp-battery-health = { $percent } % of its original capacity
pp-battery-none = no battery
pp-battery-unknown = present, condition not measured
pp-display = Screen
pp-unknown = not known
pp-erasure = Data erasure
pp-not-erased = NOT ERASED YET: the ledger records no erasure of this laptop's disk. The former owners' data may still be on it.
pp-not-erased-failed = NOT ERASED YET: the erasure recorded did not succeed. The former owners' data may still be on the disk.
pp-erasure-failed = Not every erasure attempt succeeded; the one that counts is the one whose result is “erased and verified”.
pp-replace-disk = The disk shows heavy wear (SMART): it should be replaced. Always keep important files somewhere else too.
pp-erased-on = Date
pp-erased-disk = Disk
pp-method = Method
pp-method-category = { $method }; category { $category } (NIST SP 800-88)
pp-erasure-attempt = Erasure attempt on { $date }, disk { $disk }: { $result }
pp-result = Result
pp-result-ok = erased and verified
pp-result-not-ok = not erased
pp-record = Checksum of the erasure record (SHA-256)
pp-verify-full = every byte read back and compared
pp-verify-sample = a sample read back and compared
pp-system = Operating system
pp-no-system = No system chosen yet.
pp-system-name = System
pp-installed-on = installed on { $date }
pp-not-installed = not installed yet
pp-support = Security updates until
pp-packages = { $n } packages installed
pp-check = Check
pp-not-checked = Not checked yet.
pp-self-check = Self-check
pp-self-check-ok = on { $date }: { $passed } checks passed, none failed
pp-self-check-failed = on { $date }: { $passed } checks passed; failed: { $failed }
pp-checked-on = checked on
pp-verdict = Verdict
pp-grade = Grade
pp-grade-scale = A like new to E only just usable
pp-note = Note
pp-manual = Checked by hand
pp-item-keyboard = Keyboard
pp-item-touchpad = Touchpad
pp-item-hinges = Hinges and case
pp-item-screen = Screen
pp-item-is-ok = fine
pp-item-is-defect = defective
pp-item-is-not-checked = not checked
pp-for-you = What you should know
pp-accounts-first-boot = When you first switch it on, you create your own user account with a password only you know. The setup account “{ $setup }” then removes itself.
pp-accounts-fixed = The workshop set up the user accounts. You get the password separately from this sheet. Change it when you first log in.
pp-updates-auto = Security updates install themselves while the laptop is connected to the internet. So connect it to the internet regularly.
pp-updates-manual = Install the updates regularly (menu: software updates).
pp-support-until = This system gets security updates until { $date }. After that, a newer system should be installed – the workshop helps.
pp-support-ended = Security updates for this system ended on { $date }. Please have a newer system installed – the workshop helps.
pp-help = Where to get help: { $help }
pp-help-none = For questions and problems, ask the workshop that gave you the laptop.
pp-data = Keep a copy of important files on a USB stick too: an old disk can break suddenly.
pp-dates = Milestones
pp-date-intake = taken in
pp-date-erased = data erased
pp-date-installed = installed
pp-date-checked = checked
pp-date-handed-over = handed over
pp-footer = Made with upcycle from the workshop ledger. Serial numbers and the recipient's name are not in this passport.

## upcycle passport on the terminal
msg-passport-new = { $path } written
msg-passport-unchanged = { $path } unchanged
msg-passport-replaced = { $path } written anew; the one before is kept as { $kept }
msg-passport-done = { $n ->
    [one] 1 passport
   *[other] { $n } passports
} in { $path }

## What reuse avoids (src/passport/impact.rs, docs/passport.md)
impact-amounts = ca. { $co2e } CO₂e and ca. { $ewaste } of e-waste
pp-impact = Environment
pp-impact-laptop = Because this used laptop goes on being used instead of a new one being made, { $amounts } are avoided (an estimate from manufacturers' published figures).

## upcycle handover
log-grade = grade { $grade }
log-removed = removed: { $what }
msg-handover-done = { $host } (number { $number }) is handed over.
msg-handover-removed = Removed from the ledger: { $what } (the events stay as they are)
msg-handover-removed-nothing = The ledger held nothing to remove (the events stay as they are)
handover-removed-install-token = the install token
handover-removed-install-state = the last install state (the installer's address and line)
msg-handover-name-not-stored = The recipient's name was NOT stored (passport.keep_recipient_name is off in the workshop file); the ledger notes that.
msg-handover-name-stored = The recipient's name is in the ledger (passport.keep_recipient_name in the workshop file).
msg-handover-not-erased = The ledger records no successful erasure of this laptop's disk: the former owners' data may still be on it.
msg-handover-not-ready = This laptop was not recorded as ready to hand over, but as: { $state }
