#!/usr/bin/env python3
"""scripts/e2e/vm.py: drive a running QEMU guest for boot-installed.sh (standard library).

  vm.py shot MONITOR_SOCK OUT.png          screendump (HMP) of the VGA screen as PNG
  vm.py ocr PNG [LANG]                      tesseract's text of a screenshot (stdout)
  vm.py wait-text MONITOR_SOCK DIR REGEX SECONDS [LANG]
                                            screendump + OCR every ~10 s until REGEX
                                            (case-insensitive) is on the screen; the
                                            last shot is DIR/last.png, the matching one
                                            DIR/match.png; exit 1 on timeout
  vm.py type MONITOR_SOCK TEXT              type TEXT with HMP sendkey for a German (de)
                                            keyboard layout in the guest
  vm.py key MONITOR_SOCK KEY...             sendkey each KEY (QEMU names: ret, tab, ...)
  vm.py hmp MONITOR_SOCK COMMAND            one monitor command, its output on stdout
  vm.py serial SERIAL_SOCK SECONDS CMD      run CMD in the root shell on the serial
                                            console; print its output; exit with its
                                            status (255 on timeout)
"""
import os
import re
import socket
import struct
import subprocess
import sys
import time
import zlib


def hmp(sock_path, command, timeout=60):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock_path)
    buf = b""
    while b"(qemu)" not in buf:
        buf += s.recv(4096)
    s.sendall(command.encode() + b"\n")
    buf = b""
    while b"(qemu)" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    s.close()
    text = buf.decode(errors="replace").replace("\r", "")
    # drop the echoed command (with its terminal escapes) and the prompt
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
    lines = [l for l in text.split("\n") if l.strip() and "(qemu)" not in l and l.strip() != command]
    return "\n".join(lines)


