import MLCICore

/// libFuzzer target: mlci.yml, as the config loader reads it from a pull request.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ConfigLoader().load(bytes: bytes)
    return 0
}
