import Foundation
import MLCITestSupport
import Testing

/// Files mlci reads into memory have a size limit, checked from git's object header before the
/// object is inflated: a hostile pull request cannot make a runner read gigabytes, and a file
/// over the limit is never taken as "unchanged".
@Suite("size limits on files read into memory")
struct FileSizeLimitTests {
    func repo(_ config: String) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("size-limit")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        return repo
    }

    func commit(_ repo: TemporaryDirectory, _ message: String) throws { try repo.commitAll(message) }

    /// `size` bytes of a text that compresses well (git stores it small).
    func big(_ size: Int, line: String) -> Data {
        var data = Data(capacity: size)
        let bytes = Data(line.utf8)
        while data.count + bytes.count <= size { data.append(bytes) }
        return data
    }

    @Test("a params file over 16 MiB exits 2 naming the file and the limit, not unchanged")
    func paramsFile() throws {
        let repo = try repo("version: 1\nstages:\n  train: {run: 'true', params: {params.yaml: [lr]}}\n")
        try "lr: 0.1\n".write(toFile: repo.file("params.yaml"), atomically: false, encoding: .utf8)
        try commit(repo, "root")
        try big((16 << 20) + 4096, line: "k: v\n").write(to: URL(fileURLWithPath: repo.file("params.yaml")))
        try commit(repo, "huge params")
        let result = try MLCIRunner.run(["plan"], in: repo.path)
        #expect(result.status == 2, "\(result.out)\(result.err)")
        #expect(result.err.contains("params.yaml at head") && result.err.contains("16 MiB"), "\(result.err)")
    }

    @Test("a notebook over the read limit on both sides is a code change with a warning, never outputs-only")
    func notebook() throws {
        let repo = try repo("version: 1\nstages:\n  test: {run: 'true', on: ['**/*.ipynb']}\n")
        let cell = #"{"cell_type": "code", "source": ["x = 1"], "outputs": [], "metadata": {}},"#
        func notebook(_ tail: String) -> Data {
            var data = Data(#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ["#.utf8)
            data.append(big((64 << 20) + 4096, line: cell + "\n"))
            data.append(Data((tail + "]}\n").utf8))
            return data
        }
        try notebook(#"{"cell_type": "code", "source": ["y = 1"], "outputs": [], "metadata": {}}"#)
            .write(to: URL(fileURLWithPath: repo.file("nb.ipynb")))
        try commit(repo, "root")
        try notebook(#"{"cell_type": "code", "source": ["y = 2"], "outputs": [], "metadata": {}}"#)
            .write(to: URL(fileURLWithPath: repo.file("nb.ipynb")))
        try commit(repo, "edit a cell")
        let result = try MLCIRunner.run(["plan", "--format", "json"], in: repo.path)
        #expect(result.status == 0, "\(result.err)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(PlanHelpers.affected(plan) == ["test"], "an unread notebook change still triggers")
        #expect(result.err.contains("nb.ipynb") && result.err.contains("64.0 MiB"), "\(result.err)")
    }
}
