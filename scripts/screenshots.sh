#!/usr/bin/env bash
# Starts the real app under Xvfb with the embedded sample logs and saves screenshots of the overview,
# findings, conversations and conversation views into docs/screenshots/ (light theme), at 1400x900
# (NAME.png) and at 1024x700 (NAME-1024.png).
#
# usage: scripts/screenshots.sh [--debug]
# (For a dark-theme look, run the app yourself with CANDOR_THEME=dark; the committed shots stay light.)
#   --debug   use the debug build (faster to build, slower to load the samples)
# Needs /work/shared/tools/screenshot.sh or SCREENSHOT_TOOL pointing at an equivalent script; it installs
# xvfb, xdotool and imagemagick through apt-get on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
[ "${1:-}" = "--debug" ] && profile=debug
tool=${SCREENSHOT_TOOL:-/work/shared/tools/screenshot.sh}
[ -x "$tool" ] || [ -f "$tool" ] || { echo "screenshot tool not found: $tool" >&2; exit 2; }

if [ "$profile" = release ]; then cargo build --release --bin candor; else cargo build --bin candor; fi
bin=target/$profile/candor
out=docs/screenshots
mkdir -p "$out"

# A fresh settings folder, so the shots do not depend on this machine's theme, reviews or recent files.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

for view in overview findings conversations conversation; do
  for size in 1400x900 1024x700; do
    name=$view
    [ "$size" = 1024x700 ] && name=$view-1024
    # One at a time: the machine may have two cores, and parallel runs slow the import down.
    bash "$tool" "$out/$name.png" --wait "${WAIT_SECS:-8}" --size "$size" -- \
      env XDG_DATA_HOME="$state/data" XDG_CONFIG_HOME="$state/config" HOME="$state" \
          CANDOR_SAMPLES=1 CANDOR_START_VIEW="$view" CANDOR_REVIEWER="Dana Reviewer" "$bin"
    rm -f "$out/$name.log"
  done
done
echo "screenshots in $out/"
