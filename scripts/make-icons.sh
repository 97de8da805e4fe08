#!/usr/bin/env bash
# Draws Debrief's icon at 1024 px (icons/app-icon.png) and has the Tauri CLI make every size
# each platform asks for from it: PNGs for Linux, icon.icns for macOS, icon.ico and the Store
# logos for Windows. Run after changing the design; the results are committed, so neither a
# build nor CI runs this. Needs ImageMagick and DejaVu Sans Bold (scripts/setup-system.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
# Indigo rounded square, a pale "D", a lighter bar under it: the 512 px design, drawn at 1024.
convert -size 1024x1024 xc:none \
  -fill 'rgb(67,56,202)' -draw 'roundrectangle 32,32 991,991 120,120' \
  -fill 'rgb(238,242,255)' -font "$font" -pointsize 640 -gravity center -annotate +0-40 'D' \
  -fill 'rgb(165,180,252)' -gravity northwest -draw 'rectangle 240,800 784,848' \
  icons/app-icon.png
ui/node_modules/.bin/tauri icon icons/app-icon.png --output icons
# Mobile icons are not shipped: Debrief is a desktop app.
rm -rf icons/android icons/ios
# A plain 256 px icon for Linux's hicolor/256x256: the bundler files 128x128@2x.png (256 px)
# under 256x256@2, a folder for 512 px images, so the packages list this one instead.
convert icons/app-icon.png -resize 256x256 -strip -depth 8 PNG32:icons/256x256.png
