#!/usr/bin/env python3
"""Watch a debian-installer run in QEMU and decide what it proved.

Started by qemu-smoke.sh (and netboot-boot.sh) before QEMU. It
  * listens for the installer's syslog on 127.0.0.1 (UDP, port chosen here and
    written to --port-file, so the boot line can name it),
  * tails QEMU's serial log (the newt frontend on ttyS0, inside GNU screen),
  * detects stages from real d-i syslog lines and questions from dialog titles,
  * once the verdict is clear, dumps the installer's own /var/log/syslog and a
    few debconf values over the serial console (the UDP stream starts only when
    the network is up, so the early stages are only in that file),
  * prints a verdict block, writes a JSON result, exits 0 pass / 1 fail / 2 error.

--console serial (default): the boot line's last console= is ttyS0, so d-i and
its newt UI run on the serial console, as described above.

--console vga: the boot line has no console= (as on a laptop) and
earlyprintk=serial,ttyS0,115200,keep (the kernel's messages still go to the
serial port), so d-i runs on the VGA console (tty1), as on a laptop's screen,
where the watcher cannot see it. (With any console=ttyS0 on the line d-i's
reopen-console picks ttyS0, even with a later console=tty0: docs/e2e.md,
finding 10.) Only for url= preseeding (route 2), where every stage after the
DHCP lease is in the UDP syslog. Then:
  * a question cannot be seen, but at priority=critical it blocks the installer
    for good, so reaching the download stage is the proof that none was shown;
  * the localechooser menu item must have run and logged "System locale
    (debian-installer/locale) = '<the preseed's locale>'", with no "Preseeded
    locale ignored" / "Preseeded language ignored" line (level 0 languages only,
    i.e. C and English, are offered when TERM_TYPE=serial: finding 10);
  * the serial console must show no installer screen (no escape sequence): the
    UI is not there;
  * there is no read-back (no shell on the serial console): the installer's
    values compared with the preseed come from its syslog (locale, language,
    country from localechooser; mirror host and directory from choose-mirror);
  * "no serial output" ends the run only if the syslog is silent too.

Standard library only. Every wait is bounded.
"""

import argparse
import calendar
import json
import os
import random
import re
import select
import socket
import sys
import time

# --- markers -------------------------------------------------------------------
# Syslog markers, as d-i 12 (20230607+deb12uN) writes them. Each stage lists
# (regex, how) pairs; the first match dates the stage.
STAGES = [
    ("boot", "kernel started", [(r"Linux version \S+", "kernel banner")]),
    ("preseed", "initrd preseed loaded", [
        (r"preseed: successfully loaded preseed file from (\S+)", "preseed loaded")]),
    ("localisation", "locale (localechooser)", [
        (r"main-menu\[\d+\]: INFO: Menu item 'localechooser' selected", "localechooser ran")]),
    ("keyboard", "keyboard (console-setup / kbd-chooser)", [
        (r"main-menu\[\d+\]: INFO: Menu item '(console-setup-udeb|kbd-chooser)' selected",
         "keyboard menu item ran")]),
    ("network_hardware", "network hardware (ethdetect)", [
        (r"main-menu\[\d+\]: INFO: Menu item 'ethdetect' selected", "ethdetect ran")]),
    ("netcfg_dhcp", "network via DHCP (netcfg)", [
        (r"udhcpc: lease of (\S+) obtained", "DHCP lease"),
        (r"udhcpc: Got IP (\S+)", "DHCP lease")]),
    ("hostname", "hostname and domain (netcfg)", [
        (r"netcfg\[\d+\]: DEBUG: Network config complete", "netcfg finished hostname/domain")]),
    ("mirror", "mirror selection (choose-mirror)", [
        (r"choose-mirror\[\d+\]: INFO: suite/codename set to: (\S+)", "mirror checked")]),
    ("download", "download installer components (anna)", [
        (r"main-menu\[\d+\]: INFO: Menu item 'download-installer' selected",
         "download-installer started")]),
]
REQUIRED = ["boot", "preseed", "localisation", "keyboard", "netcfg_dhcp", "hostname",
            "mirror", "download"]
# Stages whose menu items are held back by auto-install (see docs/e2e.md): with
# auto=true and no network preseed they never run; the preseeded answer is
# checked in d-i's debconf database instead.
DEFERRABLE = {"localisation": "debian-installer/locale",
              "keyboard": "keyboard-configuration/xkb-keymap"}

