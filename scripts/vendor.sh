#!/usr/bin/env bash
# Third-party front-end files: install the pinned npm packages (package-lock.json)
# and copy the three files the pages use into web/static/vendor/ (git-ignored).
# Fast when nothing changed: `npm ci` runs only when node_modules is missing or
# was installed from a different package.json / package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

VENDOR_DIR=web/static/vendor
STAMP=node_modules/.crm-vendor-stamp
FILES=(
    "node_modules/htmx.org/dist/htmx.min.js"
    "node_modules/@picocss/pico/css/pico.min.css"
    "node_modules/echarts/dist/echarts.min.js"
)

if ! command -v npm >/dev/null 2>&1; then
    echo "vendor: npm not found. Install Node.js 18+ with npm (e.g. apt-get install nodejs npm)." >&2
    exit 1
fi

wanted="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
missing=0
for f in "${FILES[@]}"; do
    [[ -f "$f" ]] || missing=1
done

if [[ "$wanted" != "$have" || "$missing" == 1 ]]; then
    echo "vendor: npm ci (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$wanted" > "$STAMP"
fi

mkdir -p "$VENDOR_DIR"
for f in "${FILES[@]}"; do
    if [[ ! -f "$f" ]]; then
        echo "vendor: $f is missing after npm ci" >&2
        exit 1
    fi
    dest="$VENDOR_DIR/$(basename "$f")"
    if ! cmp -s "$f" "$dest"; then
        cp "$f" "$dest"
        echo "vendor: $dest"
    fi
done
