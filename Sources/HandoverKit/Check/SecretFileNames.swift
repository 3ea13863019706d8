/// Files that hold credentials whatever their content looks like, known by their extension:
/// key stores and password databases are binary, and encrypted, but handing one over hands
/// over every secret it holds to whoever learns its password.
enum SecretFileNames {
    static func kind(fileName: String) -> String? {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        switch ext {
        case "pfx", "p12": return "a PKCS#12 key store (.\(ext))"
        case "kdbx", "kdb": return "a KeePass password database (.\(ext))"
        case "psafe3": return "a Password Safe database (.psafe3)"
        case "keytab": return "a Kerberos keytab (.keytab)"
        case "jks", "keystore": return "a Java key store"
        case "ppk": return "a PuTTY private key (.ppk)"
        default: return nil
        }
    }
}
