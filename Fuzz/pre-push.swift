import MLCICore

/// libFuzzer target: what git writes to the pre-push hook's standard input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let refs = try? PushedRef.parse(text) {
        for ref in refs { _ = (ref.isDeletion, ref.remoteIsNew) }
    }
    return 0
}
