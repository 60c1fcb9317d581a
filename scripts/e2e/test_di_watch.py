#!/usr/bin/env python3
"""Unit tests of di-watch.py's parsers (run by scripts/test.sh):
python3 -m unittest discover -s scripts/e2e -p 'test_*.py'

Syslog lines: where marked "real", pasted from a public debian-installer syslog
(a netboot install, 2011: the same `MON DD HH:MM:SS prog[pid]: ...` lines d-i
writes today; its URLs un-linked); the others are the d-i 12 markers quoted in
docs/e2e.md (Markers), with the same prefix.
"""

import argparse
import calendar
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("di_watch", os.path.join(HERE, "di-watch.py"))
dw = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dw)
dw.log = lambda msg: None  # the watcher's progress lines on stderr

# real
REAL = """\
Mar  4 01:26:14 main-menu[427]: INFO: Menu item 'network-preseed' selected
Mar  4 01:26:14 preseed: successfully loaded preseed file from http://10.248.224.88/netinstall/vmware.cfg
Mar  4 01:26:14 main-menu[427]: INFO: Menu item 'choose-mirror' selected
Mar  4 01:26:14 choose-mirror[3377]: DEBUG: command: wget -q http://10.248.224.88/ubuntu/dists/karmic/Release -O - | grep ^Suite: | cut -d' ' -f 2
Mar  4 01:26:14 choose-mirror[3377]: INFO: codename set to: lucid
Mar  4 01:26:14 main-menu[427]: INFO: Menu item 'download-installer' selected
Mar  4 01:26:14 anna[3408]: wget: server returned error: HTTP/1.1 404 Not Found
Mar  4 01:26:35 anna[3408]: WARNING **: bad d-i Packages file
"""

# d-i 12 markers of docs/e2e.md
D_I_12 = """\
Nov 26 00:20:41 preseed: successfully loaded preseed file from file:///preseed.cfg
Nov 26 00:20:44 main-menu[242]: INFO: Menu item 'localechooser' selected
Nov 26 00:20:44 localechooser: info: Set debian-installer/language = 'de'
Nov 26 00:20:44 localechooser: info: System locale (debian-installer/locale) = 'de_DE.UTF-8'
Nov 26 00:20:50 main-menu[242]: INFO: Menu item 'console-setup-udeb' selected
Nov 26 00:20:58 main-menu[242]: INFO: Menu item 'ethdetect' selected
Nov 26 00:21:10 udhcpc: lease of 10.0.2.15 obtained, lease time 86400
Nov 26 00:21:12 netcfg[1021]: DEBUG: Using preseeded hostname
Nov 26 00:21:12 netcfg[1021]: DEBUG: Network config complete
Nov 26 00:21:15 choose-mirror[1130]: INFO: suite/codename set to: oldstable/bookworm
Nov 26 00:21:20 main-menu[242]: INFO: Menu item 'download-installer' selected
Nov 26 00:21:21 anna[1322]: DEBUG: retrieving libcrypto3-udeb 3.0.15-1~deb12u1
Nov 26 00:21:21 anna[1322]: 2026-11-26 00:21:21 ERROR 404: Not Found.
Nov 26 00:21:21 anna[1322]: WARNING **: package retrieval failed
"""


def watch(test):
    tmp = tempfile.TemporaryDirectory()
    test.addCleanup(tmp.cleanup)
    w = dw.Watch(argparse.Namespace(syslog_out=os.path.join(tmp.name, "syslog.log")))
    test.addCleanup(w.syslog_out.close)
    w.t0 = 0.0
    return w


def feed(w, text):
    for i, line in enumerate(text.splitlines()):
        w.feed_syslog(line, float(i), "test")


