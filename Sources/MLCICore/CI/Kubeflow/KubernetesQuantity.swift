/// The resource strings a Kubeflow task may carry, as kfp's compiler accepts them (a subset of
/// what Kubernetes accepts, so what passes here passes there), and their numeric values as the
/// compiler writes them beside the strings (`cpuLimit`, `memoryLimit` in GB).
enum KubernetesQuantity {
    /// `2`, `0.5`, `500m` (kfp: `([0-9]*[.])?[0-9]+m?`, not zero).
    static func isCPU(_ text: String) -> Bool { cpuValue(text).map { $0 > 0 } ?? false }

    /// Cores.
    static func cpuValue(_ text: String) -> Double? {
        let number = text.hasSuffix("m") ? String(text.dropLast()) : text
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            number.filter({ $0 == "." }).count <= 1, !number.hasSuffix("."), let value = Double(number)
        else { return nil }
        if text.hasSuffix("m") && number.contains(".") { return nil }
        return text.hasSuffix("m") ? value / 1000 : value
    }

    static let memoryUnits: [(suffix: String, bytes: Double)] = [
        ("Ei", 1_152_921_504_606_846_976), ("Pi", 1_125_899_906_842_624), ("Ti", 1_099_511_627_776),
        ("Gi", 1_073_741_824), ("Mi", 1_048_576), ("Ki", 1024), ("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9),
        ("M", 1e6), ("K", 1e3),
    ]

    /// A whole number of bytes with an optional unit (kfp: `[0-9]+(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki)?`).
    static func isMemory(_ text: String) -> Bool { memoryGB(text).map { $0 > 0 } ?? false }

    /// Gigabytes (10^9 bytes), as kfp's compiler computes them.
    static func memoryGB(_ text: String) -> Double? {
        let unit = memoryUnits.first { text.hasSuffix($0.suffix) }
        let number = unit.map { String(text.dropLast($0.suffix.count)) } ?? text
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Double(number) else {
            return nil
        }
        return value * (unit?.bytes ?? 1) / 1e9
    }
}
