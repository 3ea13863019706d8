extension ProblemSentences {
    /// Les anomalies en français, par code. Les codes des constats BagIt (`BagIssue.Code`) les
    /// plus fréquents y figurent aussi ; un code absent est montré en anglais, signalé comme tel.
    static let french: [String: String] = [
        "no-file-matches": "aucun fichier ne correspond à {globs}",
        "optional-absent": "facultatif, et aucun fichier ne correspond à {globs}",
        "too-few-files": "{found} {found|fichier trouvé|fichiers trouvés} ; il en faut au moins {minimum}",
        "format-not-allowed": "le format .{format} n'est pas admis ici (formats attendus : {expected})",
        "extension-missing": "un fichier sans extension n'est pas admis ici (formats attendus : {expected})",
        "attestation-document-absent": "non attesté : aucun document signé ne correspond à {globs}",
        "attestation-statement-absent": "non attesté : la déclaration du prestataire est attendue dans {path} (un fichier texte de SOURCE, emballé et couvert par la signature de l'archive)",
        "empty-file": "le fichier est vide",
        "csv-no-header": "pas de ligne d'en-tête ; colonnes attendues : {expected}",
        "csv-missing-columns": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans l'en-tête (colonnes trouvées : {found})",
        "csv-missing-columns-in-row": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans l'en-tête (ligne {row} : {found})",
        "csv-missing-columns-in-row-hint": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans l'en-tête (ligne {row} : {found}) ; les colonnes sont à la ligne {better} : écrivez csv.header-row: {better}",
        "csv-missing-columns-in-row-read-as": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans l'en-tête (ligne {row}, lue en {encoding} : {found})",
        "csv-missing-columns-in-row-read-as-hint": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans l'en-tête (ligne {row}, lue en {encoding} : {found}) ; les colonnes sont à la ligne {better} : écrivez csv.header-row: {better}",
        "csv-read-as-guessed": "lu en {encoding} (ce n'est pas de l'UTF-8 et le fichier n'a pas de marque d'ordre des octets ; s'il s'agit d'une autre page de codes, indiquez-la avec csv.encoding)",
        "csv-read-as-told": "lu en {encoding}, comme l'indique csv.encoding ({told}) : ce n'est pas de l'UTF-8 et le fichier n'a pas de marque d'ordre des octets",
        "too-old": "le fichier le plus récent date de {age} {age|jour|jours} à la date de remise ; {maximum} {maximum|jour|jours} au plus sont admis",
        "too-old-today": "le fichier le plus récent date de {age} {age|jour|jours} ; {maximum} {maximum|jour|jours} au plus sont admis",
        "secret-found": "contient un secret ({finding}) ; retirez-le, déclarez le livrable confidentiel, inscrivez le fichier sous allow-secrets dans le manifeste une fois vérifié, ou passez --allow-secrets",
        "secret-allowed": "contient un secret ({finding}), admis par {allowed-by}",
        "secrets-not-listed": "contient encore {count} {count|secret non listé|secrets non listés}",
        "symbolic-link": "est un lien symbolique vers {target}, qui n'est jamais suivi ; placez le fichier lui-même dans le dossier source",
        "not-regular-file": "n'est pas un fichier ordinaire ({kind}) ; l'archive ne contient que des fichiers ordinaires",
        "archive-checksum-mismatch": "L'empreinte SHA-256 de l'archive est {sha256}, mais {sidecar} indique {expected} : ce fichier n'est pas celui qui a été constitué, ou le fichier .sha256 se rapporte à un autre fichier.",
        "archive-checksum-missing": "L'empreinte SHA-256 de l'archive est {sha256}, mais {sidecar} n'en contient aucune : ce fichier n'est pas celui qui a été constitué, ou le fichier .sha256 se rapporte à un autre fichier.",

        // Constats sur l'archive reçue
        "checksum-mismatch": "le contenu a changé depuis la constitution de l'archive : son empreinte ne correspond plus à celle inscrite",
        "file-missing": "inscrit dans la liste des empreintes, mais absent de l'archive",
        "file-unlisted": "présent dans l'archive, mais inscrit dans aucune liste d'empreintes",
        "entry-unlisted": "présent dans l'archive, mais couvert par aucune liste d'empreintes signée",
        "payload-oxum-mismatch": "le nombre de fichiers ou d'octets du contenu ne correspond pas à celui déclaré dans bag-info.txt",
        "entry-not-regular": "n'est pas un fichier ordinaire",
        "entry-repeated": "figure deux fois dans l'archive",
        "bag-holey": "des fichiers restent à télécharger (fetch.txt) : l'archive est incomplète tant qu'ils ne sont pas vérifiés",
    ]
}
