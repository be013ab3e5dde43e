#if canImport(Glibc)
    import Glibc
#endif

/// mlci's own initial environment block — the bytes the kernel shows in `/proc/<pid>/environ`
/// to every process of the same user, stages included.
public enum InitialEnvironment {
    /// Overwrites the value of each of `names` in the initial block with zero bytes, after
    /// moving it into a copy of its own (`setenv`), so mlci still reads it and a stage reading
    /// `/proc/$PPID/environ` (or any ancestor that is mlci) finds nothing. Called first thing in
    /// `main`, before any thread or child exists. The environment of whatever started mlci (the
    /// CI job's shell) is not mlci's to change: see docs/security.md on the signature key.
    public static func scrub(_ names: [String]) {
        #if os(Linux)
            var entry = environ
            var found: [(name: String, value: String, bytes: UnsafeMutablePointer<CChar>, count: Int)] = []
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                for name in names where text.hasPrefix(name + "=") {
                    let valueStart = pointer + name.utf8.count + 1
                    found.append((name, String(text.dropFirst(name.count + 1)), valueStart, strlen(valueStart)))
                }
                entry += 1
            }
            for item in found {
                // setenv copies the value and repoints environ at the copy; the old bytes are then
                // no longer referenced and can be cleared.
                setenv(item.name, item.value, 1)
                memset(item.bytes, 0, item.count)
            }
        #endif
    }
}
