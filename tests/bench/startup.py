#!/usr/bin/env python3
"""Start-up time, memory and size of the release build (issue 16). A benchmark, not a test.

Measures, under Xvfb (1366×768), the time from starting the process to the first painted screen
- of a minimal Tauri app (one page in the app's blue, built here in the same run, same Tauri
  version and release profile, in the same cargo target dir), the baseline,
- of Tagungsbüro on the demo database, and
- of Tagungsbüro on a database with 100,000 persons (imported through the CLI) plus the demo,
and the memory (PSS, summed over the app and all its child processes incl. WebKit's web and
network processes) on the 100,000-person database, and the size of the release binary and of
the .deb. "Painted" means: the app's blue (#1f4e79, the sidebar of Tagungsbüro; the minimal
app's whole page) covers part of the screen (sampled from `xwd` screenshots). The goals:
start-up ≤ 1.15 × the minimal app, PSS < 300 MB.

Usage (from the repository root, after `make package`, which builds the release binary):
    xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/bench/startup.py [--runs 5]
Environment: CARGO_TARGET_DIR (as for make), CARGO (e.g. "flock -o /tmp/cargo.lock cargo").
"""

import argparse
import glob
import json
import os
import shlex
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "tagungsbuero", "target"
)
CARGO = shlex.split(os.environ.get("CARGO", "cargo"))
BLUE = (0x1F, 0x4E, 0x79)
MINIMAL_NAME = "tagungsbuero-minimal"


def workspace_tauri_version():
    """The tauri crate's version in Cargo.lock, so the baseline uses the same one."""
    lock = open(os.path.join(ROOT, "Cargo.lock"), encoding="utf-8").read()
    block = lock.split('name = "tauri"\n', 1)[1]
    return block.split('version = "', 1)[1].split('"', 1)[0]


def build_minimal_app(work):
    """A minimal Tauri app with one page, built in release mode into the same target dir."""
    app = os.path.join(work, "minimal")
    os.makedirs(os.path.join(app, "src"))
    os.makedirs(os.path.join(app, "dist"))
    os.makedirs(os.path.join(app, "capabilities"))
    version = workspace_tauri_version()
    with open(os.path.join(app, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "{MINIMAL_NAME}"\nversion = "0.1.0"\nedition = "2024"\n\n'
            f'[build-dependencies]\ntauri-build = "2.7"\n\n'
            f'[dependencies]\ntauri = {{ version = "={version}", features = ["custom-protocol"] }}\n\n'
            "[profile.release]\ncodegen-units = 4\nlto = \"thin\"\nstrip = \"debuginfo\"\n\n[workspace]\n"
        )
    with open(os.path.join(app, "build.rs"), "w") as f:
        f.write("fn main() { tauri_build::build() }\n")
    with open(os.path.join(app, "src", "main.rs"), "w") as f:
        f.write(
            "fn main() {\n    tauri::Builder::default()\n"
            "        .run(tauri::generate_context!())\n        .expect(\"minimal app\");\n}\n"
        )
    with open(os.path.join(app, "dist", "index.html"), "w") as f:
        f.write(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Minimal</title></head>"
            "<body style=\"margin:0;background:#1f4e79;height:100vh\"></body></html>\n"
        )
    with open(os.path.join(app, "capabilities", "default.json"), "w") as f:
        f.write('{"identifier":"default","windows":["main"],"permissions":["core:default"]}\n')
    # The same window size and CSP as the app (the CSP allows the page's inline style).
    with open(os.path.join(ROOT, "src-tauri", "tauri.conf.json"), encoding="utf-8") as f:
        csp = json.load(f)["app"]["security"]["csp"]
    config = {
        "productName": "Minimal",
        "version": "0.1.0",
        "identifier": "org.example.minimal",
        "build": {"frontendDist": "dist"},
        "app": {"windows": [{"title": "Minimal", "width": 1280, "height": 820}], "security": {"csp": csp}},
        "bundle": {"active": False, "icon": [os.path.join(ROOT, "icons", "32x32.png")]},
    }
    with open(os.path.join(app, "tauri.conf.json"), "w") as f:
        json.dump(config, f)
    # Same dependency versions as the app (its Cargo.lock), so the target dir's artefacts are reused.
    subprocess.run(["cp", os.path.join(ROOT, "Cargo.lock"), app], check=True)
    subprocess.run(
        CARGO + ["build", "--release", "--manifest-path", os.path.join(app, "Cargo.toml")],
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": TARGET},
    )
    return os.path.join(TARGET, "release", MINIMAL_NAME)


def screen_has_blue():
    """Whether at least 5 % of a coarse grid of the screen is the app's blue (xwd, ZPixmap 24/32 bit)."""
    raw = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, check=True).stdout
    (header_size,) = struct.unpack(">I", raw[0:4])
    fields = struct.unpack(">25I", raw[0:100])
    width, height = fields[4], fields[5]
    bits_per_pixel, bytes_per_line = fields[11], fields[12]
    ncolors = fields[19]
    data = raw[header_size + ncolors * 12 :]
    step = bits_per_pixel // 8
    hits = total = 0
    for y in range(0, height, 12):
        row = y * bytes_per_line
        for x in range(0, width, 12):
            i = row + x * step
            b, g, r = data[i], data[i + 1], data[i + 2]  # little-endian BGRX
            total += 1
            if (r, g, b) == BLUE:
                hits += 1
    return hits >= total * 0.05


