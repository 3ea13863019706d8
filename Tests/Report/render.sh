#!/usr/bin/env bash
# Renders the handover report of the sample bundles with headless Chromium, in English and in
# French, as PNG screenshots and A4 PDFs, for a person to look at:
#   report-en.*, report-fr.*            the complete sample, signed, verified with allowed_signers
#   report-incomplete-en.*, -fr.*       the incomplete sample, built with --allow-incomplete
#   report-tampered-en.*, -fr.*         the complete sample with one payload file altered (bag folder)
#   report-reservations-fr.*            the incomplete sample with reservations (report --reservations)
#   inside-bundle.*                     the handover/report.html the build put into the bundle
#   inside-bundle-fr.*                  the same, built with --lang fr
#   report-long-fr.*                    a handover of 2,000 files, made here
#   certificate-en.*, -fr.*             the provider's deletion certificate of the complete sample, checked
#   receipt-en.*, -fr.*                 the client's receipt with reservations of it, checked
#   certificate-fr-70dpi.png            the French certificate's page at 70 dpi (docs/certificat-suppression-fr.png)
# Usage: Tests/Report/render.sh [OUTPUT_FOLDER]   (default: a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

chromium="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$chromium" ] || { echo "render.sh: chromium is not installed (Debian: apt-get install chromium)" >&2; exit 2; }
for tool in ssh-keygen bsdtar; do
    command -v "$tool" >/dev/null || { echo "render.sh: $tool is not installed (Debian: openssh-client, libarchive-tools)" >&2; exit 2; }
done

swift build --product handover >/dev/null
handover="$PWD/.build/debug/handover"

# A signing key and the allowed_signers file the recipient would hold.
rm -f "$out/key" "$out/key.pub"
ssh-keygen -q -t ed25519 -N "" -C "release@infogerance-ouest.example" -f "$out/key"
echo "release@infogerance-ouest.example $(cut -d' ' -f1,2 "$out/key.pub")" > "$out/allowed_signers"

"$handover" build --manifest Samples/acme-manifest.yaml Samples/acme-export \
    --output "$out/acme.tar.zst" --sign "$out/key" --force --quiet
"$handover" build --manifest Samples/acme-manifest.yaml Samples/acme-export-incomplete \
    --output "$out/acme-incomplete.tar.zst" --allow-incomplete --force --quiet 2>/dev/null

# A received copy where one payload file was altered after the build.
rm -rf "$out/tampered" && mkdir "$out/tampered"
bsdtar -xf "$out/acme.tar.zst" -C "$out/tampered"
bag="$(ls -d "$out"/tampered/*/)"
altered="$(ls "$bag"/data/access/*.csv | head -n 1)"
printf 'altered\n' >> "$altered"
bsdtar -xOf "$out/acme.tar.zst" '*/handover/report.html' > "$out/inside-bundle.html"

shoot() { # HTML_FILE NAME
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
        --screenshot="$out/$2.png" "file://$1" 2>/dev/null
    "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$out/$2.pdf" "file://$1" 2>/dev/null
}

for lang in en fr; do
    "$handover" report "$out/acme.tar.zst" --allowed-signers "$out/allowed_signers" --lang "$lang" \
        --output "$out/report-$lang.html" --force --quiet
    "$handover" report "$out/acme-incomplete.tar.zst" --lang "$lang" \
        --output "$out/report-incomplete-$lang.html" --force --quiet || true
    "$handover" report "$out/acme.tar.zst" --lang "$lang" --output "$out/report-$lang.md" --force --quiet
    shoot "$out/report-$lang.html" "report-$lang"
    shoot "$out/report-incomplete-$lang.html" "report-incomplete-$lang"
done
printf 'Le registre des incidents de 2025 est incomplet.\n\nLes licences restent à transférer avant le 15 janvier 2027.\n' > "$out/reserves.txt"
"$handover" report "$out/acme-incomplete.tar.zst" --lang fr --reservations "$out/reserves.txt" \
    --output "$out/report-reservations-fr.html" --force --quiet || true
