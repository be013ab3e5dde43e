import MLCICore

/// libFuzzer target: an mlci.yml pattern (the first line) matched against paths (the other
/// lines, as bytes: a path in git need not be UTF-8).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
    guard let first = lines.first,
        let pattern = PathPattern(String(decoding: first, as: UTF8.self))
    else { return 0 }
    let list = PatternList([pattern])
    for path in lines.dropFirst() {
        let split = SplitPath(Array(path))
        _ = pattern.matches(split)
        _ = list.decidingPattern(split)
    }
    return 0
}