RE_HOSTNAME_PRESEEDED = re.compile(r"netcfg\[\d+\]: DEBUG: Using preseeded hostname")
RE_RETRIEVING = re.compile(r"anna\[\d+\]: DEBUG: retrieving (\S+)")
RE_UDEB_URL = re.compile(r"anna\[\d+\]: (http://\S+\.udeb):")
RE_404 = re.compile(r"anna\[\d+\]: .*ERROR 404")
RE_RETRIEVAL_FAILED = re.compile(r"anna\[\d+\]: WARNING \*\*: package retrieval failed")
# net-retriever checks dists/SUITE/Release against Release.gpg (not InRelease)
# before it reads the udeb index.
RE_BAD_RELEASE_SIG = re.compile(r"net-retriever\S*: error: Bad signature on (\S+)")
RE_ANNA_INSTALLED = re.compile(r"anna\[\d+\]: .*(?:Installing|unpacking|configuring)", re.I)
RE_FETCH_ERROR = re.compile(r"(net-retriever|anna|choose-mirror)\S*: .*(ERROR \d+|failed|Bad)")
# newt draws a question's title as "[!!] Title" (critical), "[!] Title" (high),
# "[.] Title" (medium/low); progress bars and the background have no marker.
RE_TITLE = re.compile(r"\[(!!|!|\.)\] ([^\x1b\r\n]{1,120})")
RE_SYSLOG_TS = re.compile(r"^(?:<\d+>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (.*)$")
# localechooser's own log lines (usr/bin/localechooser, d-i 12 and 13)
RE_LC_SYSTEM_LOCALE = re.compile(r"localechooser: info: System locale \(debian-installer/locale\) = '([^']*)'")
RE_LC_SET = re.compile(r"localechooser: info: Set (debian-installer/(?:locale|language|country)) = '([^']*)'")
RE_LC_IGNORED = re.compile(r"localechooser: info: (Preseeded (?:locale|language|country) ignored: .*)")
RE_CHOOSE_MIRROR_URL = re.compile(r"choose-mirror\[\d+\]: DEBUG: command: wget \S+ http://([^/\s]+)(/\S*?)/dists/")
RE_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0B]|\x1b[=>]")
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}

# debconf values read back at the end; passwords are never read.
CHECK_KEYS = ["debian-installer/locale", "debian-installer/language",
              "debian-installer/country", "keyboard-configuration/xkb-keymap",
              "netcfg/get_hostname", "netcfg/hostname", "netcfg/get_domain",
              "mirror/http/hostname", "mirror/http/directory", "mirror/http/proxy",
              "mirror/suite", "mirror/codename", "debconf/priority", "debconf/language"]
# Values d-i rewrites on purpose (suite -> oldstable/stable) are not compared.
NOT_COMPARED = {"mirror/suite", "mirror/codename", "debconf/language", "debconf/priority"}


def now():
    return time.time()


def fmt_t(t):
    if t is None:
        return "-"
    t = int(round(t))
    return "%d:%02d" % (t // 60, t % 60)


def guest_epoch(line, year):
    """Epoch of a syslog line's own timestamp (the guest clock is UTC from the RTC)."""
    m = RE_SYSLOG_TS.match(line)
    if not m or m.group(1) not in MONTHS:
        return None
    mon, day, hh, mm, ss = MONTHS[m.group(1)], int(m.group(2)), int(m.group(3)), \
        int(m.group(4)), int(m.group(5))
    return calendar.timegm((year, mon, day, hh, mm, ss, 0, 0, 0))


def parse_preseed(path):
    """d-i owner's string/select/boolean answers: {question: value}."""
    vals = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read().replace("\\\n", " ")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 3)
        if len(parts) < 3:
            continue
        owner, key, typ = parts[0], parts[1], parts[2]
        val = parts[3].strip() if len(parts) > 3 else ""
        if owner == "d-i" and typ in ("string", "select", "boolean"):
            vals[key] = val
    return vals


