import MLCICore

/// libFuzzer target: a params file in JSON, read, looked up and serialized as a plan does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let value = try? ParamsFile.parse(bytes, format: .json) {
        _ = value.lookup("train.lr")
        _ = value.bytes()
        _ = value.sameValue(as: value)
    }
    return 0
}
