#!/usr/bin/env bash
# The main job on the sample export: check what is missing, build the bundle, verify it with
# handover and with standard tools alone (sha256sum, bsdtar, bagit-python).
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
echo "== handover build"
"$handover" build --manifest Samples/acme-manifest.yaml Samples/acme-export --output "$out/acme.tar.zst"
echo
echo "== handover verify"
"$handover" verify "$out/acme.tar.zst"
echo
echo "== the same bundle checked with standard tools alone"
(cd "$out" && sha256sum -c acme.tar.zst.sha256)
mkdir "$out/extracted" && bsdtar -xf "$out/acme.tar.zst" -C "$out/extracted"
bagit.py --validate --quiet "$out/extracted"/*/ && echo "bagit-python: the bag is valid"
echo
echo "The bundle is in $out"
