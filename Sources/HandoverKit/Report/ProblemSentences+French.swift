extension ProblemSentences {
    /// Les anomalies en français, par code. Les codes des constats BagIt (`BagIssue.Code`) les
    /// plus fréquents y figurent aussi ; un code absent est montré en anglais, signalé comme tel.
    static let french: [String: String] = [
        "no-file-matches": "aucun fichier ne correspond à {globs}",
        "optional-absent": "facultatif, et aucun fichier ne correspond à {globs}",
        "too-few-files": "{found} {found|fichier trouvé|fichiers trouvés} ; il en faut au moins {minimum}",
        "format-not-allowed": "le format .{format} n'est pas admis ici (formats attendus : {expected})",
        "extension-missing": "un fichier sans extension n'est pas admis ici (formats attendus : {expected})",
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

        // La règle des classeurs (xlsx:)
        "xlsx-not-zip": "n'est pas un classeur Excel : un fichier .xlsx est une archive zip, et celui-ci n'en est pas une (a-t-il été renommé depuis un .csv ou un .xls ?)",
        "xlsx-damaged": "ne peut pas être ouvert comme classeur Excel : sa structure zip est endommagée ; enregistrez-le de nouveau depuis Excel",
        "xlsx-no-workbook-part": "n'est pas un classeur Excel (il ne contient pas de partie xl/workbook.xml)",
        "xlsx-no-such-sheet": "ne contient pas de feuille nommée « {sheet} » (ses feuilles : {sheets}) ; colonnes attendues : {expected}",
        "xlsx-no-sheet": "ne contient aucune feuille ; colonnes attendues : {expected}",
        "xlsx-empty-first-row": "la première ligne de la feuille « {sheet} » est vide ; colonnes attendues : {expected}",
        "xlsx-missing-columns": "{count|la colonne|les colonnes} {missing} {count|manque|manquent} dans la première ligne de la feuille « {sheet} » (colonnes trouvées : {found})",

        // La signature et l'horodatage
        "signature-required": "l'archive n'est pas signée, alors qu'une signature par une clé de confiance était exigée",
        "signature-untrusted-key": "l'archive est signée par la clé {key}, qui ne figure pas parmi les clés de confiance ({source})",
        "signature-no-trusted-key": "l'archive est signée par la clé {key}, mais aucune clé de confiance n'a été fournie pour la reconnaître, alors qu'une signature par une clé de confiance était exigée",
        "signature-unreadable": "la signature ne peut pas être vérifiée : elle est illisible, ou faite avec un type de clé ou un algorithme que handover refuse",
        "signature-invalid": "la signature ne correspond pas au contenu de l'archive : celle-ci a été modifiée après avoir été signée, ou la signature a été faite pour un autre contenu",
        "signature-signer-not-allowed": "la clé qui a signé l'archive n'est pas admise par la liste des signataires autorisés fournie (identité, période de validité ou espace de noms)",
        "timestamp-required": "l'archive n'est pas horodatée, alors qu'un horodatage vérifié était exigé",
        "timestamp-not-verified-required": "l'horodatage n'a pas été vérifié avec le certificat d'une autorité d'horodatage de confiance, alors qu'un horodatage vérifié était exigé",
        "timestamp-format": "l'horodatage est illisible : ce n'est pas une réponse RFC 3161 valide",
        "timestamp-status": "la réponse de l'autorité d'horodatage ne contient aucun jeton d'horodatage",
        "timestamp-imprint": "l'horodatage porte sur un autre contenu que la liste des empreintes de l'archive (tagmanifest-sha256.txt)",
        "timestamp-signature": "la signature du jeton d'horodatage n'est pas valide, ou le certificat de son signataire manque",
        "timestamp-chain": "le jeton d'horodatage a été signé par une autorité dont le certificat ne remonte pas à l'autorité de certification fournie, ou n'était pas valide à cette date",
        "timestamp-timestampingUsage": "le certificat qui a signé le jeton d'horodatage n'est pas réservé à l'horodatage, comme l'exige la RFC 3161",
    ]
}
