# A machine's bundle: checklist, boot.txt, the first-boot wizard.

## Values about the machine
bundle-size-unknown = size unknown
bundle-setup-account-name = Setup
bundle-accounts-fixed = fixed accounts: { $users }
bundle-accounts-first-boot = At first start the new owner creates their own account (the setup account "{ $setup_user }" logs in automatically and is removed afterwards)
bundle-accounts-gnome = At first start GNOME asks the new owner to create their account
bundle-no-disk = no internal disk
bundle-no-battery = none
bundle-battery-worn-wh = { $wear } % worn ({ DEC($full) } / { DEC($design) } Wh)
bundle-battery-worn = { $wear } % worn
bundle-ram-assumed = unknown: assumed { MIB($mib) } (check the label on the memory or the BIOS setup)

## Checklist
checklist-title = workshop checklist
checklist-machine = Machine
checklist-serial = Serial
checklist-disk = Disk
checklist-battery = Battery
checklist-system = System
checklist-accounts = Accounts
checklist-before = Before the install
checklist-start = How the install starts
checklist-why = Why this system
checklist-left-out = Left out
checklist-firmware-notes = Firmware and notes
checklist-firmware = firmware: { $package }
checklist-upgrades = Worth upgrading
checklist-check-after = Check after the install
checklist-checked-by = Checked by
checklist-date = Date
checklist-accessibility = Accessibility
check-a11y-speech = Orca speaks at the first start (speakers loud enough?)
check-a11y-seen = Magnifier, text size and contrast as wanted
check-starts = Starts without an error
check-wifi = Wi-Fi connects
check-sound = Sound (speakers and headphones)
check-webcam = Webcam
check-keys = Every key of the keyboard
check-touchpad = Touchpad
check-display = Display without dead pixels
check-battery = Battery charges and holds
check-usb = USB ports
check-login = Login / setup works

## boot.txt
boot-title = upcycle: how to start the install of { $host }
boot-machine = Machine: { $title }
boot-before = BEFORE YOU START: { $note }
boot-image-debian = Installer image: Debian { $release } ({ $codename }) { $arch } netinst (CD/USB image)
boot-image-netboot = or netboot ({ $package })
boot-ia32-1 = 32-bit UEFI: the stick of "upcycle media usb" starts with Debian's grubia32.efi
boot-ia32-2 = (package grub-efi-ia32-bin on the workshop PC); switch Secure Boot off in the firmware setup
boot-route1-1 = Stick made with "upcycle media usb" (preseed inside the installer):
boot-route1-2 = nothing to type: the menu entry "upcycle { $host }" starts with
boot-route2-1 = Network made with "upcycle media netboot": the entry "upcycle { $host }" has this
boot-route2-2 = line with the workshop PC's address. Or an official Debian image: at the boot menu
boot-route2-3 = choose "Advanced options" > "Automated install", or press Tab (BIOS) / e (UEFI) and
boot-route2-4 = add to the kernel line:
boot-workshop-pc = (WORKSHOP-PC is the address of the PC that runs "upcycle serve".)
boot-image-ubuntu = Installer image: Ubuntu { $release } desktop (amd64)
boot-ubuntu-line = At the boot menu press e and add to the "linux" line, before "---":
boot-params = Kernel parameters for this laptop: { $params }
boot-params-kept = (already in the lines above, and kept for the installed system)
boot-erases = The installer asks nothing. It erases the internal disk { $device } ({ $size }) only; remove other disks you want to keep.

## The first-boot wizard (zenity)
wizard-title = Welcome to your laptop
wizard-intro = This laptop is yours now. Create your account.
wizard-name = What is your name? (first and last name)
wizard-user = Your user name for logging in (lower case, no spaces, e.g. lena):
wizard-pass = Choose a password (at least 6 characters):
wizard-pass2 = Type the password once more, to be sure:
wizard-error-name = Please type your name.
wizard-error-name-chars = The name may not contain a colon or a comma.
wizard-error-user = The user name may hold only lower-case letters, digits, - and _, and must start with a letter.
wizard-error-taken = This user name exists on the laptop already (the system needs some names itself). Please choose another one.
wizard-error-short = The password is too short: it needs at least 6 characters.
wizard-error-match = The passwords differ. Please try again.
wizard-error-fail = The account could not be created. Is the name taken already?
wizard-done = Done! The laptop restarts now. Then log in with your user name.
wizard-later = Set up later? This question comes back at the next start.

## NOT-CHECKED.txt (bundle.rs, note_unchecked)
bundle-not-checked-title = This bundle was written WITHOUT these checks (--skip-validator):
bundle-not-checked-tool = - { $program } (package { $package })
bundle-not-checked-todo = Install the missing tools and generate the bundle again before installing a laptop with it.

# The installer's erasure step (preseed partman/early_command): shown by d-i when it fails.
# ASCII only: d-i's screen before the language is set shows <ERR> from the first non-ASCII
# character on (scripts/e2e/erase-installer.sh, docs/e2e.md).
installer-erase-operator = Debian installer, unattended ({ $asset })
installer-erase-progress-title = Erasing the disk { $disk } (upcycle erase; up to hours on old disks)
installer-erase-progress-write = Overwriting with zeros: { $done } of { $total } MiB
installer-erase-progress-verify = Checking by reading back: { $done } of { $total } MiB
installer-erase-failed-title = Erasure failed: the install stops
installer-erase-failed = The disk { $disk } was not erased (upcycle erase ended with { $code }; 127: upcycle is missing from the installer). So that nothing is installed over old data, the install stops here. The log is on the fourth console (Alt+F4) and in /var/lib/upcycle/erasure. Switch the laptop off and erase the disk with upcycle erase from a live stick, or replace it.
note-erase-not-in-installer = This install (Ubuntu) does not erase the disk first, although the workshop asks for it (erase.before_install): erase it from a live stick with upcycle erase before
