#!/usr/bin/env bash
# Installs the Debian packages the project needs (idempotent; fast no-op when all are present).
#   fonts-noto-cjk                      CJK font for the PDFs (WeasyPrint) and the browser tests
#   fonts-hanazono                      HanaMinB: the rare characters of names (GB 18030-2022), CJK Extension B-F
#   fonts-babelstone-han                BabelStone Han: CJK Extension G and H (e.g. U+30EDE) where HanaMinB stops
#   libharfbuzz-subset0                 fast font subsetting in WeasyPrint (keeps CJK PDFs small)
#   libpango-1.0-0 libpangoft2-1.0-0    WeasyPrint's text layout
#   chromium                            browser tests (Playwright drives /usr/bin/chromium; no download)
#   poppler-utils                       pdftoppm / pdftotext, for looking at generated PDFs
#   gettext                             makemessages (compiling uses polib, not msgfmt)
#   nodejs npm                          only when no npm is on the machine: `npm ci` installs axe-core for
#                                       tests/test_axe.py (a Node.js from elsewhere with its own npm is kept)
#   default-jre-headless                only when no java is on the machine: runs the Nu HTML Checker
#                                       (npm vnu-jar) of tests/test_html_valid.py
# Without root (and without password-less sudo) it prints the command to run and exits 0: the app still
# runs, and tests needing a missing piece skip with a reason.
set -euo pipefail

PACKAGES=(
    fonts-noto-cjk
    fonts-hanazono
    fonts-babelstone-han
    libharfbuzz-subset0
    libpango-1.0-0
    libpangoft2-1.0-0
    chromium
    poppler-utils
    gettext
)
if ! command -v npm >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
fi
if ! command -v java >/dev/null 2>&1; then
    PACKAGES+=(default-jre-headless)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

install_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
echo "system-packages: missing Debian packages: ${missing[*]}"

if [[ $(id -u) -eq 0 ]]; then
    run=(bash -c)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run=(sudo -n bash -c)
else
    echo "system-packages: not root and no password-less sudo; to install them run:" >&2
    echo "    sudo sh -c '$install_cmd'" >&2
    echo "system-packages: continuing without them (tests that need them will be skipped)" >&2
    exit 0
fi

"${run[@]}" "$install_cmd"