def ppm_to_png(ppm, png):
    with open(ppm, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise SystemExit(f"not a P6 PPM: {ppm}")
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    raw = b"".join(b"\x00" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(png, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def shot(mon, out):
    ppm = out + ".ppm"
    hmp(mon, f"screendump {ppm}")
    for _ in range(50):
        if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
            break
        time.sleep(0.1)
    ppm_to_png(ppm, out)
    os.unlink(ppm)


def read_png(png):
    """(width, height, RGB bytes) of a PNG as ppm_to_png writes them (8-bit RGB,
    every row with filter 0)."""
    with open(png, "rb") as f:
        data = f.read()
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        t, d = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if t == b"IHDR":
            w, h = struct.unpack(">II", d[:8])
        elif t == b"IDAT":
            idat += d
    raw = zlib.decompress(idat)
    stride = w * 3 + 1
    if any(raw[y * stride] != 0 for y in range(h)):
        raise SystemExit(f"{png}: not a PNG of ppm_to_png")
    return w, h, b"".join(raw[y * stride + 1:(y + 1) * stride] for y in range(h))


def dialog_pgm(png, pgm):
    """The middle of the screen (where dialogs open), black and white (light grey and
    white -> white, the rest -> black) and twice the size: tesseract reads the small
    dark text of a dialog over the wallpaper there, which it misses on the whole
    screen (seen: "Bitte gib deinen Namen ein." unread)."""
    w, h, px = read_png(png)
    x0, x1, y0, y1 = w // 4, 3 * w // 4, h // 4, 3 * h // 4
    rows = []
    for y in range(y0, y1):
        row = px[(y * w + x0) * 3:(y * w + x1) * 3]
        bw = bytes(255 if (row[i] * 3 + row[i + 1] * 6 + row[i + 2]) // 10 > 150 else 0
                   for i in range(0, len(row), 3))
        big = bytes(b for b in bw for _ in (0, 1))
        rows += [big, big]
    with open(pgm, "wb") as f:
        f.write(b"P5 %d %d 255\n" % ((x1 - x0) * 2, (y1 - y0) * 2))
        f.write(b"".join(rows))


def ocr(png, lang="deu"):
    # page segmentation 3 (automatic) reads forms well, 6 (one block) the text of a
    # small dialog over the wallpaper, which 3 misses; and 6 on the middle of the
    # screen in black and white (dialog_pgm), which reads what both miss
    pgm = png + ".dialog.pgm"
    dialog_pgm(png, pgm)
    out = []
    for img, psm in ((png, "3"), (png, "6"), (pgm, "6")):
        r = subprocess.run(["nice", "-n", "19", "tesseract", img, "-", "-l", lang, "--psm", psm],
                           capture_output=True, text=True)
        out.append(r.stdout)
    os.unlink(pgm)
    return "\n".join(out)


# US key names (what sendkey sends) for characters on a German (de) layout
DE = {" ": "spc", "y": "z", "z": "y", "Y": "shift-z", "Z": "shift-y", "-": "slash",
      "_": "shift-slash", ".": "dot", ",": "comma", "ü": "bracket_left",
      "Ü": "shift-bracket_left", "ö": "semicolon", "ä": "apostrophe", "ß": "minus",
      "!": "shift-1", "\n": "ret", "\t": "tab"}


def keys_for(text):
    for ch in text:
        if ch in DE:
            yield DE[ch]
        elif "a" <= ch <= "z" or "0" <= ch <= "9":
            yield ch
        elif "A" <= ch <= "Z":
            yield "shift-" + ch.lower()
        else:
            raise SystemExit(f"no key for {ch!r} on the de layout here")


def send_keys(mon, keys):
    for k in keys:
        hmp(mon, f"sendkey {k}")
        time.sleep(0.15)


def serial(sock_path, seconds, cmd):
    tag = f"E2E{os.getpid()}{int(time.time())}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect(sock_path)
    # the marker is printed by the shell, never echoed whole: it is split in the command
    line = f"{cmd}; echo {tag[:4]}\"\"{tag[4:]}:$?\n"
    s.sendall(b"\n")
    time.sleep(0.5)
    s.sendall(line.encode())
    buf = b""
    end = time.time() + seconds
    pat = re.compile(rf"\n{tag}:(\d+)\r?\n".encode())
    while time.time() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        m = pat.search(buf)
        if m:
            out = buf[:m.start()].decode(errors="replace").replace("\r", "")
            # drop everything up to the echoed command line
            i = out.find(cmd)
            if i >= 0:
                out = out[out.find("\n", i) + 1:] if "\n" in out[i:] else ""
            sys.stdout.write(out + "\n")
            s.close()
            return int(m.group(1))
    sys.stdout.write(buf.decode(errors="replace"))
    s.close()
    return 255


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    op = argv[1]
    if op == "shot":
        shot(argv[2], argv[3])
    elif op == "ocr":
        sys.stdout.write(ocr(argv[2], argv[3] if len(argv) > 3 else "deu"))
    elif op == "wait-text":
        mon, d, regex, secs = argv[2], argv[3], argv[4], float(argv[5])
        lang = argv[6] if len(argv) > 6 else "deu"
        os.makedirs(d, exist_ok=True)
        end = time.time() + secs
        last = None
        while time.time() < end:
            p = os.path.join(d, "last.png")
            try:
                shot(mon, p)
            except (OSError, socket.timeout) as e:
                print(f"vm.py: screendump failed: {e}", file=sys.stderr)
                time.sleep(5)
                continue
            with open(p, "rb") as f:
                data = f.read()
            if data != last:
                last = data
                text = ocr(p, lang)
                with open(os.path.join(d, "last.txt"), "w") as f:
                    f.write(text)
                if re.search(regex, text, re.I):
                    os.replace(p, os.path.join(d, "match.png"))
                    with open(os.path.join(d, "match.txt"), "w") as f:
                        f.write(text)
                    sys.stdout.write(text)
                    return 0
            time.sleep(8)
        return 1
    elif op == "type":
        send_keys(argv[2], list(keys_for(argv[3])))
    elif op == "key":
        send_keys(argv[2], argv[3:])
    elif op == "hmp":
        print(hmp(argv[2], argv[3]))
    elif op == "serial":
        return serial(argv[2], float(argv[3]), argv[4])
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
