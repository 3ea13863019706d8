#!/usr/bin/env bash
# A long handover, as a large ticket history or document store gives: 2,000 files in three
# deliverables, in nested folders with long names. Writes DIR/export/ and DIR/handover.yaml.
# Used by Tests/Report/render.sh (the screenshots) and LongReportPrintTests (the printed PV),
# so both look at the same handover.
#
# Usage: Tests/Report/long-handover.sh DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
rm -rf "$dir/export" && mkdir -p "$dir/export/access"
printf 'account;system\nalice;erp\n' > "$dir/export/access/accounts.csv"
for ((month = 0; month < 12; month++)); do
    printf -v folder '%s/export/docs/volume-%02d' "$dir" "$month"; mkdir -p "$folder"
    printf -v folder '%s/export/tickets/2026/%02d' "$dir" $((month + 1)); mkdir -p "$folder"
done
for ((i = 0; i < 1200; i++)); do
    printf -v file '%s/export/docs/volume-%02d/procedure-d-exploitation-%04d.md' "$dir" $((i / 100)) "$i"
    printf '# Procédure %d\n' "$i" > "$file"
done
for ((i = 0; i < 799; i++)); do
    printf -v file '%s/export/tickets/2026/%02d/INC-%06d-incident-sur-le-serveur-de-messagerie.json' "$dir" $((i % 12 + 1)) "$i"
    printf '{"id": %d}\n' "$i" > "$file"
done
cat > "$dir/handover.yaml" <<'YAML'
version: 1
handover:
  contract: CTR-2023-042
  client: Acme SA
  provider: Infogerance Ouest SAS
  recipient: Nouveau Prestataire SAS
  date: 2026-12-31
  language: fr
deliverables:
  - id: access-list
    title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
    category: access
    paths: ["access/*.csv"]
  - id: documentation
    title: {en: Technical documentation, fr: Documentation technique}
    category: documentation
    paths: ["docs/**/*"]
  - id: ticket-history
    title: {en: Ticket history, fr: Historique des tickets}
    category: tickets
    paths: ["tickets/**/*.json"]
YAML
