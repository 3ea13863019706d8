#!/usr/bin/env bash
# The main job on the sample export: check what is missing, build a signed bundle, verify it with
# handover and with standard tools alone (sha256sum, bsdtar, bagit-python, ssh-keygen).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup
swift build -c release --product handover
handover=".build/release/handover"
out="$(mktemp -d)"

echo "== handover missing (the complete export)"
"$handover" missing --manifest Samples/acme-manifest.yaml Samples/acme-export
echo
echo "== handover missing (an incomplete export: exit status 1 is expected)"
"$handover" missing --manifest Samples/acme-manifest.yaml Samples/acme-export-incomplete || echo "(exit status $?)"
echo
echo "== handover init --from: a manifest proposed from a French-locale export (numbered folders,"
echo "   Windows-1252 and UTF-8-BOM CSVs, a workbook, scans), to review"
"$handover" init --from Samples/export-fr --lang fr --output "$out/remise-proposee.yaml"
grep -E '^  # review|^  - id:' "$out/remise-proposee.yaml"
echo
echo "== handover missing on that export, with its reviewed manifest (attestations included)"
"$handover" missing --manifest Samples/export-fr-manifest.yaml Samples/export-fr
echo
echo "== the provider's signing key (made here for the demo; a real one is kept, and its"
echo "   fingerprint given to the client through the contract, not with the bundle)"
ssh-keygen -q -t ed25519 -N '' -C provider@infogerance-ouest.example -f "$out/provider_key"
fingerprint="$(ssh-keygen -lf "$out/provider_key.pub" | cut -d' ' -f2)"
echo "$fingerprint"
echo
echo "== handover build"
"$handover" build --manifest Samples/acme-manifest.yaml Samples/acme-export --output "$out/acme.tar.zst" --sign "$out/provider_key"
"$handover" build --manifest Samples/export-fr-manifest.yaml Samples/export-fr --output "$out/acme-fr.tar.zst" --sign "$out/provider_key"
echo
echo "== handover verify, trusting the provider's key"
"$handover" verify "$out/acme.tar.zst" --signer "$fingerprint"
"$handover" verify "$out/acme-fr.tar.zst" --signer "$fingerprint"
"$handover" report "$out/acme-fr.tar.zst" --signer "$fingerprint" --lang fr --output "$out/pv-export-fr.html"
echo
echo "== the same bundle checked with standard tools alone"
(cd "$out" && sha256sum -c acme.tar.zst.sha256)
mkdir "$out/extracted" && bsdtar -xf "$out/acme.tar.zst" -C "$out/extracted"
bagit.py --validate --quiet "$out/extracted"/*/ && echo "bagit-python: the bag is valid"
echo "provider@infogerance-ouest.example namespaces=\"handover\" $(cut -d' ' -f1,2 "$out/provider_key.pub")" > "$out/allowed_signers"
(cd "$out/extracted"/*/ && ssh-keygen -Y verify -f "$out/allowed_signers" -I provider@infogerance-ouest.example \
    -n handover -s handover/signature.sshsig < tagmanifest-sha256.txt)
echo
echo "The bundle is in $out"
echo
echo "== the rest of the story: receipts, a second delivery, the deletion certificate (Samples/story.sh)"
HANDOVER="$PWD/$handover" bash Samples/story.sh "$out/story"
