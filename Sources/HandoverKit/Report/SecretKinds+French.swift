extension SecretKinds {
    /// Les types de secrets, en français, par code (voir `SecretKinds.english`).
    static let french: [String: String] = [
        "openssh-private-key": "une clé privée OpenSSH",
        "pgp-private-key": "une clé privée PGP",
        "pem-private-key": "une clé privée (PEM)",
        "base64-private-key": "une clé privée encodée en base64",
        "putty-private-key": "une clé privée PuTTY",
        "putty-private-key-file": "une clé privée PuTTY (.ppk)",
        "pkcs12-key-store": "un magasin de clés PKCS#12 (.{value})",
        "keepass-database": "une base de mots de passe KeePass (.{value})",
        "password-safe-database": "une base de mots de passe Password Safe (.psafe3)",
        "kerberos-keytab": "une table de clés Kerberos (.keytab)",
        "java-key-store": "un magasin de clés Java",
        "aws-access-key-id": "un identifiant de clé d'accès AWS",
        "aws-secret-access-key": "une clé d'accès secrète AWS",
        "google-api-key": "une clé d'API Google",
        "github-token": "un jeton GitHub",
        "slack-token": "un jeton Slack",
        "stripe-live-secret-key": "une clé secrète Stripe de production",
        "json-web-token": "un jeton JWT",
        "slack-webhook": "une URL de webhook Slack",
        "discord-webhook": "une URL de webhook Discord",
        "teams-webhook": "une URL de webhook Microsoft Teams",
        "setting-password": "un mot de passe ou un secret dans le paramètre « {value} »",
        "password-column-value": "une valeur dans une colonne de mots de passe ou de secrets",
        "snmp-community": "une communauté SNMP",
        "fortinet-pre-shared-key": "une clé prépartagée Fortinet",
        "fortinet-password": "un mot de passe Fortinet (ENC)",
        "cisco-password-hash": "une empreinte de mot de passe Cisco (secret 4/5/8/9)",
        "cisco-type7-password": "un mot de passe Cisco de type 7 (réversible)",
        "device-plain-password": "un mot de passe en clair dans une configuration d'équipement",
        "tacacs-radius-key": "une clé partagée TACACS+ ou RADIUS",
        "in-column": " dans la colonne « {value} »",
        "in-part": " dans sa partie {value}",
        "at-cell": " dans la cellule {value}",
        "at-line": " à la ligne {value}",
    ]

    /// Each language's table of kinds.
    static let tables: [ReportLanguage: [String: String]] = [.en: english, .fr: french]
}
