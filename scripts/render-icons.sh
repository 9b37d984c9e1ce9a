#!/usr/bin/env bash
# Renders the committed PNG/ICO icons in assets/ from the SVG sources made
# here. A maintainer's tool, not part of the build: needs Debian's
# librsvg2-bin (rsvg-convert) and icoutils (icotool).
set -euo pipefail
cd "$(dirname "$0")/../assets"

# The tray glyph: a ferry on a wave. $1 = colour.
boat() {
  cat <<SVG
  <path d="M3 12h18l-3 5H6z" fill="$1"/>
  <rect x="8" y="7" width="8" height="4" rx="1" fill="$1"/>
  <path d="M2 20.5c2 1.2 4 1.2 6 0s4-1.2 6 0 4 1.2 6 0" stroke="$1" stroke-width="1.6" fill="none" stroke-linecap="round"/>
SVG
}

# The state mark in the corner. $1 = state, $2 = glyph colour, $3 = accent (or glyph colour for templates).
mark() {
  case "$1" in
    idle) ;;
    delivering) echo "<path d='M18 1v6m-3-3 3-3 3 3' stroke='$3' stroke-width='2' fill='none' stroke-linecap='round' stroke-linejoin='round'/>" ;;
    paused) echo "<rect x='15' y='1' width='2.4' height='6' fill='$3'/><rect x='19.6' y='1' width='2.4' height='6' fill='$3'/>" ;;
    attention)
      # Template images keep only alpha: a white '!' on a filled disc would vanish, so outline it there.
      if [ "$2" = '#000' ]; then
        echo "<circle cx='19' cy='4.5' r='3.8' fill='none' stroke='$3' stroke-width='1.4'/><rect x='18.3' y='2' width='1.4' height='3.3' fill='$3'/><rect x='18.3' y='6' width='1.4' height='1.2' fill='$3'/>"
      else
        echo "<circle cx='19' cy='4.5' r='4.5' fill='$3'/><rect x='18.2' y='1.5' width='1.6' height='4' fill='#fff'/><rect x='18.2' y='6.4' width='1.6' height='1.4' fill='#fff'/>"
      fi ;;
    offline) echo "<path d='M15 1l7 7M22 1l-7 7' stroke='$3' stroke-width='2' stroke-linecap='round'/>" ;;
  esac
}

accent() {
  case "$1" in
    delivering) echo '#1f6feb' ;; paused) echo '#9a6700' ;; attention) echo '#cf222e' ;; offline) echo '#6e7781' ;; *) echo '#1f6feb' ;;
  esac
}

svg() { # $1 = glyph colour, $2 = state, $3 = mark colour
  printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">%s%s</svg>\n' "$(boat "$1")" "$(mark "$2" "$1" "$3")"
}

for state in idle delivering paused attention offline; do
  # macOS: template images (black + alpha), drawn by the system for light and dark menu bars.
  svg '#000' "$state" '#000' > "tray/${state}Template.svg"
  rsvg-convert -w 16 -h 16 "tray/${state}Template.svg" -o "tray/${state}Template.png"
  rsvg-convert -w 32 -h 32 "tray/${state}Template.svg" -o "tray/${state}Template@2x.png"
  # Linux: a dark glyph for light panels, a light glyph for dark panels.
  svg '#24292f' "$state" "$(accent "$state")" > "tray/${state}-light.svg"
  svg '#f6f8fa' "$state" "$(accent "$state")" > "tray/${state}-dark.svg"
  rsvg-convert -w 22 -h 22 "tray/${state}-light.svg" -o "tray/${state}-light.png"
  rsvg-convert -w 22 -h 22 "tray/${state}-dark.svg" -o "tray/${state}-dark.png"
  # Windows: an .ico with the sizes the notification area asks for.
  for size in 16 24 32; do rsvg-convert -w $size -h $size "tray/${state}-light.svg" -o "/tmp/ferry-${state}-${size}.png"; done
  icotool -c -o "tray/${state}.ico" /tmp/ferry-${state}-{16,24,32}.png
  rm "tray/${state}Template.svg" "tray/${state}-light.svg" "tray/${state}-dark.svg" /tmp/ferry-${state}-*.png
done

# The app icon: electron-builder derives .icns and .ico from a 1024 px PNG.
rsvg-convert -w 1024 -h 1024 icon.svg -o icon.png
