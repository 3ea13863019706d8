#!/usr/bin/env bash
# Makes the seed corpus of each fuzz target from test-like fixtures: the shipped manifests and
# samples, bags made by bagit-python and by handover itself, SSH signatures made by ssh-keygen,
# time-stamp responses made by `openssl ts`, age files made by age.
#
#   bash Tests/Fuzz/make-seeds.sh SEEDS_DIR FUZZERS_DIR
#
# FUZZERS_DIR holds the built fuzz targets: `bundle` and `age` write the seeds only handover's
# own code can make when HANDOVER_FUZZ_WRITE_SEEDS is set (left out when they were not built). Nothing here is committed: the
# seeds are made again on each run, in a folder the caller chooses.
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds="$(realpath -m "$1")"
fuzzers="$(realpath "$2")"
rm -rf "$seeds"
for target in manifest tagfiles bundle inspector sshsig timestamp age zip; do mkdir -p "$seeds/$target"; done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- manifest: the templates, the sample, and a few shapes of YAML and JSON -----------------
cp Manifests/*.yaml "$seeds/manifest/"
cp Samples/acme-manifest.yaml "$seeds/manifest/"
cat > "$seeds/manifest/json.json" <<'EOF'
{"version": 1, "handover": {"contract": "C-1", "client": "Acme", "provider": "P", "recipient": "R",
 "date": "2026-12-31"}, "deliverables": [{"id": "a", "title": "A", "paths": ["a/**/*.{csv,md}"],
 "min-files": 2, "formats": ["csv"], "csv": {"required-columns": ["x", "y"]}, "max-age-days": 30,
 "confidential": true, "required": false, "notes": "n"}]}
EOF
cat > "$seeds/manifest/anchors.yaml" <<'EOF'
version: 1
handover: &h {contract: C, client: "Acme SA", provider: P, recipient: R}
deliverables:
  - &d {id: doc, title: Doc, paths: ["docs/*"]}
  - {<<: *d, id: doc2}
EOF
printf 'version: 1\nhandover:\n  contract: C\n  client: A\n  provider: P\n  recipient: R\n  date: 2026-02-30\ndeliverables: []\n' > "$seeds/manifest/bad-date.yaml"
printf 'version: 1\nhandover:\n  contract: C\n  client: A\n  provider: P\n  recipient: R\n  unknown: 1\ndeliverables:\n  - id: Bad_Id\n    title: t\n    paths: ["../x", "/abs", "a/{b,c"]\n' > "$seeds/manifest/errors.yaml"

# --- tagfiles: the tag files of a bag made by bagit-python, in other encodings too ------------
mkdir -p "$work/bag/docs"
printf 'account,owner\nalice,DSI\n' > "$work/bag/accounts.csv"
printf '# Architecture\n' > "$work/bag/docs/architecture.md"
printf 'x\n' > "$work/bag/docs/name with spaces%.md"
bagit.py --quiet --md5 --sha256 --contact-name 'Infogérance Ouest' --external-description \
    "$(printf 'A long description that bagit-python folds over several lines because it is longer than seventy-nine characters.')" \
    "$work/bag" >/dev/null 2>&1
for file in bagit.txt bag-info.txt manifest-md5.txt manifest-sha256.txt tagmanifest-sha256.txt; do
    cp "$work/bag/$file" "$seeds/tagfiles/$file"
done
iconv -f UTF-8 -t ISO-8859-1 "$work/bag/bag-info.txt" > "$seeds/tagfiles/bag-info-latin1.txt"
iconv -f UTF-8 -t UTF-16 "$work/bag/manifest-sha256.txt" > "$seeds/tagfiles/manifest-utf16.txt"
printf 'https://example.org/a.bin 1024 data/a.bin\nhttps://example.org/b%%20c.bin - data/b%%20c.bin\n' > "$seeds/tagfiles/fetch.txt"
printf 'BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-16\r\n' > "$seeds/tagfiles/bagit-crlf.txt"

# --- bundle: that bag serialized by bsdtar, and small bundles made by handover ---------------
(cd "$work" && mv bag acme-bag && bsdtar -cf "$seeds/bundle/bagit.tar" acme-bag \
    && bsdtar --format zip -cf "$seeds/bundle/bagit.zip" acme-bag \
    && bsdtar -czf "$seeds/bundle/bagit.tar.gz" acme-bag)
