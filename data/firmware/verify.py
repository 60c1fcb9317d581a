#!/usr/bin/env python3
"""Check which Debian package the generated maps + curated table give for real devices.

Usage: python3 data/firmware/verify.py [--release trixie|bookworm] [--fixtures]

For every device below it synthesizes the PCI modalias the kernel would show
(pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X, uppercase hex) and matches it with
fnmatch.fnmatchcase against data/firmware/debian-<N>-<release>.tsv and
data/firmware/curated.tsv. The answer follows the order upcycle uses: a curated
row first, then a metainfo glob naming the device, then a vendor-wide metainfo glob.
With --fixtures it also lists every network (class 02) and display (class 03)
PCI device found in tests/fixtures/machines/*/root/sys/bus/pci/devices.
Exit status 1 if a device marked as checked gets another answer than recorded.
"""

import argparse
import fnmatch
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MAPS = {"bookworm": "debian-12-bookworm.tsv", "trixie": "debian-13-trixie.tsv"}

# (label, vendor, device, subvendor, subdevice, class, fixture,
#  expected in the brief, answer recorded after checking Debian's data for trixie)
DEVICES = [
    ("Intel PRO/Wireless 2100 (ipw2100)", 0x8086, 0x1043, 0x8086, 0x2551, 0x028000,
     "ibm-thinkpad-t40", "firmware-ipw2x00", "firmware-ipw2x00"),
    ("Intel PRO/Wireless 3945ABG (iwl3945)", 0x8086, 0x4222, 0x8086, 0x1021, 0x028000,
     "dell-latitude-d620-coreduo", "firmware-iwlwifi", "firmware-iwlwifi"),
    ("Intel Centrino Advanced-N 6205", 0x8086, 0x0085, 0x8086, 0x1311, 0x028000,
     "lenovo-thinkpad-x220", "firmware-iwlwifi", "firmware-iwlwifi"),
    ("Broadcom BCM4312 LP-PHY", 0x14E4, 0x4315, 0x1028, 0x000B, 0x028000,
     "dell-xps-m1530-nvidia", "firmware-b43-installer", "firmware-b43-installer"),
    ("Ralink RT3290", 0x1814, 0x3290, 0x103C, 0x18EC, 0x028000,
     "hp-pavilion-15-a4-5000", "firmware-misc-nonfree", "firmware-mediatek"),
    ("Atheros AR242x (ath5k)", 0x168C, 0x001C, 0x1A3B, 0x1026, 0x020000,
     "asus-eeepc-1000h", None, None),
    ("Atheros AR9285 (ath9k)", 0x168C, 0x002B, 0x1A3B, 0x1089, 0x028000,
     "asus-eeepc-1015px-nodmi", None, None),
    ("ATI Radeon Mobility 7500 (radeon)", 0x1002, 0x4C57, 0x1014, 0x0530, 0x030000,
     "ibm-thinkpad-t40", "firmware-amd-graphics", "firmware-amd-graphics"),
    ("NVIDIA GeForce 8600M GT (nouveau)", 0x10DE, 0x0407, 0x1028, 0x022E, 0x030000,
     "dell-xps-m1530-nvidia", None, "firmware-nvidia-graphics"),
    ("Marvell 88E8040 (sky2)", 0x11AB, 0x4354, 0x1028, 0x022E, 0x020000,
     "dell-xps-m1530-nvidia", None, None),
    ("Realtek RTL8111/8168 (r8169)", 0x10EC, 0x8168, 0x0000, 0x0000, 0x020000,
     None, "firmware-realtek", "firmware-realtek"),
]


def modalias(v, d, sv, sd, cls):
    return "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" % (
        v, d, sv, sd, cls >> 16, (cls >> 8) & 0xFF, cls & 0xFF)


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            rows.append(cols)
    return rows


def names_device(g):
    """Does a pci glob name one device id (not pci:v0000XXXXd*...)?"""
    if not g.startswith("pci:v") or len(g) < 15:
        return False
    return g[13] == "d" and g[14] not in "*?"


