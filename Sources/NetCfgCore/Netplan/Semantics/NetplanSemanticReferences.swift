import NetCfgYAML

/// One mention of a definition by another: a VLAN's `link`, a bond member, a veth peer, ...
struct NetplanReference {
  enum Kind: Equatable {
    case vlanLink, sriovLink, vxlanLink, vethPeer
    case member(String)  // the owner's type: bonds, bridges, vrfs
    case primary, pathCost, portPriority
  }

  var owner: NetplanDevice
  var name: String
  var location: SourceLocation
  var kind: Kind
  /// The value written with the reference (path cost, port priority).
  var value: String?
}

extension SemanticContext {
  /// Every reference written, in every file (values a later file replaced included: netplan
  /// resolved those too while reading their file). Found once, in `init`.
  func references() -> [NetplanReference] { allReferences }

  func findReferences() -> [NetplanReference] {
    var out: [NetplanReference] = []
    func scalars(_ device: NetplanDevice, _ node: NetplanNode?, _ kind: NetplanReference.Kind) {
      for c in node?.contributions ?? [] {
        guard let name = c.scalar, !name.isEmpty else { continue }
        out.append(NetplanReference(owner: device, name: name, location: c.location, kind: kind))
      }
    }
    for device in devices {
      switch device.type {
      case "vlans": scalars(device, device[.link], .vlanLink)
      case "ethernets", "nm-devices": scalars(device, device[.link], .sriovLink)
      case "tunnels": scalars(device, device[.link], .vxlanLink)
      case "virtual-ethernets": scalars(device, device[.peer], .vethPeer)
      default: break
      }
      if device.type == "bonds" || device.type == "bridges" || device.type == "vrfs" {
        for item in device[.interfaces]?.items ?? [] {
          guard let name = item.scalar else { continue }
          out.append(NetplanReference(owner: device, name: name, location: item.location, kind: .member(device.type)))
        }
      }
      if device.type == "bonds" { scalars(device, device[.parameters]?["primary"], .primary) }
      if device.type == "bridges" {
        for (key, kind) in [("path-cost", NetplanReference.Kind.pathCost), ("port-priority", .portPriority)] {
          for e in device[.parameters]?[key]?.entries ?? [] {
            let values = e.value.contributions.compactMap(\.scalar)
            for (i, at) in e.keyLocations.enumerated() {
              let value = i < values.count ? values[i] : e.value.scalar
              out.append(NetplanReference(owner: device, name: e.key, location: at, kind: kind, value: value))
            }
          }
        }
      }
    }
    return out
  }

  /// netplan 0.106 reads a file with forward references twice and finds its access points a
  /// second time: "Duplicate access point SSID" at the first of each wifi (fixed in 1.0).
  mutating func checkSecondPassAccessPoints() {
    let refs = references()
    for device in devices where device.type == "wifis" {
      guard let first = device[.accessPoints]?.entries.first, let at = first.keyLocations.first,
        needsSecondPass(at.file, refs)
      else { continue }
      error("\(device.id): Duplicate access point SSID '\(first.key)'", code: "duplicate-ssid-second-pass", at: at)
    }
  }

  /// netplan reads a file again while references in it point further down: true when a
  /// reference of the file names something defined only below it.
  func needsSecondPass(_ file: String, _ refs: [NetplanReference]) -> Bool {
    refs.contains { ref in
      guard ref.location.file == file, let defined = definitionLocation(ref.name) else { return false }
      return defined.file == file && precedes(ref.location, defined)
    }
  }

  /// The reading pass in which netplan resolves `ref`: 1 when its target is known at that
  /// point, 2 when defined further down in the same file.
  func pass(_ ref: NetplanReference) -> Int {
    guard let defined = definitionLocation(ref.name) else { return 3 }
    return precedes(defined, ref.location) ? 1 : 2
  }

