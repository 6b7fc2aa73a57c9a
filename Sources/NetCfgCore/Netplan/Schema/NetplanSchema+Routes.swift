import NetCfgYAML

// `routes:` and `routing-policy:` (`routes_handlers`, `ip_rules_handlers`).

extension NetplanSchema {
  /// The fields of one route.
  static let routeFields = MappingSchema(
    "route",
    [
      "from": scalar(routeIP),
      "on-link": scalar(bool),
      "scope": scalar(
        oneOf("route-scope", ["global", "link", "host"], caseInsensitive: true) { "invalid route scope '\($0)'" }),
      "table": scalar(guint),
      "to": scalar(ScalarRule("route-to") { $0 == "default" ? nil : routeIP.check($0) }),
      "type": scalar(
        oneOf("route-type", routeTypes, caseInsensitive: true) { "invalid route type '\($0)'" }),
      "via": scalar(routeIP),
      "metric": scalar(guint),
      "mtu": scalar(guint),
      "congestion-window": scalar(guint),
      "advertised-receive-window": scalar(guint),
      "advertised-mss": scalar(guint),
    ])

  static let routeTypes = [
    "unicast", "anycast", "blackhole", "broadcast", "local", "multicast", "nat", "prohibit", "throw",
    "unreachable", "xresolve",
  ]

  /// An address (a prefix is allowed and ignored) whose family must be known.
  static let routeIP = ScalarRule("route-ip") { routeFamily($0) == nil ? "invalid IP family '-1'" : nil }

  /// The family of `text` with any `/prefix` removed (`get_ip_family`).
  static func routeFamily(_ text: String) -> IPAddress.Family? {
    let address = text.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(text[..<$0]) } ?? text
    return IPAddress(address)?.family
  }

  /// Reports the first of `from`/`to`/`via` whose family differs from the earlier ones
  /// (`check_and_set_family`), at its value.
  static func checkFamily(
    _ key: String, _ text: String, at value: YAMLNode, _ family: inout IPAddress.Family?, _ context: inout SchemaContext
  ) {
    guard key == "from" || key == "to" || key == "via", text != "default", let found = routeFamily(text)
    else { return }
    if let family, family != found {
      return context.error("IP family mismatch in route to \(text)", at: value)
    }
    family = found
  }

  /// `routes:`: a sequence of route mappings. The route-level requirements are reported at the
  /// sequence, as netplan does, after a route's fields were found valid.
  static let routes = NetplanRule.custom(
    CustomRule("routes") { node, context in
      guard let items = context.expectSequence(node) else { return }
      for item in items {
        guard let route = context.resolve(item) else { continue }
        guard case .mapping = route.content else {
          context.error("expected mapping (check indentation)", at: route, code: "expected-mapping")
          continue
        }
        let errorsBefore = context.errorCount
        var family: IPAddress.Family?
        var fields = RouteFields()
        context.walk(route, routeFields) { key, value, context in
          guard let text = value.scalarText else { return }
          checkFamily(key, text, at: value, &family, &context)
          fields.set(key, text)
        }
        guard context.errorCount == errorsBefore else { continue }
        if let message = routeRequirementProblem(fields) {
          context.error(message, at: node, notes: ["in the route at line \(route.start.line)"])
        } else if family == nil, fields.to == "default" {
          // Neither `to: default` nor anything else says IPv4 or IPv6: netplan's generator
          // aborts on an assertion (0.106 and 1.1 alike).
          context.error(
            "route to 'default' without 'via' or 'from': its IP family is unknown", at: route,
            notes: ["netplan generate aborts on it; write `to: 0.0.0.0/0` or `to: ::/0`"])
        }
      }
    })

  /// The fields of a route that decide what it requires (the last of each when repeated).
  struct RouteFields {
    var type: String?, to: String?, via: String?, scope: String?

    mutating func set(_ key: String, _ text: String) {
      switch key {
      case "type": type = text
      case "to": to = text
      case "via": via = text
      case "scope": scope = text
      default: break
      }
    }
  }

  /// What a route misses given its fields, after netplan's default scope rules.
  static func routeRequirementProblem(_ fields: RouteFields) -> String? {
    let type = fields.type.map(asciiLowercased) ?? "unicast"
    let hasTo = fields.to != nil
    let hasVia = fields.via != nil
    let scope: String
    if let given = fields.scope {
      scope = asciiLowercased(given)
    } else if type == "local" || type == "nat" {
      scope = "host"
    } else if (type == "unicast" && !hasVia) || type == "broadcast" || type == "multicast" || type == "anycast" {
      scope = "link"
    } else {
      scope = "global"
    }
    if (scope == "link" || scope == "host") && !hasTo {
      return "link and host routes must specify a 'to' IP"
    }
    if type == "unicast" && scope == "global" && (!hasTo || !hasVia) {
      return "global unicast route must include both a 'to' and 'via' IP"
    }
    if type != "unicast" && !hasTo {
      return "non-unicast routes must specify a 'to' IP"
    }
    return nil
  }

  /// The fields of one routing-policy rule.
  static let routingPolicyFields = MappingSchema(
    "routing-policy",
    [
      "from": scalar(routeIP),
      "to": scalar(routeIP),
      "mark": scalar(guint),
      "priority": scalar(guint),
      "table": scalar(guint),
      "type-of-service": scalar(
        ScalarRule("type-of-service") { text in
          if let message = guint.check(text) { return message }
          return guintValue(text) > 255 ? "invalid ToS (must be between 0 and 255): \(text)" : nil
        }),
    ])

  /// `routing-policy:`: a sequence of rule mappings, each with `from` or `to`.
  static let routingPolicy = NetplanRule.custom(
    CustomRule("routing-policy") { node, context in
      guard let items = context.expectSequence(node) else { return }
      for item in items {
        guard let rule = context.resolve(item) else { continue }
        guard case .mapping = rule.content else {
          context.error("expected mapping (check indentation)", at: rule, code: "expected-mapping")
          continue
        }
        let errorsBefore = context.errorCount
        var family: IPAddress.Family?
        var hasAddress = false
        context.walk(rule, routingPolicyFields) { key, value, context in
          if let text = value.scalarText { checkFamily(key, text, at: value, &family, &context) }
          if key == "from" || key == "to" { hasAddress = true }
        }
        if context.errorCount == errorsBefore, !hasAddress {
          context.error(
            "IP routing policy must include either a 'from' or 'to' IP", at: node,
            notes: ["in the rule at line \(rule.start.line)"])
        }
      }
    })
}
