# Boot media: the README of the USB stick and of the network-install tree.
usb-readme =
    upcycle USB stick for { $id }
    { $underline }

    Machine:   { $model }
    Installs:  Debian { $release } ({ $arch }), fully automatic
    Installer: Debian netboot images ({ $version })

    WARNING: booting this stick ERASES the laptop's disk and installs Debian on it.
    Use it only on the laptop { $id }.

    How to use it
    1. Plug in a network cable (the installer downloads the packages).
    2. Plug in the stick, switch on and open the boot menu (ThinkPad: F12; others: F9,
       F10, F11 or Esc). Choose the USB stick.
    3. Old BIOS: the screen shows the line
    {"     "}{ $title }
       and a boot: prompt; it starts after 5 seconds.
       UEFI: a menu with that entry starts after 5 seconds.
    4. Nothing to type. When the installer has finished it restarts the laptop:
       remove the stick then, and follow the checklist (upcycle/{ $id }/checklist.html).

    Kernel parameters: { $params }

    On this stick
      linux, initrd.gz          Debian's installer; initrd.gz holds the preseed and postinstall.sh
      syslinux.cfg              BIOS boot (needs syslinux installed on the stick)
      EFI/BOOT/{ $efi }UEFI boot (Debian's signed shim + GRUB, as on Debian's own media)
      debian-installer/{ $arch }/grub/grub.cfg   the UEFI menu
    {"  "}{ $bundle_dir }/         the bundle: checklist.html, boot.txt, report.yaml, ...

    If an old laptop does not start from the stick in BIOS mode, syslinux was not installed
    on it: see docs/media-usb.md of upcycle (or write the ready image made with --image).
    If it stops at "No kernel modules were found", the installer images are older or newer
    than the kernel packages on the mirror: make the stick again with current images.
usb-no-ia32 = { $path } is missing: the stick does not start on 32-bit UEFI (Bay Trail netbooks and tablets); for that install the package grub-efi-ia32-bin and make the stick again
usb-readme-ia32 =
    32-bit UEFI (Bay Trail netbooks and tablets like the ASUS T100TA): EFI/BOOT/BOOTIA32.EFI
    is Debian's GRUB for 32-bit UEFI (grub-efi-ia32-bin) with the same menu (EFI/BOOT/grub.cfg);
    it is not signed: switch Secure Boot off in the firmware setup.
usb-unknown = unknown

## media netboot: README.txt
netboot-title = upcycle network install
netboot-intro = This folder installs laptops over the network from the workshop PC ({ $server }).
netboot-step1 =
    1. Connect the workshop PC and the laptops to the same wired network ({ $subnet })
       that has a DHCP server (the school's router). Do not move this folder.
netboot-terminal1 = 2. Terminal 1:
netboot-runs = (runs:
netboot-terminal2 = 3. Terminal 2:
netboot-step4 =
    4. On each laptop open the one-time boot menu (F12 on most ThinkPads) and choose
       the network card. A laptop listed below with its MAC address starts its own
       install after { $auto } seconds; any other laptop shows the menu, where you choose
       its entry. Without a choice the menu boots the laptop's own disk after { $menu } seconds.
       Do not put the network first in the laptop's permanent boot order: after its
       install it would boot from the network again and reinstall itself.
netboot-machines = Machines ({ $n }):
netboot-starts-itself = starts by itself: { $macs }
netboot-no-mac = no MAC known: choose it in the menu
netboot-boot-files = Boot files: BIOS pxelinux.0 from Debian { $release } ({ $arch } images; it boots the kernels of every architecture), UEFI:
netboot-none = none
netboot-fetch = Installers fetch http://{ $server }:{ $port }/<host name>/preseed.cfg from "upcycle serve".
netboot-copy-first = (copy the bundle folders into one folder first)

## What media netboot / media usb did
netboot-done = network install tree for { $n } machines ({ $by_mac } start by their MAC address) -> { $tree }
netboot-done-menu = menu
netboot-done-serve-none = upcycle serve <one folder holding all the bundles> (they come from several folders)
netboot-done-next = next: sudo { $tree }/start.sh, and in a second terminal: { $serve }
usb-done = { $id }: USB stick files in { $dir } ({ $size } MiB, Debian { $release } { $arch }, { $title })
usb-done-image = { $id }: disk image { $path } ({ $size } MiB): write it with `sudo dd if={ $path } of=/dev/sdX bs=4M conv=fsync` or GNOME Disks (Restore Disk Image)
usb-done-next = next: copy the folder's contents onto a FAT32 stick; for BIOS boot run `sudo syslinux --install /dev/sdX1` once (docs/media-usb.md)

## media images
images-via-proxy = {" "}through { $proxy }
images-checking = Debian { $release } { $arch }: checking { $mirror }{ $via } ...
images-downloading = downloading { $url } ...
images-fetched = Debian { $release } { $arch }: installer { $build } (release { $version }) downloaded and checked, { $download } MiB -> { $dir } ({ $files } files, { $size } MiB)
images-up-to-date = Debian { $release } { $arch }: installer { $build } (release { $version }) is current and checked in { $dir }
images-cached = Debian { $release } { $arch }: installer { $build } (release { $version }), checked, in { $dir }
images-offline = the mirror cannot be reached ({ $why }); the checked images in the cache stay in use
images-replaced-broken = { $dir } was damaged ({ $why }) and is downloaded again
images-replaced-older = the mirror has newer images than those of release { $version }: downloading them
images-cache-broken-using-package = { $dir } is damaged ({ $why }); using the installed package's images instead. `upcycle media images` fetches the cache again

## Boot menus on the laptop's screen (pxelinux, GRUB, syslinux, the firmware's PXE list).
## Only ASCII: those menus show no umlauts (a test checks it).
boot-menu-local = Boot from the local disk
boot-menu-all = All machines ...
boot-menu-erases = (ERASES the disk)
boot-menu-loading = Loading the installer of { $asset } ...
boot-menu-unknown-model = unknown model
boot-menu-title = upcycle network install ({ $n ->
        [one] 1 machine
       *[other] { $n } machines
    })
boot-menu-machine-title = upcycle: { $asset } installs in { $seconds } s (ERASES the disk)
boot-menu-help = Installs Debian { $release } ({ $codename }) { $arch } as { $asset }: ERASES the internal disk.
boot-menu-pxe-bios = upcycle network install (BIOS)
boot-menu-pxe-uefi = upcycle network install (UEFI)
boot-menu-pxe-uefi32 = upcycle network install (32-bit UEFI)
boot-menu-usb-say = Debian { $release } ({ $arch }): installs automatically and ERASES the disk. Starts in 5 seconds.