def lookup(alias, metainfo, curated, mapname):
    hits = []
    for cols in curated:
        if fnmatch.fnmatchcase(alias, cols[0]):
            hits.append((0, cols[1], "curated.tsv", cols[0]))
    for cols in metainfo:
        if fnmatch.fnmatchcase(alias, cols[0]):
            hits.append((1 if names_device(cols[0]) else 2, cols[1], mapname, cols[0]))
    hits.sort(key=lambda h: h[0])
    return hits


def fixture_value(fixture, v, d, name):
    """Read a sysfs attribute of the fixture device with this vendor:device."""
    base = os.path.join(REPO, "tests", "fixtures", "machines", fixture, "root",
                        "sys", "bus", "pci", "devices")
    for dev in sorted(glob.glob(os.path.join(base, "*"))):
        try:
            with open(os.path.join(dev, "vendor")) as f:
                fv = int(f.read(), 16)
            with open(os.path.join(dev, "device")) as f:
                fd = int(f.read(), 16)
            if (fv, fd) == (v, d):
                with open(os.path.join(dev, name)) as f:
                    return int(f.read(), 16)
        except (OSError, ValueError):
            continue
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--release", default="trixie", choices=sorted(MAPS))
    ap.add_argument("--fixtures", action="store_true")
    args = ap.parse_args()
    mapname = MAPS[args.release]
    metainfo = load(os.path.join(HERE, mapname))
    curated = load(os.path.join(HERE, "curated.tsv"))

    failures = 0
    print("| device | modalias | package | matched in (glob) | expected in brief |")
    print("| --- | --- | --- | --- | --- |")
    for label, v, d, sv, sd, cls, fixture, expected, recorded in DEVICES:
        if fixture:
            # Cross-check the ids recorded here against the fixture files.
            for attr, want in (("subsystem_vendor", sv), ("subsystem_device", sd), ("class", cls)):
                got = fixture_value(fixture, v, d, attr)
                if got is not None and got != want:
                    print("WARNING: %s %s is %#x in fixture %s, %#x here" % (label, attr, got, fixture, want),
                          file=sys.stderr)
        alias = modalias(v, d, sv, sd, cls)
        hits = lookup(alias, metainfo, curated, mapname)
        package = hits[0][1] if hits else "none"
        where = "; ".join("%s (`%s`)" % (h[2], h[3]) for h in hits) or "-"
        if args.release == "trixie" and package != (recorded or "none"):
            failures += 1
            print("FAIL: %s: got %s, recorded %s" % (label, package, recorded), file=sys.stderr)
        exp = expected or "none"
        mark = "" if exp == package else " (differs)"
        src = "%04x:%04x sub %04x:%04x%s" % (v, d, sv, sd, ", " + fixture if fixture else ", synthesized")
        print("| %s [%s] | `%s` | **%s** | %s | %s%s |" % (label, src, alias, package, where, exp, mark))

    if args.fixtures:
        print()
        print("| fixture | slot | vendor:device | class | modalias | package | matched in |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        base = os.path.join(REPO, "tests", "fixtures", "machines")
        for dev in sorted(glob.glob(os.path.join(base, "*", "root", "sys", "bus", "pci", "devices", "*"))):
            try:
                vals = {}
                for a in ("vendor", "device", "subsystem_vendor", "subsystem_device", "class"):
                    with open(os.path.join(dev, a)) as f:
                        vals[a] = int(f.read(), 16)
            except (OSError, ValueError):
                continue
            if vals["class"] >> 16 not in (0x02, 0x03):
                continue
            alias = modalias(vals["vendor"], vals["device"], vals["subsystem_vendor"],
                             vals["subsystem_device"], vals["class"])
            hits = lookup(alias, metainfo, curated, mapname)
            machine = dev.split(os.sep)[-7]
            print("| %s | %s | %04x:%04x | %06x | `%s` | **%s** | %s |" % (
                machine, os.path.basename(dev), vals["vendor"], vals["device"], vals["class"], alias,
                hits[0][1] if hits else "none",
                "; ".join("%s (`%s`)" % (h[2], h[3]) for h in hits) or "-"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
