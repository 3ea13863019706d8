/// The words of a proposed manifest's comments, one table per language (`init --from --lang`).
/// Sentences that depend on a count come in pairs (one, many), so that each language agrees
/// its nouns and verbs in its own way.
struct ProposalStrings: Sendable {
    typealias Pair = (one: String, many: String)

    /// Whose rules of agreement the pairs follow (French: 0 and 1 are singular).
    let language: ReportLanguage
    let header: String
    let handover: (contract: String, client: String, provider: String, recipient: String)
    /// `{files}` (the count and its noun), `{formats}`.
    let review: String
    let reviewCSV: String
    let reviewNoSharedColumns: String
    /// `{count}`, `{examples}`.
    let reviewSystemFiles: Pair
    /// `{folder}`.
    let notes: String
    /// `{count}`, `{examples}`.
    let looseFiles: Pair
    /// `{count}`.
    let unnamedFolders: Pair
    /// `{folder}`, `{other}`.
    let ambiguousFolder: String
    let noFolders: String
    let file: Pair

    static func forLanguage(_ code: String) -> ProposalStrings { code == "fr" ? french : english }

    static let english = ProposalStrings(
        language: .en,
        header: """
            # A manifest proposed by `handover init --from` from the export {source}.
            # It describes what the export holds, not what the contract requires: go through every
            # deliverable marked `# review` with the contract's reversibility clause open. Set the
            # titles as the contract words them, set `required: false` where it only recommends, add
            # what it asks for and the export lacks, then delete the `# review` lines.
            # Then run: handover missing --manifest THIS_FILE SOURCE
            """,
        handover: ("CTR-0000-000", "Client name", "Outgoing provider name", "Recipient name"),
        review: "# review: {files} in this folder ({formats}); min-files is that count, formats are those seen",
        reviewCSV: "# review: the columns every CSV file here has in its header; keep those the contract requires",
        reviewNoSharedColumns: "# review: the CSV files here share no header; add a csv rule per kind of file if the contract names columns",
        reviewSystemFiles: ("# review: {count} system file here ({examples}) is ignored: never packed, left out of min-files and formats",
                            "# review: {count} system files here ({examples}) are ignored: never packed, left out of min-files and formats"),
        notes: "Proposed from the folder {folder}.",
        looseFiles: ("# Not proposed: {count} file at the top of the export, in no folder ({examples}). Add a deliverable for it if it belongs to the handover.",
                     "# Not proposed: {count} files at the top of the export, in no folder ({examples}). Add a deliverable for them if they belong to the handover."),
        unnamedFolders: ("# Not proposed: {count} top-level folder whose name is not UTF-8; rename it to include it.",
                         "# Not proposed: {count} top-level folders whose names are not UTF-8; rename them to include them."),
        ambiguousFolder: "# Not proposed: the folder \"{folder}\": a glob writes its * ? { } , or \\ as ?, and would select \"{other}\" too; rename one of them to include it.",
        noFolders: "# The export has no folder with files in it: add the deliverables by hand.",
        file: ("file", "files"))

    static let french = ProposalStrings(
        language: .fr,
        header: """
            # Manifeste proposé par `handover init --from` à partir de l'export {source}.
            # Il décrit ce que contient l'export, et non ce qu'exige le contrat : reprenez chaque
            # livrable marqué `# review` avec la clause de réversibilité sous les yeux. Donnez aux
            # titres les mots du contrat, mettez `required: false` à ce qu'il ne fait que recommander,
            # ajoutez ce qu'il exige et que l'export n'a pas, puis supprimez les lignes `# review`.
            # Lancez ensuite : handover missing --manifest CE_FICHIER SOURCE
            """,
        handover: ("CTR-0000-000", "Nom du client", "Nom du prestataire sortant", "Nom du destinataire"),
        review: "# review : {files} dans ce dossier ({formats}) ; min-files reprend ce nombre, formats les formats vus",
        reviewCSV: "# review : les colonnes que chaque fichier CSV d'ici a dans son en-tête ; gardez celles qu'exige le contrat",
        reviewNoSharedColumns: "# review : les fichiers CSV d'ici n'ont aucune colonne en commun ; ajoutez une règle csv par sorte de fichier si le contrat nomme des colonnes",
        reviewSystemFiles: ("# review : {count} fichier système ici ({examples}) est ignoré : jamais empaqueté, il ne compte ni dans min-files ni dans formats",
                            "# review : {count} fichiers système ici ({examples}) sont ignorés : jamais empaquetés, ils ne comptent ni dans min-files ni dans formats"),
        notes: "Proposé à partir du dossier {folder}.",
        looseFiles: ("# Non proposé : {count} fichier à la racine de l'export, hors de tout dossier ({examples}). Ajoutez-lui un livrable s'il fait partie de la remise.",
                     "# Non proposés : {count} fichiers à la racine de l'export, hors de tout dossier ({examples}). Ajoutez-leur un livrable s'ils font partie de la remise."),
        unnamedFolders: ("# Non proposé : {count} dossier de premier niveau dont le nom n'est pas en UTF-8 ; renommez-le pour l'inclure.",
                         "# Non proposés : {count} dossiers de premier niveau dont le nom n'est pas en UTF-8 ; renommez-les pour les inclure."),
        ambiguousFolder: "# Non proposé : le dossier « {folder} » : un motif écrit ses caractères * ? { } , ou \\ sous la forme ?, et sélectionnerait aussi « {other} » ; renommez l'un des deux pour l'inclure.",
        noFolders: "# L'export n'a aucun dossier contenant des fichiers : ajoutez les livrables à la main.",
        file: ("fichier", "fichiers"))

    /// "1 file", "12 files".
    func count(_ number: Int) -> String { "\(number) \(ReportGrammar.isSingular(number, in: language) ? file.one : file.many)" }

    /// The sentence of the pair that agrees with `number`, `{count}` put in.
    func agreeing(_ pair: Pair, _ number: Int) -> String {
        (ReportGrammar.isSingular(number, in: language) ? pair.one : pair.many).replacingOccurrences(of: "{count}", with: String(number))
    }
}