class Watch:
    def __init__(self, a):
        self.a = a
        self.t0 = None            # host epoch of QEMU start
        self.events = {}          # stage -> dict(t, how, evidence, source)
        self.questions = []       # dicts(t, priority, title, context)
        self.post_download_dialogs = []
        self.udeb = {"status": "not reached", "package": None, "url": None}
        self.hostname_preseeded = False
        self.serial_buf = ""
        self.serial_pos = 0
        self.serial_scan_limit = None
        self.serial_first_t = None
        self.sys_lines = []       # (host t, line) live
        self.offsets = []         # host - guest, from live lines
        self.syslog_out = open(a.syslog_out, "a", encoding="utf-8")
        self.last_progress = None
        self.dump = {"status": "not tried"}
        self.debconf = {}
        self.questions_db = {}
        self.notes = []
        self.syslog_values = {}   # --console vga: installer values seen in its syslog
        self.forward = None       # --forward HOST:PORT: each datagram passed on unchanged
        self.locale_ignored = []  # localechooser "Preseeded ... ignored" lines
        self.system_locale = None  # localechooser's final "System locale (...) = '...'"

    # --- inputs -------------------------------------------------------------
    def rel(self, t):
        return None if t is None else max(0.0, t - self.t0)

    def mark(self, stage, t, how, evidence, source):
        old = self.events.get(stage)
        if old is None or (t is not None and (old["t"] is None or t < old["t"])):
            self.events[stage] = {"t": t, "how": how, "evidence": evidence[:200],
                                  "source": source}
            if old is None:
                self.last_progress = now()
                log("stage %-16s %s  (%s)" % (stage, fmt_t(self.rel(t)), how))

    def feed_syslog(self, line, t, source):
        for name, _desc, pats in STAGES:
            for pat, how in pats:
                if re.search(pat, line):
                    self.mark(name, t, how, line, source)
                    break
        if RE_HOSTNAME_PRESEEDED.search(line):
            self.hostname_preseeded = True
        m = RE_RETRIEVING.search(line)
        if m:
            if self.udeb["status"] == "not reached":
                self.udeb["status"] = "retrieving"
            self.udeb["package"] = self.udeb["package"] or m.group(1)
            self.mark("download", t, "anna retrieving udebs", line, source)
        m = RE_UDEB_URL.search(line)
        if m:
            self.udeb["url"] = m.group(1)
        m = RE_LC_SYSTEM_LOCALE.search(line)
        if m:
            self.system_locale = m.group(1)
            self.syslog_values["debian-installer/locale"] = m.group(1)
        m = RE_LC_SET.search(line)
        if m and not (m.group(1) == "debian-installer/locale" and self.system_locale is not None):
            self.syslog_values[m.group(1)] = m.group(2)
        m = RE_LC_IGNORED.search(line)
        if m and m.group(1) not in self.locale_ignored:
            self.locale_ignored.append(m.group(1))
            log("localechooser: %s" % m.group(1))
        m = RE_CHOOSE_MIRROR_URL.search(line)
        if m:
            self.syslog_values.setdefault("mirror/http/hostname", m.group(1))
            self.syslog_values.setdefault("mirror/http/directory", m.group(2))
        if RE_404.search(line) and self.udeb["status"] in ("retrieving", "not reached"):
            self.udeb["status"] = "404"
        m = RE_BAD_RELEASE_SIG.search(line)
        if m and not self.udeb["status"].startswith("failed"):
            self.udeb["status"] = "failed-release-signature"
            self.udeb["detail"] = line[:200]
            self.udeb.setdefault("t", t)
        if RE_RETRIEVAL_FAILED.search(line):
            if self.udeb["status"] == "404":
                self.udeb["status"] = "failed-404"
            elif not self.udeb["status"].startswith("failed"):
                self.udeb["status"] = "failed-other"
            self.udeb.setdefault("t", t)

    def poll_udp(self, sock, timeout):
        r, _, _ = select.select([sock], [], [], timeout)
        while r:
            data, _ = sock.recvfrom(65535)
            t = now()
            if self.forward is not None:
                # the datagram as it came, to `upcycle serve` (its own syslog receiver)
                try:
                    sock.sendto(data, self.forward)
                except OSError as e:
                    log("could not forward a syslog datagram to %s:%d: %s" % (self.forward + (e,)))
            for line in data.decode("utf-8", "replace").splitlines():
                line = line.rstrip()
                if not line:
                    continue
                self.syslog_out.write("%8.1f %s\n" % (self.rel(t), line))
                self.sys_lines.append((t, line))
                g = guest_epoch(line, time.gmtime(t).tm_year)
                if g is not None:
                    self.offsets.append(t - g)
                self.feed_syslog(line, t, "syslog")
            self.syslog_out.flush()
            r, _, _ = select.select([sock], [], [], 0)

    def poll_serial(self):
        try:
            with open(self.a.serial_log, "rb") as f:
                f.seek(self.serial_pos)
                data = f.read()
        except FileNotFoundError:
            return
        if not data:
            return
        t = now()
        if self.serial_first_t is None:
            self.serial_first_t = t
        self.serial_pos += len(data)
        text = data.decode("utf-8", "replace")
        start = len(self.serial_buf)
        self.serial_buf += text
        if self.serial_scan_limit is not None:
            return
        # rescan a little overlap so a title split over two reads is still seen
        chunk = self.serial_buf[max(0, start - 200):]
        if "boot" not in self.events:
            m = re.search(r"Linux version \S+", chunk)
            if m:
                self.mark("boot", t, "kernel banner on serial", m.group(0), "serial")
        for m in RE_TITLE.finditer(chunk):
            self.on_title(m.group(1), m.group(2).strip(), t)

    def on_title(self, prio, title, t):
        seen = self.questions + self.post_download_dialogs
        if any(q["title"] == title and q["priority"] == prio for q in seen):
            return
        prio_name = {"!!": "critical", "!": "high", ".": "medium/low"}[prio]
        ctx = screen_text(self.serial_buf[-4000:])
        q = {"t": self.rel(t), "priority": prio_name, "title": title, "context": ctx[-600:]}
        if "download" in self.events:
            self.post_download_dialogs.append(q)
            log("dialog after download stage: [%s] %s" % (prio, title))
        else:
            self.questions.append(q)
            log("QUESTION shown: [%s] %s" % (prio, title))

    # --- the installer's own syslog, read back over the serial console -------
    def dump_guest(self, sock_path, budget):
        """Switch GNU screen to its shell window and copy /var/log/syslog and
        cdebconf's questions.dat raw to /dev/ttyS0, between numbered markers.
        (debconf-get would be simpler but parses the 3.6 MB templates.dat on
        every call: over a minute for a dozen keys under TCG.)"""
        self.serial_scan_limit = len(self.serial_buf)
        n = random.randint(1000, 8999)
        # "$((n+1))" in the typed command, n+1 in the output: the echo of the
        # command line can never be taken for a marker.
        cmd = ('{ echo "UPCYCLE-DUMP-$((%d+1))-BEGIN"; cat /var/log/syslog; '
               'echo "UPCYCLE-DUMP-$((%d+1))-QUESTIONS"; '
               'cat /var/lib/cdebconf/questions.dat; '
               'echo "UPCYCLE-DUMP-$((%d+1))-END"; } >/dev/ttyS0 2>&1\r') % (n, n, n)
        begin_marker = "UPCYCLE-DUMP-%d-BEGIN" % (n + 1)
        q_marker = "UPCYCLE-DUMP-%d-QUESTIONS" % (n + 1)
        end_marker = "UPCYCLE-DUMP-%d-END" % (n + 1)
        deadline = now() + budget
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(5)
            s.connect(sock_path)
            s.sendall(b"\x012")          # screen: window 2 (a shell)
            time.sleep(2)
            s.sendall(b"\r")             # "Please press Enter to activate this console."
            time.sleep(2)
            s.sendall(cmd.encode())
            time.sleep(0.5)
        except OSError as e:
            self.dump = {"status": "unavailable", "detail": "serial socket: %s" % e}
            return
        finally:
            s.close()
        # Read the output from QEMU's log file only. While a client is connected
        # and slow to read, QEMU's socket chardev retries writes and its log file
        # gets doubled characters; with no client it logs each byte once.
        mark_pos = len(self.serial_buf)
        while now() < deadline:
            self.poll_serial()
            if end_marker in self.serial_buf[mark_pos:]:
                break
            time.sleep(0.5)
        out = self.serial_buf[mark_pos:]
        if begin_marker not in out:
            self.dump = {"status": "unavailable",
                         "detail": "no answer from the installer's shell within %ds" % budget}
            return
        body = out.split(begin_marker, 1)[1].split(end_marker, 1)[0]
        sys_part, _, q_part = body.partition(q_marker)
        sys_lines = [ln for ln in (RE_ANSI.sub("", x).strip("\r") for x in sys_part.split("\n"))
                     if RE_SYSLOG_TS.match(ln)]
        self.questions_db = parse_questions_dat(q_part)
        for key in CHECK_KEYS:
            if key in self.questions_db and "value" in self.questions_db[key]:
                self.debconf[key] = self.questions_db[key]["value"]
        with open(self.a.dump_out, "w", encoding="utf-8") as f:
            f.write("\n".join(sys_lines) + "\n")
        with open(os.path.join(os.path.dirname(self.a.dump_out), "installer-questions.dat"),
                  "w", encoding="utf-8") as f:
            for name in sorted(self.questions_db):
                e = self.questions_db[name]
                val = "(redacted)" if "password" in name else e.get("value", "")
                f.write("%s = %s%s\n" % (name, val, "  [seen]" if e.get("seen") else ""))
        self.dump = {"status": "complete" if end_marker in out else "partial",
                     "syslog_lines": len(sys_lines), "questions": len(self.questions_db)}
        self.replay_dump(sys_lines)

    def replay_dump(self, lines):
        """Date the dumped lines with the host clock and feed them to the markers."""
        year = time.gmtime(self.t0).tm_year
        if self.offsets:
            off = min(self.offsets)
            self.notes.append("guest clock calibrated on %d live syslog lines" % len(self.offsets))
        else:
            # no live syslog (network never came up): anchor the guest's first
            # line ("syslogd started") at the kernel banner; a few seconds early
            off = None
            first = next((ln for ln in lines if "syslogd started" in ln), None)
            if "boot" in self.events and self.events["boot"]["t"] and first:
                off = self.events["boot"]["t"] - guest_epoch(first, year)
                self.notes.append("no live syslog: guest clock anchored at the kernel banner")
        for ln in lines:
            g = guest_epoch(ln, year)
            t = (g + off) if (g is not None and off is not None) else None
            self.feed_syslog(ln, t, "installer syslog (read back)")

    # --- verdict ------------------------------------------------------------
    def vga_checks(self, pre_values):
        """--console vga: what must hold besides the stages (see the module doc)."""
        problems = []
        want = pre_values.get("debian-installer/locale")
        if self.locale_ignored:
            problems.append("localechooser ignored the preseed: " + "; ".join(self.locale_ignored))
        if self.system_locale is None:
            problems.append("no 'System locale (debian-installer/locale)' line from localechooser "
                            "in the syslog")
        elif want and self.system_locale != want:
            problems.append("localechooser's system locale is %s, the preseed's %s"
                            % (self.system_locale, want))
        esc = self.serial_buf.count("\x1b[")
        if esc:
            problems.append("the serial console shows an installer screen (%d escape sequences): "
                            "d-i did not run on the VGA console" % esc)
        return problems

    def settle_checks(self, pre_values):
        """Deferred locale/keyboard stages and answer checks, from debconf values."""
        mismatches = []
        for key, want in sorted(pre_values.items()):
            if key in NOT_COMPARED or key not in self.debconf:
                continue
            got = self.debconf[key]
            if key == "mirror/http/proxy":
                same = got.rstrip("/") == want.rstrip("/")
            else:
                same = got == want
            if not same:
                mismatches.append({"key": key, "preseed": want, "installer": got})
        # Only when the main menu got past them (ethdetect or netcfg ran) are
        # the held-back locale/keyboard items evidence of anything.
        past_menu = "network_hardware" in self.events or "netcfg_dhcp" in self.events
        for stage, key in DEFERRABLE.items():
            # --console vga (url= preseeding): localechooser and console-setup
            # really run after the preseed; their menu lines are the evidence.
            if self.a.console == "vga" or stage in self.events or not past_menu:
                continue
            if key in self.debconf:
                ok = key not in pre_values or self.debconf[key] == pre_values[key]
                if ok and self.debconf[key]:
                    t = self.events.get("preseed", {}).get("t")
                    seen = self.questions_db.get(key, {}).get("seen")
                    self.mark(stage, t, "menu item held back by auto-install; installer holds "
                              "the preseeded %s=%s%s" % (key, self.debconf[key],
                                                         " (seen)" if seen else ""),
                              "debconf-get %s" % key, "debconf")
            elif "netcfg_dhcp" in self.events and self.dump["status"] == "unavailable":
                self.mark(stage, None, "inferred: later menu items ran with no question "
                          "(installer syslog could not be read back)", "", "inferred")
        if "preseed" not in self.events and self.dump["status"] == "unavailable" \
                and "netcfg_dhcp" in self.events:
            self.mark("preseed", None, "inferred: no language question appeared",
                      "", "inferred")
        return mismatches


