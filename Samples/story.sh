#!/usr/bin/env bash
# A handover from start to end on the sample export, as README's walkthrough shows it: delivery 1
# (incomplete), `missing` on the receiving side, a receipt with reservations, delivery 2 chained
# with --previous, `diff`, a receipt accepted, the report listing it, and the provider's deletion
# certificate, checked and rendered in French. Standard tools check the statements at the end.
# Usage: Samples/story.sh [OUTPUT_FOLDER]  (default: a new temporary folder). Samples/demo.sh
# runs it at its end with HANDOVER set to the binary it built; alone, it builds its own.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${HANDOVER:-}" ]; then
    bash ../.ci/setup
    (cd .. && swift build -c release --product handover)
    HANDOVER="$(cd .. && pwd)/.build/release/handover"
fi
handover() { "$HANDOVER" "$@"; }
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/provider_key* "$out"/client_key* "$out"/*.json "$out"/*.tar.zst* "$out"/*.html

step() { echo; echo "== $*"; }

step "the provider's and the client's keys (made here; real ones are kept, fingerprints exchanged through the contract)"
ssh-keygen -q -t ed25519 -N '' -C release@infogerance-ouest.example -f "$out/provider_key"
ssh-keygen -q -t ed25519 -N '' -C dsi@acme.example -f "$out/client_key"
echo "release@infogerance-ouest.example namespaces=\"handover,handover-certificate\" $(cut -d' ' -f1,2 "$out/provider_key.pub")" > "$out/provider_signers"
echo "dsi@acme.example namespaces=\"handover-receipt\" $(cut -d' ' -f1,2 "$out/client_key.pub")" > "$out/client_signers"

step "1. the provider delivers what it has so far (incomplete, on purpose)"
handover build --manifest acme-manifest.yaml acme-export-incomplete --output "$out/delivery-1.tar.zst" \
    --sign "$out/provider_key" --allow-incomplete --quiet

step "2. the client lists what is missing (exit status 1: things are missing) and accepts with reservations"
handover missing "$out/delivery-1.tar.zst" --allowed-signers "$out/provider_signers" > "$out/reserves.txt" || echo "(exit status $?)"
cat "$out/reserves.txt"
handover receipt "$out/delivery-1.tar.zst" --allowed-signers "$out/provider_signers" --sign "$out/client_key" \
    --decision accepted-with-reservations --reservations "$out/reserves.txt" --output "$out/receipt-1.json"

step "3. the provider checks and keeps the receipt, then delivers again, chained to delivery 1"
handover receipt --check "$out/receipt-1.json" --bundle "$out/delivery-1.tar.zst" --allowed-signers "$out/client_signers"
handover build --manifest acme-manifest.yaml acme-export --output "$out/delivery-2.tar.zst" \
    --sign "$out/provider_key" --previous "$out/delivery-1.tar.zst"

step "4. the client sees what changed (exit status 1: the deliveries differ), checks the chain and accepts"
handover diff "$out/delivery-1.tar.zst" "$out/delivery-2.tar.zst" || echo "(exit status $?)"
handover verify "$out/delivery-2.tar.zst" --previous "$out/delivery-1.tar.zst" --allowed-signers "$out/provider_signers"
handover receipt "$out/delivery-2.tar.zst" --allowed-signers "$out/provider_signers" --sign "$out/client_key" \
    --decision accepted --output "$out/receipt-2.json"
cat "$out/provider_signers" "$out/client_signers" > "$out/all_signers"
handover report "$out/delivery-2.tar.zst" --receipt "$out/receipt-2.json" --allowed-signers "$out/all_signers" \
    --lang fr --output "$out/pv-remise.html"

step "5. the provider deletes what it held and certifies it, bound to the last delivery"
handover certify --kind deletion --bundle "$out/delivery-2.tar.zst" \
    --scope production-data:"bases ERP, CRM et GED" --scope backups \
    --scope technical-data:"entrées d'annuaire, certificats TLS, clés VPN" --method crypto-erasure \
    --date 2027-03-31 --retention "2037-12-31:Factures (Code de commerce, art. L123-22)" \
    --by "Jeanne Martin, DSI, Infogérance Ouest SAS" --sign "$out/provider_key" --output "$out/deletion.json"

step "6. the client checks the certificate and renders it in French"
handover certify --check "$out/deletion.json" --bundle "$out/delivery-2.tar.zst" \
    --allowed-signers "$out/provider_signers" --html "$out/certificat-suppression.html" --lang fr

step "the receipt and the certificate checked with standard tools alone (jq, ssh-keygen, sha256sum)"
jq -j .statement "$out/receipt-2.json" > "$out/receipt-2.statement"
jq -j .signature "$out/receipt-2.json" > "$out/receipt-2.sig"
ssh-keygen -Y verify -f "$out/client_signers" -I dsi@acme.example -n handover-receipt -s "$out/receipt-2.sig" < "$out/receipt-2.statement"
jq -j .statement "$out/deletion.json" > "$out/deletion.statement"
jq -j .signature "$out/deletion.json" > "$out/deletion.sig"
ssh-keygen -Y verify -f "$out/provider_signers" -I release@infogerance-ouest.example -n handover-certificate -s "$out/deletion.sig" < "$out/deletion.statement"
named="$(jq -r .subject.archiveSHA256 "$out/deletion.statement")"
actual="$(cut -d' ' -f1 "$out/delivery-2.tar.zst.sha256")"
[ "$named" = "$actual" ] && echo "the certificate names delivery-2.tar.zst: $named"

echo
echo "The story's files are in $out"