ssh-keygen -q -t ed25519 -N '' -C fuzz -f "$work/id_ed25519"
cat > "$work/tsa.cnf" <<EOF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = $work
serial = \$dir/serial
signer_cert = \$dir/tsa.pem
certs = \$dir/tsa.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ess_cert_id_alg = sha256
ordering = yes
tsa_name = yes
[ tsa_ext ]
extendedKeyUsage = critical,timeStamping
EOF
echo 01 > "$work/serial"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/tsa.key" -out "$work/tsa.pem" -days 30 \
    -subj "/CN=Handover Fuzz TSA" -addext "extendedKeyUsage=critical,timeStamping" 2>/dev/null
# (Only when the bundle target was built: `run.sh SECONDS zip` builds the zip target alone.)
if [ -x "$fuzzers/bundle" ]; then
    ASAN_OPTIONS=detect_leaks=0 HANDOVER_FUZZ_WRITE_SEEDS="$seeds/bundle" HANDOVER_FUZZ_SSH_KEY="$work/id_ed25519" \
        HANDOVER_FUZZ_TSA_CONFIG="$work/tsa.cnf" "$fuzzers/bundle" >/dev/null
else
    echo "seeds: $fuzzers/bundle not built: no bundles made by handover among the seeds"
fi

# --- zip: zips by bsdtar (classic and zip64), by Python's zipfile, and those handover built -------
(cd "$work" && bsdtar --format zip -cf "$seeds/zip/bsdtar.zip" acme-bag \
    && bsdtar --format zip --options zip:zip64 -cf "$seeds/zip/bsdtar-zip64.zip" acme-bag \
    && bsdtar --format zip --options zip:compression=store -cf "$seeds/zip/bsdtar-stored.zip" acme-bag \
    && python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk("acme-bag"):
        z.write(root, root + "/")
        for name in files: z.write(os.path.join(root, name))
    z.writestr("acme-bag/data/Proc\u00e9dure.txt", "nfc\n")
    z.comment = b"a comment"' "$seeds/zip/python.zip")
find "$seeds/bundle" -name "*.zip" -exec cp {} "$seeds/zip/" \;

# --- inspector: the sample CSVs and texts, and credentials in the shapes the scanner knows ------
find Samples/acme-export -type f \( -name '*.csv' -o -name '*.txt' -o -name '*.md' \) -size -16k \
    | head -n 40 | while read -r file; do cp "$file" "$seeds/inspector/$(echo "$file" | tr '/ ' '__')"; done
# The credentials are put together here so that no scanner flags this script itself.
begin='-----BEGIN'
printf '%s RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n' "$begin" > "$seeds/inspector/pem.txt"
printf 'note\n%s OPENSSH PRIVATE KEY-----\nb3Bl\n' "$begin" > "$seeds/inspector/openssh.txt"
printf '%s PGP PRIVATE KEY BLOCK-----\n' "$begin" > "$seeds/inspector/pgp.txt"
printf 'aws_access_key_id = %s%s\nGITHUB=%s%s\ntoken: %s%s\nSLACK=%s%s\nkey=%s%s\n' \
    AKIA IOSFODNN7EXAMPLE ghp_ aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3 github_pat_ x1Y_x1Y_x1Y_x1Y_x1Y_x1Y_ \
    xoxb- 1234567890-abcdef AIza Sy_9-Sy_9-Sy_9-Sy_9-Sy_9-Sy_9-Sy_9- > "$seeds/inspector/tokens.txt"
printf 'account;system;Mot de passe;token\nalice;erp;hunter2;\n"bob; the ""admin""";crm;;abc\n' > "$seeds/inspector/passwords.csv"
printf '\xef\xbb\xbfaccount,password\r\n"a\r\nb",x\r\n' > "$seeds/inspector/bom-crlf.csv"

# --- sshsig: signatures by ssh-keygen with each key type, armored and as blobs -----------------
printf 'handover fuzz message\n' > "$work/message"
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521 rsa:2048; do
    type="${spec%%:*}" bits="${spec#*:}"
    ssh-keygen -q -t "$type" ${bits:+-b "$bits"} -N '' -C "fuzz" -f "$work/key-$type$bits"
    ssh-keygen -q -Y sign -n handover -f "$work/key-$type$bits" "$work/message" 2>/dev/null
    cp "$work/message.sig" "$seeds/sshsig/$type$bits.sig"
    grep -v -- '-----' "$work/message.sig" | tr -d '\n' | base64 -d > "$seeds/sshsig/$type$bits.bin"
    rm "$work/message.sig"
done
ssh-keygen -q -Y sign -n file -f "$work/key-ed25519" "$work/message" 2>/dev/null
cp "$work/message.sig" "$seeds/sshsig/other-namespace.sig"

# --- timestamp: responses of `openssl ts` as a TSA (granted, without certificate, refused) -----
openssl ts -query -data "$work/message" -sha256 -cert -out "$work/q1.tsq" 2>/dev/null
openssl ts -reply -queryfile "$work/q1.tsq" -config "$work/tsa.cnf" -out "$seeds/timestamp/granted.tsr" 2>/dev/null
openssl ts -query -data "$work/message" -sha512 -no_nonce -out "$work/q2.tsq" 2>/dev/null
openssl ts -reply -queryfile "$work/q2.tsq" -config "$work/tsa.cnf" -out "$seeds/timestamp/no-cert.tsr" 2>/dev/null
sed 's/^digests = .*/digests = sha512/' "$work/tsa.cnf" > "$work/tsa-reject.cnf"
openssl ts -reply -queryfile "$work/q1.tsq" -config "$work/tsa-reject.cnf" -out "$seeds/timestamp/refused.tsr" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/tsa.key" 2>/dev/null
openssl req -x509 -key "$work/tsa.key" -out "$work/tsa.pem" -days 30 -subj "/CN=Handover Fuzz EC TSA" \
    -addext "extendedKeyUsage=critical,timeStamping" 2>/dev/null
openssl ts -reply -queryfile "$work/q1.tsq" -config "$work/tsa.cnf" -out "$seeds/timestamp/granted-ec.tsr" 2>/dev/null

# --- age: files encrypted by age to the fuzzing identity, and by handover's encryptor ----------
if [ -x "$fuzzers/age" ]; then
    ASAN_OPTIONS=detect_leaks=0 HANDOVER_FUZZ_WRITE_SEEDS="$seeds/age" "$fuzzers/age" >/dev/null
    recipient="$(cat "$seeds/age/recipient.txt")"
    rm "$seeds/age/recipient.txt"
    other="$(age-keygen 2>/dev/null | grep -o 'age1[0-9a-z]*' | head -n 1)"
    for size in 0 1 1000 65536 65537; do
        head -c "$size" /dev/urandom > "$work/plain"
        age -r "$recipient" -o "$seeds/age/age-$size.age" "$work/plain"
    done
    age -r "$other" -r "$recipient" -o "$seeds/age/two-recipients.age" "$work/message"
    age -a -r "$recipient" -o "$seeds/age/armored.age" "$work/message"
    age -r "$other" -o "$seeds/age/not-for-us.age" "$work/message"
    # SSH stanzas: ssh-ed25519 for the fuzzing identity's SSH key, ssh-rsa for another key.
    if [ -f "$seeds/age/ssh-recipient.pub" ]; then
        age -R "$seeds/age/ssh-recipient.pub" -o "$seeds/age/ssh-ed25519.age" "$work/message"
        age -R "$seeds/age/ssh-recipient.pub" -R "$work/key-rsa2048.pub" -o "$seeds/age/ssh-ed25519-and-rsa.age" "$work/message"
        rm "$seeds/age/ssh-recipient.pub"
    fi
else
    echo "seeds: $fuzzers/age not built: no age files among the seeds"
fi

# --- dictionaries: the words of each format, which random mutation would rarely spell ---------
for word in version handover contract client provider recipient date deliverables id title category \
    required paths min-files formats csv required-columns max-age-days confidential notes true false \
    '**' '{a,b}' '&a' '*a' '<<' '---' '!!str' '[]' '{}'; do printf '"%s"\n' "$word"; done > "$seeds/manifest.dict"
for word in BagIt-Version Tag-File-Character-Encoding UTF-8 UTF-16 ISO-8859-1 Payload-Oxum Bagging-Date \
    Bag-Size data/ '%0A' '%0D' '%25' '\xef\xbb\xbf' '\xfe\xff' '\xff\xfe'; do printf '"%s"\n' "$word"; done > "$seeds/tagfiles.dict"
for word in 'PK\x03\x04' 'PK\x01\x02' 'PK\x05\x06' 'PK\x06\x06' 'PK\x06\x07' 'PK\x07\x08' '\x01\x00' 'up' \
    '\xff\xff\xff\xff' '\x00\x08' '\x08\x00'; do printf '"%s"\n' "$word"; done > "$seeds/zip.dict"
for word in 'age-encryption.org/v1' '-> X25519 ' '---' '\x0a' '-> scrypt ' '-> ssh-ed25519 '; do printf '"%s"\n' "$word"; done > "$seeds/age.dict"

for target in "$seeds"/*/; do target="${target%/}"; echo "seeds: $(basename "$target"): $(ls "$target" | wc -l) files"; done
