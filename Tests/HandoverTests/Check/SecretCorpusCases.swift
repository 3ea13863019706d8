import Foundation

extension CorpusTools {
    /// Credentials left in an export, one kind per file, each with where it must be reported.
    func positives() throws -> [CorpusCase] {
        var cases: [CorpusCase] = []
        let ed25519 = try sshKey("ed25519")
        let rsaPEM = try sshKey("rsa", pem: true)
        let ec = try opensslKey()
        let encrypted = try opensslKey(encrypted: true)
        cases.append(.positive("keys/id_ed25519", ed25519, kind: "an OpenSSH private key", line: 1, secret: keyBodyLine(ed25519)))
        cases.append(.positive("keys/id_rsa", rsaPEM, kind: "a private key (PEM)", line: 1, secret: keyBodyLine(rsaPEM)))
        cases.append(.positive("keys/ec.pem", ec, kind: "a private key (PEM)", line: 1, secret: keyBodyLine(ec)))
        cases.append(.positive("keys/encrypted.pem", encrypted, kind: "a private key (PEM)", line: 1, secret: keyBodyLine(encrypted)))
        cases.append(CorpusCase(path: "keys/id_ed25519-utf16le.txt", contents: Fake.utf16("Key of srv-backup:\r\n" + ed25519, bigEndian: false),
                                kind: "an OpenSSH private key", location: "at line 2", secret: nil))
        cases.append(CorpusCase(path: "keys/id_ed25519-utf16be.txt", contents: Fake.utf16(ed25519, bigEndian: true),
                                kind: "an OpenSSH private key", location: "at line 1", secret: nil))
        let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: corpus\nPublic-Lines: 2\n"
            + Fake.string(64, Fake.base64) + "\n" + Fake.string(4, Fake.base64) + "\nPrivate-Lines: 1\n" + Fake.string(44, Fake.base64) + "\n"
        cases.append(.positive("keys/putty-admin.txt", putty, kind: "a PuTTY private key", line: 1, secret: nil))
        cases.append(.positive("keys/admin.ppk", putty, kind: "a PuTTY private key (.ppk)", line: nil, secret: nil))
        let binary = Data([0x05, 0x02, 0x00, 0x00, 0x00, 0x3C]) + Data(Fake.string(48).utf8)
        for (path, kind) in [("stores/http.keytab", "a Kerberos keytab (.keytab)"), ("stores/legacy.kdb", "a KeePass password database (.kdb)"),
                             ("stores/team.psafe3", "a Password Safe database (.psafe3)"), ("stores/vpn.p12", "a PKCS#12 key store (.p12)"),
                             ("stores/vault.kdbx", "a KeePass password database (.kdbx)")] {
            cases.append(CorpusCase(path: path, contents: binary, kind: kind, location: nil, secret: nil))
        }
        let ecBase64 = Data(ec.utf8).base64EncodedString()
        cases.append(.positive("k8s/tls-secret.yaml", "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.key: \(ecBase64)\n",
                               kind: "a base64-encoded private key", line: 5, secret: String(ecBase64.suffix(40))))
        let wrapped = Data(ed25519.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        cases.append(.positive("ci/deploy-key.b64", wrapped + "\n", kind: "a base64-encoded private key", line: 1, secret: nil))
        let escapedKey = ec.replacingOccurrences(of: "\n", with: "\\n")
        cases.append(.positive("gcp/service-account.json", "{\n  \"type\": \"service_account\",\n  \"private_key_id\": \"\(Fake.string(40, Fake.hex))\",\n  \"private_key\": \"\(escapedKey)\"\n}\n",
                               kind: "a private key (PEM)", line: 4, secret: keyBodyLine(ec)))
        let passwords = (0..<8).map { _ in Fake.password() }
        cases.append(.positive("app/.env", "APP_ENV=production\nDB_PASSWORD=\(passwords[0])\n", kind: "setting 'DB_PASSWORD'", line: 2, secret: passwords[0]))
        cases.append(.positive("app/config.ini", "[database]\nhost = db01\npassword = \(passwords[1])\n", kind: "setting 'password'", line: 3, secret: passwords[1]))
        cases.append(.positive("app/application.yml", "spring:\n  datasource:\n    username: app\n    password: \"\(passwords[2])\"\n",
                               kind: "setting 'password'", line: 4, secret: passwords[2]))
        cases.append(.positive("app/web.config", "<configuration>\n  <ldap server=\"dc01\" bindUser=\"svc\" bindPassword=\"\(passwords[3])\" />\n</configuration>\n",
                               kind: "setting 'bindPassword'", line: 2, secret: passwords[3]))
        cases.append(.positive("app/settings.xml", "<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <password>\(passwords[4])</password>\n",
                               kind: "setting 'password'", line: 5, secret: passwords[4]))
        cases.append(.positive("app/app.properties", "spring.datasource.url=jdbc:postgresql://db01/app\nspring.datasource.password=\(passwords[5])\n",
                               kind: "setting 'spring.datasource.password'", line: 2, secret: passwords[5]))
        cases.append(.positive("app/secrets.json", "{\n  \"client_id\": \"backup\",\n  \"client_secret\": \"\(passwords[6])\"\n}\n",
                               kind: "setting 'client_secret'", line: 3, secret: passwords[6]))
        cases.append(.positive("fr/parametres.env", "# Paramètres\nMOT_DE_PASSE=\(passwords[7])\n", kind: "setting 'MOT_DE_PASSE'", line: 2, secret: passwords[7]))
        let awsSecret = Fake.string(40, Fake.base64)
        cases.append(.positive("aws/credentials", "[default]\naws_access_key_id = AKIA\(Fake.string(16, Fake.upper + Fake.digits))\naws_secret_access_key = \(awsSecret)\n",
                               kind: "an AWS secret access key", line: 3, secret: awsSecret))
        let keyID = "AKIA" + Fake.string(16, Fake.upper + Fake.digits)
        cases.append(.positive("aws/backup-user.md", "# Backup user\n\nKey id: `\(keyID)`\n", kind: "an AWS access key id", line: 3, secret: keyID))
        let jwt = Fake.jwt()
        cases.append(.positive("auth/session.txt", "curl -H 'Authorization: Bearer \(jwt)' https://api.example.invalid/\n", kind: "a JSON Web Token", line: 1, secret: jwt))
        let stripe = "sk_live_" + Fake.string(24)
        cases.append(.positive("billing/stripe.env", "STRIPE_SECRET_KEY=\(stripe)\n", kind: "a Stripe live secret key", line: 1, secret: stripe))
        let restricted = "rk_live_" + Fake.string(24)
        cases.append(.positive("billing/readonly.txt", "reporting key: \(restricted)\n", kind: "a Stripe live secret key", line: 1, secret: restricted))
        let slackToken = "xoxb-" + Fake.string(12, Fake.digits) + "-" + Fake.string(13, Fake.digits) + "-" + Fake.string(24)
        cases.append(.positive("chat/bot.yml", "bot:\n  token: \(slackToken)\n", kind: "a Slack token", line: 2, secret: slackToken))
        let slackHook = "https://hooks.slack.com/services/T\(Fake.string(10, Fake.upper + Fake.digits))/B\(Fake.string(10, Fake.upper + Fake.digits))/\(Fake.string(24))"
        cases.append(.positive("chat/alert.sh", "#!/bin/sh\ncurl -X POST -d @- \(slackHook)\n", kind: "a Slack webhook URL", line: 2, secret: slackHook))
        let discordHook = "https://discord.com/api/webhooks/\(Fake.string(19, Fake.digits))/\(Fake.string(68, Fake.base64URL))"
        cases.append(.positive("chat/discord.txt", "alerts -> \(discordHook)\n", kind: "a Discord webhook URL", line: 1, secret: discordHook))
        let teamsHook = "https://acme.webhook.office.com/webhookb2/\(Fake.guid())@\(Fake.guid())/IncomingWebhook/\(Fake.string(32, Fake.hex))/\(Fake.guid())"
        cases.append(.positive("chat/teams.json", "{\n  \"url\": \"\(teamsHook)\"\n}\n", kind: "a Microsoft Teams webhook URL", line: 2, secret: teamsHook))
        let github = "ghp_" + Fake.string(36)
        cases.append(.positive("dev/ci.txt", "clone with \(github)\n", kind: "a GitHub token", line: 1, secret: github))
        let google = "AIza" + Fake.string(35, Fake.base64URL)
        cases.append(.positive("maps/map.js", "const mapsKey = \"\(google)\";\n", kind: "a Google API key", line: 1, secret: google))
        cases.append(CorpusCase(path: "docs/procedure.docx",
                                contents: try officeDocument("procedure.docx", parts: [
                                    "[Content_Types].xml": "<?xml version=\"1.0\"?><Types/>",
                                    "word/document.xml": wordDocument(["Restore procedure", "Use this key:"] + ec.split(separator: "\n").map(String.init)),
                                ]),
                                kind: "a private key (PEM)", location: "in its part word/document.xml", secret: keyBodyLine(ec)))
        let cells = ed25519.split(separator: "\n").map { "<si><t>\($0)</t></si>" }.joined()
        cases.append(CorpusCase(path: "docs/inventory.xlsx",
                                contents: try officeDocument("inventory.xlsx", parts: [
                                    "[Content_Types].xml": "<?xml version=\"1.0\"?><Types/>",
                                    "xl/sharedStrings.xml": "<?xml version=\"1.0\"?><sst><si><t>host</t></si>\(cells)</sst>",
                                ]),
                                kind: "an OpenSSH private key", location: "in its part xl/sharedStrings.xml", secret: keyBodyLine(ed25519)))
        let hash9 = "$9$" + Fake.string(14, Fake.base64) + "$" + Fake.string(43, Fake.base64)
        cases.append(.positive("network/core-sw01.cfg", "hostname core-sw01\n!\nenable secret 9 \(hash9)\n!\n", kind: "a Cisco password hash", line: 3, secret: hash9))
        let hash5 = "$1$" + Fake.string(4) + "$" + Fake.string(22, Fake.base64)
        cases.append(.positive("network/access-sw02.cfg", "hostname access-sw02\nusername netadmin privilege 15 secret 5 \(hash5)\n",
                               kind: "a Cisco password hash", line: 2, secret: hash5))
        let type7 = Fake.string(12, "0123456789ABCDEF")
        cases.append(.positive("network/edge-rtr.cfg", "line vty 0 4\n password 7 \(type7)\n login\n", kind: "a Cisco type 7 password", line: 2, secret: type7))
        let community = Fake.string(12)
        cases.append(.positive("network/snmp.cfg", "snmp-server location DC1\nsnmp-server community \(community) RO 10\n",
                               kind: "an SNMP community string", line: 2, secret: community))
        let psk = Fake.string(60, Fake.base64)
        cases.append(.positive("network/fortigate.conf", "config vpn ipsec phase1-interface\n    edit \"to-dc2\"\n        set psksecret ENC \(psk)\n    next\nend\n",
                               kind: "a Fortinet pre-shared key", line: 3, secret: psk))
        let csvPassword = Fake.password()
        cases.append(.positive("access/accounts.csv", "account;system;Mot de passe\nalice;erp;\(csvPassword)\n",
                               kind: "password or secret column", line: 2, secret: csvPassword))
        return cases
    }

    /// Files that talk about credentials, or look like them, and hold none.
    func negatives() throws -> [CorpusCase] {
        var cases: [CorpusCase] = []
        _ = try sshKey("ed25519")
        _ = try opensslKey()
        let certificate = try certificate()
        cases.append(.negative("ad/users.csv", """
            SamAccountName;Enabled;PasswordLastSet;PasswordNeverExpires;LastLogonDate
            alice;True;2026-10-02 09:14:00;False;2026-12-01
            svc-backup;True;2024-01-15 18:00:00;True;2026-12-01

            """))
        cases.append(.negative("iam/settings.csv", "system,password_policy,token_lifetime_days,mfa\nerp,min 12 chars,30,yes\ncrm,AD default,7,no\n"))
        cases.append(.negative("fr/comptes.csv", "Compte;Mot de passe expiré;Dernier changement de mot de passe\nalice;non;2026-10-02\n"))
        cases.append(.negative("docs/runbook.md", """
            # Renewing the TLS certificate

            The key file starts with `-----BEGIN PRIVATE KEY-----` and must stay on the server.
            A key looks like this:

                -----BEGIN PRIVATE KEY-----
                ...
                -----END PRIVATE KEY-----

            Never paste the -----BEGIN RSA PRIVATE KEY----- block in a ticket.

            """))
        cases.append(.negative("keys/id_ed25519.pub", try publicKey("ed25519")))
        cases.append(.negative("pki/ca.crt", certificate))
        cases.append(.negative("k8s/ca-bundle.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  ca.crt: \(Data(certificate.utf8).base64EncodedString())\n"))
        cases.append(.negative("app/.env.example", """
            DB_PASSWORD=${DB_PASSWORD}
            API_TOKEN=changeme
            SECRET_KEY=
            SMTP_PASS=<your-password>
            REDIS_PASSWORD="{{ vault_redis_password }}"
            LDAP_PASSWORD=********

            """))
        cases.append(.negative("app/security.yml", """
            security:
              password_policy: strict
              password_min_length: 12
              token_lifetime_days: 30
              PasswordNeverExpires: false
              secretName: tls-acme
              password: !vault |
                $ANSIBLE_VAULT;1.1;AES256

            """))
        cases.append(.negative("app/ad-settings.xml", """
            <user>
              <PasswordNeverExpires>true</PasswordNeverExpires>
              <passwordPolicy>Default Domain Policy</passwordPolicy>
              <password xsi:nil="true"/>
              <tokenLifetime>3600</tokenLifetime>
            </user>

            """))
        cases.append(.negative("billing/test.env", "STRIPE_KEY=sk_test_\(Fake.string(24))\nSTRIPE_PUBLISHABLE=pk_live_\(Fake.string(24))\n"))
        cases.append(.negative("docs/api.md", "Send `Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9` followed by the payload and signature.\n"))
        cases.append(.negative("docs/slack.md", "Webhook format: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\nSee https://discord.com/api/webhooks for Discord.\n"))
        cases.append(.negative("network/template.cfg", """
            service password-encryption
            enable secret 9 <hash>
            no snmp-server community
            snmp-server community <COMMUNITY> RO
            username admin privilege 15 secret <secret>
            ! password 7 is reversible: never use it

            """))
        cases.append(.negative("network/fortigate-clean.conf", "config system admin\n    edit \"admin\"\n        unset psksecret\n        set password-policy enable\n    next\nend\n"))
        cases.append(.negative("app/login.py", """
            def login(password, expected):
                if password == expected:
                    return True
                password = os.getenv("DB_PASSWORD")
                password = settings.db_password
                token: str = None

            """))
        cases.append(.negative("docs/faq.md", "Password: see the vault entry for this server.\nLe mot de passe : voir le coffre-fort.\nThe token: ask the service desk.\n"))
        cases.append(.negative("aws/README.md", "aws_secret_access_key = <your secret key>\nAn id looks like AKIAIOSFODNN7EXAMPL.\n"))
        cases.append(CorpusCase(path: "docs/notes-utf16.txt", contents: Fake.utf16("Backup notes\r\nThe private key stays in the vault.\r\npassword_policy = strict\r\n", bigEndian: false),
                                kind: nil, location: nil, secret: nil))
        cases.append(CorpusCase(path: "docs/guide.docx",
                                contents: try officeDocument("guide.docx", parts: [
                                    "word/document.xml": wordDocument(["Keys", "The private key is kept in the HSM.", "-----BEGIN PRIVATE KEY----- starts a PEM file."]),
                                ]),
                                kind: nil, location: nil, secret: nil))
        return cases
    }
}