class SyslogLines(unittest.TestCase):
    def test_guest_epoch_reads_the_syslog_timestamp(self):
        self.assertEqual(dw.guest_epoch(REAL.splitlines()[0], 2011),
                         calendar.timegm((2011, 3, 4, 1, 26, 14, 0, 0, 0)))
        # as forwarded over UDP, with the priority in front
        self.assertEqual(dw.guest_epoch("<13>Nov 26 00:21:10 udhcpc: lease of 10.0.2.15", 2026),
                         calendar.timegm((2026, 11, 26, 0, 21, 10, 0, 0, 0)))
        self.assertIsNone(dw.guest_epoch("Linux version 6.1.0-28-686-pae", 2026))
        self.assertIsNone(dw.guest_epoch("Foo 26 00:21:10 x", 2026))

    def test_the_stages_of_a_run_to_the_download_stage(self):
        w = watch(self)
        feed(w, D_I_12)
        self.assertEqual(set(w.events) - {"boot"}, set(dw.REQUIRED) - {"boot"} | {"network_hardware"})
        self.assertEqual(w.events["preseed"]["t"], 0.0)
        self.assertEqual(w.events["netcfg_dhcp"]["how"], "DHCP lease")
        self.assertTrue(w.hostname_preseeded)
        self.assertEqual(w.udeb["status"], "failed-404")
        self.assertEqual(w.udeb["package"], "libcrypto3-udeb")
        self.assertEqual(w.system_locale, "de_DE.UTF-8")
        self.assertEqual(w.syslog_values["debian-installer/language"], "de")
        self.assertEqual(w.locale_ignored, [])

    def test_forward_passes_every_datagram_on_unchanged(self):
        import socket
        w = watch(self)
        listen = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        serve = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for s in (listen, serve):
            self.addCleanup(s.close)
            s.bind(("127.0.0.1", 0))
        w.forward = serve.getsockname()
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sender.close)
        datagrams = [line.encode() for line in D_I_12.splitlines()[:3]] + [b"<13>x: two\nlines\xff"]
        for d in datagrams:
            sender.sendto(d, listen.getsockname())
        got = []
        for _ in range(20):
            if len(got) == len(datagrams):
                break
            w.poll_udp(listen, 0.5)
            serve.settimeout(0.2)
            while True:
                try:
                    got.append(serve.recvfrom(65535)[0])
                except socket.timeout:
                    break
        self.assertEqual(got, datagrams)
        # the watcher read them itself too
        self.assertIn("preseed", w.events)
        self.assertEqual(len(w.sys_lines), 3 + 2)

    def test_real_lines_of_an_older_installer(self):
        w = watch(self)
        feed(w, REAL)
        self.assertIn("preseed", w.events)
        self.assertIn("download", w.events)
        # the mirror the installer asked, from choose-mirror's wget line
        self.assertEqual(w.syslog_values["mirror/http/hostname"], "10.248.224.88")
        self.assertEqual(w.syslog_values["mirror/http/directory"], "/ubuntu")
        # "codename set to" without "suite/" is not d-i 12's mirror marker
        self.assertNotIn("mirror", w.events)
        # a failure other than the udeb 404 is not taken for it
        self.assertEqual(w.udeb["status"], "not reached")

    def test_localechooser_ignoring_the_preseed(self):
        w = watch(self)
        feed(w, "Nov 26 02:57:01 localechooser: info: Preseeded locale ignored: unsupported language\n")
        self.assertEqual(w.locale_ignored, ["Preseeded locale ignored: unsupported language"])
        problems = w.vga_checks({"debian-installer/locale": "de_DE.UTF-8"})
        self.assertTrue(any("ignored the preseed" in p for p in problems), problems)
        self.assertTrue(any("no 'System locale" in p for p in problems), problems)

    def test_bad_release_signature(self):
        w = watch(self)
        feed(w, "Nov 26 00:21:22 net-retriever: error: Bad signature on /tmp/net-retriever-1322-Release\n")
        self.assertEqual(w.udeb["status"], "failed-release-signature")


class Screens(unittest.TestCase):
    def test_question_titles_and_their_priority(self):
        screen = ("\x1b[1;1H\x1b(0lqqqq\x1b(B\x1b[7;20H[!!] Download installer components\x1b[0m"
                  "\x1b[9;5H[!] Select a language\x1b[10;5H[.] Configure the keyboard")
        titles = [(m.group(1), m.group(2).strip()) for m in dw.RE_TITLE.finditer(screen)]
        self.assertEqual(titles, [("!!", "Download installer components"),
                                  ("!", "Select a language"), (".", "Configure the keyboard")])
        self.assertEqual(dw.screen_text("\x1b[2J\x1b(0lqqk\x1b(B  Loading   additional\r\n components"),
                         "Loading additional components")


class Files(unittest.TestCase):
    def test_parse_preseed_on_the_test_preseed(self):
        v = dw.parse_preseed(os.path.join(HERE, "testdata", "minimal-de.preseed"))
        self.assertEqual(v["debian-installer/locale"], "de_DE.UTF-8")
        self.assertEqual(v["keyboard-configuration/xkb-keymap"], "de")
        self.assertEqual(v["mirror/http/proxy"], "http://10.0.2.100:80/")
        self.assertEqual(v["keyboard-configuration/variantcode"], "")
        # only string/select/boolean answers of d-i: no multiselect, no password
        self.assertNotIn("localechooser/supported-locales", v)
        self.assertNotIn("passwd/user-password-crypted", v)

    def test_parse_questions_dat(self):
        text = ("Name: debian-installer/locale\nTemplate: debian-installer/locale\n"
                "Value: de_DE.UTF-8\nOwners: d-i\nFlags: seen\n\n"
                "Name: netcfg/get_domain\nTemplate: netcfg/get_domain\nValue: \nOwners: netcfg\n\n"
                "\x1b[0mName: mirror/http/proxy\r\nValue: http://10.0.2.100:80/\r\nFlags: \r\n")
        db = dw.parse_questions_dat(text)
        self.assertEqual(db["debian-installer/locale"], {"value": "de_DE.UTF-8", "seen": True})
        self.assertEqual(db["netcfg/get_domain"], {"value": ""})
        self.assertEqual(db["mirror/http/proxy"], {"value": "http://10.0.2.100:80/", "seen": False})


if __name__ == "__main__":
    unittest.main()