def descendants(pid):
    """pid and all its descendants (WebKit's processes are the app's children)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def pss_mb(pid):
    """Summed PSS of pid and its descendants, in MB."""
    total_kb = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def start_to_paint(binary, env, settle_for_memory=False):
    """Seconds from exec to the first screenshot with the blue; optionally PSS after settling."""
    assert not screen_has_blue(), "the screen must be empty before a run"
    started = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not screen_has_blue():
            if proc.poll() is not None:
                raise RuntimeError(f"{binary} ended with {proc.returncode} before painting")
            if time.monotonic() - started > 60:
                raise RuntimeError(f"{binary} painted nothing within 60 s")
        elapsed = time.monotonic() - started
        memory = None
        if settle_for_memory:
            time.sleep(5)  # a benchmark: let the first screen's data load and WebKit settle
            memory = pss_mb(proc.pid)
        return elapsed, memory
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # Wait until the window is gone, so the next run starts on an empty screen.
        deadline = time.monotonic() + 10
        while screen_has_blue() and time.monotonic() < deadline:
            time.sleep(0.05)


def app_env(home, db=None):
    env = {
        "HOME": home,
        "PATH": "/usr/bin:/bin",
        "DISPLAY": os.environ["DISPLAY"],
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "WEBKIT_DISABLE_DMABUF_RENDERER": "1",
    }
    if "XAUTHORITY" in os.environ:
        env["XAUTHORITY"] = os.environ["XAUTHORITY"]
    if db:
        env["TAGUNGSBUERO_DB"] = db
    return env


def add_persons(db, count):
    """`count` invented persons (example.org addresses), written straight into the tables in one
    transaction: the schema's triggers keep the type-ahead index and the stamps, as for any
    insert. (The contacts importer checks every row against all persons; for 100,000 rows that
    took longer than a benchmark's set-up should, see the report of issue 16.)"""
    import sqlite3
    import uuid

    first = ["Anna", "Jürgen", "Zofia", "Mehmet", "Claire", "Olena", "Bernd", "Ute", "Sabine", "Łukasz"]
    last = ["Müller", "Schmitz", "Weiß", "Nowak", "Yılmaz", "Kowalski", "Schäfer", "Becker", "Krüger", "Koch"]
    orte = ["Köln", "Dortmund", "Hürth", "Bocholt", "Münster", "Bonn", "Essen", "Bielefeld"]
    now = "2026-11-29T12:00:00.000Z"
    connection = sqlite3.connect(db)
    with connection:
        connection.executemany(
            "INSERT INTO persons (uid, first_name, last_name, ort, email, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (str(uuid.uuid4()), first[i % 10], f"{last[(i // 10) % 10]}{i}", orte[i % 8],
                 f"person{i}@example.org", now, now)
                for i in range(count)
            ),
        )
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--minimal-binary", help="a minimal app built earlier in this run (skips its build)")
    args = parser.parse_args()
    app = os.path.join(TARGET, "release", "tagungsbuero")
    cli = os.path.join(TARGET, "release", "tagungsbuero-cli")
    if not os.path.exists(cli):
        cli = os.path.join(TARGET, "debug", "tagungsbuero-cli")
    debs = sorted(glob.glob(os.path.join(TARGET, "release", "bundle", "deb", "*.deb")))
    if not os.path.exists(app):
        sys.exit(f"{app} fehlt: erst `make package` (oder `make release`) ausführen")

    with tempfile.TemporaryDirectory() as work:
        minimal = args.minimal_binary or build_minimal_app(work)
        demo = os.path.join(work, "demo.db")
        subprocess.run([cli, "--db", demo, "seed-demo"], check=True, capture_output=True)
        big = os.path.join(work, "persons.db")
        subprocess.run([cli, "--db", big, "seed-demo"], check=True, capture_output=True)
        add_persons(big, 100_000)
        found = subprocess.run([cli, "--db", big, "persons", "search", "müll", "--json"],
                               check=True, capture_output=True, text=True).stdout
        assert "person" in found, "the app's CLI must open and search the 100,000-person database"
        print(f"Datenbank mit {100_000 + 105} Personen: {os.path.getsize(big) / 1e6:.0f} MB")

        cases = [("minimale Tauri-App", minimal, None), ("Demo-Datenbank", app, demo), ("100.000 Personen", app, big)]
        results = {}
        for round_ in range(args.runs):
            for name, binary, db in cases:
                home = tempfile.mkdtemp(dir=work)
                elapsed, _ = start_to_paint(binary, app_env(home, db))
                results.setdefault(name, []).append(elapsed)
        home = tempfile.mkdtemp(dir=work)
        _, memory = start_to_paint(app, app_env(home, big), settle_for_memory=True)
        home = tempfile.mkdtemp(dir=work)
        _, minimal_memory = start_to_paint(minimal, app_env(home), settle_for_memory=True)

    base = statistics.median(results["minimale Tauri-App"])
    print(f"\nStart bis zum ersten gemalten Bild (Median aus {args.runs} Läufen, Xvfb 1366×768):")
    for name, _, _ in cases:
        m = statistics.median(results[name])
        print(f"  {name:20s} {m * 1000:6.0f} ms   ({m / base:.2f} × minimal; Läufe: "
              + ", ".join(f"{x * 1000:.0f}" for x in results[name]) + " ms)")
    print(f"\nSpeicher (PSS, App + WebKit-Prozesse, 5 s nach dem ersten Bild):")
    print(f"  100.000 Personen     {memory:6.0f} MB   (Ziel < 300 MB)")
    print(f"  minimale Tauri-App   {minimal_memory:6.0f} MB")
    print("\nGrößen:")
    print(f"  Release-Programm     {os.path.getsize(app) / 1e6:6.1f} MB  ({app})")
    print(f"  minimale Tauri-App   {os.path.getsize(minimal) / 1e6:6.1f} MB")
    for deb in debs:
        print(f"  Paket (.deb)         {os.path.getsize(deb) / 1e6:6.1f} MB  ({os.path.basename(deb)})")


if __name__ == "__main__":
    main()
