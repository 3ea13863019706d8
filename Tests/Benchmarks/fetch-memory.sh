#!/usr/bin/env bash
# Peak memory of `handover verify --fetch` and `extract --fetch` on one large object (issue 20:
# memory flat, at most 128 MiB whatever the object sizes). Not a test: run it by hand.
#
# Usage: Tests/Benchmarks/fetch-memory.sh [MiB]     (default 300)
#   The S3 server of the AWS_* variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
#   AWS_SECRET_ACCESS_KEY, AWS_REGION) is used; start one with .ci/s3-ceph start DIR.
#   HANDOVER=...   the binary to measure (default .build/debug/handover, then .build/release)
#   LIMIT_MIB=128  the peak resident memory allowed; exit 1 above it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
size_mib="${1:-300}"
limit="${LIMIT_MIB:-128}"
: "${AWS_ENDPOINT_URL:?set the AWS_* variables of an S3 server (.ci/s3-ceph start DIR prints them)}"
: "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
region="${AWS_REGION:-us-east-1}"
for tool in curl sha256sum sha512sum /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y curl coreutils time)" >&2; exit 2; }
done
handover="${HANDOVER:-}"
[[ -n "$handover" ]] || for candidate in "$repo/.build/debug/handover" "$repo/.build/release/handover"; do
    [[ -x "$candidate" ]] && { handover="$candidate"; break; }
done
[[ -x "$handover" ]] || { echo "no handover binary: swift build, or set HANDOVER" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/fetch-memory.XXXXXX")"
bucket="fetch-memory-$(date +%s)-$$"
s3() { # s3 METHOD PATH [FILE]
    local hash
    if [[ -n "${3:-}" ]]; then hash="$(sha256sum "$3" | cut -d' ' -f1)"; else hash="$(printf '' | sha256sum | cut -d' ' -f1)"; fi
    curl -sS -f -X "$1" --aws-sigv4 "aws:amz:$region:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: $hash" ${3:+--upload-file "$3"} "$AWS_ENDPOINT_URL$2" >/dev/null
}
cleanup() { s3 DELETE "/$bucket/big.bin" || true; s3 DELETE "/$bucket" || true; rm -rf "$work"; }
trap cleanup EXIT

head -c "$((size_mib << 20))" /dev/urandom >"$work/big.bin"
s3 PUT "/$bucket"
s3 PUT "/$bucket/big.bin" "$work/big.bin"
bag="$work/bag"
mkdir -p "$bag/data"
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$bag/bagit.txt"
printf 'Payload-Oxum: %s.1\n' "$(stat -c %s "$work/big.bin")" >"$bag/bag-info.txt"
echo "$(sha256sum <"$work/big.bin" | cut -d' ' -f1)  data/big.bin" >"$bag/manifest-sha256.txt"
echo "$(sha512sum <"$work/big.bin" | cut -d' ' -f1)  data/big.bin" >"$bag/manifest-sha512.txt"
echo "s3://$bucket/big.bin $(stat -c %s "$work/big.bin") data/big.bin" >"$bag/fetch.txt"
(cd "$bag" && sha256sum bagit.txt bag-info.txt fetch.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-sha256.txt)
rm "$work/big.bin"

status=0
measure() { # measure NAME CMD...
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { echo "FAILED: $name" >&2; cat "$work/out" >&2; exit 1; }
    read -r seconds kib <"$work/time"
    local mib=$((kib / 1024))
    printf '%-28s %6.1f s  peak RSS %4d MiB  (%s MiB object, sha256+sha512)\n' "$name" "$seconds" "$mib" "$size_mib"
    ((mib <= limit)) || { echo "  above the limit of $limit MiB" >&2; status=1; }
}
measure "verify --fetch" "$handover" verify "$bag" --fetch
measure "extract --fetch" "$handover" extract "$bag" --to "$work/out-dir" --fetch
exit "$status"
