/// Sees the payload's bytes as the verifier streams them, so that checks of the content (a CSV's
/// columns, a file's age) ride on the same single reading of the bundle.
///
/// Calls come in order: `beginPayloadFile`, any number of `payloadData`, `endPayloadFile`, for
/// each payload file the verifier reads in its first pass. Files the verifier does not read
/// (unlisted while a manifest was already known, not regular files, repeated entries) are not
/// shown. An error thrown here ends the verification and is rethrown as it is.
package protocol PayloadObserver: AnyObject {
    /// A payload file starts. `path` is relative to `data/` (no `data/` prefix); `size` is the
    /// size the bundle declares, when it declares one; `modified` its modification time, when known.
    func beginPayloadFile(path: [UInt8], size: Int64?, modified: Int64?) throws
    /// The next bytes of the current file. The buffer is only valid during the call.
    func payloadData(_ chunk: UnsafeRawBufferPointer) throws
    /// The current file ends. `complete` is false when the verifier stopped reading it early
    /// because it grew far beyond what the bag promised.
    func endPayloadFile(complete: Bool) throws
    /// bag-info.txt was read in the first pass and promises `octets` bytes of payload
    /// (Payload-Oxum): a progress line's total, known without opening the bundle once more.
    func payloadPromised(_ octets: Int64)
}

extension PayloadObserver {
    package func payloadPromised(_ octets: Int64) {}
}
