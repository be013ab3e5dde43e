import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file mapped read-only into memory, owned by this object: the mapping lives exactly as
/// long as it does, so a pointer into `bytes` is valid while the object is held (unlike a
/// pointer taken inside `Data.withUnsafeBytes`, which is valid only inside the closure).
final class MappedFile {
    let bytes: UnsafeRawBufferPointer

    /// nil when the file cannot be opened or mapped (or is empty: nothing to map).
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    var count: Int { bytes.count }

    /// The byte at `offset`, which must be in range.
    subscript(offset: Int) -> UInt8 { bytes[offset] }

    /// A big-endian 32-bit word at `offset`; the caller has checked that 4 bytes are there.
    func uint32(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) }
}