def parse_questions_dat(text):
    """cdebconf's rfc822 questions.dat: {name: {"value": str, "seen": bool}}."""
    db, cur = {}, None
    for raw in text.split("\n"):
        ln = RE_ANSI.sub("", raw).rstrip("\r")
        if ln.startswith("Name: "):
            cur = db.setdefault(ln[6:].strip(), {})
        elif cur is not None and ln.startswith("Value: "):
            cur["value"] = ln[7:].strip()
        elif cur is not None and ln.startswith("Flags: "):
            cur["seen"] = "seen" in ln[7:].split()
        elif not ln.strip():
            cur = None
    return db


def screen_text(raw):
    """Rough plain text of the last screenful (escape sequences and box lines out)."""
    txt = re.sub(r"\x1b\(0.*?(\x1b\(B|$)", " ", raw, flags=re.S)  # line-drawing charset
    txt = RE_ANSI.sub(" ", txt)
    txt = re.sub(r"\s+", " ", txt)
    return txt.strip()


def log(msg):
    print("[di-watch] " + msg, file=sys.stderr, flush=True)


def qemu_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--serial-log", "--serial-sock", "--syslog-out", "--dump-out", "--port-file",
                "--start-file", "--result", "--preseed", "--arch", "--release", "--cpu",
                "--boot-line-file", "--workdir", "--preseed-label", "--installer"):
        ap.add_argument(opt, required=opt not in ("--cpu", "--preseed-label", "--installer"))
    ap.add_argument("--timeout", type=float, required=True, help="seconds")
    ap.add_argument("--release-pair", default="unknown", choices=["ok", "mismatch", "unknown"],
                    help="host check of the mirror's dists/SUITE/Release against Release.gpg")
    ap.add_argument("--grace", type=float, default=180.0,
                    help="seconds to wait for the udeb outcome once download started")
    ap.add_argument("--boot-timeout", type=float, default=240.0,
                    help="seconds without any serial output (with --console vga: without "
                         "serial output and syslog) before giving up")
    ap.add_argument("--console", choices=["serial", "vga"], default="serial",
                    help="where d-i runs: serial (its UI read from the serial log, values read "
                         "back over it) or vga (UI on the VGA console, unseen; url= preseeding "
                         "only; values from the syslog; see the module doc)")
    ap.add_argument("--forward", metavar="HOST:PORT",
                    help="pass every syslog datagram on, unchanged, to this UDP address "
                         "(netboot-boot.sh: `upcycle serve`, which records the stages)")
    a = ap.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(a.port_file + ".tmp", a.port_file)

    # wait for qemu-smoke.sh to start QEMU: "PID EPOCH"
    deadline = now() + 120
    while not os.path.exists(a.start_file):
        if now() > deadline:
            log("QEMU was not started within 120 s")
            return 2
        time.sleep(0.2)
    time.sleep(0.2)
    pid_s, t0_s = open(a.start_file).read().split()
    a.boot_line = open(a.boot_line_file).read().strip()
    qpid = int(pid_s)
    w = Watch(a)
    if a.forward:
        host, _, port = a.forward.rpartition(":")
        w.forward = (host, int(port))
    w.t0 = float(t0_s)
    w.last_progress = now()
    pre_values = parse_preseed(a.preseed)

    verdict, reason = None, ""
    end_at = w.t0 + a.timeout
    question_at = None
    download_at = None
    while True:
        w.poll_udp(sock, 0.5)
        w.poll_serial()
        t = now()
        if w.questions and question_at is None:
            question_at = t
        if question_at is not None and t - question_at > 5:
            verdict = "fail"
            reason = "question shown: [%s] %s" % (w.questions[0]["priority"],
                                                  w.questions[0]["title"])
            break
        if "download" in w.events and download_at is None:
            download_at = t
        if download_at is not None:
            st = w.udeb["status"]
            if st == "failed-404":
                verdict, reason = "pass", ("reached download stage; udeb retrieval failed "
                                           "as expected here")
                break
            if st == "failed-release-signature":
                if a.release_pair == "mismatch":
                    verdict, reason = "pass", (
                        "reached download stage; the mirror's Release does not match its "
                        "Release.gpg here (checked on the host), so retrieval stopped as "
                        "expected here")
                else:
                    verdict, reason = "fail", (
                        "download stage reached but the installer found a bad Release "
                        "signature, while the host found the mirror's Release/Release.gpg "
                        "pair %s" % a.release_pair)
                break
            if st == "failed-other":
                verdict, reason = "fail", ("download stage reached but retrieval failed "
                                           "for another reason than a udeb 404")
                break
            if t - download_at > a.grace:
                if st == "retrieving":
                    verdict, reason = "pass", ("reached download stage; udebs were still "
                                               "being retrieved (no failure within %ds)"
                                               % a.grace)
                else:
                    verdict, reason = "fail", ("download stage started but no udeb retrieval "
                                               "within %ds" % a.grace)
                break
        if not qemu_alive(qpid):
            if w.serial_first_t is None:
                verdict, reason = "error", "QEMU exited before the guest printed anything"
            else:
                verdict, reason = "fail", "the guest stopped (QEMU exited) before the verdict"
            break
        if w.serial_first_t is None and t - w.t0 > a.boot_timeout and \
                (a.console == "serial" or not w.sys_lines):
            verdict, reason = "error", "no serial output within %ds" % a.boot_timeout
            break
        if t > end_at:
            missing = [s for s in REQUIRED if s not in w.events]
            verdict = "fail"
            reason = "timeout after %ds; not reached: %s" % (a.timeout, ", ".join(missing))
            break

    if a.console == "vga":
        w.dump = {"status": "skipped", "detail": "--console vga: no shell on the serial console; "
                  "values from the installer's syslog"}
        w.debconf = dict(w.syslog_values)
    elif verdict != "error" and qemu_alive(qpid):
        log("verdict so far: %s (%s); reading back the installer's syslog" % (verdict, reason))
        w.dump_guest(a.serial_sock, 240 if a.arch == "i386" else 180) if not os.environ.get("UPCYCLE_SMOKE_NODUMP") else None
        log("read-back: %s" % w.dump)
        # late UDP lines (the 404 may arrive after the dialog was drawn)
        w.poll_udp(sock, 0.2)

    mismatches = w.settle_checks(pre_values)
    missing = [s for s in REQUIRED if s not in w.events]
    if verdict == "pass" and missing:
        verdict, reason = "fail", "download reached but no evidence for: " + ", ".join(missing)
    if verdict == "pass" and w.questions:
        verdict, reason = "fail", "question shown: " + w.questions[0]["title"]
    if verdict == "pass" and mismatches:
        verdict, reason = "fail", "installer holds other answers than the preseed: " + \
            ", ".join("%s=%s (preseed: %s)" % (m["key"], m["installer"], m["preseed"])
                      for m in mismatches)
    vga_problems = w.vga_checks(pre_values) if a.console == "vga" else []
    if vga_problems and verdict in ("pass", "fail"):
        if verdict == "pass":
            verdict, reason = "fail", "; ".join(vga_problems)
        else:
            reason += "; " + "; ".join(vga_problems)

    order = [s for s, _d, _p in STAGES]
    reached = [s for s in order if s in w.events]
    final = reached[-1] if reached else None
    duration = now() - w.t0
    stages = []
    for name, desc, _p in STAGES:
        e = w.events.get(name)
        stages.append({"name": name, "description": desc, "reached": e is not None,
                       "t": None if not e or e["t"] is None else round(w.rel(e["t"]), 1),
                       "how": e["how"] if e else None,
                       "evidence": e["evidence"] if e else None,
                       "source": e["source"] if e else None})
    udeb = dict(w.udeb)
    udeb.pop("t", None)
    udeb["summary"] = {
        "failed-404": "udeb retrieval failed (HTTP 404) as expected here",
        "failed-other": "udeb retrieval failed for another reason",
        "failed-release-signature": "retrieval stopped: the mirror's Release does not match "
                                    "its Release.gpg (%s on the host)" % a.release_pair,
        "retrieving": "udebs were being retrieved",
        "404": "HTTP 404 seen",
        "not reached": "not reached",
    }.get(udeb["status"], udeb["status"])
    tail_sys = [ln for _t, ln in w.sys_lines[-25:]]
    if not tail_sys and os.path.exists(a.dump_out):
        with open(a.dump_out, encoding="utf-8") as f:
            tail_sys = [ln.rstrip("\n") for ln in f if " kernel: " not in ln][-25:]
    tail_serial = screen_text(w.serial_buf[:w.serial_scan_limit][-3000:]
                              if w.serial_scan_limit else w.serial_buf[-3000:])
    result = {
        "schema": "upcycle-e2e-smoke/1",
        "verdict": verdict,
        "reason": reason,
        "arch": a.arch,
        "release": a.release,
        "cpu": a.cpu,
        "installer": a.installer,
        "preseed": a.preseed_label or a.preseed,
        "boot_line": a.boot_line,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(w.t0)),
        "duration_s": round(duration, 1),
        "stages": stages,
        "final_stage": final,
        "questions": w.questions,
        "dialogs_after_download": w.post_download_dialogs,
        "udeb_retrieval": udeb,
        "mirror_release_pair": a.release_pair,
        "hostname_from_preseed": w.hostname_preseeded,
        "installer_values": w.debconf,
        "value_mismatches": mismatches,
        "installer_syslog_readback": w.dump,
        "console": a.console,
        "localechooser": {"system_locale": w.system_locale, "ignored": w.locale_ignored},
        "vga_problems": vga_problems,
        "notes": w.notes,
        "logs": {"serial": a.serial_log, "syslog": a.syslog_out, "installer_syslog": a.dump_out},
    }
    if verdict != "pass":
        result["last_lines"] = {"syslog": tail_sys, "screen": tail_serial[-1500:]}
    with open(a.result, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")

    # --- verdict block ---------------------------------------------------------
    p = print
    p("")
    p("== upcycle d-i smoke test: %s, Debian %s%s ==" % (a.arch, a.release,
                                                       ", cpu " + a.cpu if a.cpu else ""))
    if a.installer:
        p("installer : %s" % a.installer)
    p("preseed   : %s" % (a.preseed_label or a.preseed))
    p("boot line : %s" % a.boot_line)
    for s in stages:
        p("  %-17s %-6s %s" % (s["name"], fmt_t(s["t"]) if s["reached"] else "--",
                               s["how"] if s["reached"] else "NOT REACHED"))
    p("questions : %s" % ("none" if not w.questions else
                          "; ".join("[%s] %s at %s" % (q["priority"], q["title"], fmt_t(q["t"]))
                                    for q in w.questions)))
    p("final     : %s; %s%s" % (final, udeb["summary"],
                                (" (%s)" % udeb["url"].rsplit("/", 1)[-1]) if udeb["url"] else ""))
    if mismatches:
        p("mismatch  : %s" % mismatches)
    p("read-back : %s" % w.dump)
    if a.console == "vga":
        p("console   : vga (d-i on tty1; serial: kernel only, %d bytes, %d escape sequences)"
          % (len(w.serial_buf), w.serial_buf.count("\x1b[")))
        p("locale    : localechooser system locale %s%s" % (
            w.system_locale or "(not logged)",
            "; IGNORED: " + "; ".join(w.locale_ignored) if w.locale_ignored else
            ", no 'Preseeded ... ignored' line"))
    p("duration  : %s" % fmt_t(duration))
    p("VERDICT   : %s: %s" % (verdict.upper(), reason))
    if verdict != "pass":
        p("-- last syslog lines --")
        for ln in tail_sys[-12:]:
            p("  " + ln[:200])
        p("-- last screen text --")
        p("  " + tail_serial[-800:])
    p("result    : %s" % a.result)
    hold = float(os.environ.get("UPCYCLE_SMOKE_HOLD", "0") or 0)
    if hold > 0 and qemu_alive(qpid):
        # debugging aid: keep the guest up; talk to it with
        #   socat - UNIX-CONNECT:WORKDIR/serial.sock
        log("holding QEMU for %ds (UPCYCLE_SMOKE_HOLD)" % hold)
        time.sleep(min(hold, 3600))
    return {"pass": 0, "fail": 1}.get(verdict, 2)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(2)
