#!/usr/bin/env bash
# Installs the .deb built by `make package`, starts the installed app like a new user would (fresh
# home directory, no environment from the build), waits for its window, removes the package and
# checks that the user's data stays. Run as root (dpkg); `make package-test` does it.
#
#   tests/package/deb_test.sh DEB_DIR
set -euo pipefail

run_app() {
  # Under xvfb-run (the script calls itself with --run-app): start the installed binary with an
  # empty environment and home, wait until its window is mapped, the database and the log exist.
  env -i HOME="$home" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" XAUTHORITY="${XAUTHORITY:-}" \
    LANG=C.UTF-8 WEBKIT_DISABLE_DMABUF_RENDERER=1 /usr/bin/tagungsbuero >"$log" 2>&1 &
  local pid=$!
  if ! timeout 60 xdotool search --sync --onlyvisible --pid "$pid" --name 'Tagungsbüro' >/dev/null; then
    kill "$pid" 2>/dev/null || true
    cat "$log" >&2
    return 1
  fi
  local data="$home/.local/share/$identifier"
  if ! timeout 30 bash -c "until [ -s '$data/tagungsbuero.db' ] && [ -s '$data/logs/tagungsbuero.log' ]; do sleep 0.2; done"; then
    kill "$pid"
    echo "Datenbank oder Protokoll fehlt in $data" >&2
    return 1
  fi
  kill "$pid"
  wait "$pid" || true
}
if [ "${1:-}" = --run-app ]; then
  run_app
  exit
fi

deb_dir=${1:?usage: deb_test.sh DEB_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
identifier=org.staedtepartnerschaften-nrw.tagungsbuero
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
shopt -s nullglob
debs=("$deb_dir"/*_"$version"_*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "FEHLER: genau ein .deb der Version $version erwartet in $deb_dir"; exit 1; }
deb=${debs[0]}
fail() { echo "FEHLER: $*" >&2; exit 1; }

# --- What the package declares ------------------------------------------------------------
package=$(dpkg-deb -f "$deb" Package)
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Paketversion ist nicht $version"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ $depends == *"$dep"* ]] || fail "Abhängigkeit $dep fehlt (Depends: $depends)"
done
contents=$(dpkg-deb -c "$deb")
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  grep -q "usr/share/icons/hicolor/$size/apps/tagungsbuero.png" <<<"$contents" ||
    fail "Symbol $size fehlt im Paket"
done

# --- Install ------------------------------------------------------------------------------
if dpkg -s "$package" >/dev/null 2>&1; then dpkg -r "$package" >/dev/null; fi
dpkg -i "$deb" >/dev/null
trap 'dpkg -s "$package" >/dev/null 2>&1 && dpkg -r "$package" >/dev/null || true' EXIT
desktop=$(dpkg -L "$package" | grep '\.desktop$' | head -1)
[ -n "$desktop" ] || fail "keine .desktop-Datei installiert"
# The Debian package name must be ASCII (tauri.linux.conf.json: productName "Tagungsbuero");
# what the user sees is the German name from src-tauri/linux/tagungsbuero.desktop.
[ "$package" = tagungsbuero ] || fail "Paketname $package statt tagungsbuero"
grep -qx 'Name=Tagungsbüro' "$desktop" || fail "Name=Tagungsbüro fehlt in $desktop"
grep -qx 'Exec=tagungsbuero' "$desktop" || fail "Exec=tagungsbuero fehlt in $desktop"
grep -qx 'Icon=tagungsbuero' "$desktop" || fail "Icon=tagungsbuero fehlt in $desktop"
[ -x /usr/bin/tagungsbuero ] || fail "/usr/bin/tagungsbuero fehlt"

# --- Start as a new user would: empty home, only the display from Xvfb ----------------------
home=$(mktemp -d)
log=$(mktemp)
export home log identifier
xvfb-run -a -s "-screen 0 1366x768x24" "$0" --run-app || fail "das installierte Programm zeigte kein Fenster"
grep -q "Tagungsbuero $version starting" "$home/.local/share/$identifier/logs/tagungsbuero.log" ||
  fail "Startzeile fehlt im Protokoll"

# --- Remove: the program goes, the user's data stays ---------------------------------------
dpkg -r "$package" >/dev/null
trap - EXIT
[ ! -e /usr/bin/tagungsbuero ] || fail "/usr/bin/tagungsbuero nach dpkg -r noch da"
[ -s "$home/.local/share/$identifier/tagungsbuero.db" ] || fail "Datenbank nach dpkg -r verschwunden"
rm -rf "$home" "$log"
echo "Paket $package $version: installiert, gestartet (Fenster gesehen), entfernt; Benutzerdaten erhalten."
