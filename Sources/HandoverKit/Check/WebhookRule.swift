/// Chat webhook URLs: whoever holds one can post into the team's channel as the integration.
/// Slack (`hooks.slack.com/services/T…/B…/…`), Discord (`discord.com/api/webhooks/<id>/<token>`)
/// and Microsoft Teams (`….webhook.office.com/webhookb2/<guid>@<guid>/IncomingWebhook/…`).
/// Placeholders (`T000/B000/XXXX`) fail the length and entropy checks. `index` is the `h` of
/// `https`; the table tries the rule at the colon after it.
enum WebhookRule {
    static func match(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("https://", at: index) else { return nil }
        let host = index + 8
        if text.hasPrefix("hooks.slack.com/", at: host) { return slack(text, host + 16) }
        for discord: StaticString in ["discord.com/api/webhooks/", "discordapp.com/api/webhooks/",
                                      "ptb.discord.com/api/webhooks/", "canary.discord.com/api/webhooks/"]
        where text.hasPrefix(discord, at: host) {
            return self.discord(text, host + discord.utf8CodeUnitCount)
        }
        let name = text.run(from: host, limit: 64) { ScanText.isAlnum($0) || $0 == UInt8(ascii: "-") }
        if text.hasPrefix(".webhook.office.com/webhookb2/", at: host + name) {
            return teams(text, host + name + 30)
        }
        if text.hasPrefix("outlook.office.com/webhook/", at: host) { return teams(text, host + 27) }
        return nil
    }

    /// `services/T…/B…/<secret>` (also `workflows/` and `triggers/`): the secret part counts.
    static func slack(_ text: ScanText, _ start: Int) -> String? {
        var index = start
        for path: StaticString in ["services/", "workflows/", "triggers/"] where text.hasPrefix(path, at: index) {
            index += path.utf8CodeUnitCount
            var parts: [[UInt8]] = []
            while parts.count < 4 {
                let length = text.run(from: index, limit: 80, ScanText.isAlnum)
                guard length > 0 else { break }
                parts.append(text.slice(index, length))
                index += length
                guard text[index] == UInt8(ascii: "/") else { break }
                index += 1
            }
            guard parts.count >= 3, let secret = parts.last, secret.count >= 20, SecretMeasure.entropy(secret) >= 3.5 else { return nil }
            return "a Slack webhook URL"
        }
        return nil
    }

    /// `<numeric id>/<token of 60 or more characters>`.
    static func discord(_ text: ScanText, _ start: Int) -> String? {
        let id = text.run(from: start, limit: 21, ScanText.isDigit)
        guard id >= 17, text[start + id] == UInt8(ascii: "/") else { return nil }
        let token = text.run(from: start + id + 1, limit: 100, ScanText.isBase64URL)
        guard token >= 60, SecretMeasure.entropy(text.slice(start + id + 1, token)) >= 4 else { return nil }
        return "a Discord webhook URL"
    }

    /// `<guid>@<guid>/IncomingWebhook/<32 hex>/<guid>`; the tenant and channel ids alone are
    /// not secret, the hex part is.
    static func teams(_ text: ScanText, _ start: Int) -> String? {
        let isGUID: (UInt8) -> Bool = { ScanText.isHex($0) || $0 == UInt8(ascii: "-") }
        let group = text.run(from: start, limit: 40, isGUID)
        guard group >= 32, text[start + group] == UInt8(ascii: "@") else { return nil }
        let tenantStart = start + group + 1
        let tenant = text.run(from: tenantStart, limit: 40, isGUID)
        guard tenant >= 32, text.hasPrefix("/IncomingWebhook/", at: tenantStart + tenant) else { return nil }
        let secretStart = tenantStart + tenant + 17
        let secret = text.run(from: secretStart, limit: 40, ScanText.isHex)
        guard secret >= 32, SecretMeasure.entropy(text.slice(secretStart, secret)) >= 3 else { return nil }
        return "a Microsoft Teams webhook URL"
    }
}
