import Foundation
import Testing

@testable import MLCICore

@Suite("secret masking and record signing")
struct SecretMaskerTests {
    @Test("SHA-256 and HMAC-SHA256 match the published test vectors (FIPS 180-4, RFC 4231) and Python's hashlib")
    func digests() {
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(SHA256.hash([UInt8](repeating: 0x61, count: 1000)))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // RFC 4231 test case 2.
        #expect(
            SHA256.hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            SHA256.hex(
                SHA256.hmac(key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8)))
                == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
        // A key longer than the block is hashed first.
        #expect(
            SHA256.hex(SHA256.hmac(key: [UInt8](repeating: 0x6b, count: 100), message: Array("message".utf8)))
                == "1c28735416d320163f56f81bdbb83d651eed508d184e6b8b03662740a533293e")
    }

    static let pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
        MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
        -----END PRIVATE KEY-----

        """

    @Test("a multi-line value is masked whole and line by line; a trailing newline does not hide a value")
    func multiLine() {
        let masker = SecretMasker(values: [Self.pem, "tok-with-newline\n", "x"])
        #expect(masker.mask(Self.pem) == "***")
        for line in Self.pem.split(separator: "\n") {
            #expect(masker.mask("got: \(line)!") == "got: ***!", "\(line)")
        }
        #expect(masker.mask("token=tok-with-newline.") == "token=***.")
        // A one-character value is still masked (it was declared), but short lines of a
        // multi-line value are not masked on their own.
        #expect(masker.mask("xyz") == "***yz")
        let json = SecretMasker(values: ["{\n  \"k\": \"private-value\"\n}\n"])
        #expect(json.mask("}") == "}")
        #expect(json.mask("  \"k\": \"private-value\"") == "  ***")
    }

    @Test("a secret straddling the pieces of a long line is masked whole, wherever the line is cut")
    func straddlingPieces() {
        let secret = "s3cr3t-💥-value"
        let masker = SecretMasker(values: [secret, "other"])
        let line = Array(("a" + secret + "bb" + secret + secret + "c other").utf8)
        let expected = masker.mask(String(decoding: line, as: UTF8.self))
        #expect(expected == "a***bb******c ***")
        for first in 0...line.count {
            for second in first...line.count {
                let stream = SecretMasker.Stream(masker)
                var out = ""
                for (piece, ends) in [
                    (Array(line[..<first]), false), (Array(line[first..<second]), false),
                    (Array(line[second...]), true),
                ] {
                    out += stream.feed(piece, endsLine: ends) ?? ""
                }
                #expect(out == expected, "cut at \(first), \(second)")
            }
        }
    }

    @Test("long lines are cut between UTF-8 sequences, never inside one")
    func characterBoundary() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        #expect(ChildProcess.characterBoundary([0x61] + euro) == 4)
        #expect(ChildProcess.characterBoundary([0x61] + euro.prefix(2)) == 1)
        #expect(ChildProcess.characterBoundary([0x61] + euro.prefix(1)) == 1)
        #expect(ChildProcess.characterBoundary([0x61, 0x62]) == 2)
    }
}