shoot "$out/report-reservations-fr.html" report-reservations-fr
for lang in en fr; do
    "$handover" report "$bag" --lang "$lang" --output "$out/report-tampered-$lang.html" --force --quiet || true
    shoot "$out/report-tampered-$lang.html" "report-tampered-$lang"
done
shoot "$out/inside-bundle.html" inside-bundle
"$handover" build --manifest Samples/acme-manifest.yaml Samples/acme-export \
    --output "$out/acme-fr.tar.zst" --lang fr --force --quiet
bsdtar -xOf "$out/acme-fr.tar.zst" '*/handover/report.html' > "$out/inside-bundle-fr.html"
shoot "$out/inside-bundle-fr.html" inside-bundle-fr

# A long handover: 2,000 files in three deliverables (the same as LongReportPrintTests prints).
bash Tests/Report/long-handover.sh "$out/long"
"$handover" build --manifest "$out/long/handover.yaml" "$out/long/export" --output "$out/long.tar.zst" --force --quiet
"$handover" report "$out/long.tar.zst" --lang fr --output "$out/report-long-fr.html" --force --quiet
shoot "$out/report-long-fr.html" report-long-fr

# The end of the story: the client's receipt with reservations, then the provider's deletion
# certificate, each checked and rendered on one page per language.
rm -f "$out/client" "$out/client.pub"
ssh-keygen -q -t ed25519 -N "" -C "dsi@acme.example" -f "$out/client"
echo "dsi@acme.example namespaces=\"handover-receipt\" $(cut -d' ' -f1,2 "$out/client.pub")" > "$out/client_signers"
printf 'Le plan de sauvegarde manque.\nLes comptes de service ne sont pas listés.\n' > "$out/receipt-reserves.txt"
"$handover" receipt "$out/acme.tar.zst" --sign "$out/client" --decision accepted-with-reservations \
    --reservations "$out/receipt-reserves.txt" --output "$out/receipt.json" --force --quiet
"$handover" certify --kind deletion --bundle "$out/acme.tar.zst" \
    --scope production-data:"base ERP, partages de fichiers" --scope backups \
    --scope technical-data:"entrées d'annuaire, certificats TLS, clés VPN" --method crypto-erasure \
    --date 2027-03-31 --retention "2037-12-31:Factures (Code de commerce, art. L123-22)" \
    --by "Jeanne Martin, DSI, Infogérance Ouest SAS" --sign "$out/key" --output "$out/certificate.json" --force --quiet
for lang in en fr; do
    "$handover" receipt --check "$out/receipt.json" --bundle "$out/acme.tar.zst" --allowed-signers "$out/client_signers" \
        --html "$out/receipt-$lang.html" --lang "$lang" --force --quiet
    "$handover" certify --check "$out/certificate.json" --bundle "$out/acme.tar.zst" --allowed-signers "$out/allowed_signers" \
        --html "$out/certificate-$lang.html" --lang "$lang" --force --quiet
    shoot "$out/receipt-$lang.html" "receipt-$lang"
    shoot "$out/certificate-$lang.html" "certificate-$lang"
done
if command -v pdftoppm >/dev/null; then
    # The picture in the README: the printed page, small enough to keep in the repository.
    pdftoppm -png -r 70 -singlefile "$out/certificate-fr.pdf" "$out/certificate-fr-70dpi"
fi

if command -v pdfinfo >/dev/null; then
    for pdf in "$out"/*.pdf; do echo "$(basename "$pdf"): $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}') pages"; done
fi
if command -v pdftotext >/dev/null; then
    # Each printed page ends with its footer: the contract, the SHA-256 prefix, page X / Y.
    echo "Footer of the last page of report-fr.pdf: $(pdftotext -layout "$out/report-fr.pdf" - | grep 'page [0-9]* / [0-9]*' | tail -n 1 | tr -s ' ')"
fi
echo "Rendered into $out:"
ls "$out"/*.png "$out"/*.pdf