  /// References to definitions that do not exist (yet): "interface 'x' is not defined".
  mutating func checkReferences() {
    let refs = references()
    for ref in refs where !isDefined(ref.name, asOf: ref.location) {
      if ref.kind == .vethPeer, ref.name == ref.owner.id { continue }  // reported below
      // NetworkManager creates VLANs on, and veths towards, interfaces it does not know yet
      // (since netplan 1.0: 0.106 refuses them too, see NetplanVersionRules).
      if ref.kind == .vlanLink || ref.kind == .vethPeer,
        backend(ref.owner, asOf: ref.location) == .networkManager
      {
        error("\(ref.owner.id): interface '\(ref.name)' is not defined", code: "undefined-interface-nm", at: ref.location)
        continue
      }
      error(
        "\(ref.owner.id): interface '\(ref.name)' is not defined", code: "undefined-interface", at: ref.location,
        notes: ["define '\(ref.name)' in this file or in a file read before it (netplan reads files in name order)"])
    }
    checkVethPeers(refs)
  }

  /// Members of bonds, bridges and VRFs (one of each at most), bond primaries, bridge port
  /// settings, claimed in the order netplan reads them.
  mutating func checkMemberships() {
    let all = references()
    let refs = all.filter { isDefined($0.name, asOf: $0.location) }
    // netplan reads a file with forward references twice; its second reading of a bridge's
    // path-cost or port-priority finds the value of the first and refuses it.
    let twice = Set(config.hierarchy.files.map(\.path).filter { needsSecondPass($0, all) })
    let replays = refs.filter { ($0.kind == .pathCost || $0.kind == .portPriority) && twice.contains($0.location.file) && pass($0) == 1 }
    let events = refs.map { ($0, pass($0), false) } + replays.map { ($0, 2, true) }
    let ordered = events.sorted { a, b in
      let (fa, la, ca) = rank(a.0.location), (fb, lb, cb) = rank(b.0.location)
      return (fa, a.1, la, ca) < (fb, b.1, lb, cb)
    }
    var bridgeOf: [String: String] = [:], bondOf: [String: String] = [:], vrfOf: [String: String] = [:]
    var primaryOf: [String: String] = [:]  // bond → its primary member
    var primaryIn: [String: String] = [:]  // member → the bond it is primary of
    var setting: [String: [String: (value: String, at: SourceLocation, owner: String)]] = [:]
    for (ref, _, replay) in ordered {
      let owner = ref.owner.id, name = ref.name
      switch ref.kind {
      case .member("bridges"):
        if let other = bridgeOf[name], other != owner {
          error("\(owner): interface '\(name)' is already assigned to bridge \(other)", code: "already-assigned", at: ref.location)
        } else if let other = bondOf[name] {
          error("\(owner): interface '\(name)' is already assigned to bond \(other)", code: "already-assigned", at: ref.location)
        } else {
          bridgeOf[name] = owner
        }
      case .member("bonds"):
        if let other = bridgeOf[name] {
          error("\(owner): interface '\(name)' is already assigned to bridge \(other)", code: "already-assigned", at: ref.location)
        } else if let other = bondOf[name], other != owner {
          error("\(owner): interface '\(name)' is already assigned to bond \(other)", code: "already-assigned", at: ref.location)
        } else {
          bondOf[name] = owner
        }
      case .member(_):
        if let other = vrfOf[name], other != owner {
          error("\(owner): interface '\(name)' is already assigned to vrf \(other)", code: "already-assigned", at: ref.location)
        } else {
          vrfOf[name] = owner
        }
      case .primary:
        if let current = primaryOf[owner] {
          if current != name {
            error("\(owner): bond already has a primary member: \(current)", code: "duplicate-primary", at: ref.location)
          }
        } else if let other = primaryIn[name] {
          error("\(owner): interface '\(name)' is already a primary of \(other)", code: "primary-of-two-bonds", at: ref.location)
        } else {
          primaryOf[owner] = name
          primaryIn[name] = owner
        }
      case .pathCost, .portPriority:
        let what = ref.kind == .pathCost ? "a path cost" : "a port priority"
        guard let value = ref.value, let number = UInt64(value) else { continue }
        if let old = setting[what]?[name], old.value != "0",
          replay || old.owner != owner || old.at.file != ref.location.file
        {
          error(
            "\(owner): interface '\(name)' already has \(what) of \(old.value)", code: "duplicate-port-setting",
            at: ref.location,
            notes: replay
              ? [
                "netplan reads this file a second time because a reference in it names a definition further down, and then refuses the value it set the first time",
                "move each definition above the references to it",
              ]
              : [])
        } else if number != 0 || setting[what]?[name] == nil {
          setting[what, default: [:]][name] = (String(number), ref.location, owner)
        }
      default:
        break
      }
    }
  }

