import HandoverKit

/// How the command line words a library error's remedy: the flag that gets past it. The
/// library says which remedy applies (`Remedy`), never a flag; this is where flags are named.
enum Remedies {
    static func advice(_ remedy: Remedy) -> String {
        switch remedy {
        case .replaceOutput: "or pass --force to replace it"
        case .writeIntoFolder: "or pass --force to write into it (files of the same name are replaced)"
        case .buildDraft: "or pass --allow-incomplete to build a draft"
        case .recordIncomplete: "or pass --allow-incomplete to record them as missing in the bundle"
        case .giveRecipients: "add --recipient age1... (repeatable) or --recipients-file FILE"
        case .checkStatement(let kind): "check it with 'handover \(kind == .receipt ? "receipt" : "certify") --check'"
        case .startFromTemplate: "start from a template: handover init --template minimal"
        case .giveManifest: "To check an export folder, give its manifest: handover missing --manifest FILE SOURCE"
        case .finishShard: "run that shard again with the same --shard K/N and --resume STATE, then merge"
        case .packPayload: "build with --payload local (the default), which packs it into the bundle"
        }
    }

    /// The message of `error`, with its remedy, when it has one, in the command line's words.
    static func message(_ error: any HandoverError) -> String {
        if let error = error as? any RemediableError { return error.message(advice: error.remedy.map(advice)) }
        return error.errorDescription ?? "\(error)"
    }
}
