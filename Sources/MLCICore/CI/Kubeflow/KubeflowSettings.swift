/// `ci.kubeflow` (top level or a stage's): the container a stage's Kubeflow task runs in.
public struct KubeflowSettings: CIPlatformSettings, Equatable {
    public var image: String?
    /// Kubernetes CPU limit: cores (`2`, `0.5`) or millicores (`500m`), as kfp accepts them.
    public var cpu: String?
    /// Kubernetes memory limit: bytes with an optional unit (`4G`, `512Mi`), as kfp accepts them.
    public var memory: String?
    public var accelerator: Accelerator?
    /// Environment variables of the task, in order.
    public var env: [Variable]?

    public struct Accelerator: Sendable, Equatable {
        public let type: String
        public let count: Int
    }

    public struct Variable: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    static let keys = ["image", "cpu", "memory", "accelerator", "env"]

    public func overridden(by override: KubeflowSettings) -> KubeflowSettings {
        var merged = self
        if let v = override.image { merged.image = v }
        if let v = override.cpu { merged.cpu = v }
        if let v = override.memory { merged.memory = v }
        if let v = override.accelerator { merged.accelerator = v }
        if let v = override.env { merged.env = v }
        return merged
    }

    init() {}

    /// Decodes `ci.kubeflow`, reporting each problem at its place.
    init(_ mapping: ConfigMapping) {
        for entry in mapping.entries {
            switch entry.key {
            case "image": image = entry.string(else: "\(entry.what) must be an image name")
            case "cpu":
                cpu = entry.string(else: "\(entry.what) must be a CPU limit such as 2, 0.5 or 500m")
                if let cpu, !KubernetesQuantity.isCPU(cpu) {
                    entry.error(
                        "\(entry.what): '\(cpu)' is not a CPU limit Kubernetes accepts (such as 2, 0.5 or 500m)")
                }
            case "memory":
                memory = entry.string(else: "\(entry.what) must be a memory limit such as 4G or 512Mi")
                if let memory, !KubernetesQuantity.isMemory(memory) {
                    entry.error(
                        "\(entry.what): '\(memory)' is not a memory limit Kubernetes accepts "
                            + "(a whole number with an optional unit: K, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)")
                }
            case "accelerator": accelerator = Self.accelerator(entry)
            case "env":
                guard let map = entry.mapping() else { continue }
                env = map.entries.compactMap { variable in
                    guard ConfigLoader.isVariableName(variable.key) else {
                        variable.error("\(variable.what): '\(variable.key)' is not a variable name")
                        return nil
                    }
                    guard let value = variable.value.scalar?.string else {
                        variable.error("\(variable.what) must be a string")
                        return nil
                    }
                    return Variable(name: variable.key, value: value)
                }
            default:
                entry.unknownKey(among: Self.keys, in: mapping.what)
            }
        }
    }

    private static func accelerator(_ entry: ConfigEntry) -> Accelerator? {
        guard let map = entry.mapping() else { return nil }
        var type: String?
        var count: Int?
        for field in map.entries {
            switch field.key {
            case "type": type = field.string(else: "\(field.what) must be a resource name such as nvidia.com/gpu")
            case "count":
                if let n = field.value.scalar.flatMap({ Int($0.string) }), n >= 1 {
                    count = n
                } else {
                    field.error("\(field.what) must be a whole number of at least 1")
                }
            default: field.unknownKey(among: ["type", "count"], in: map.what)
            }
        }
        guard let type else {
            entry.error("\(entry.what) needs a type (such as nvidia.com/gpu)")
            return nil
        }
        return Accelerator(type: type, count: count ?? 1)
    }
}

extension CISettings {
    /// The `ci.kubeflow` settings in effect (none set: every default).
    var kubeflow: KubeflowSettings { platform(KubeflowSettings.self) ?? KubeflowSettings() }
}