  /// Virtual-ethernet pairs: each peer a veth that names this one back (or nobody yet).
  mutating func checkVethPeers(_ refs: [NetplanReference]) {
    let claims = refs.filter { $0.kind == .vethPeer }
    for claim in claims where claim.name == claim.owner.id {
      error("\(claim.owner.id): virtual-ethernet peer cannot be itself", code: "veth-peer", at: claim.location)
    }
    // Replays netplan's handler: file by file, in reading order, twice when a file needs it.
    var link: [String: String] = [:]
    var reported = Set<String>()
    for file in config.hierarchy.files.map(\.path) {
      let inFile = claims.filter { $0.location.file == file && $0.name != $0.owner.id }
        .sorted { precedes($0.location, $1.location) }
      var runs = [inFile.filter { pass($0) == 1 }]
      if needsSecondPass(file, refs) { runs.append(inFile.filter { isDefined($0.name, asOf: $0.location) }) }
      for run in runs {
        for claim in run {
          let a = claim.owner.id, b = claim.name
          guard let peer = byID[b] else { continue }  // an Open vSwitch port or nothing: reported elsewhere
          if peer.type != "virtual-ethernets" {
            if reported.insert("type \(a) \(b)").inserted {
              error(
                "\(a): virtual-ethernet peer '\(b)' is not a virtual-ethernet interface", code: "veth-peer",
                at: claim.location)
            }
          } else if let other = link[b], other != a {
            if reported.insert("taken \(a) \(b)").inserted {
              error(
                "\(a): virtual-ethernet peer '\(b)' is another virtual-ethernet's (\(other)) peer already",
                code: "veth-peer", at: claim.location)
            }
          } else {
            link[a] = b
            link[b] = a
          }
        }
      }
      // NetworkManager keeps a peer not defined yet as a placeholder.
      for claim in inFile where !isDefined(claim.name, asOf: claim.location) {
        if backend(claim.owner, asOf: claim.location) == .networkManager { link[claim.owner.id] = claim.name }
      }
    }
    // NetworkManager checks each pair once more when writing its connections.
    for device in devices where device.type == "virtual-ethernets" && backend(device) == .networkManager {
      guard let b = link[device.id], let peer = byID[b] else { continue }
      let a = device.id
      let at = device.node["peer"]?.location ?? location(device)
      if peer.type != "virtual-ethernets" {
        if reported.insert("type \(a) \(b)").inserted {
          error("\(a): virtual-ethernet peer '\(b)' is not a virtual-ethernet interface", code: "veth-peer", at: at)
        }
      } else if let other = link[b], byID[other] == nil {
        error("\(a): virtual-ethernet peer '\(b)' does not have a peer itself", code: "veth-peer", at: at)
      } else if let other = link[b], other != a, reported.insert("taken \(a) \(b)").inserted {
        error(
          "\(a): virtual-ethernet peer '\(b)' is another virtual-ethernet's (\(other)) peer already",
          code: "veth-peer", at: at)
      }
    }
  }
}
