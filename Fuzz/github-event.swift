@testable import MLCICore

/// libFuzzer target: the GitHub event file (GITHUB_EVENT_PATH) and the fields base
/// resolution reads from it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let payload = try? ParamsFile.parse(bytes, format: .json) {
        for key in ["pull_request.base.sha", "merge_group.base_sha", "before"] {
            _ = payload.lookup(key)?.stringValue
        }
    }
    return 0
}
